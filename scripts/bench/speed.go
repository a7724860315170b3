package main

// The rows of issue 21 (speed where visitors feel it): each measures Ferry
// and a reference interleaved in the same run. `-only listing,thumbs` runs
// only those (see rowNames) and prints them, e.g.
//
//	go run ./scripts/bench -ferry ./ferry -only listing -wrk-seconds 10

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// rowNames are the selectable rows, in the order they run.
var rowNames = []string{"listing", "thumbs", "share", "smalluploads", "proxies", "visitors"}

func wantRow(name string) bool {
	if *only == "" {
		return true
	}
	for _, n := range strings.Split(*only, ",") {
		if strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

// speedOnly says whether -only names rows of this file.
func speedOnly() bool {
	for _, n := range rowNames {
		if *only != "" && wantRow(n) {
			return true
		}
	}
	return false
}

// speedRows runs the selected rows of issue 21 against a running Ferry.
func speedRows(r *report, f *ferry, c *client, root string) {
	ng := startNginx(filepath.Join(*tmp, "same"))
	defer ng.stop()
	must(os.MkdirAll(filepath.Join(*tmp, "same"), 0o755))
	cookie := c.cookie()
	r.line("Load average (1 min) on %d CPUs at the start of these rows: %s.", runtime.NumCPU(), loadAverage())
	r.line("")
	defer func() { r.line("Load average (1 min) at the end: %s.", loadAverage()) }()
	if wantRow("listing") {
		listingRows(r, f, c, ng, root, cookie)
	}
	if wantRow("thumbs") || wantRow("share") {
		galleryRows(r, f, c, ng, root)
	}
	if wantRow("smalluploads") {
		smallUploadRows(r, c, root)
	}
	if wantRow("proxies") {
		proxyRows(r)
	}
	if wantRow("visitors") {
		visitorRows(r, f, c, root)
	}
}

// same writes body where nginx serves it and returns its URL.
func (n *nginx) same(name string, body []byte) string {
	must(os.WriteFile(filepath.Join(*tmp, "same", name), body, 0o644))
	return n.url + "/" + name
}

// fetch GETs url with headers and returns the body as sent (no decoding).
func fetch(url string, header ...string) []byte {
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	must(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		log.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return b
}

// pair runs wrk on Ferry's url and on nginx's twice, interleaved (Ferry,
// nginx, Ferry, nginx), and prints one row with the best of each and the
// ratio. A script, when given, picks the paths (the URL gives the host).
//
// Beside them, Ferry's CPU time per request (user + system, from
// /proc/PID/stat, over both of its runs): on a machine shared with other
// work, throughput follows the load, CPU time much less.
func pair(r *report, f *ferry, ng *nginx, what string, conns int, ferryURL, ferryScript, ngURL, ngScript string, header []string) {
	var fr, nr []float64
	var fp, np []string
	var cpu, ngCPU time.Duration
	var reqs, ngReqs float64
	for round := 0; round < 2; round++ {
		before := f.cpu()
		rps, p99 := wrkWith(ferryURL, conns, header, ferryScript)
		cpu += f.cpu() - before
		reqs += rps * float64(*wrkSecs)
		fr, fp = append(fr, rps), append(fp, p99)
		before = ng.cpu()
		rps, p99 = wrkWith(ngURL, conns, nil, ngScript)
		ngCPU += ng.cpu() - before
		ngReqs += rps * float64(*wrkSecs)
		nr, np = append(nr, rps), append(np, p99)
	}
	bf, bn := bestIndex(fr), bestIndex(nr)
	perReq := float64(cpu.Microseconds()) / 1000 / max(reqs, 1)
	ngPerReq := float64(ngCPU.Microseconds()) / 1000 / max(ngReqs, 1)
	r.line("| %s, %d connections | %.0f req/s, p99 %s, %.3f ms CPU/req | %.0f req/s, p99 %s, %.3f ms CPU/req | **%.3f** (CPU/req: nginx's ÷ Ferry's %.2f) |", what, conns, fr[bf], fp[bf],
		perReq, nr[bn], np[bn], ngPerReq, fr[bf]/nr[bn], ngPerReq/max(perReq, 1e-9))
}

// cpu is the CPU time the Ferry process used so far (user + system).
func (f *ferry) cpu() time.Duration { return f.statTicks(11, 12) } // utime, stime

func wrkWith(url string, conns int, header []string, script string) (float64, string) {
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", *wrkSecs), "--latency"}
	for _, h := range header {
		args = append(args, "-H", h)
	}
	if script != "" {
		args = append(args, "-s", script)
	}
	return runWrk(append(args, url))
}

func listingRows(r *report, f *ferry, c *client, ng *nginx, root, cookie string) {
	r.line("## Folder listings (`children?page_size=100`) against nginx serving the same JSON")
	r.line("")
	r.line("| what | Ferry | nginx, same body | ratio |")
	r.line("|---|---|---|---|")
	for _, n := range []int{1000, 10000} {
		folder := c.folderOf(root, n)
		for _, page := range []int{1, n / 200, n / 100} {
			path := fmt.Sprintf("/api/v2/assets/%s/children?page=%d&page_size=100", folder, page)
			body := fetch(f.url+path, "Cookie", cookie)
			ngURL := ng.same(fmt.Sprintf("list-%d-%d.json", n, page), body)
			for _, conns := range []int{8, 64} {
				pair(r, f, ng, fmt.Sprintf("page %d of %d (%d KB)", page, n, len(body)>>10), conns, f.url+path, "", ngURL, "", []string{"Cookie: " + cookie})
			}
		}
	}
	r.line("")
}

// folderOf makes a folder of n empty files, 8 requests at a time.
func (c *client) folderOf(parent string, n int) string {
	var fo struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+parent+"/children", map[string]string{"type": "folder", "name": fmt.Sprintf("Listing %d", n)}, &fo)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c.json("POST", "/api/v2/assets/"+fo.ID+"/children", map[string]any{"type": "file", "name": fmt.Sprintf("IMG_%06d.jpg", i), "filesize": 0, "filetype": "image/jpeg"}, nil)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	return fo.ID
}

// photo is a w×h JPEG with some texture, different per seed.
func photo(w, h int, seed uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) ^ seed, uint8(y*255/h) + seed, uint8((x*y)>>4) ^ seed, 255})
		}
	}
	var b bytes.Buffer
	must(jpeg.Encode(&b, img, &jpeg.Options{Quality: 88}))
	return b.Bytes()
}

