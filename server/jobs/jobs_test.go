package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Registered before the queues' cleanups, so it runs after them.
	t.Cleanup(func() {
		if !st.DB.IsClosed() {
			st.Close()
		}
	})
	return st
}

func enqueue(t *testing.T, st *store.Store, keys ...string) {
	t.Helper()
	err := st.Update(func(tx *store.Tx) error {
		for _, k := range keys {
			if err := Enqueue(tx, k, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func stored(t *testing.T, st *store.Store, key string) (Job, bool) {
	t.Helper()
	j, err := Job{}, error(nil)
	st.View(func(tx *store.Tx) error { j, err = Get(tx, key); return nil })
	if errors.Is(err, store.ErrNotFound) {
		return Job{}, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return j, true
}

// eventually waits for cond, failing after 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !poll.True(10*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// start runs q until the test ends (or stop is called) and returns stop,
// which cancels and waits for Run to return.
func start(t *testing.T, q *Queue) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { q.Run(ctx); close(ran) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-ran }) }
	t.Cleanup(stop)
	return stop
}

func TestRestartResumesInterruptedJobs(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	enqueue(t, st, "q/a", "q/b", "q/c")
	startedA := make(chan struct{})
	var first []string
	var mu sync.Mutex
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		mu.Lock()
		first = append(first, tk.ID)
		mu.Unlock()
		if tk.ID == "a" {
			close(startedA)
			<-ctx.Done() // a long job cut by the shutdown
			return ctx.Err()
		}
		return nil
	}}}}
	stop := start(t, q)
	q.Wake()
	<-startedA
	stop()
	if j, ok := stored(t, st, "q/a"); !ok || j.Attempts != 1 {
		t.Fatalf("interrupted job = %+v, %v; want it kept with 1 attempt", j, ok)
	}
	st.Close()

	// What a crash leaves: b claimed by a run of a process that died.
	st = openStore(t, dir)
	err := st.Update(func(tx *store.Tx) error {
		return tx.Put("q/b", Job{QueuedAt: t0, Attempts: 1, Run: "dead.1"})
	})
	if err != nil {
		t.Fatal(err)
	}
	var attempts sync.Map
	q2 := &Queue{Store: st, Workers: 2, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		attempts.Store(tk.ID, tk.Attempts)
		return nil
	}}}}
	start(t, q2)
	q2.Wake()
	eventually(t, "every job done", func() bool {
		s, _ := q2.Stats()
		return s[0].Done == 3
	})
	for id, want := range map[string]int{"a": 2, "b": 2, "c": 1} {
		if got, _ := attempts.Load(id); got != want {
			t.Errorf("job %s ran as attempt %v, want %d", id, got, want)
		}
		if _, ok := stored(t, st, "q/"+id); ok {
			t.Errorf("job %s is still stored after it finished", id)
		}
	}
	s, _ := q2.Stats()
	if want := (Stats{Kind: "k", Done: 3}); s[0] != want {
		t.Errorf("stats = %+v, want %+v", s[0], want)
	}
}

func TestWorkersBoundConcurrency(t *testing.T) {
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			st := openStore(t, t.TempDir())
			const n = 10
			for i := range n {
				enqueue(t, st, fmt.Sprintf("q/%02d", i))
			}
			var cur, peak atomic.Int32
			gate, ended := make(chan struct{}), make(chan struct{})
			q := &Queue{Store: st, Workers: workers, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
				c := cur.Add(1)
				for p := peak.Load(); c > p && !peak.CompareAndSwap(p, c); p = peak.Load() {
				}
				<-gate
				cur.Add(-1)
				ended <- struct{}{}
				return nil
			}}}}
			start(t, q)
			q.Wake()
			// Release one job each time the pool is full again.
			for left := n; left > 0; left-- {
				want := min(workers, left)
				eventually(t, fmt.Sprint(want, " running"), func() bool {
					s, _ := q.Stats()
					return cur.Load() == int32(want) && s[0].Running == want
				})
				gate <- struct{}{}
				<-ended
			}
			eventually(t, "all done", func() bool { s, _ := q.Stats(); return s[0].Done == n })
			if peak.Load() != int32(workers) {
				t.Errorf("at most %d ran at once, want %d", peak.Load(), workers)
			}
		})
	}
}

func TestDefaultWorkersIsEveryCore(t *testing.T) {
	if got, want := (&Queue{}).workers(), runtime.NumCPU(); got != want {
		t.Errorf("default workers = %d, want %d", got, want)
	}
}

