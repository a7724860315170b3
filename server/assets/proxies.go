package assets

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Renderer makes the thumb, preview and large renditions of an image file
// into outDir and reports what it learned. server/media implements it.
type Renderer interface {
	Render(ctx context.Context, src, outDir string) (Properties, error)
}

// ErrTooLarge is wrapped by a Renderer refusing an image above its pixel limit.
var ErrTooLarge = errors.New("image above the pixel limit")

// Proxies renders thumb, preview and large for queued images with a
// bounded pool. The queue lives in Badger (mediaq/), written in the same
// transaction as the asset, so a restart picks up the backlog.
type Proxies struct {
	Service  *Service
	Renderer Renderer
	Workers  int
	Log      *slog.Logger

	wake chan struct{}
	once sync.Once
}

func (p *Proxies) init() { p.wake = make(chan struct{}, 1) }

// Wake tells the pool there is work.
func (p *Proxies) Wake() {
	p.once.Do(p.init)
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run processes the queue until ctx ends.
func (p *Proxies) Run(ctx context.Context) {
	p.once.Do(p.init)
	workers := p.Workers
	if workers < 1 {
		workers = 1
	}
	sem := make(chan struct{}, workers)
	inFlight := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		var ids []string
		p.Service.Store.View(func(tx *store.Tx) error {
			return tx.ScanKeys(store.PrefixMediaQueue, func(k string) error {
				ids = append(ids, strings.TrimPrefix(k, store.PrefixMediaQueue))
				return nil
			})
		})
		for _, id := range ids {
			mu.Lock()
			busy := inFlight[id]
			if !busy {
				inFlight[id] = true
			}
			mu.Unlock()
			if busy {
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				p.render(ctx, id)
				mu.Lock()
				delete(inFlight, id)
				mu.Unlock()
				<-sem
				p.Wake()
			}(id)
		}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		case <-tick.C:
		}
	}
}

func (p *Proxies) render(ctx context.Context, id string) {
	src, ok := p.Service.Blobs.LocalPath(OriginalKey(id))
	out, ok2 := p.Service.Blobs.LocalPath(ProxyDir(id))
	status, reason := ProxyReady, ""
	var props Properties
	var err error
	if !ok || !ok2 {
		status, reason = ProxyFailed, "storage has no local path"
	} else {
		props, err = p.Renderer.Render(ctx, src, out)
		switch {
		case ctx.Err() != nil:
			return // shutting down: the job stays queued
		case errors.Is(err, ErrTooLarge):
			status, reason = ProxyTooLarge, err.Error()
		case err != nil:
			status, reason = ProxyFailed, err.Error()
		}
	}
	if err != nil && p.Log != nil {
		p.Log.Warn("proxy generation failed", slog.String("asset", id), slog.String("reason", reason))
	}
	if status == ProxyReady {
		p.Service.publish(ProxyDir(id)) // before they are announced
	}
	p.Service.Store.Update(func(tx *store.Tx) error {
		if err := tx.Delete(store.PrefixMediaQueue + id); err != nil {
			return err
		}
		a, err := getAsset(tx, id)
		if err != nil {
			return nil // deleted meanwhile
		}
		a.ProxyStatus, a.ProxyError = status, reason
		if props.Width > 0 {
			a.Properties = &props
		}
		a.UpdatedAt = p.Service.now()
		if err := putAsset(tx, a); err != nil {
			return err
		}
		if isPhoto(a) && p.Service.ImageReady != nil {
			if err := p.Service.ImageReady(tx, a.ID); err != nil {
				return err
			}
		}
		// A stack shows its newest version's thumbnail.
		if parent, err := getAsset(tx, a.ParentID); err == nil && parent.Type == TypeVersionStack && parent.CoverAssetID == a.ID {
			parent.ProxyStatus = status
			return putAsset(tx, parent)
		}
		return nil
	})
}

// Watermarker draws the site watermark over a rendition file.
type Watermarker interface {
	// Key identifies the watermark settings (part of the cache name).
	Key() string
	// WatermarkFile reads the JPEG at src and writes the marked copy to dst.
	WatermarkFile(src, dst string, quality int) error
}

// WatermarkedProxy returns the blob key of rendition name of asset id with
// the watermark applied, making it on first request and reusing it after.
// Callers have already checked that the viewer may see the asset.
func (s *Service) WatermarkedProxy(id, name string, wm Watermarker) (string, error) {
	a, err := s.GetAsset(Viewer{Admin: true}, id)
	if err != nil {
		return "", err
	}
	if a.ProxyStatus != ProxyReady {
		return "", errs.New(errs.NotFound, "proxy_not_ready", "no %s for this asset (proxy status: %s)", name, a.ProxyStatus)
	}
	key := ProxyDir(a.ID) + "/" + name + "-wm-" + wm.Key() + ".jpg"
	if _, err := s.Blobs.Stat(key); err == nil {
		return key, nil
	}
	src, ok1 := s.Blobs.LocalPath(ProxyKey(a.ID, name))
	dst, ok2 := s.Blobs.LocalPath(key)
	if !ok1 || !ok2 {
		return "", errs.New(errs.Internal, "storage", "watermarking needs local storage")
	}
	if err := wm.WatermarkFile(src, dst, 85); err != nil {
		return "", err
	}
	s.publish(key)
	return key, nil
}
