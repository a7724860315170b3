package people

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/store"
)

// What members say of people (names, merges, split faces, hidden) is kept
// per project, survives a re-cluster and a restart, and never shows in
// another project.
func TestPeopleEditsSurviveRecluster(t *testing.T) {
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	project := map[string]string{}
	s := &Service{Store: st, byID: map[string][]Face{},
		ProjectOf: func(id string) (string, bool) { p, ok := project[id]; return p, ok }}
	rng := rand.New(rand.NewPCG(3, 9))
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
	ann, bob, cid := centre(), centre(), centre()
	// Project P: Ann in photos 0-3, Bob in 4-5 (as two clusters: "bob" and
	// "bob2"), Cid in 6-7. Project Q: Ann in photos 8-9.
	cast := []struct {
		who    faces.Descriptor
		person string
		proj   string
	}{{ann, "ann", "P"}, {ann, "ann", "P"}, {ann, "ann", "P"}, {ann, "ann", "P"},
		{bob, "bob", "P"}, {bob, "bob2", "P"}, {cid, "cid", "P"}, {cid, "cid", "P"}, {ann, "ann", "Q"}, {ann, "ann", "Q"}}
	var photos []string
	for i, c := range cast {
		id := "0000000" + string(rune('0'+i)) + "-0000-4000-8000-000000000000"
		f := Face{AssetID: id, Person: c.person, Descriptor: near(c.who), Score: 0.9, Box: faces.Box{W: 60, H: 60}}
		s.byID[id], project[id] = []Face{f}, c.proj
		if err := st.Update(func(tx *store.Tx) error { return tx.Put(faceKey(f), f) }); err != nil {
			t.Fatal(err)
		}
		photos = append(photos, id)
	}
	inP := s.PhotosIn("P")
	if len(inP) != 8 {
		t.Fatalf("PhotosIn(P) = %d photos, want 8", len(inP))
	}
	name := func(n string) *string { return &n }
	yes := true
	if _, err := s.Update("P", "ann", inP, name("  Ann Example "), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update("P", "bob2", inP, name("Bob"), nil); err != nil {
		t.Fatal(err)
	}
	merged, err := s.Merge("P", "bob", "bob2", inP)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Name != "Bob" || merged.Photos != 2 {
		t.Fatalf("after merging bob2 into bob: %+v, want Bob in 2 photos", merged)
	}
	split, err := s.Split("P", photos[3]+".0", inP)
	if err != nil {
		t.Fatal(err)
	}
	if split.Photos != 1 || split.ID == "ann" {
		t.Fatalf("split face: %+v", split)
	}
	if _, err := s.Update("P", "cid", inP, nil, &yes); err != nil {
		t.Fatal(err)
	}

	check := func(when string) {
		t.Helper()
		got, err := s.People("P", inP, false)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, p := range got {
			seen = append(seen, p.Name+"/"+itoa(p.Photos))
		}
		want := []string{"Ann Example/3", "Bob/2", "/1"}
		if !slices.Equal(seen, want) {
			t.Fatalf("%s: people of P %v, want %v", when, seen, want)
		}
		all, _ := s.People("P", inP, true)
		if len(all) != 4 || !all[2].Hidden && !all[3].Hidden {
			t.Fatalf("%s: with hidden: %+v", when, all)
		}
		strip, _ := s.Strip("P", inP)
		if len(strip) != 2 || strip[0].Name != "Ann Example" {
			t.Fatalf("%s: strip %+v, want Ann and Bob (Cid hidden, the split face alone)", when, strip)
		}
		if ids, _ := s.PhotosOf("P", "cid", inP); len(ids) != 0 {
			t.Fatalf("%s: a hidden person's photos reach visitors: %v", when, ids)
		}
		q, _ := s.People("Q", s.PhotosIn("Q"), true)
		if len(q) != 1 || q[0].Name != "" || q[0].Photos != 2 {
			t.Fatalf("%s: project Q sees %+v; P's names must not reach it", when, q)
		}
	}
	// A new photo of the face moved out joins the person it was moved to,
	// not the cluster the machine had put it in.
	again := []Face{{AssetID: "00000010-0000-4000-8000-000000000000", Descriptor: near(s.byID[photos[3]][0].Descriptor)}}
	s.assign(again)
	if again[0].Manual != split.ID {
		t.Fatalf("a new photo of the split face went to %q (manual %q), want %q", again[0].Person, again[0].Manual, split.ID)
	}
	check("after the edits")
	if err := s.Recluster(); err != nil {
		t.Fatal(err)
	}
	check("after a re-cluster")
	if err := s.Load(); err != nil {
		t.Fatal(err)
	}
	check("after a restart")

	// Bad edits: a person of another project, no such face, merging with oneself, a bad name.
	if _, err := s.Update("P", "nobody", inP, name("x"), nil); err == nil {
		t.Error("naming an unknown person worked")
	}
	if _, err := s.Merge("P", "ann", "ann", inP); err == nil {
		t.Error("merging a person with themselves worked")
	}
	if _, err := s.Split("P", photos[8]+".0", inP); err == nil {
		t.Error("splitting a face of project Q through P worked")
	}
	if _, err := s.Update("P", "ann", inP, name("a\x00b"), nil); err == nil {
		t.Error("a name with a control character was taken")
	}
}
