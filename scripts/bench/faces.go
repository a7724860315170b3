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
	"strconv"
	"syscall"
	"time"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/testkit"
)

// benchFaces compares face indexing with the proxy renderer on the same
// photos (3 to 6 MP, three faces each, composed from dlib's johns), photo
// by photo, interleaved, and measures selfie search over 10 000 faces.
// The small-face tiles (five detector passes a photo) are measured on
// every tenth photo only, so the 200-photo run finishes on a busy machine.
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
	const tiledEvery = 10
	// Photos are composed from 4 chips of each John at 3 sizes: 60 face
	// tiles made once (each photo is still its own picture to index).
	const chipsEach = 4
	tiles := map[[3]int]image.Image{}
	sizes := [][2]int{{2000, 1500}, {2400, 1600}, {3000, 2000}} // 3, 3.8 and 6 MP
	dir := filepath.Join(*tmp, "faces")
	must(os.MkdirAll(dir, 0o755))
	rd := &media.Renderer{Workers: 1}
	var proxy, face, tiledFace, faceSampled span
	found, foundTiled, foundSampled, pixels := 0, 0, 0, 0
	began := time.Now()
	for i := 0; i < n; i++ {
		sz := sizes[i%len(sizes)]
		var group []image.Image
		for k := 0; k < 3; k++ {
			who := (i + k) % len(chips)
			chip := (i/len(chips) + k) % chipsEach
			key := [3]int{who, chip, sz[1]}
			if tiles[key] == nil { // the blur of a tile costs more than indexing it
				tiles[key] = testkit.FaceTile(chips[who][chip], sz[1]/4)
			}
			group = append(group, tiles[key])
		}
		src := filepath.Join(dir, fmt.Sprintf("photo-%03d.jpg", i))
		writeJPEG(src, testkit.ComposeTiles(group, sz[0], sz[1], i%8))
		pixels += sz[0] * sz[1]
		out := filepath.Join(dir, fmt.Sprintf("proxies-%03d", i))
		proxies := func(timed bool) {
			m := startSpan()
			_, err := rd.Render(context.Background(), src, out, media.DefaultRenditions)
			must(err)
			if timed {
				proxy.add(m)
			}
		}
		analyse := func(e *faces.Engine) int {
			f, err := os.Open(filepath.Join(out, "large.jpg"))
			must(err)
			img, err := jpeg.Decode(bufio.NewReader(f))
			f.Close()
			must(err)
			return len(e.Analyze(img))
		}
		index := func() {
			m := startSpan()
			k := analyse(eng)
			face.add(m)
			found += k
			if i%tiledEvery == 0 {
				faceSampled.add(m)
				foundSampled += k
			}
		}
		indexTiled := func() {
			if i%tiledEvery == 0 {
				m := startSpan()
				foundTiled += analyse(tiled)
				tiledFace.add(m)
			}
		}
		// Indexing reads the large rendition, so it needs the proxies; on
		// every other photo they are made untimed first and timed after,
		// so each side runs first as often (the tiles too, on their photos).
		if i%2 == 0 {
			proxies(true)
			index()
			indexTiled()
		} else {
			proxies(false)
			indexTiled()
			index()
			proxies(true)
		}
		must(os.RemoveAll(out))
		must(os.Remove(src))
		if (i+1)%20 == 0 || i+1 == n {
			fmt.Fprintf(os.Stderr, "faces bench: %d/%d photos in %s, indexing %.2f× the proxies' time so far\n",
				i+1, n, time.Since(began).Round(time.Second), face.wall.Seconds()/proxy.wall.Seconds())
		}
	}
	sampled := (n + tiledEvery - 1) / tiledEvery
	r.line("| %d photos, 3–6 MP (%.1f MP on average), 3 faces each | seconds | photos/s | ratio | CPU seconds | CPU ratio |", n, float64(pixels)/float64(n)/1e6)
	r.line("|---|---|---|---|---|---|")
	r.line("| proxies: `media.Renderer`, large + preview + thumb (reference) | %.1f | %.2f | 1.00 | %.1f | 1.00 |", proxy.wall.Seconds(), float64(n)/proxy.wall.Seconds(), proxy.cpu)
	r.line("| face indexing: decode the large rendition, detect, landmarks, align, describe | %.1f | %.2f | **%.2f×** the proxies' time (goal ≤ 2) | %.1f | %.2f× |",
		face.wall.Seconds(), float64(n)/face.wall.Seconds(), face.wall.Seconds()/proxy.wall.Seconds(), face.cpu, face.cpu/proxy.cpu)
	r.line("| face indexing with the small-face tiles (`faces.Engine.SmallFaces`: four more detector passes), on %d of the photos (every %dth) | %.1f | %.2f | %.2f× indexing without tiles on the same photos | %.1f | %.2f× |",
		sampled, tiledEvery, tiledFace.wall.Seconds(), float64(sampled)/tiledFace.wall.Seconds(), tiledFace.wall.Seconds()/faceSampled.wall.Seconds(), tiledFace.cpu, tiledFace.cpu/faceSampled.cpu)
	r.line("")
	r.line("Faces found: %d of %d (with the tiles: %d of the same photos' %d). All run in this process, one photo at a time, each using both cores where it can; the whole run took %s.",
		found, 3*n, foundTiled, foundSampled, time.Since(began).Round(time.Second))
	r.line("CPU seconds are the process's user + system time over each step (`getrusage`): they hold on a busy machine where the seconds of the clock do not.")
	r.line("")

	m, err := benchTest("./server/people", "TestSelfieSearchLatency", `BENCH selfie faces=(\d+) visitors=(\d+) searches=(\d+) p50=([\d.]+)s p99=([\d.]+)s max=([\d.]+)s wall=([\d.]+)s cpu_per_search=([\d.]+)s`)
	if err != nil {
		r.line("Selfie search: the measurement failed: %v", err)
		r.line("")
	} else {
		r.line("| selfie search, %s faces in the share, %s concurrent visitors, %s searches | p50 | p99 | CPU per search |", m[1], m[2], m[3])
		r.line("|---|---|---|---|")
		r.line("| whole request path: decode, detect as a close-up (320 px with room; 608 px if none), landmarks, describe, compare | %s s | **%s s** (goal < 1.5) | %s s |", m[4], m[5], m[8])
		r.line("")
		r.line("One comparison runs at a time (its networks use both cores), so at 4 visitors a search waits for up to 3 others: p99 ≈ 4 × the time of one. CPU per search is what one costs whatever else the machine runs. Reproduce: `FERRY_BENCH=1 go test -run TestSelfieSearchLatency -v ./server/people`.")
		r.line("")
	}
	benchDeleteFaces(r)
}

