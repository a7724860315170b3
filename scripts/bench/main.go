// Command bench measures Ferry against reference tools in one run on one
// machine and writes bench/results.md: every figure is a ratio against a
// reference measured in the same run (dd, nginx, vipsthumbnail, /healthz).
// Run it with `make bench`.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/media"
)

var (
	ferryBin   = flag.String("ferry", "./ferry", "ferry binary")
	outPath    = flag.String("out", "bench/results.md", "results file")
	tmp        = flag.String("tmp", "bench/tmp", "scratch directory (needs ~3 GiB)")
	quick      = flag.Bool("quick", false, "smaller sizes and shorter load runs")
	wrkSecs    = flag.Int("wrk-seconds", 30, "duration of each wrk run")
	proxyBatch = flag.Int("proxy-batch", 200, "JPEGs of 3-6 MP in the proxies row of speed.go")
	only       = flag.String("only", "", "run one section alone: upload_urls, video, s3, faces or jobs (replaced in -out), wasm (printed), or rows of speed.go, comma-separated ("+strings.Join(rowNames, ", ")+"), printed and not written to -out")
)

type report struct{ b strings.Builder }

func (r *report) line(format string, a ...any) {
	s := fmt.Sprintf(format, a...)
	fmt.Println(s)
	r.b.WriteString(s + "\n")
}

