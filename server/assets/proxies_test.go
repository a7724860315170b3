package assets_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/store"
)

func jpegOf(t *testing.T, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// blockingRenderer holds every render until the pool stops.
type blockingRenderer struct{ started chan string }

func (r blockingRenderer) Render(ctx context.Context, src, _ string) (assets.Properties, error) {
	r.started <- src
	<-ctx.Done()
	return assets.Properties{}, ctx.Err()
}

// runPool runs proxies until every asset in ids has left the queue, then
// stops the pool.
func runPool(t *testing.T, s *assets.Service, r assets.Renderer, ids ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pool := &assets.Proxies{Service: s, Renderer: r, Workers: 2}
	done := make(chan struct{})
	go func() { pool.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for end := time.Now().Add(30 * time.Second); ; <-timeAfter() {
		queued := 0
		for _, id := range ids {
			if a, _ := s.GetAsset(owner, id); a.ProxyStatus == assets.ProxyQueued {
				queued++
			}
		}
		if queued == 0 {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%d images still queued", queued)
		}
	}
}

func queueKey(t *testing.T, s *assets.Service, id string) (jobs.Job, bool) {
	t.Helper()
	var j jobs.Job
	err := s.Store.View(func(tx *store.Tx) error { return tx.Get(store.PrefixMediaQueue+id, &j) })
	return j, err == nil
}

func TestProxiesCutByAShutdownResumeAtTheNextStart(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	a := upload(t, s, dir, assets.UploadRequest{Name: "a.jpg", Filetype: "image/jpeg", ParentID: p.RootAssetID}, jpegOf(t, 640, 480))

	// The first start is stopped while rendering.
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan string, 1)
	pool := &assets.Proxies{Service: s, Renderer: blockingRenderer{started}, Workers: 1}
	done := make(chan struct{})
	go func() { pool.Run(ctx); close(done) }()
	pool.Wake()
	<-started
	cancel()
	<-done
	if got, _ := s.GetAsset(owner, a.ID); got.ProxyStatus != assets.ProxyQueued {
		t.Fatalf("after the shutdown: proxy status %s, want queued", got.ProxyStatus)
	}
	if j, ok := queueKey(t, s, a.ID); !ok || j.Attempts != 1 {
		t.Fatalf("after the shutdown the job is %+v, %v; want it kept with 1 attempt", j, ok)
	}

	// The next start finishes it.
	runPool(t, s, mediaRenderer{&media.Renderer{}}, a.ID)
	if got, _ := s.GetAsset(owner, a.ID); got.ProxyStatus != assets.ProxyReady || got.Properties == nil || got.Properties.Width != 640 {
		t.Fatalf("after the next start: %s %+v", got.ProxyStatus, got.Properties)
	}
	if _, ok := queueKey(t, s, a.ID); ok {
		t.Error("the job stayed queued after its proxies were made")
	}
}

func TestProxiesReadTheQueueOfOlderReleases(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	old := upload(t, s, dir, assets.UploadRequest{Name: "old.jpg", Filetype: "image/jpeg", ParentID: p.RootAssetID}, jpegOf(t, 320, 200))
	cut := upload(t, s, dir, assets.UploadRequest{Name: "cut.jpg", Filetype: "image/jpeg", ParentID: p.RootAssetID}, jpegOf(t, 320, 200))
	err := s.Store.Update(func(tx *store.Tx) error {
		// Before server/jobs, mediaq/ held the time the image was queued.
		if err := tx.Put(store.PrefixMediaQueue+old.ID, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return err
		}
		// Interrupted three times (a crash while decoding it, say).
		return tx.Put(store.PrefixMediaQueue+cut.ID, jobs.Job{QueuedAt: time.Now(), Attempts: 3, Run: "dead.7"})
	})
	if err != nil {
		t.Fatal(err)
	}
	runPool(t, s, mediaRenderer{&media.Renderer{}}, old.ID, cut.ID)
	if got, _ := s.GetAsset(owner, old.ID); got.ProxyStatus != assets.ProxyReady {
		t.Errorf("an image queued by an older release: %s %s", got.ProxyStatus, got.ProxyError)
	}
	if got, _ := s.GetAsset(owner, cut.ID); got.ProxyStatus != assets.ProxyFailed || !strings.Contains(got.ProxyError, "gave up after 3 interrupted attempts") {
		t.Errorf("an image interrupted three times: %s %q", got.ProxyStatus, got.ProxyError)
	}
	for _, id := range []string{old.ID, cut.ID} {
		if _, ok := queueKey(t, s, id); ok {
			t.Errorf("job %s stayed queued", id)
		}
	}
}
