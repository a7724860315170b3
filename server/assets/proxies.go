package assets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/jobs"
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
	Workers  int // default: every core
	Log      *slog.Logger

	once  sync.Once
	queue *jobs.Queue
}

func (p *Proxies) init() {
	p.queue = &jobs.Queue{Store: p.Service.Store, Workers: p.Workers, Clock: p.Service.Now, Log: p.Log,
		Kinds: []jobs.Kind{p.Service.publishKind(), {Name: "proxies", Prefix: store.PrefixMediaQueue, Do: p.render}}}
}

// Wake tells the pool there is work.
func (p *Proxies) Wake() {
	p.once.Do(p.init)
	p.queue.Wake()
}

// Run processes the queue until ctx ends.
func (p *Proxies) Run(ctx context.Context) {
	p.once.Do(p.init)
	p.queue.Run(ctx)
}

// Stats reports the queue's progress.
func (p *Proxies) Stats() ([]jobs.Stats, error) {
	p.once.Do(p.init)
	return p.queue.Stats()
}

// maxProxyAttempts gives up on an image whose rendering was cut short (by
// a crash while decoding it, say) this many times.
const maxProxyAttempts = 3

func (p *Proxies) render(ctx context.Context, t *jobs.Task) error {
	id := t.ID
	src, ok := p.Service.Blobs.LocalPath(OriginalKey(id))
	out, ok2 := p.Service.Blobs.LocalPath(ProxyDir(id))
	status, reason := ProxyReady, ""
	var props Properties
	var err error
	switch {
	case !ok || !ok2:
		status, reason = ProxyFailed, "storage has no local path"
	case t.Attempts > maxProxyAttempts:
		status, reason = ProxyFailed, fmt.Sprintf("gave up after %d interrupted attempts", maxProxyAttempts)
	default:
		props, err = p.Renderer.Render(ctx, src, out)
		switch {
		case ctx.Err() != nil:
			return ctx.Err() // shutting down: the job stays queued
		case errors.Is(err, ErrTooLarge):
			status, reason = ProxyTooLarge, err.Error()
		case err != nil:
			status, reason = ProxyFailed, err.Error()
		}
	}
	if reason != "" && p.Log != nil {
		p.Log.Warn("proxy generation failed", slog.String("asset", id), slog.String("reason", reason))
	}
	if status == ProxyReady {
		if err := p.Service.publish(ProxyDir(id)); err != nil { // before they are announced
			return err
		}
	}
	err = p.Service.Store.Update(func(tx *store.Tx) error {
		if err := t.Done(tx); err != nil {
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
	switch {
	case err != nil:
		return jobs.Retry(err) // rendered, not recorded: render again later
	case reason != "":
		return errors.New(reason)
	}
	return nil
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
	err = s.makePublished(key, func() error {
		src, ok1 := s.Blobs.LocalPath(ProxyKey(a.ID, name))
		dst, ok2 := s.Blobs.LocalPath(key)
		if !ok1 || !ok2 {
			return errs.New(errs.Internal, "storage", "watermarking needs local storage")
		}
		return wm.WatermarkFile(src, dst, 85)
	})
	if err != nil {
		return "", err
	}
	return key, nil
}
