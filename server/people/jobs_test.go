package people

import (
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// Indexing runs on server/jobs: a photo is done, failed with its reason,
// or given up after repeated interruptions, and the queue's progress says so.
func TestIndexingOutcomes(t *testing.T) {
	eng, err := faces.Load()
	if err != nil {
		t.Skipf("face engine not available in this build: %v", err)
	}
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blank := filepath.Join(dir, "blank.jpg")
	f, err := os.Create(blank)
	if err != nil {
		t.Fatal(err)
	}
	jpeg.Encode(f, image.NewGray(image.Rect(0, 0, 640, 480)), nil)
	f.Close()
	s := &Service{Store: st, Blobs: storage.Disk{Root: dir}, Engine: eng, Workers: 2, byID: map[string][]Face{},
		Photos: func(fn func(string) error) error {
			for _, id := range []string{"p1", "p2", "p3"} {
				if err := fn(id); err != nil {
					return err
				}
			}
			return nil
		},
		Rendition: func(id string) (string, bool) { return blank, id == "p1" || id == "p3" }}
	if _, err := s.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	// p3 was cut short three times before (a crash while analysing it, say).
	if err := st.Update(func(tx *store.Tx) error {
		return tx.Put(prefixQueue+"p3", jobs.Job{QueuedAt: time.Now(), Attempts: 3, Run: "dead.1"})
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { s.Run(ctx); close(ran) }()
	defer func() { cancel(); <-ran }()
	s.Wake()
	poll.Until(t, 60*time.Second, func() error {
		q, _ := s.Stats()
		if q[0].Done+q[0].Failed != 3 {
			return fmt.Errorf("indexing did not finish: %+v", q)
		}
		if q[0].Done != 1 || q[0].Failed != 2 || q[0].Queued != 0 || q[0].Running != 0 {
			t.Errorf("stats = %+v, want 1 done, 2 failed", q[0])
		}
		return nil
	})
	for id, want := range map[string]string{"p1": "", "p2": "no rendition to analyse", "p3": "given up after repeated interruptions"} {
		var d done
		if err := st.View(func(tx *store.Tx) error { return tx.Get(prefixDone+id, &d) }); err != nil || d.Error != want {
			t.Errorf("%s: done %+v, %v; want error %q", id, d, err, want)
		}
	}
	if status, _ := s.Status(); status.Queued != 0 || status.Indexed != 3 {
		t.Errorf("settings progress: %d queued, %d indexed; want 0 and 3", status.Queued, status.Indexed)
	}
}