// benchDeleteFaces compares deleting a project of 1 000 indexed photos with
// deleting the same project without faces, and with the wiring before one
// pass over the people per deletion (one per photo).
func benchDeleteFaces(r *report) {
	m, err := benchTest("./server/people", "TestDeletingAProjectCost", `BENCH delete photos=(\d+) rounds=(\d+) plain=([\d.]+)s/([\d.]+)cpu faces=([\d.]+)s/([\d.]+)cpu per_photo=([\d.]+)s/([\d.]+)cpu`)
	if err != nil {
		r.line("Deleting a project with faces: the measurement failed: %v", err)
		r.line("")
		return
	}
	f := func(i int) float64 { v, _ := strconv.ParseFloat(string(m[i]), 64); return v }
	r.line("| deleting a project of %s photos (median of %s rounds, sides alternated) | seconds | ratio | CPU seconds | CPU ratio |", m[1], m[2])
	r.line("|---|---|---|---|---|")
	r.line("| without faces (reference) | %.2f | 1.00 | %.2f | 1.00 |", f(3), f(4))
	r.line("| with %s face records and 100 named people: one pass over the people per deletion | %.2f | **%.2f×** | %.2f | %.2f× |", m[1], f(5), f(5)/f(3), f(6), f(6)/f(4))
	r.line("| the same, with a pass per photo (the wiring before: quadratic in the photos) | %.2f | %.2f× | %.2f | %.2f× |", f(7), f(7)/f(3), f(8), f(8)/f(4))
	r.line("")
	r.line("Reproduce: `FERRY_BENCH=1 go test -run TestDeletingAProjectCost -v ./server/people`. The photos are real assets (the tus hooks' steps), their faces stored as indexing stores them, with crops on disk; the deletion is `assets.Service.DeleteProject`, wired to `people.Forget` as the server wires it.")
	r.line("")
}

// benchTest runs one FERRY_BENCH test of package pkg and returns the
// submatches of pattern in its output.
func benchTest(pkg, name, pattern string) ([][]byte, error) {
	cmd := exec.Command("go", "test", "-count=1", "-timeout=30m", "-run", "^"+name+"$", "-v", pkg)
	cmd.Env = append(os.Environ(), "FERRY_BENCH=1")
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(pattern).FindSubmatch(out)
	if err == nil && m == nil {
		err = fmt.Errorf("no BENCH line in the output of %s", name)
	}
	return m, err
}

func writeJPEG(path string, img image.Image) {
	f, err := os.Create(path)
	must(err)
	must(jpeg.Encode(f, img, &jpeg.Options{Quality: 90}))
	must(f.Close())
}

// span adds up the clock and CPU time of steps of one kind.
type span struct {
	wall time.Duration
	cpu  float64 // seconds of user + system time of this process
}

type spanStart struct {
	at  time.Time
	cpu float64
}

func startSpan() spanStart { return spanStart{time.Now(), processCPU()} }

func (s *span) add(m spanStart) {
	s.wall += time.Since(m.at)
	s.cpu += processCPU() - m.cpu
}

func processCPU() float64 {
	var ru syscall.Rusage
	must(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
