package main

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/testkit"
)

// benchFaces compares face indexing with the proxy renderer on the same
// photos (3 to 6 MP, three faces each, composed from dlib's johns), photo
// by photo, interleaved, and measures selfie search over 10 000 faces.
func benchFaces(r *report) {
	r.line("## Face indexing and selfie search")
	r.line("")
	johns, _ := filepath.Glob(filepath.Join(".tools", "faces", "usr", "share", "doc", "libdlib*", "examples", "johns"))
	if len(johns) == 0 {
		r.line("Skipped: dlib's example faces are missing (run scripts/install-faces.sh).")
		r.line("")
		return
	}
	_, chips, err := testkit.JohnsChips(johns[0])
	must(err)
	eng, err := faces.Load()
	must(err)
	tiled, err := faces.Load() // the same networks with the small-face tiles
	must(err)
	tiled.SmallFaces = true
	n := 200
	if *quick {
		n = 20
	}
	sizes := [][2]int{{2000, 1500}, {2400, 1600}, {3000, 2000}} // 3, 3.8 and 6 MP
	dir := filepath.Join(*tmp, "faces")
	must(os.MkdirAll(dir, 0o755))
	rd := &media.Renderer{Workers: 1}
	var proxyTime, faceTime, tiledTime time.Duration
	found, foundTiled, pixels := 0, 0, 0
	for i := 0; i < n; i++ {
		sz := sizes[i%len(sizes)]
		var group []image.Image
		for k := 0; k < 3; k++ {
			who := (i + k) % len(chips)
			group = append(group, chips[who][(i/len(chips)+k)%len(chips[who])])
		}
		src := filepath.Join(dir, fmt.Sprintf("photo-%03d.jpg", i))
		writeJPEG(src, testkit.ComposeGroup(group, sz[0], sz[1], sz[1]/4, i%8))
		pixels += sz[0] * sz[1]
		out := filepath.Join(dir, fmt.Sprintf("proxies-%03d", i))
		proxies := func(timed bool) {
			s := time.Now()
			_, err := rd.Render(context.Background(), src, out, media.DefaultRenditions)
			must(err)
			if timed {
				proxyTime += time.Since(s)
			}
		}
		analyse := func(e *faces.Engine, n *int, took *time.Duration) {
			s := time.Now()
			f, err := os.Open(filepath.Join(out, "large.jpg"))
			must(err)
			img, err := jpeg.Decode(bufio.NewReader(f))
			f.Close()
			must(err)
			*n += len(e.Analyze(img))
			*took += time.Since(s)
		}
		index := func() {
			if i%2 == 0 { // each engine goes first as often
				analyse(eng, &found, &faceTime)
				analyse(tiled, &foundTiled, &tiledTime)
			} else {
				analyse(tiled, &foundTiled, &tiledTime)
				analyse(eng, &found, &faceTime)
			}
		}
		// Indexing reads the large rendition, so it needs the proxies; on
		// every other photo they are made untimed first and timed after,
		// so each side runs first as often.
		if i%2 == 0 {
			proxies(true)
			index()
		} else {
			proxies(false)
			index()
			proxies(true)
		}
	}
	r.line("| %d photos, 3–6 MP (%.1f MP on average), 3 faces each | seconds | photos/s | ratio |", n, float64(pixels)/float64(n)/1e6)
	r.line("|---|---|---|---|")
	r.line("| proxies: `media.Renderer`, large + preview + thumb (reference) | %.1f | %.2f | 1.00 |", proxyTime.Seconds(), float64(n)/proxyTime.Seconds())
	r.line("| face indexing: decode the large rendition, detect, landmarks, align, describe | %.1f | %.2f | **%.2f×** the proxies' time (goal ≤ 2) |",
		faceTime.Seconds(), float64(n)/faceTime.Seconds(), faceTime.Seconds()/proxyTime.Seconds())
	r.line("| face indexing with the small-face tiles (`faces.Engine.SmallFaces`: four more detector passes) | %.1f | %.2f | %.2f× the proxies' time, %.2f× indexing without tiles |",
		tiledTime.Seconds(), float64(n)/tiledTime.Seconds(), tiledTime.Seconds()/proxyTime.Seconds(), tiledTime.Seconds()/faceTime.Seconds())
	r.line("")
	r.line("Faces found: %d of %d (with the tiles: %d). All run in this process, one photo at a time, each using both cores where it can.", found, 3*n, foundTiled)
	r.line("")

	cmd := exec.Command("go", "test", "-count=1", "-run", "TestSelfieSearchLatency", "-v", "./server/people")
	cmd.Env = append(os.Environ(), "FERRY_BENCH=1")
	outb, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`BENCH selfie faces=(\d+) visitors=(\d+) searches=(\d+) p50=([\d.]+)s p99=([\d.]+)s max=([\d.]+)s wall=([\d.]+)s cpu_per_search=([\d.]+)s`).FindSubmatch(outb)
	if err != nil || m == nil {
		r.line("Selfie search: the measurement failed: %v", err)
		r.line("")
		return
	}
	r.line("| selfie search, %s faces in the share, %s concurrent visitors, %s searches | p50 | p99 | CPU per search |", m[1], m[2], m[3])
	r.line("|---|---|---|---|")
	r.line("| whole request path: decode, detect (with room, then as sent), landmarks, describe, compare | %s s | **%s s** (goal < 1.5) | %s s |", m[4], m[5], m[8])
	r.line("")
	r.line("One comparison runs at a time (its networks use both cores), so at 4 visitors a search waits for up to 3 others: p99 ≈ 4 × the time of one. CPU per search is what one costs whatever else the machine runs. Reproduce: `FERRY_BENCH=1 go test -run TestSelfieSearchLatency -v ./server/people`.")
	r.line("")
}

func writeJPEG(path string, img image.Image) {
	f, err := os.Create(path)
	must(err)
	must(jpeg.Encode(f, img, &jpeg.Options{Quality: 90}))
	must(f.Close())
}
