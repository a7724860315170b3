package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/store"
)

// benchJobs measures what the durable job runner costs: the same image
// renders run by a plain pool of goroutines (the reference) and through
// jobs.Queue, each job stored in Badger, claimed and finished in a
// transaction, interleaved round by round.
func benchJobs(r *report) {
	r.line("## Background jobs: the durable queue (server/jobs) against a plain pool")
	r.line("")
	n, rounds := 48, 3
	if *quick {
		n = 12
	}
	loadBefore := loadAverage()
	src := makeJPEG(filepath.Join(*tmp, "jobs-2mp.jpg"), 1600, 1200)
	cpus := runtime.NumCPU()
	rd := &media.Renderer{Workers: cpus}
	render := func(i int) {
		_, err := rd.Render(context.Background(), src, filepath.Join(*tmp, "jobs-out", strconv.Itoa(i)), media.DefaultRenditions)
		must(err)
	}
	plain := func(workers int) time.Duration {
		start := time.Now()
		sem := make(chan struct{}, workers)
		var wg sync.WaitGroup
		for i := range n {
			sem <- struct{}{}
			wg.Add(1)
			go func() { defer wg.Done(); render(i); <-sem }()
		}
		wg.Wait()
		return time.Since(start)
	}
	queued := func(workers int, round int) time.Duration {
		st, err := store.Open(filepath.Join(*tmp, fmt.Sprintf("jobs-db-%d-%d", workers, round)), nil)
		must(err)
		defer st.Close()
		must(st.Update(func(tx *store.Tx) error {
			for i := range n {
				if err := jobs.Enqueue(tx, fmt.Sprintf("bench/%04d", i), time.Now()); err != nil {
					return err
				}
			}
			return nil
		}))
		finished := make(chan struct{}, n)
		q := &jobs.Queue{Store: st, Workers: workers, Kinds: []jobs.Kind{{Name: "bench", Prefix: "bench/",
			Do: func(ctx context.Context, t *jobs.Task) error {
				i, _ := strconv.Atoi(t.ID)
				render(i)
				err := st.Update(t.Done)
				finished <- struct{}{}
				return err
			}}}}
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan struct{})
		start := time.Now()
		go func() { q.Run(ctx); close(ran) }()
		for range n {
			<-finished
		}
		d := time.Since(start)
		cancel()
		<-ran
		return d
	}
	var ref, all, one []float64
	for round := range rounds {
		// Each side goes first in turn.
		steps := []func(){
			func() { ref = append(ref, plain(cpus).Seconds()) },
			func() { all = append(all, queued(cpus, round).Seconds()) },
			func() { one = append(one, queued(1, round).Seconds()) },
		}
		for k := range steps {
			steps[(k+round)%len(steps)]()
		}
	}
	med := func(xs []float64) float64 { sort.Float64s(xs); return xs[len(xs)/2] }
	base := med(ref)
	r.line("| %d renders (thumb, preview, large) of a 2 MP JPEG | seconds (median of %d) | ratio |", n, rounds)
	r.line("|---|---|---|")
	r.line("| plain pool of %d goroutines, nothing stored (reference) | %.2f | 1.00 |", cpus, base)
	r.line("| `jobs.Queue`, %d workers (the default: every core), each job claimed and finished in Badger | %.2f | **%.2f×** |", cpus, med(all), med(all)/base)
	r.line("| `jobs.Queue`, 1 worker | %.2f | %.2f× |", med(one), med(one)/base)
	r.line("")
	r.line("Run alone with `go run ./scripts/bench -only jobs` (%s, %d CPUs, %s, %s); load average %s before and %s after: on a busy machine read the ratios, not the seconds.",
		hostname(), cpus, runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadBefore, loadAverage())
	r.line("")
}

// loadAverage is the one-minute load average ("?" where unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