// galleryRows: a share link of a folder of 100 photos; its thumbnails, page
// and JSON against nginx serving the same bytes.
func galleryRows(r *report, f *ferry, c *client, ng *nginx, root string) {
	var fo struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+root+"/children", map[string]string{"type": "folder", "name": "Gallery"}, &fo)
	var ids []string
	for i := 0; i < 100; i++ {
		ids = append(ids, c.uploadBytes(fo.ID, fmt.Sprintf("photo-%03d.jpg", i), "image/jpeg", photo(800, 600, uint8(i))))
	}
	c.waitProxies(fo.ID, len(ids))
	var link struct {
		Key string `json:"key"`
	}
	c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "folder_id": fo.ID, "name": "Bench gallery"}, &link)
	r.line("## A share link of 100 photos against nginx serving the same bytes")
	r.line("")
	r.line("| what | Ferry | nginx, same bytes | ratio |")
	r.line("|---|---|---|---|")
	var rss string
	if wantRow("thumbs") {
		var fpaths, npaths []string
		for i, id := range ids {
			p := "/api/v2/public/links/" + link.Key + "/assets/" + id + "/thumb"
			fpaths = append(fpaths, p)
			ng.same(fmt.Sprintf("thumb-%03d.jpg", i), fetch(f.url+p))
			npaths = append(npaths, fmt.Sprintf("/thumb-%03d.jpg", i))
		}
		fs, ns := pathScript("ferry-thumbs", fpaths), pathScript("nginx-thumbs", npaths)
		for _, conns := range []int{8, 64} {
			pair(r, f, ng, "100 thumbnails (`/api/v2/public/links/{key}/assets/{id}/thumb`)", conns, f.url+"/", fs, ng.url+"/", ns, nil)
		}
	}
	if wantRow("share") {
		for _, p := range []struct{ what, path string }{
			{"share page `/s/{key}`", "/s/" + link.Key},
			{"its JSON `/api/v2/public/links/{key}`", "/api/v2/public/links/" + link.Key},
		} {
			body := fetch(f.url+p.path, "Accept-Encoding", "gzip")
			plain := fetch(f.url + p.path)
			ngURL := ng.same(strings.ReplaceAll(strings.Trim(p.path, "/"), "/", "-"), body)
			for _, conns := range []int{8, 64} {
				row := func() {
					pair(r, f, ng, fmt.Sprintf("%s (%d KB sent, %d KB plain)", p.what, len(body)>>10, len(plain)>>10), conns, f.url+p.path, "", ngURL, "", []string{"Accept-Encoding: gzip"})
				}
				if conns == 64 && strings.HasPrefix(p.path, "/s/") {
					idle := f.status("VmRSS")
					peak := f.peakRSSDuring(row)
					rss = fmt.Sprintf("Ferry's RSS with 64 share-page connections of one visitor (wrk: one address, one user agent; VmRSS sampled every 100 ms during that row's wrk runs): peak **%d MiB** (goal < 100 MiB), %d MiB just before; VmHWM since start %d MiB (it includes making the gallery's proxies).",
						peak>>20, idle>>20, f.hwm()>>20)
					// Each request a new visitor (its own user agent): the
					// access log gets an entry per request, none coalesce.
					script := filepath.Join(*tmp, "new-visitors.lua")
					must(os.WriteFile(script, []byte(newVisitorsLua), 0o644))
					idle = f.status("VmRSS")
					peak, parts := f.peakRSSPartsDuring(func() {
						pair(r, f, ng, fmt.Sprintf("%s, each request a new visitor (own user agent)", p.what), conns, f.url+p.path, script, ngURL, script, []string{"Accept-Encoding: gzip"})
					})
					rss += fmt.Sprintf(" With each request a new visitor (an access-log entry each): peak **%d MiB** (%s), %d MiB just before.", peak>>20, parts, idle>>20)
				} else {
					row()
				}
			}
		}
	}
	r.line("")
	if rss != "" {
		r.line("%s", rss)
		r.line("")
	}
}