const (
	email    = "bench@example.com"
	password = "bench password 123"
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	os.RemoveAll(*tmp)
	must(os.MkdirAll(*tmp, 0o755))
	abs, _ := filepath.Abs(*tmp)
	*tmp = abs
	size := int64(1 << 30)
	parallel := int64(128 << 20)
	if *quick {
		size, parallel, *wrkSecs = 256<<20, 32<<20, 5
	}
	if *only == "upload_urls" {
		r := &report{}
		uploadURLsRow(r, size)
		r.line("Run alone with `go run ./scripts/bench -only upload_urls` (%s, %d CPUs, %s, %s).",
			hostname(), runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
		r.line("")
		spliceSection(*outPath, r.b.String())
		return
	} else if *only == "faces" {
		r := &report{}
		benchFaces(r)
		spliceSection(*outPath, r.b.String())
		fmt.Println("wrote the faces section of", *outPath)
		return
	} else if *only == "wasm" {
		wasmRow(&report{})
		return
	} else if *only == "jobs" {
		r := &report{}
		benchJobs(r)
		spliceSection(*outPath, r.b.String())
		fmt.Println("wrote the jobs section of", *outPath)
		return
	} else if *only != "" && *only != "video" && *only != "s3" && !speedOnly() {
		log.Fatalf("-only %q: the sections that run alone are upload_urls, video, s3, faces, jobs, wasm and the rows %s", *only, strings.Join(rowNames, ", "))
	}
	r := &report{}
	if *only == "s3" {
		benchS3(r, size)
		spliceSection(*outPath, r.b.String())
		return
	}
	r.line("# Ferry benchmarks")
	r.line("")
	r.line("Measured by `make bench` (scripts/bench.sh → `go run ./scripts/bench`) on %s, %d CPUs, %s, %s.",
		hostname(), runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	r.line("Every figure is compared with a reference measured in the same run on the same disk and loopback.")
	r.line("")
	f := startFerry(filepath.Join(*tmp, "data"))
	defer f.stop()
	c := f.login()
	if *only == "video" {
		v := &report{}
		videoSection(v, f, c, 3)
		spliceSection(*outPath, v.b.String())
		fmt.Println("wrote the video section of", *outPath)
		return
	}
	root := c.project("Bench")
	if speedOnly() {
		speedRows(r, f, c, root)
		return
	}

	// Upload.
	r.line("## Upload (tus over loopback)")
	r.line("")
	// dd's rate on this VM's disk swings by 2–3× between runs: three rounds
	// of dd then the upload, interleaved, and the median of each.
	baseRSS := f.hwm()
	var id string // the last upload, downloaded below
	ddRates, upRates, aloneRates := c.ddRounds(size, 0, func(round int) string {
		id = c.upload(root, fmt.Sprintf("big-%d.bin", round), size)
		return id
	})
	peak := f.hwm()
	ddRate, upRate, alone := median(ddRates), median(upRates), median(aloneRates)
	r.line("| what | MB/s (median of 3, interleaved) | ratio to dd |")
	r.line("|---|---|---|")
	r.line("| `dd if=/dev/zero bs=1M count=%d conv=fsync` (reference) | %.0f (runs: %s) | 1.00 |", size>>20, ddRate, rates(ddRates))
	r.line("| one %d MiB tus upload, then `sync` | %.0f (runs: %s) | %s |", size>>20, upRate, rates(upRates), goal(upRate/ddRate, 0.8))
	r.line("| same, upload alone (no sync) | %.0f | %.2f |", alone, alone/ddRate)
	pstart := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); c.upload(root, fmt.Sprintf("p%d.bin", i), parallel) }(i)
	}
	wg.Wait()
	exec.Command("sync").Run()
	prate := mbps(8*parallel, time.Since(pstart))
	r.line("| 8 parallel %d MiB uploads, then `sync` | %.0f | %.2f |", parallel>>20, prate, prate/ddRate)
	r.line("")
	r.line("Server peak RSS (VmHWM): %d MiB before the uploads, %d MiB after (goal < 100 MiB; bodies are streamed).", baseRSS>>20, peak>>20)
	r.line("")
	r.line("The upload alone runs at %.2f× dd's rate (client and server share the cores); the `sync` after it writes the whole file back, as dd's fsync does, so the total follows the disk, whose dd rate in the three rounds was %s MB/s.", alone/ddRate, rates(ddRates))
	r.line("")

	uploadURLsRow(r, size)

	// Download vs nginx.
	r.line("## Download (original, loopback)")
	r.line("")
	orig := filepath.Join(f.data, "originals", id[:2], id)
	ng := startNginx(filepath.Dir(orig))
	// Interleaved (Ferry, nginx, Ferry, …) so that neither gets the quiet
	// moments of a shared machine, best of 5 each.
	var fr, nr time.Duration
	for i := 0; i < 5; i++ {
		fr = minDur(fr, c.get("/api/v2/assets/"+id+"/original", ""))
		nr = minDur(nr, timeGet(ng.url+"/"+id, ""))
	}
	r.line("| server | %d MiB GET, MB/s (best of 5, interleaved) | ratio to nginx |", size>>20)
	r.line("|---|---|---|")
	r.line("| nginx %s, sendfile (reference) | %.0f | 1.00 |", nginxVersion(), mbps(size, nr))
	r.line("| Ferry `GET /api/v2/assets/{id}/original` | %.0f | %s |", mbps(size, fr), goal(float64(nr)/float64(fr), 0.9))
	rng := rand.New(rand.NewPCG(1, 2))
	var offsets []int64
	for i := 0; i < 200; i++ {
		offsets = append(offsets, rng.Int64N(size-(1<<20)))
	}
	var fRange, nRange time.Duration
	for _, o := range offsets {
		h := fmt.Sprintf("bytes=%d-%d", o, o+(1<<20)-1)
		fRange += c.get("/api/v2/assets/"+id+"/original", h)
		nRange += timeGet(ng.url+"/"+id, h)
	}
	r.line("| 200 random 1 MiB Range requests, nginx | %.0f | 1.00 |", mbps(200<<20, nRange))
	r.line("| 200 random 1 MiB Range requests, Ferry | %.0f | %.2f |", mbps(200<<20, fRange), float64(nRange)/float64(fRange))
	// ZIP "Download all" of a folder link: 100 files streamed as one archive.
	nFiles, each := 100, size/100
	var zf struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+root+"/children", map[string]string{"type": "folder", "name": "Zip"}, &zf)
	for i := 0; i < nFiles; i++ {
		c.upload(zf.ID, fmt.Sprintf("clip-%03d.mov", i), each)
	}
	var zl struct {
		Key string `json:"key"`
	}
	c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "folder_id": zf.ID, "allow_original": true}, &zl)
	zipURL := f.url + "/api/v2/public/links/" + zl.Key + "/zip"
	var first time.Duration
	var zipLen int64
	zipGet := func() time.Duration {
		req, _ := http.NewRequest("GET", zipURL, nil)
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		must(err)
		buf := make([]byte, 1)
		io.ReadFull(res.Body, buf)
		first = time.Since(start)
		n, _ := io.CopyBuffer(discard{}, struct{ io.Reader }{res.Body}, make([]byte, 1<<20))
		res.Body.Close()
		if res.StatusCode != 200 || n+1 != res.ContentLength {
			log.Fatalf("zip: %d, %d bytes of %d", res.StatusCode, n+1, res.ContentLength)
		}
		zipLen = res.ContentLength
		return time.Since(start)
	}
	// The CRCs are recorded in the background after each upload; give them
	// the time (they are computed during the first ZIP otherwise).
	time.Sleep(3 * time.Second)
	var zr, nz time.Duration
	for i := 0; i < 5; i++ {
		zr = minDur(zr, zipGet())
		nz = minDur(nz, timeGet(ng.url+"/"+id, ""))
	}
	r.line("| ZIP \"Download all\" of a folder link, %d × %d MiB (stored, streamed, sendfile) | %.0f | %s |", nFiles, each>>20, mbps(zipLen, zr), goal(float64(nz)/float64(zr)*float64(zipLen)/float64(size), 0.9))
	r.line("")
	r.line("The ZIP row compares with nginx sending one file of the same total size (interleaved, best of 5 each); the archive is %d bytes with a Content-Length, and its first byte arrived after %v.", zipLen, first.Round(time.Millisecond))
	r.line("")

	// Proxies vs vipsthumbnail.
	r.line("## Proxies: 24 MP JPEG → large 2560, preview 1280, thumb 320")
	r.line("")
	src := makeJPEG(filepath.Join(*tmp, "24mp.jpg"), 6000, 4000)
	vips := bestOf(3, func() time.Duration {
		s := time.Now()
		for _, n := range []int{2560, 1280, 320} {
			out, err := exec.Command("vipsthumbnail", src, "--size", strconv.Itoa(n), "-o", filepath.Join(*tmp, fmt.Sprintf("vips-%d.jpg[Q=85]", n))).CombinedOutput()
			if err != nil {
				log.Fatalf("vipsthumbnail: %v %s", err, out)
			}
		}
		return time.Since(s)
	})
	rd := &media.Renderer{Workers: 1}
	var ms runtime.MemStats
	fer := bestOf(3, func() time.Duration {
		s := time.Now()
		if _, err := rd.Render(context.Background(), src, filepath.Join(*tmp, "proxies"), media.DefaultRenditions); err != nil {
			log.Fatal(err)
		}
		return time.Since(s)
	})
	runtime.ReadMemStats(&ms)
	r.line("| renderer | seconds for all three (best of 3) | ratio |")
	r.line("|---|---|---|")
	r.line("| `vipsthumbnail --size N` × 3 (reference) | %.2f | 1.00 |", vips.Seconds())
	r.line("| Ferry `media.Renderer` (decode once, EXIF orientation, cascade) | %.2f | **%.2f×** vips's time |", fer.Seconds(), fer.Seconds()/vips.Seconds())
	r.line("")
	r.line("Ferry decodes the full image once with Go's image/jpeg (no DCT scaling) and resizes large → preview → thumb with CatmullRom; the pool runs `media.workers` renders at once. Go heap after: %d MiB.", ms.HeapSys>>20)
	r.line("")

	benchFaces(r)
	benchJobs(r)

	// Pages and JSON under wrk.
	r.line("## Pages and JSON under load (`wrk -t2 -c64 -d%ds`)", *wrkSecs)
	r.line("")
	folder := c.folderWith(root, 1000)
	cookie := c.cookie()
	var pl struct {
		Key string `json:"key"`
	}
	c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "folder_id": zf.ID, "allow_original": true, "name": "Bench gallery"}, &pl)
	rows := []struct{ name, path string }{
		{"`/healthz` (reference)", "/healthz"},
		{"`/login` (prerendered page)", "/login"},
		{"`/s/{key}`: share page of 100 files, prerendered with its gallery", "/s/" + pl.Key},
		{"`/api/v2/public/links/{key}`: its JSON (each load logged)", "/api/v2/public/links/" + pl.Key},
		{"`/api/v2/assets/{id}/children` (1 000 children, page_size=100)", "/api/v2/assets/" + folder + "/children?page_size=100"},
		{"`/api/v2/me`", "/api/v2/me"},
	}
	r.line("| endpoint | requests/s | p99 | req/s ratio to /healthz |")
	r.line("|---|---|---|---|")
	var ref float64
	for i, row := range rows {
		rps, p99 := wrk(f.url+row.path, cookie, *wrkSecs)
		if i == 0 {
			ref = rps
		}
		r.line("| %s | %.0f | %s | %.2f |", row.name, rps, p99, rps/ref)
	}
	r.line("")
	r.line("Idle server RSS after the load: %s.", f.rssParts())
	r.line("")

	// The web app.
	r.line("## The web app")
	r.line("")
	wasmRow(r)
	r.line("The wasm is served precompressed, at a content-hashed URL, cached as immutable.")
	if tti, err := timeToInteractive(f.url); err == nil {
		r.line("Time to interactive (headless Chromium, cold cache, loopback: navigation until the wasm has rendered the login form): %v.", tti.Round(time.Millisecond))
	} else {
		r.line("Time to interactive: not measured (%v).", err)
	}
	r.line("")
	videoRounds := 3
	if *quick {
		videoRounds = 1
	}
	videoSection(r, f, c, videoRounds)
	// Scale: 100 000 assets and 10 000 links in Badger.
	nAssets, nLinks, bigFolder := 100_000, 10_000, 10_000
	if *quick {
		nAssets, nLinks, bigFolder = 20_000, 2_000, 5_000
	}
	r.line("## Scale: %d assets and %d share links", nAssets, nLinks)
	r.line("")
	genStart := time.Now()
	scaleRoot := c.project("Scale")
	var folders []string
	for made := 0; made < nAssets; made += bigFolder {
		var fo struct {
			ID string `json:"id"`
		}
		c.json("POST", "/api/v2/assets/"+scaleRoot+"/children", map[string]string{"type": "folder", "name": fmt.Sprintf("Shoot %03d", len(folders))}, &fo)
		folders = append(folders, fo.ID)
	}
	var fileIDs []string
	var mu sync.Mutex
	work := make(chan [2]int)
	var wg2 sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for job := range work {
				var a struct {
					ID string `json:"id"`
				}
				c.json("POST", "/api/v2/assets/"+folders[job[0]]+"/children", map[string]any{"type": "file", "name": fmt.Sprintf("IMG_%06d.jpg", job[1]), "filesize": 0, "filetype": "image/jpeg"}, &a)
				if job[1]%10 == 0 {
					mu.Lock()
					fileIDs = append(fileIDs, a.ID)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < nAssets; i++ {
		work <- [2]int{i / bigFolder, i}
	}
	close(work)
	wg2.Wait()
	linkWork := make(chan int)
	for w := 0; w < 8; w++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := range linkWork {
				c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "asset_ids": []string{fileIDs[i%len(fileIDs)]}}, nil)
			}
		}()
	}
	for i := 0; i < nLinks; i++ {
		linkWork <- i
	}
	close(linkWork)
	wg2.Wait()
	gen := time.Since(genStart)
	f.stop()
	restart := time.Now()
	f = startFerry(f.data)
	startup := time.Since(restart)
	time.Sleep(2 * time.Second)
	idle := f.rssParts()
	c = f.login()
	cookie = c.cookie()
	healthRPS, healthP99 := wrk(f.url+"/healthz", cookie, *wrkSecs)
	type listRow struct {
		page int
		rps  float64
		p99  string
	}
	var lists []listRow
	for _, pg := range []int{1, bigFolder / 200, bigFolder / 100} {
		rps, p99 := wrk(f.url+"/api/v2/assets/"+folders[0]+fmt.Sprintf("/children?page=%d&page_size=100", pg), cookie, *wrkSecs)
		lists = append(lists, listRow{pg, rps, p99})
	}
	r.line("Generated through the API in %v (%d zero-byte files in %d folders of %d, then %d public links).", gen.Round(time.Second), nAssets, len(folders), bigFolder, nLinks)
	r.line("")
	r.line("| measure | value | reference |")
	r.line("|---|---|---|")
	r.line("| start-up on that data (process start → `/healthz` answers) | %v | — |", startup.Round(time.Millisecond))
	r.line("| idle RSS after start-up | %s | — |", idle)
	r.line("| `/healthz` under wrk (reference) | %.0f req/s, p99 %s | 1.00 |", healthRPS, healthP99)
	for _, l := range lists {
		r.line("| `/api/v2/assets/{id}/children`, page %d of a folder of %d (page_size=100) | %.0f req/s, p99 %s | %.2f |", l.page, bigFolder, l.rps, l.p99, l.rps/healthRPS)
	}
	r.line("")
	speedRows(r, f, c, scaleRoot)
	benchS3(r, size)
	must(os.MkdirAll(filepath.Dir(*outPath), 0o755))
	must(os.WriteFile(*outPath, []byte(r.b.String()), 0o644))
	fmt.Println("wrote", *outPath)
	ng.stop()
	f.stop() // before its data directory goes
	os.RemoveAll(*tmp)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func hostname() string { h, _ := os.Hostname(); return h }

