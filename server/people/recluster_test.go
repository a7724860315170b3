package people

import (
	"math/rand/v2"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/store"
)

// Regrouping merges a person split by nearest-face assignment and keeps
// the id most of its faces had; the stored records follow.
func TestReclusterMergesAndKeepsIDs(t *testing.T) {
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &Service{Store: st, byID: map[string][]Face{}}
	rng := rand.New(rand.NewPCG(7, 7))
	centre := func() faces.Descriptor {
		var d faces.Descriptor
		for i := range d {
			d[i] = float32(rng.NormFloat64() * 0.1)
		}
		return d
	}
	near := func(c faces.Descriptor) faces.Descriptor {
		for i := range c {
			c[i] += float32(rng.NormFloat64() * 0.01)
		}
		return c
	}
	a, b := centre(), centre()
	// Person A's five faces came in as "anna" (3) and "a-split" (2); B as "bob".
	persons := []string{"anna", "anna", "anna", "a-split", "a-split", "bob", "bob"}
	for i, p := range persons {
		c := a
		if p == "bob" {
			c = b
		}
		id := "0000000" + string(rune('0'+i)) + "-0000-4000-8000-000000000000"
		f := Face{AssetID: id, Person: p, Descriptor: near(c)}
		s.byID[id] = []Face{f}
		if err := st.Update(func(tx *store.Tx) error { return tx.Put(faceKey(f), f) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Recluster(); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(); err != nil { // what was stored, not only memory
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, fs := range s.byID {
		got[fs[0].Person]++
	}
	if got["anna"] != 5 || got["bob"] != 2 || len(got) != 2 {
		t.Fatalf("after regrouping: %v, want anna ×5 and bob ×2", got)
	}
}
