package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ferryhq/ferry/server/media"
)

// videoSection measures video processing against ffmpeg run by hand on
// the same file, interleaved: the 720p proxy of a 60 s 1080p clip, Ferry's
// memory while ffmpeg works, and the time from an upload's end to its
// poster.
func videoSection(r *report, f *ferry, c *client, rounds int) {
	r.line("## Video: 720p proxy and poster of a 60 s 1080p clip")
	r.line("")
	ff, err := media.FindFFmpeg("", "")
	if err != nil {
		r.line("Not measured: %v (run scripts/install-ffmpeg.sh).", err)
		r.line("")
		return
	}
	loadBefore := loadAvg()
	src := filepath.Join(*tmp, "clip-1080p.mp4")
	gen := exec.Command(ff.FFmpeg, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=60",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=60",
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", src)
	if out, err := gen.CombinedOutput(); err != nil {
		log.Fatalf("making the clip: %v %s", err, out)
	}
	m, err := ff.Probe(context.Background(), src)
	must(err)
	st, _ := os.Stat(src)
	folder := c.project("Video bench")

	// By hand: the command Ferry runs for video_720 (media.FFmpeg.ProxyCommand),
	// then the frame strip Ferry makes from it; wall time and CPU time.
	direct := func() (wall, cpu time.Duration) {
		out := filepath.Join(*tmp, "direct-720.mp4")
		argv, err := ff.ProxyCommand(src, out, "video_720", m)
		must(err)
		cmd := exec.Command(argv[0], argv[1:]...)
		start, cpu0 := time.Now(), childCPU()
		if b, err := cmd.CombinedOutput(); err != nil {
			log.Fatalf("ffmpeg: %v %s", err, b)
		}
		must(ff.Sprite(context.Background(), out, filepath.Join(*tmp, "sprite.jpg"), m))
		wall, cpu = time.Since(start), childCPU()-cpu0
		os.Remove(out)
		return wall, cpu
	}
	// Ferry: upload, then poll the asset until the poster and the proxy
	// are there; Ferry's RSS sampled meanwhile.
	type ferryRun struct{ poster, proxy, whole, proxyCPU time.Duration }
	var peakRSS int64
	viaFerry := func(i int) ferryRun {
		id := c.uploadFile(folder, fmt.Sprintf("clip-%d.mp4", i), src, "video/mp4")
		done := time.Now()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				peakRSS = max(peakRSS, f.status("VmRSS"))
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
		var run ferryRun
		var cpuAtPoster time.Duration
		for {
			var a struct {
				ProxyStatus     string `json:"proxy_status"`
				TranscodeStatus string `json:"transcode_status"`
				TranscodeError  string `json:"transcode_error"`
			}
			c.json("GET", "/api/v2/assets/"+id, nil, &a)
			if run.poster == 0 && a.ProxyStatus == "ready" {
				run.poster, cpuAtPoster = time.Since(done), f.childCPU()
			}
			if a.TranscodeStatus == "ready" {
				run.whole, run.proxyCPU = time.Since(done), f.childCPU()-cpuAtPoster
				break
			}
			if a.TranscodeStatus == "failed" || time.Since(done) > 30*time.Minute {
				log.Fatalf("ferry's transcode: %s %s", a.TranscodeStatus, a.TranscodeError)
			}
			time.Sleep(20 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		run.proxy = run.whole - run.poster
		c.json("DELETE", "/api/v2/assets/"+id, nil, nil)
		return run
	}
	posterDirect := func() time.Duration { // media.FFmpeg.Poster: ffmpeg only, no thumb/preview/large
		out := filepath.Join(*tmp, "poster.png")
		start := time.Now()
		must(ff.Poster(context.Background(), src, out, m))
		d := time.Since(start)
		os.Remove(out)
		return d
	}

	var directs, directCPU, posters, proxies, proxyCPU, wholes, posterRefs []float64
	viaFerryRound := func(i int) {
		time.Sleep(5 * time.Second)
		run := viaFerry(i)
		posters, proxies, wholes = append(posters, run.poster.Seconds()), append(proxies, run.proxy.Seconds()), append(wholes, run.whole.Seconds())
		proxyCPU = append(proxyCPU, run.proxyCPU.Seconds())
	}
	for i := 0; i < rounds; i++ {
		// Each side goes first equally often; a pause lets the disk settle.
		ferryFirst := i%2 == 1
		if ferryFirst {
			viaFerryRound(i)
		}
		time.Sleep(5 * time.Second)
		wall, cpu := direct()
		directs, directCPU = append(directs, wall.Seconds()), append(directCPU, cpu.Seconds())
		posterRefs = append(posterRefs, posterDirect().Seconds())
		if !ferryFirst {
			viaFerryRound(i)
		}
	}
	d, px, w, p, pr := median(directs), median(proxies), median(wholes), median(posters), median(posterRefs)
	dc, pc := median(directCPU), median(proxyCPU)
	r.line("Source: %s, 1920×1080 H.264 at 25 fps with AAC sound, 60 s, %.0f MB; Ferry with its defaults (`media.video_proxies: [720]`, one video worker, niced ffmpeg).", filepath.Base(src), float64(st.Size())/1e6)
	r.line("")
	r.line("| what | seconds (median of %d, interleaved) | ratio |", rounds)
	r.line("|---|---|---|")
	r.line("| the `video_720` ffmpeg command and the frame strip from it, run by hand (reference; runs: %s) | %.2f | 1.00 |", secs(directs), d)
	r.line("| Ferry: poster ready → job done (its `video_720` and frame strip; runs: %s) | %.2f | %s |", secs(proxies), px, goalBelow(px/d, 1.05))
	r.line("| CPU seconds (user + system) of those ffmpeg runs by hand (reference; runs: %s) | %.2f | 1.00 |", secs(directCPU), dc)
	r.line("| CPU seconds of Ferry's ffmpeg children in that step (from its `cutime`+`cstime`; runs: %s) | %.2f | %.3f |", secs(proxyCPU), pc, pc/dc)
	r.line("| Ferry: upload finished → whole job done (probe, poster, proxy; runs: %s) | %.2f | %.2f |", secs(wholes), w, w/d)
	r.line("| the poster ffmpeg command run by hand (`media.FFmpeg.Poster`, reference; runs: %s) | %.2f | 1.00 |", secs(posterRefs), pr)
	r.line("| Ferry: upload finished → poster ready (probe, poster frame, thumb/preview/large; runs: %s) | %.2f | %s |", secs(posters), p, goalBelowAbs(p, 2))
	r.line("")
	r.line("Load average (1 min, /proc/loadavg) at the start and the end of these rows: %s and %s on %d CPUs; wall times stretch with it, CPU seconds do not.", loadBefore, loadAvg(), runtime.NumCPU())
	r.line("")
	r.line("Ferry's RSS while it transcoded (VmRSS sampled every 100 ms; ffmpeg is a child process, not counted): peak %d MiB (goal < 100 MiB).", peakRSS>>20)
	r.line("")
	argv, _ := ff.ProxyCommand("SRC", "OUT.mp4", "video_720", m)
	r.line("The reference command: `%s`. Reproduce with `make build && go run ./scripts/bench -only video` (the machine was shared with other work while this ran; the reference and Ferry were interleaved so both saw the same load).", strings.Join(argv, " "))
	r.line("")
}

// loadAvg is the machine's 1-minute load average.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}

// childCPU is the CPU time of this process's children that have ended.
func childCPU() time.Duration {
	var ru syscall.Rusage
	must(syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childCPU is the CPU time of Ferry's children that have ended (ffmpeg).
func (f *ferry) childCPU() time.Duration { return f.statTicks(13, 14) } // cutime, cstime

// goalBelow marks a time ratio against a ceiling.
func goalBelow(ratio, most float64) string {
	if ratio <= most {
		return fmt.Sprintf("**%.3f×** (goal ≤ %.2f×: met)", ratio, most)
	}
	return fmt.Sprintf("**%.3f×** (goal ≤ %.2f×: missed by %.3f)", ratio, most, ratio-most)
}

// goalBelowAbs marks a time in seconds against a ceiling.
func goalBelowAbs(s, most float64) string {
	if s <= most {
		return fmt.Sprintf("**%.2f s** (goal ≤ %.0f s: met)", s, most)
	}
	return fmt.Sprintf("**%.2f s** (goal ≤ %.0f s: missed by %.2f s)", s, most, s-most)
}