// discard is io.Discard without ReadFrom, so io.CopyBuffer uses its buffer.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func minDur(best, d time.Duration) time.Duration {
	if best == 0 || d < best {
		return d
	}
	return best
}

func mbps(n int64, d time.Duration) float64 { return float64(n) / 1e6 / d.Seconds() }

func bestOf(n int, f func() time.Duration) time.Duration {
	best := time.Duration(1<<63 - 1)
	for i := 0; i < n; i++ {
		if d := f(); d < best {
			best = d
		}
	}
	return best
}

// goal shows a ratio with its goal, and by how much it was missed.
func goal(ratio, want float64) string {
	if ratio >= want {
		return fmt.Sprintf("**%.2f** (goal ≥ %.2f: met)", ratio, want)
	}
	return fmt.Sprintf("**%.2f** (goal ≥ %.2f: missed by %.2f)", ratio, want, want-ratio)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func dd(path string, size int64) float64 {
	start := time.Now()
	out, err := exec.Command("dd", "if=/dev/zero", "of="+path, "bs=1M", fmt.Sprintf("count=%d", size>>20), "conv=fsync").CombinedOutput()
	if err != nil {
		log.Fatalf("dd: %v %s", err, out)
	}
	d := time.Since(start)
	os.Remove(path)
	return mbps(size, d)
}

type ferry struct {
	cmd  *exec.Cmd
	url  string
	data string
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startFerry(data string, env ...string) *ferry {
	port := freePort()
	cmd := exec.Command(*ferryBin, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data-dir", data)
	// One client address opens every connection here: no per-address cap
	// (wrk reconnecting at 64 connections met its 429s).
	cmd.Env = append(os.Environ(), "FERRY_ADMIN_EMAIL="+email, "FERRY_ADMIN_PASSWORD="+password, "FERRY_LOG_LEVEL=warn",
		"FERRY_LIMITS_MIN_FREE_BYTES=1", "FERRY_LIMITS_MAX_CONNS_PER_IP=0")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	must(cmd.Start())
	f := &ferry{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), data: data}
	for i := 0; i < 200; i++ {
		if res, err := http.Get(f.url + "/healthz"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			return f
		}
		time.Sleep(50 * time.Millisecond)
	}
	log.Fatal("ferry did not start")
	return nil
}

func (f *ferry) stop() {
	if f.cmd.ProcessState == nil {
		f.cmd.Process.Signal(os.Interrupt)
		f.cmd.Wait()
	}
}

func (f *ferry) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", f.cmd.Process.Pid))
	must(err)
	m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n << 10
}

func (f *ferry) hwm() int64 { return f.status("VmHWM") }

// rssParts is the resident set split into anonymous memory (heap, stacks)
// and file pages (Badger's memory-mapped tables and logs, which the kernel
// can drop and read again).
func (f *ferry) rssParts() string {
	return fmt.Sprintf("%d MiB (%d MiB anonymous, %d MiB mapped files)", f.status("VmRSS")>>20, f.status("RssAnon")>>20, f.status("RssFile")>>20)
}

type client struct {
	base string
	http *http.Client
}

func (f *ferry) login() *client {
	jar, _ := cookiejar.New(nil)
	c := &client{base: f.url, http: &http.Client{Jar: jar}}
	c.json("POST", "/api/v2/auth/login", map[string]string{"email": email, "password": password}, nil)
	return c
}

func (c *client) json(method, path string, in, out any) {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	res, err := c.http.Do(req)
	must(err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		log.Fatalf("%s %s: %d %s", method, path, res.StatusCode, body)
	}
	if out != nil {
		must(json.Unmarshal(body, out))
	}
}

func (c *client) project(name string) string {
	var p struct {
		RootAssetID string `json:"root_asset_id"`
	}
	c.json("POST", "/api/v2/projects", map[string]string{"name": name}, &p)
	return p.RootAssetID
}

// block is 1 MiB of random bytes repeated to make an upload body.
var block = func() []byte {
	b := make([]byte, 1<<20)
	r := rand.NewChaCha8([32]byte{9})
	r.Read(b)
	return b
}()

type repeat struct{ n, off int64 }

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := copy(p, block[r.off%int64(len(block)):])
	if int64(k) > r.n {
		k = int(r.n)
	}
	r.n -= int64(k)
	r.off += int64(k)
	return k, nil
}