func TestRetryWithBackoffOnTheClock(t *testing.T) {
	st := openStore(t, t.TempDir())
	clk := clock.New(t0)
	enqueue(t, st, "q/x")
	calls := make(chan int, 3)
	q := &Queue{Store: st, Workers: 1, Clock: clk.Now, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		defer func() { calls <- tk.Attempts }()
		if tk.Attempts < 3 {
			return Retry(errors.New("disk busy"))
		}
		return nil
	}}}}
	start(t, q)
	q.Wake()
	for attempt, wait := range []time.Duration{10 * time.Second, 20 * time.Second} {
		if got := <-calls; got != attempt+1 {
			t.Fatalf("run %d saw attempt %d", attempt+1, got)
		}
		eventually(t, "the retry to be scheduled", func() bool {
			j, _ := stored(t, st, "q/x")
			return j.NotBefore != nil && j.Run == ""
		})
		j, _ := stored(t, st, "q/x")
		if want := clk.Now().Add(wait); !j.NotBefore.Equal(want) {
			t.Fatalf("after run %d: not before %v, want %v", attempt+1, j.NotBefore, want)
		}
		if s, _ := q.Stats(); s[0].Queued != 1 || s[0].Failed != 0 {
			t.Errorf("a job waiting to retry: stats %+v", s[0])
		}
		clk.Advance(wait - time.Second)
		if c := q.due(1); len(c) != 0 {
			t.Fatalf("the job is due %v before its backoff ends", time.Second)
		}
		clk.Advance(time.Second)
		if c := q.due(1); len(c) != 1 {
			t.Fatal("the job is not due when its backoff ends")
		}
		q.Wake()
	}
	if got := <-calls; got != 3 {
		t.Fatalf("third run saw attempt %d", got)
	}
	eventually(t, "the job to finish", func() bool { _, ok := stored(t, st, "q/x"); return !ok })
}

func TestBackoffDoublesUpToTenMinutes(t *testing.T) {
	q := &Queue{}
	for n, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 3: 40 * time.Second,
		6: 320 * time.Second, 7: 10 * time.Minute, 40: 10 * time.Minute} {
		if got := q.backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestShutdownWaitsForRunningJobs(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "q/a", "q/b")
	started := make(chan struct{}, 2)
	release := make(chan struct{})
	var returned atomic.Int32
	q := &Queue{Store: st, Workers: 2, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		started <- struct{}{}
		<-ctx.Done()
		<-release // cleaning up takes a while
		returned.Add(1)
		return ctx.Err()
	}}}}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { q.Run(ctx); close(ran) }()
	q.Wake()
	<-started
	<-started
	cancel()
	go close(release)
	<-ran
	if n := returned.Load(); n != 2 {
		t.Fatalf("Run returned with %d of 2 jobs still running", 2-n)
	}
	for _, k := range []string{"q/a", "q/b"} {
		if j, ok := stored(t, st, k); !ok || j.Attempts != 1 {
			t.Errorf("%s after shutdown = %+v, %v; want it kept for the next start", k, j, ok)
		}
	}
}

func TestKindsInOrderThenKeys(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "late/2", "late/1", "first/b", "first/a")
	var order []string
	var mu sync.Mutex
	do := func(ctx context.Context, tk *Task) error {
		mu.Lock()
		order = append(order, tk.Key)
		mu.Unlock()
		if tk.Key == "late/1" {
			// Work of the first kind that arrives meanwhile goes next.
			enqueue(t, st, "first/c")
		}
		return nil
	}
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "first", Prefix: "first/", Do: do}, {Name: "late", Prefix: "late/", Do: do}}}
	start(t, q)
	q.Wake()
	eventually(t, "five jobs", func() bool { mu.Lock(); defer mu.Unlock(); return len(order) == 5 })
	want := "[first/a first/b late/1 first/c late/2]"
	mu.Lock()
	defer mu.Unlock()
	if got := fmt.Sprint(order); got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
}

func TestFailures(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprint("keep=", keep), func(t *testing.T) {
			st := openStore(t, t.TempDir())
			clk := clock.New(t0)
			enqueue(t, st, "q/x")
			runs := make(chan struct{}, 2)
			q := &Queue{Store: st, Workers: 1, Clock: clk.Now, Kinds: []Kind{{Name: "k", Prefix: "q/", KeepFailed: keep,
				Do: func(ctx context.Context, tk *Task) error { runs <- struct{}{}; return errors.New("corrupt file") }}}}
			start(t, q)
			q.Wake()
			<-runs
			eventually(t, "the failure counted", func() bool { s, _ := q.Stats(); return s[0].Failed == 1 })
			j, ok := stored(t, st, "q/x")
			switch {
			case !keep && ok:
				t.Errorf("failed job kept: %+v", j)
			case keep && (!ok || j.Error != "corrupt file" || j.FailedAt == nil || !j.FailedAt.Equal(t0) || j.Run != ""):
				t.Errorf("kept failure = %+v, %v", j, ok)
			}
			if s, _ := q.Stats(); s[0].Queued != 0 || s[0].Running != 0 {
				t.Errorf("stats after the failure: %+v", s[0])
			}
			if keep {
				if c := q.due(1); len(c) != 0 {
					t.Error("a kept failure is due again")
				}
				enqueue(t, st, "q/x") // asked again: runs again
				q.Wake()
				<-runs
			}
		})
	}
}

