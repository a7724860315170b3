// Package jobs runs durable background work: a queue of keys in the
// store (one prefix per kind of job), worked through by a bounded pool.
// A job stays stored until its handler finishes it, so work cut short by
// a crash or a shutdown resumes at the next start; transient failures
// run again after a backoff measured on the service clock.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Job is the stored record of a queued job (the value under its key).
type Job struct {
	QueuedAt time.Time `json:"queued_at"`
	// Attempts counts the runs started, interrupted ones included.
	Attempts int `json:"attempts"`
	// NotBefore delays the next run of a job whose last run failed for a
	// transient reason.
	NotBefore *time.Time `json:"not_before,omitempty"`
	// Error and FailedAt are set on a failed job of a kind that keeps
	// them (Kind.KeepFailed); the queue skips it until it is queued again.
	Error    string     `json:"error,omitempty"`
	FailedAt *time.Time `json:"failed_at,omitempty"`
	// Run is the token of the run that holds the job, so finishing it
	// does not remove the job when it was queued again meanwhile.
	Run string `json:"run,omitempty"`
}

// UnmarshalJSON also reads the bare time that mediaq/ entries held
// before this package (their QueuedAt).
func (j *Job) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*j = Job{}
		return json.Unmarshal(b, &j.QueuedAt)
	}
	type plain Job
	return json.Unmarshal(b, (*plain)(j))
}

// Enqueue stores a new job at key in tx, replacing a finished or failed
// one. Wake the queue after the commit.
func Enqueue(tx *store.Tx, key string, now time.Time) error {
	return tx.Put(key, Job{QueuedAt: now})
}

// Get reads the job at key.
func Get(tx *store.Tx, key string) (Job, error) {
	var j Job
	err := tx.Get(key, &j)
	return j, err
}

// Kind is one kind of job: its keys, its handler and what a failure keeps.
type Kind struct {
	Name   string // in logs and Stats
	Prefix string // the store prefix of its jobs; a task's ID is its key without it
	// Do runs one job. It returns nil when the job is finished (done or
	// given up after recording why), Retry(err) to run it again after a
	// backoff, or another error when it failed. It may finish the job
	// itself with Task.Done in the transaction that records the outcome;
	// otherwise the queue removes it after Do returns. An error while the
	// queue is stopping leaves the job for the next start.
	Do func(ctx context.Context, t *Task) error
	// KeepFailed keeps a failed job with its Error, skipped until it is
	// queued again (watermarked videos answer "failed" from it).
	KeepFailed bool
}

// Task is one run of a job.
type Task struct {
	Kind     string
	ID       string // the key without the kind's prefix
	Key      string
	Attempts int // this run included
	QueuedAt time.Time

	run      string
	stopping func() bool
	finished atomic.Bool
}

// Stopping reports whether the queue is shutting down (the task's context
// also ends when its job is cancelled).
func (t *Task) Stopping() bool { return t.stopping() }

// Done removes the job in tx, unless it was queued again since this run
// started.
func (t *Task) Done(tx *store.Tx) error {
	j, err := Get(tx, t.Key)
	if errors.Is(err, store.ErrNotFound) || err == nil && j.Run != t.run {
		return nil
	}
	if err != nil {
		return err
	}
	tx.AfterCommit(func() { t.finished.Store(true) })
	return tx.Delete(t.Key)
}

type retryError struct{ err error }

func (e retryError) Error() string { return e.err.Error() }
func (e retryError) Unwrap() error { return e.err }

// Retry marks err as transient: the job runs again after a backoff.
func Retry(err error) error { return retryError{err} }

// Stats is the progress of one kind since the queue started.
type Stats struct {
	Kind    string `json:"kind"`
	Queued  int    `json:"queued"`  // stored and waiting (retries included)
	Running int    `json:"running"` // being worked on now
	Done    int    `json:"done"`    // finished since the start
	Failed  int    `json:"failed"`  // failed since the start
}