func (c *client) folderWith(parent string, n int) string {
	var f struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+parent+"/children", map[string]string{"type": "folder", "name": "Many"}, &f)
	for i := 0; i < n; i++ {
		c.json("POST", "/api/v2/assets/"+f.ID+"/children", map[string]any{"type": "file", "name": fmt.Sprintf("file-%04d.txt", i), "filesize": 0, "filetype": "text/plain"}, nil)
	}
	return f.ID
}

func (c *client) cookie() string {
	req, _ := http.NewRequest("GET", c.base, nil)
	var parts []string
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

func (c *client) get(path, rng string) time.Duration {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	return doTimed(c.http, req)
}

func timeGet(url, rng string) time.Duration {
	req, _ := http.NewRequest("GET", url, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	return doTimed(http.DefaultClient, req)
}

func doTimed(hc *http.Client, req *http.Request) time.Duration {
	start := time.Now()
	res, err := hc.Do(req)
	must(err)
	// A 1 MiB read buffer, so the client is not what is measured (io.Discard
	// reads 8 KiB at a time).
	n, _ := io.CopyBuffer(discard{}, struct{ io.Reader }{res.Body}, make([]byte, 1<<20))
	res.Body.Close()
	if res.StatusCode != 200 && res.StatusCode != 206 || n == 0 {
		log.Fatalf("GET %s: %d (%d bytes)", req.URL, res.StatusCode, n)
	}
	return time.Since(start)
}

type nginx struct {
	cmd *exec.Cmd
	url string
}

func startNginx(root string) *nginx { return startNginxServer(fmt.Sprintf("root %s;", root)) }

// startNginxServer runs nginx with one server block on a loopback port
// holding server (its directives besides listen).
func startNginxServer(server string) *nginx {
	port := freePort()
	dir := filepath.Join(*tmp, "nginx")
	must(os.MkdirAll(dir, 0o755))
	user := ""
	if os.Geteuid() == 0 { // workers would drop to nobody and could not read Ferry's 0600 files
		user = "user root;"
	}
	conf := fmt.Sprintf(`daemon off; worker_processes 2; `+user+` pid %[1]s/nginx.pid; error_log %[1]s/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; default_type application/octet-stream;
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  server { listen 127.0.0.1:%[2]d; %[3]s } }
`, dir, port, server)
	must(os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644))
	bin := "nginx"
	if _, err := exec.LookPath(bin); err != nil {
		bin = "/usr/sbin/nginx"
	}
	cmd := exec.Command(bin, "-c", filepath.Join(dir, "nginx.conf"), "-p", dir)
	cmd.Stderr = os.Stderr
	must(cmd.Start())
	n := &nginx{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
	log.Fatal("nginx did not start")
	return nil
}

// stop asks the master to stop (SIGTERM: it stops its workers too; a
// SIGKILL would leave them running), then waits.
func (n *nginx) stop() {
	if n.cmd.ProcessState == nil {
		n.cmd.Process.Signal(syscall.SIGTERM)
		n.cmd.Wait()
	}
}

func nginxVersion() string {
	out, _ := exec.Command("/usr/sbin/nginx", "-v").CombinedOutput()
	return strings.TrimSpace(strings.TrimPrefix(string(out), "nginx version: "))
}

func makeJPEG(path string, w, h int) string {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 4))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := uint8(r.IntN(24))
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) ^ n, uint8(y*255/h) + n, uint8((x + y) % 256), 255})
		}
	}
	f, err := os.Create(path)
	must(err)
	must(jpeg.Encode(f, img, &jpeg.Options{Quality: 90}))
	must(f.Close())
	return path
}

