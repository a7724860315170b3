package share

import (
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// Many visitors of one link at once: every entry is in its access log and
// every view and download is counted, though they all change one record.
func TestAccessLogUnderLoad(t *testing.T) {
	s := &Service{Core: &links.Core{Store: teststore.Open(t)}}
	l := Link{ID: uuid.NewString(), Key: "k1", Kind: KindPublic}
	if err := s.Store.Update(func(tx *store.Tx) error { return putLink(tx, l) }); err != nil {
		t.Fatal(err)
	}
	// Review links' entries (WriteLog without a Counter) count nowhere, nor do failed passwords.
	actions := map[string]int{"view": 64, "download": 24, "zip": 8, "failed_password": 4, "review": 4}
	var wg sync.WaitGroup
	for action, n := range actions {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				vis := Visitor{Addr: "192.0.2.1", UserAgent: "test"}
				if action == "review" {
					s.WriteLog(l.ID, vis, Entry{Action: "view"}, nil)
					return
				}
				s.LogAccess(l, vis, Entry{Action: action})
			}()
		}
	}
	wg.Wait()

	entries, err := s.ReadLog(l.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range entries {
		got[e.Action]++
	}
	want := map[string]int{"view": 68, "download": 24, "zip": 8, "failed_password": 4}
	if len(got) != len(want) {
		t.Errorf("access log actions = %v, want %v", got, want)
	}
	for a, n := range want {
		if got[a] != n {
			t.Errorf("access log has %d %q entries, want %d (all: %v)", got[a], a, n, got)
		}
	}
	var cur Link
	if err := s.Store.View(func(tx *store.Tx) (err error) { cur, err = getLink(tx, l.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if cur.Views != 64 || cur.Downloads != 32 {
		t.Errorf("counters: views %d, downloads %d; want 64 and 32", cur.Views, cur.Downloads)
	}
}

// An entry of a link deleted meanwhile is still written; its counters are not.
func TestAccessLogDeletedLink(t *testing.T) {
	s := &Service{Core: &links.Core{Store: teststore.Open(t)}}
	l := Link{ID: uuid.NewString(), Key: "k1", Kind: KindPublic}
	s.LogAccess(l, Visitor{}, Entry{Action: "download"})
	entries, err := s.ReadLog(l.ID)
	if err != nil || len(entries) != 1 || entries[0].Action != "download" {
		t.Fatalf("access log = %v, %v; want one download", entries, err)
	}
	err = s.Store.View(func(tx *store.Tx) error { _, err := getLink(tx, l.ID); return err })
	if err == nil {
		t.Fatal("counting a download made a record for a deleted link")
	}
}