func TestDoneLeavesAJobQueuedAgain(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "q/x")
	runs := make(chan int, 2)
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		if tk.Attempts == 1 && len(runs) == 0 {
			enqueue(t, st, "q/x") // new work for the same key while this run works
		}
		runs <- tk.Attempts
		return nil
	}}}}
	start(t, q)
	q.Wake()
	if a, b := <-runs, <-runs; a != 1 || b != 1 {
		t.Errorf("runs saw attempts %d, %d; want 1, 1 (the second a fresh job)", a, b)
	}
	eventually(t, "the job to finish", func() bool { _, ok := stored(t, st, "q/x"); return !ok })
}

func TestDoneInTheHandlersTransaction(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "q/x")
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		return st.Update(func(tx *store.Tx) error {
			if err := tx.Put("result/"+tk.ID, "ok"); err != nil {
				return err
			}
			return tk.Done(tx)
		})
	}}}}
	start(t, q)
	q.Wake()
	eventually(t, "the job to finish", func() bool { s, _ := q.Stats(); return s[0].Done == 1 })
	if _, ok := stored(t, st, "q/x"); ok {
		t.Error("job kept")
	}
	var v string
	if err := st.View(func(tx *store.Tx) error { return tx.Get("result/x", &v) }); err != nil || v != "ok" {
		t.Errorf("result = %q, %v", v, err)
	}
}

func TestCancelEndsOneJob(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "q/a", "q/b")
	started := make(chan string, 2)
	q := &Queue{Store: st, Workers: 2, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		started <- tk.ID
		<-ctx.Done()
		if tk.Stopping() {
			return ctx.Err()
		}
		return nil // cancelled: its asset is gone, nothing more to do
	}}}}
	stop := start(t, q)
	q.Wake()
	<-started
	<-started
	q.Cancel(func(k string) bool { return k == "q/a" })
	eventually(t, "a to end", func() bool { _, ok := stored(t, st, "q/a"); return !ok })
	stop()
	if j, ok := stored(t, st, "q/b"); !ok || j.Attempts != 1 {
		t.Errorf("b = %+v, %v; want it kept by the shutdown", j, ok)
	}
}

func TestReadsOlderQueueValues(t *testing.T) {
	st := openStore(t, t.TempDir())
	// mediaq/ held the bare time; videoq/ and faceq/ a {queued_at, attempts}.
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.Put("q/old-image", t0); err != nil {
			return err
		}
		return tx.Put("q/old-video", map[string]any{"queued_at": t0, "attempts": 2})
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := make(chan *Task, 2)
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		seen <- tk
		return nil
	}}}}
	start(t, q)
	q.Wake()
	for _, want := range []struct {
		id       string
		attempts int
	}{{"old-image", 1}, {"old-video", 3}} {
		tk := <-seen
		if tk.ID != want.id || tk.Attempts != want.attempts || !tk.QueuedAt.Equal(t0) {
			t.Errorf("task = %s attempt %d queued %v; want %s attempt %d queued %v", tk.ID, tk.Attempts, tk.QueuedAt, want.id, want.attempts, t0)
		}
	}
}

func TestIdleRunsWhenTheQueueRunsDry(t *testing.T) {
	st := openStore(t, t.TempDir())
	enqueue(t, st, "q/a")
	var finished atomic.Bool
	idle := make(chan bool, 10)
	q := &Queue{Store: st, Workers: 1, Kinds: []Kind{{Name: "k", Prefix: "q/", Do: func(ctx context.Context, tk *Task) error {
		finished.Store(true)
		return nil
	}}}, Idle: func() {
		select {
		case idle <- finished.Load():
		default:
		}
	}}
	start(t, q)
	q.Wake()
	for !<-idle {
	}
	if s, _ := q.Stats(); s[0].Done != 1 {
		t.Errorf("idle before the job was done: %+v", s[0])
	}
}
