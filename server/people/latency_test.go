package people

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/store"
)

// TestSelfieSearchLatency measures selfie search in a share of 10 000
// indexed faces at 4 concurrent visitors (make bench runs it with
// FERRY_BENCH=1): the whole path, decoding, detection with its retries,
// landmarks, descriptor and the comparison with every face of the share.
// The faces are dlib's 55 johns chips, each copied with a little noise so
// no two are equal; the selfies are johns chips too (close-ups, so the
// detector's retries with room are part of the time).
func TestSelfieSearchLatency(t *testing.T) {
	if os.Getenv("FERRY_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it (FERRY_BENCH=1)")
	}
	chips, _ := filepath.Glob(filepath.Join(repoRoot(t), ".tools", "faces", "usr", "share", "doc", "libdlib*", "examples", "johns", "*", "*.jpg"))
	if len(chips) == 0 {
		t.Skip("dlib's example faces are missing: run scripts/install-faces.sh (make test-deps)")
	}
	eng, err := faces.Load()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &Service{Store: st, Engine: eng, byID: map[string][]Face{}}
	var real []faces.Descriptor
	var selfies [][]byte
	for i, path := range chips {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		d, err := eng.DescribeChip(img)
		if err != nil {
			t.Fatal(err)
		}
		real = append(real, d)
		if i%11 == 10 {
			selfies = append(selfies, b) // one chip of each John
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	const total, perPhoto = 10000, 4
	var ids []string
	for n := 0; n < total; n++ {
		id := fmt.Sprintf("%08d-0000-4000-8000-000000000000", n/perPhoto)
		if n%perPhoto == 0 {
			ids = append(ids, id)
		}
		d := real[n%len(real)]
		for i := range d {
			d[i] += float32(rng.NormFloat64() * 0.01)
		}
		s.byID[id] = append(s.byID[id], Face{AssetID: id, N: n % perPhoto, Person: "p", Descriptor: d})
	}
	const visitors, each = 4, 10
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	for v := 0; v < visitors; v++ {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				t0 := time.Now()
				got, err := s.Selfie(context.Background(), bytes.NewReader(selfies[(v+i)%len(selfies)]), fmt.Sprintf("10.0.%d.%d", v, i), ids)
				d := time.Since(t0)
				if err != nil || len(got) == 0 {
					t.Errorf("selfie: %d photos, %v", len(got), err)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}(v)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	cpu := (cpuTime() - cpu0) / time.Duration(len(lat))
	t.Logf("BENCH selfie faces=%d visitors=%d searches=%d p50=%.3fs p99=%.3fs max=%.3fs wall=%.1fs cpu_per_search=%.3fs",
		total, visitors, len(lat), p50.Seconds(), p99.Seconds(), lat[len(lat)-1].Seconds(), time.Since(start).Seconds(), cpu.Seconds())
}

func repoRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for dir != filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		dir = filepath.Dir(dir)
	}
	t.Fatal("no go.mod above the working directory")
	return ""
}

// cpuTime is the CPU time this process has used (user + system): what the
// work cost, whatever else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
