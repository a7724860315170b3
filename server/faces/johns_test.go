package faces

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

type johnChip struct {
	person string
	file   string
	desc   Descriptor
}

// johns describes dlib's 5 × 11 aligned chips of five people named John.
func johns(t *testing.T) []johnChip {
	dir := filepath.Join(dlibExamples(t), "johns")
	e := testEngine(t)
	people, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []johnChip
	for _, p := range people {
		files, _ := filepath.Glob(filepath.Join(dir, p.Name(), "*.jpg"))
		sort.Strings(files)
		for _, f := range files {
			d, err := e.DescribeChip(decodeFile(t, f))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, johnChip{person: p.Name(), file: f, desc: d})
		}
	}
	if len(out) != 55 {
		t.Fatalf("johns: %d chips, want 55", len(out))
	}
	return out
}

func TestJohnsDistances(t *testing.T) {
	js := johns(t)
	maxSame, minDiff := 0.0, 10.0
	for i := range js {
		for j := i + 1; j < len(js); j++ {
			d := Distance(&js[i].desc, &js[j].desc)
			if js[i].person == js[j].person {
				maxSame = max(maxSame, d)
			} else {
				minDiff = min(minDiff, d)
			}
		}
	}
	t.Logf("same person ≤ %.3f, different ≥ %.3f", maxSame, minDiff)
	if maxSame >= 0.58 {
		t.Errorf("largest same-person distance %.3f, want < 0.58", maxSame)
	}
	if minDiff <= 0.62 {
		t.Errorf("smallest different-person distance %.3f, want > 0.62", minDiff)
	}
	correct := 0
	for i := range js {
		best, bestD := -1, 10.0
		for j := range js {
			if i == j {
				continue
			}
			if d := Distance(&js[i].desc, &js[j].desc); d < bestD {
				best, bestD = j, d
			}
		}
		if js[best].person == js[i].person {
			correct++
		}
	}
	if correct != 55 {
		t.Errorf("leave-one-out nearest neighbour: %d/55 correct", correct)
	}
}