// Queue works through the jobs of its kinds with at most Workers at once.
// Each round it takes the due jobs of the first kind before those of the
// next, each kind in key order.
type Queue struct {
	Store *store.Store
	Kinds []Kind
	// Workers bounds the jobs running at once (default: every core).
	Workers int
	// Clock is the time of NotBefore and FailedAt (nil: time.Now).
	Clock func() time.Time
	// Backoff is the wait before a job's next run after a transient
	// failure of run n (default: 10s doubling per run, at most 10 min).
	Backoff func(n int) time.Duration
	// Poll is how often the queue looks for due jobs without being woken
	// (default 5s).
	Poll time.Duration
	// Idle, if set, runs when nothing is running and no job is due.
	Idle func()
	Log  *slog.Logger

	once     sync.Once
	wake     chan struct{}
	token    string
	runs     atomic.Int64
	mu       sync.Mutex
	inFlight map[string]running // by key
	done     map[string]int     // by kind
	failed   map[string]int
}

type running struct {
	kind   string
	cancel context.CancelFunc
}

func (q *Queue) init() {
	q.wake = make(chan struct{}, 1)
	q.token = secure.Base62(8)
	q.inFlight = map[string]running{}
	q.done, q.failed = map[string]int{}, map[string]int{}
}

// Wake tells the queue there is work.
func (q *Queue) Wake() {
	q.once.Do(q.init)
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Cancel ends the running jobs whose keys match (their asset was
// deleted, say); their handlers see their context end.
func (q *Queue) Cancel(match func(key string) bool) {
	q.once.Do(q.init)
	q.mu.Lock()
	defer q.mu.Unlock()
	for k, r := range q.inFlight {
		if match(k) {
			r.cancel()
		}
	}
}

// Stats reports the progress of each kind, in the order of Kinds.
func (q *Queue) Stats() ([]Stats, error) {
	q.once.Do(q.init)
	out := make([]Stats, len(q.Kinds))
	err := q.Store.View(func(tx *store.Tx) error {
		for i, k := range q.Kinds {
			out[i].Kind = k.Name
			err := tx.Scan(k.Prefix, func(_ string, b []byte) error {
				if j := decode(b); j.Error == "" {
					out[i].Queued++
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, k := range q.Kinds {
		for _, r := range q.inFlight {
			if r.kind == k.Name {
				out[i].Running++
			}
		}
		out[i].Queued = max(0, out[i].Queued-out[i].Running)
		out[i].Done, out[i].Failed = q.done[k.Name], q.failed[k.Name]
	}
	return out, err
}

// Run works through the queue until ctx ends, then waits for the running
// jobs to return.
func (q *Queue) Run(ctx context.Context) {
	q.once.Do(q.init)
	var wg sync.WaitGroup
	defer wg.Wait()
	poll := q.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for ctx.Err() == nil {
		if busy := q.dispatch(ctx, &wg); !busy && q.Idle != nil {
			q.Idle()
		}
		select {
		case <-ctx.Done():
		case <-q.wake:
		case <-tick.C:
		}
	}
}

func (q *Queue) workers() int {
	if q.Workers < 1 {
		return runtime.NumCPU()
	}
	return q.Workers
}

func (q *Queue) now() time.Time { return store.NowUTC(q.Clock) }

// decode reads a stored job; an unreadable one runs as new (and is then
// rewritten) rather than staying stuck.
func decode(b []byte) Job {
	var j Job
	if json.Unmarshal(b, &j) != nil {
		return Job{}
	}
	return j
}

func due(j Job, now time.Time) bool {
	return j.Error == "" && (j.NotBefore == nil || !now.Before(*j.NotBefore))
}

type candidate struct {
	kind *Kind
	key  string
}

// dispatch starts due jobs in the free slots and reports whether any job
// is running.
func (q *Queue) dispatch(ctx context.Context, wg *sync.WaitGroup) bool {
	q.mu.Lock()
	free := q.workers() - len(q.inFlight)
	q.mu.Unlock()
	if free > 0 {
		for _, c := range q.due(free) {
			q.start(ctx, wg, c)
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.inFlight) > 0
}

// due lists up to n due jobs that are not running, in the kinds' order.
func (q *Queue) due(n int) []candidate {
	now := q.now()
	var out []candidate
	q.Store.View(func(tx *store.Tx) error {
		for i := range q.Kinds {
			k := &q.Kinds[i]
			err := tx.Scan(k.Prefix, func(key string, b []byte) error {
				q.mu.Lock()
				_, busy := q.inFlight[key]
				q.mu.Unlock()
				if !busy && due(decode(b), now) {
					out = append(out, candidate{k, key})
				}
				if len(out) == n {
					return store.ErrStop
				}
				return nil
			})
			if err != nil || len(out) == n {
				return err
			}
		}
		return nil
	})
	return out
}

// start claims job c (counting the attempt) and runs it in a worker.
func (q *Queue) start(ctx context.Context, wg *sync.WaitGroup, c candidate) {
	t := &Task{Kind: c.kind.Name, ID: strings.TrimPrefix(c.key, c.kind.Prefix), Key: c.key,
		run: q.token + "." + strconv.FormatInt(q.runs.Add(1), 10), stopping: func() bool { return ctx.Err() != nil }}
	now := q.now()
	err := q.Store.Update(func(tx *store.Tx) error {
		var b json.RawMessage
		if err := tx.Get(c.key, &b); err != nil {
			return err
		}
		j := decode(b)
		if !due(j, now) {
			return store.ErrNotFound
		}
		j.Attempts++
		j.NotBefore, j.Run = nil, t.run
		t.Attempts, t.QueuedAt = j.Attempts, j.QueuedAt
		return tx.Put(c.key, j)
	})
	if err != nil {
		return // finished, dropped or no longer due meanwhile
	}
	jobCtx, cancel := context.WithCancel(ctx)
	q.mu.Lock()
	q.inFlight[c.key] = running{kind: c.kind.Name, cancel: cancel}
	q.mu.Unlock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		tally := q.finish(ctx, c.kind, t, c.kind.Do(jobCtx, t))
		cancel()
		// The job leaves Running as it enters Done or Failed.
		q.mu.Lock()
		delete(q.inFlight, c.key)
		if tally != nil {
			tally[c.kind.Name]++
		}
		q.mu.Unlock()
		q.Wake()
	}()
}

// finish records how a run ended and returns the count it adds to (done,
// failed, or none when the job stays queued).
func (q *Queue) finish(ctx context.Context, k *Kind, t *Task, err error) map[string]int {
	var retry retryError
	switch {
	case err == nil:
		if !t.finished.Load() {
			q.Store.Update(t.Done)
		}
		return q.done
	case ctx.Err() != nil:
		return nil // stopping: the job stays for the next start
	case errors.As(err, &retry):
		wait := q.backoff(t.Attempts)
		if q.Log != nil {
			q.Log.Warn("job failed, will retry", slog.String("kind", k.Name), slog.String("job", t.ID),
				slog.Duration("in", wait), slog.String("reason", err.Error()))
		}
		next := q.now().Add(wait)
		q.rewrite(t, func(j *Job) { j.NotBefore = &next })
		return nil
	case k.KeepFailed:
		at := q.now()
		q.rewrite(t, func(j *Job) { j.Error, j.FailedAt = err.Error(), &at })
	case !t.finished.Load():
		q.Store.Update(t.Done)
	}
	return q.failed
}

// rewrite changes the stored job of t unless it was finished or queued
// again meanwhile, releasing it from this run.
func (q *Queue) rewrite(t *Task, fn func(j *Job)) {
	q.Store.Update(func(tx *store.Tx) error {
		j, err := Get(tx, t.Key)
		if err != nil || j.Run != t.run {
			return nil
		}
		fn(&j)
		j.Run = ""
		return tx.Put(t.Key, j)
	})
}

func (q *Queue) backoff(n int) time.Duration {
	if q.Backoff != nil {
		return q.Backoff(n)
	}
	d := 10 * time.Second
	for i := 1; i < n && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}
