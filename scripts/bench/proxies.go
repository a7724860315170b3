package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/media"
)

// proxyRows: all three renditions of one 24 MP JPEG and of a batch of
// 3–6 MP JPEGs, Ferry's renderer (in this process, every core) against
// vipsthumbnail making the same sizes, interleaved.
func proxyRows(r *report) {
	sizes := []int{2560, 1280, 320}
	vips := func(srcs []string) time.Duration {
		s := time.Now()
		parallel(srcs, func(i int, src string) {
			for _, n := range sizes {
				out := filepath.Join(*tmp, "vips", fmt.Sprintf("%d-%d.jpg[Q=85]", i, n))
				if b, err := exec.Command("vipsthumbnail", src, "--size", strconv.Itoa(n), "-o", out).CombinedOutput(); err != nil {
					log.Fatalf("vipsthumbnail: %v %s", err, b)
				}
			}
		})
		return time.Since(s)
	}
	rd := &media.Renderer{}
	ferry := func(srcs []string) time.Duration {
		s := time.Now()
		parallel(srcs, func(i int, src string) {
			if _, err := rd.Render(context.Background(), src, filepath.Join(*tmp, "proxies", strconv.Itoa(i)), media.DefaultRenditions); err != nil {
				log.Fatal(err)
			}
		})
		return time.Since(s)
	}
	must(os.MkdirAll(filepath.Join(*tmp, "vips"), 0o755))
	big := []string{makeJPEG(filepath.Join(*tmp, "24mp.jpg"), 6000, 4000)}
	var batch []string
	for i := 0; i < *proxyBatch; i++ {
		w, h := []int{2000, 2500, 3000}[i%3], []int{1500, 1800, 2000}[i%3] // 3, 4.5 and 6 MP
		batch = append(batch, makeJPEG(filepath.Join(*tmp, fmt.Sprintf("batch-%03d.jpg", i)), w, h))
	}
	r.line("## Proxies against vipsthumbnail, same sizes (2560, 1280, 320), %d workers", runtime.NumCPU())
	r.line("")
	r.line("| what | Ferry | vipsthumbnail | Ferry ÷ vips (goal) |")
	r.line("|---|---|---|---|")
	for _, row := range []struct {
		what   string
		srcs   []string
		rounds int
		goal   float64
	}{{"one 24 MP JPEG (best of 3, interleaved)", big, 3, 1.1}, {fmt.Sprintf("%d JPEGs of 3–6 MP until all are ready", len(batch)), batch, 1, 1.3}} {
		if len(row.srcs) == 0 {
			continue // -proxy-batch 0
		}
		v, f := time.Duration(1<<62), time.Duration(1<<62)
		for i := 0; i < row.rounds; i++ {
			if i%2 == 0 {
				v, f = min(v, vips(row.srcs)), min(f, ferry(row.srcs))
			} else {
				f, v = min(f, ferry(row.srcs)), min(v, vips(row.srcs))
			}
		}
		ratio := f.Seconds() / v.Seconds()
		verdict := "met"
		if ratio > row.goal {
			verdict = "not met"
		}
		r.line("| %s | %.2f s | %.2f s | **%.2f×** (≤ %.1f×: %s) |", row.what, f.Seconds(), v.Seconds(), ratio, row.goal, verdict)
	}
	r.line("")
}

// parallel runs fn on every src, NumCPU at a time.
func parallel(srcs []string, fn func(int, string)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, src := range srcs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i, src)
		}()
	}
	wg.Wait()
}
