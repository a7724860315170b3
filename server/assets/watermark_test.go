package assets_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/media"
)

type mediaRenderer struct{ r *media.Renderer }

func (m mediaRenderer) Render(ctx context.Context, src, out string) (assets.Properties, error) {
	info, err := m.r.Render(ctx, src, out, media.DefaultRenditions)
	return assets.Properties{Width: info.Width, Height: info.Height}, err
}

func TestWatermarkedProxyIsMadeOnceAndCached(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	a := upload(t, s, dir, assets.UploadRequest{Name: "w.jpg", Filetype: "image/jpeg", ParentID: p.RootAssetID}, b.String())
	wm := media.Watermark{Text: "PROOF", Position: "center", Opacity: 0.8}
	if _, err := s.WatermarkedProxy(a.ID, "preview", wm); !errs.Is(err, errs.NotFound) {
		t.Fatalf("before proxies exist: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pool := &assets.Proxies{Service: s, Renderer: mediaRenderer{&media.Renderer{}}, Workers: 1}
	done := make(chan struct{})
	go func() { pool.Run(ctx); close(done) }()
	for i := 0; i < 200; i++ {
		if got, _ := s.GetAsset(owner, a.ID); got.ProxyStatus == assets.ProxyReady {
			break
		}
		pool.Wake()
		<-timeAfter()
	}
	cancel()
	<-done
	key, err := s.WatermarkedProxy(a.ID, "preview", wm)
	if err != nil {
		t.Fatal(err)
	}
	st1, err := os.Stat(filepath.Join(dir, key))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := os.ReadFile(filepath.Join(dir, assets.ProxyKey(a.ID, "preview")))
	marked, _ := os.ReadFile(filepath.Join(dir, key))
	if bytes.Equal(plain, marked) {
		t.Fatal("watermarked proxy equals the plain one")
	}
	again, err := s.WatermarkedProxy(a.ID, "preview", wm)
	st2, _ := os.Stat(filepath.Join(dir, again))
	if err != nil || again != key || !st2.ModTime().Equal(st1.ModTime()) {
		t.Errorf("second request re-rendered or moved the variant: %v %s", err, again)
	}
	other, _ := s.WatermarkedProxy(a.ID, "preview", media.Watermark{Text: "OTHER"})
	if other == key {
		t.Error("different watermark settings share a cache entry")
	}
}

func timeAfter() <-chan time.Time { return time.After(25 * time.Millisecond) }