var wrkLatency = regexp.MustCompile(`(?m)^\s+99%\s+(\S+)`)
var wrkRate = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)

func wrk(url, cookie string, secs int) (float64, string) {
	return runWrk([]string{"-t2", "-c64", fmt.Sprintf("-d%ds", secs), "--latency", "-H", "Cookie: " + cookie, url})
}

// runWrk runs wrk with args (the URL last): requests/s and the p99 latency.
func runWrk(args []string) (float64, string) {
	url := args[len(args)-1]
	out, err := exec.Command("wrk", args...).CombinedOutput()
	if err != nil {
		log.Fatalf("wrk: %v %s", err, out)
	}
	rate := wrkRate.FindSubmatch(out)
	lat := wrkLatency.FindSubmatch(out)
	if rate == nil || lat == nil {
		log.Fatalf("wrk output: %s", out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Non-2xx") {
				log.Printf("warning: %s: %s", url, sc.Text())
			}
		}
	}
	rps, _ := strconv.ParseFloat(string(rate[1]), 64)
	return rps, string(lat[1])
}

func timeToInteractive(base string) (time.Duration, error) {
	ctx, done, err := coldBrowser(60 * time.Second)
	if err != nil {
		return 0, err
	}
	defer done()
	start := time.Now()
	err = chromedp.Run(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitReady("#app-ready", chromedp.ByQuery))
	return time.Since(start), err
}
