package people

import (
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// personKeys lists the person/ records left in the store.
func personKeys(t *testing.T, st *store.Store) []string {
	t.Helper()
	var keys []string
	err := st.View(func(tx *store.Tx) error {
		return tx.ScanKeys(prefixPerson, func(k string) error {
			keys = append(keys, strings.TrimPrefix(k, prefixPerson))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// Deleting photos forgets what members said of a person once their last
// face in that project is gone, follows merges (a person kept alive only
// by the faces merged into them stays), and leaves the same person's name
// in another project alone. Stale records (builds before schema 3) go
// once, at the start after the migration.
func TestForgettingPhotosForgetsTheirPeople(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	project := map[string]string{}
	s := &Service{Store: st, Blobs: storage.Disk{Root: t.TempDir()}, byID: map[string][]Face{},
		ProjectOf: func(id string) (string, bool) { p, ok := project[id]; return p, ok }}
	// Project P: Ann in photos 0 and 1, Bob in 2, Bob2 in 3 (merged into
	// Bob), Cid in 4 with Ann's face of photo 1 split out to her. Project Q:
	// Ann in photo 5.
	cast := []struct{ person, manual, proj string }{
		{"ann", "", "P"}, {"ann", "", "P"}, {"bob", "", "P"}, {"bob2", "", "P"}, {"cid", "", "P"}, {"ann", "", "Q"}}
	var photos []string
	for i, c := range cast {
		id := "0000000" + string(rune('0'+i)) + "-0000-4000-8000-000000000000"
		f := Face{AssetID: id, Person: c.person, Score: 0.9, Box: faces.Box{W: 60, H: 60}}
		s.byID[id], project[id] = []Face{f}, c.proj
		if err := st.Update(func(tx *store.Tx) error { return tx.Put(faceKey(f), f) }); err != nil {
			t.Fatal(err)
		}
		photos = append(photos, id)
	}
	name := func(n string) *string { return &n }
	inP, inQ := s.PhotosIn("P"), s.PhotosIn("Q")
	for _, e := range []struct{ proj, person, name string }{
		{"P", "ann", "Ann"}, {"P", "bob", "Bob"}, {"P", "bob2", "Bobby"}, {"Q", "ann", "Annie"}} {
		in := inP
		if e.proj == "Q" {
			in = inQ
		}
		if _, err := s.Update(e.proj, e.person, in, name(e.name), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Merge("P", "bob", "bob2", inP); err != nil {
		t.Fatal(err)
	}
	split, err := s.Split("P", photos[1]+".0", inP)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update("P", split.ID, inP, name("Not Ann"), nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"P/ann", "P/bob", "P/bob2", "P/" + split.ID, "Q/ann"}
	slices.Sort(want)
	if got := personKeys(t, st); !slices.Equal(got, want) {
		t.Fatalf("records %v, want %v", got, want)
	}

	steps := []struct {
		forget string
		left   []string
	}{
		// Bob's own photo goes; Bob2's face still shows Bob, so both stay.
		{photos[2], want},
		// Bob2's photo goes: nobody shows Bob any more.
		{photos[3], []string{"P/ann", "P/" + split.ID, "Q/ann"}},
		// The split face's photo goes: its person goes, Ann stays (photo 0).
		{photos[1], []string{"P/ann", "Q/ann"}},
		// Ann's last photo in P goes; her name in Q stays.
		{photos[0], []string{"Q/ann"}},
		// A photo without records changes nothing.
		{photos[4], []string{"Q/ann"}},
	}
	for i, step := range steps {
		s.Forget([]string{step.forget})
		want := slices.Clone(step.left)
		slices.Sort(want)
		if got := personKeys(t, st); !slices.Equal(got, want) {
			t.Fatalf("step %d: records %v, want %v", i, got, want)
		}
	}
	q, err := s.People("Q", s.PhotosIn("Q"), true)
	if err != nil || len(q) != 1 || q[0].Name != "Annie" {
		t.Fatalf("project Q after P's photos went: %+v, %v; want Annie", q, err)
	}

	// Records no face shows, as builds before schema 3 left them, go once
	// at the start after the migration to schema 3, and only then.
	err = st.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.PrefixMeta+"schema", 2); err != nil {
			return err
		}
		return tx.Put(personKey("gone-project", "ann"), personRecord{Name: "Ann"})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = store.Open(dir, nil); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s = &Service{Store: st, Blobs: s.Blobs, ProjectOf: s.ProjectOf}
	for start := 1; start <= 2; start++ {
		if err := s.Load(); err != nil {
			t.Fatal(err)
		}
		if got := personKeys(t, st); !slices.Equal(got, []string{"Q/ann"}) {
			t.Fatalf("start %d after the migration: records %v, want only Q/ann", start, got)
		}
		if n := s.prunes.Load(); n != 1 {
			t.Fatalf("start %d after the migration: %d passes over the people, want the one sweep", start, n)
		}
	}
}
