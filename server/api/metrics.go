package api

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/store"
)

// Metrics counts requests by route and status and their latency, and
// exposes them with a few gauges in the Prometheus text format.
type Metrics struct {
	mu       sync.Mutex
	requests map[[3]string]uint64
	buckets  []float64
	hist     map[string]*histogram
	// UploadsInFlight is set by the upload path.
	UploadsInFlight atomic.Int64
	Gauges          map[string]func() float64
	// Jobs, if set, reports the background queues' progress.
	Jobs func() []jobs.Stats
}

type histogram struct {
	counts []uint64
	sum    float64
	count  uint64
}

// NewMetrics makes an empty registry.
func NewMetrics() *Metrics {
	return &Metrics{
		requests: map[[3]string]uint64{},
		buckets:  []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		hist:     map[string]*histogram{},
		Gauges:   map[string]func() float64{},
	}
}

// Middleware records each request under its route pattern.
func (m *Metrics) Middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = StatusOf(err)
	}
	route := c.Route().Path
	if route == "/*" || route == "" {
		route = "other"
	}
	secs := time.Since(start).Seconds()
	m.mu.Lock()
	// fiber's strings point into the reused request buffer: copy before keeping.
	m.requests[[3]string{strings.Clone(c.Method()), route, fmt.Sprint(status)}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(m.buckets))}
		m.hist[route] = h
	}
	for i, b := range m.buckets {
		if secs <= b {
			h.counts[i]++
		}
	}
	h.sum += secs
	h.count++
	m.mu.Unlock()
	return err
}

// Handler serves /metrics.
func (m *Metrics) Handler(st *store.Store) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var b strings.Builder
		m.mu.Lock()
		b.WriteString("# HELP ferry_http_requests_total HTTP requests by method, route and status.\n# TYPE ferry_http_requests_total counter\n")
		keys := make([][3]string, 0, len(m.requests))
		for k := range m.requests {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return strings.Join(keys[i][:], " ") < strings.Join(keys[j][:], " ") })
		for _, k := range keys {
			fmt.Fprintf(&b, "ferry_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
		}
		b.WriteString("# HELP ferry_http_request_duration_seconds Request latency by route.\n# TYPE ferry_http_request_duration_seconds histogram\n")
		routes := make([]string, 0, len(m.hist))
		for r := range m.hist {
			routes = append(routes, r)
		}
		sort.Strings(routes)
		for _, r := range routes {
			h := m.hist[r]
			for i, le := range m.buckets {
				fmt.Fprintf(&b, "ferry_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, le, h.counts[i])
			}
			fmt.Fprintf(&b, "ferry_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.count)
			fmt.Fprintf(&b, "ferry_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
			fmt.Fprintf(&b, "ferry_http_request_duration_seconds_count{route=%q} %d\n", r, h.count)
		}
		gauges := make([]string, 0, len(m.Gauges))
		for g := range m.Gauges {
			gauges = append(gauges, g)
		}
		sort.Strings(gauges)
		m.mu.Unlock()
		lsm, vlog := st.Size()
		fmt.Fprintf(&b, "# HELP ferry_badger_bytes Size of the metadata database on disk.\n# TYPE ferry_badger_bytes gauge\n")
		fmt.Fprintf(&b, "ferry_badger_bytes{part=\"lsm\"} %d\nferry_badger_bytes{part=\"vlog\"} %d\n", lsm, vlog)
		fmt.Fprintf(&b, "# HELP ferry_uploads_in_flight Upload requests being received now.\n# TYPE ferry_uploads_in_flight gauge\nferry_uploads_in_flight %d\n", m.UploadsInFlight.Load())
		for _, g := range gauges {
			fmt.Fprintf(&b, "# TYPE %s gauge\n%s %g\n", g, g, m.Gauges[g]())
		}
		if m.Jobs != nil {
			writeJobs(&b, m.Jobs())
		}
		c.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		return c.SendString(b.String())
	}
}

// writeJobs writes the background queues' progress: waiting and running
// jobs now, finished and failed ones since the start.
func writeJobs(b *strings.Builder, stats []jobs.Stats) {
	b.WriteString("# HELP ferry_jobs Background jobs waiting or running now, by kind.\n# TYPE ferry_jobs gauge\n")
	for _, s := range stats {
		fmt.Fprintf(b, "ferry_jobs{kind=%q,state=\"queued\"} %d\nferry_jobs{kind=%q,state=\"running\"} %d\n", s.Kind, s.Queued, s.Kind, s.Running)
	}
	b.WriteString("# HELP ferry_jobs_finished_total Background jobs finished since the start, by kind and outcome.\n# TYPE ferry_jobs_finished_total counter\n")
	for _, s := range stats {
		fmt.Fprintf(b, "ferry_jobs_finished_total{kind=%q,outcome=\"done\"} %d\nferry_jobs_finished_total{kind=%q,outcome=\"failed\"} %d\n", s.Kind, s.Done, s.Kind, s.Failed)
	}
}