// peakRSSDuring runs run while sampling Ferry's VmRSS every 100 ms and
// returns the highest sample.
func (f *ferry) peakRSSDuring(run func()) int64 {
	peak, _ := f.peakRSSPartsDuring(run)
	return peak
}

// peakRSSPartsDuring is peakRSSDuring with the highest sample's split
// (rssParts): anonymous memory (Go's heap, Badger's memtables and caches)
// against mapped files (Badger's tables and logs).
func (f *ferry) peakRSSPartsDuring(run func()) (int64, string) {
	type sample struct {
		rss   int64
		parts string
	}
	stop, done := make(chan struct{}), make(chan sample)
	go func() {
		var peak sample
		for {
			if r := f.status("VmRSS"); r > peak.rss {
				peak = sample{r, f.rssParts()}
			}
			select {
			case <-stop:
				if r := f.status("VmRSS"); r > peak.rss {
					peak = sample{r, f.rssParts()}
				}
				done <- peak
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	run()
	close(stop)
	p := <-done
	return p.rss, p.parts
}

func bestIndex(x []float64) int {
	b := 0
	for i := range x {
		if x[i] > x[b] {
			b = i
		}
	}
	return b
}

// newVisitorsLua makes each wrk request come from a new user agent.
const newVisitorsLua = `local n = 0
request = function()
  n = n + 1
  wrk.headers["User-Agent"] = string.format("bench-visitor-%d-%d", n, math.random(1000000000))
  return wrk.format("GET")
end
`

// pathScript writes a wrk script that requests paths in turn.
func pathScript(name string, paths []string) string {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	b.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	path := filepath.Join(*tmp, name+".lua")
	must(os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// waitProxies waits until n files of folder have their proxies.
func (c *client) waitProxies(folder string, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		var kids []struct {
			ProxyStatus string `json:"proxy_status"`
		}
		c.json("GET", fmt.Sprintf("/api/v2/assets/%s/children?page_size=%d", folder, n), nil, &kids)
		ready := 0
		for _, k := range kids {
			if k.ProxyStatus == "ready" {
				ready++
			}
		}
		if ready == n {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	log.Fatalf("proxies of %s not ready after 5 minutes", folder)
}

// smallUploadRows: 500 × 1 MiB through tus, Ferry against tusd v2.10.1's
// own server on the same disk, interleaved, each followed by sync.
func smallUploadRows(r *report, c *client, root string) {
	tusd, err := exec.LookPath("tusd")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		if p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "tusd"); fileExists(p) {
			tusd = p
		} else {
			r.line("500 × 1 MiB uploads: not measured (tusd not installed: scripts/install-bench-deps.sh)")
			return
		}
	}
	const n, par = 500, 4
	body := block
	upload := func(create func() string) time.Duration {
		exec.Command("sync").Run()
		time.Sleep(3 * time.Second)
		start := time.Now()
		work := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < par; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range work {
					c.patch(create(), body)
				}
			}()
		}
		for i := 0; i < n; i++ {
			work <- i
		}
		close(work)
		wg.Wait()
		exec.Command("sync").Run()
		return time.Since(start)
	}
	port := freePort()
	dir := filepath.Join(*tmp, "tusd")
	must(os.MkdirAll(dir, 0o755))
	cmd := exec.Command(tusd, "-host", "127.0.0.1", "-port", fmt.Sprint(port), "-upload-dir", dir, "-disable-download")
	must(cmd.Start())
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	tusURL := fmt.Sprintf("http://127.0.0.1:%d/files/", port)
	for i := 0; i < 100; i++ {
		if res, err := http.Get(tusURL); err == nil {
			res.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var fo struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+root+"/children", map[string]string{"type": "folder", "name": "Small uploads"}, &fo)
	var seq atomic.Int64
	ferryCreate := func() string {
		var a struct {
			UploadURL string `json:"upload_url"`
		}
		c.json("POST", "/api/v2/assets/"+fo.ID+"/children", map[string]any{"type": "file", "name": fmt.Sprintf("small-%06d.bin", seq.Add(1)), "filesize": len(body), "filetype": "application/octet-stream"}, &a)
		return a.UploadURL
	}
	tusdCreate := func() string {
		req, _ := http.NewRequest("POST", tusURL, nil)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Length", fmt.Sprint(len(body)))
		res, err := http.DefaultClient.Do(req)
		must(err)
		res.Body.Close()
		if res.StatusCode != 201 {
			log.Fatalf("tusd POST: %d", res.StatusCode)
		}
		return res.Header.Get("Location")
	}
	var fd, td []time.Duration
	for round := 0; round < 3; round++ { // each goes first in turn
		if round%2 == 0 {
			fd = append(fd, upload(ferryCreate))
			td = append(td, upload(tusdCreate))
		} else {
			td = append(td, upload(tusdCreate))
			fd = append(fd, upload(ferryCreate))
		}
	}
	fm, tm := medianDur(fd), medianDur(td)
	r.line("## Small uploads: %d × 1 MiB, %d at a time, then `sync`", n, par)
	r.line("")
	r.line("| server | seconds (median of 3, interleaved; runs) | ratio to tusd |")
	r.line("|---|---|---|")
	r.line("| tusd v2.10.1 (reference) | %.2f (%s) | 1.00 |", tm.Seconds(), durs(td))
	r.line("| Ferry (creation through `/api/v2/assets/{id}/children`, then PATCH) | %.2f (%s) | %s |", fm.Seconds(), durs(fd), goal(tm.Seconds()/fm.Seconds(), 1.0))
	r.line("")
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
