package assets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/store"
)

// MediaFacts is what probing a video or audio file found.
type MediaFacts struct {
	Properties Properties
	Duration   float64
	FPS        float64
	Frames     int64
	HasVideo   bool
}

// MediaEngine makes what Ferry shows of video and audio files: their
// facts, a poster as thumb/preview/large, and playable proxies.
// server/media's FFmpeg implements it (adapted in server/serve).
type MediaEngine interface {
	Probe(ctx context.Context, src string) (MediaFacts, error)
	// Poster renders thumb, preview and large of a representative frame into outDir.
	Poster(ctx context.Context, src, outDir string, f MediaFacts) error
	// Plan names the playable proxies to make ("video_720", "audio").
	Plan(f MediaFacts) []string
	// Proxy makes rendition name at dst, reporting progress from 0 to 1.
	Proxy(ctx context.Context, src, dst, name string, f MediaFacts, progress func(float64)) error
	// Mark burns watermark wm into the video proxy at src, writing dst.
	Mark(ctx context.Context, src, dst string, wm Watermarker) error
	// Sprite writes a strip of frames of the video proxy at src to dst and
	// says how many it holds.
	Sprite(ctx context.Context, src, dst string, f MediaFacts) (frames int, err error)
}

// maxVideoAttempts gives up on a file whose processing was cut short (by
// restarts, say) this many times. Its steps are recorded on the asset, so
// a restart resumes after the last finished one.
const maxVideoAttempts = 3

// queueMedia marks a new video or audio file for processing in the
// transaction that stores it, or as unavailable without ffmpeg.
func (s *Service) queueMedia(tx *store.Tx, a *Asset, now time.Time) error {
	if s.MediaKind == nil {
		return nil
	}
	if a.MediaKind = s.MediaKind(a.Filetype, a.Name); a.MediaKind == "" {
		return nil
	}
	// Without ffmpeg the job waits too: a start with ffmpeg installed
	// processes what arrived before.
	if err := jobs.Enqueue(tx, store.PrefixVideoQueue+a.ID, now); err != nil {
		return err
	}
	if s.VideoUnavailable != "" {
		a.ProxyStatus, a.ProxyError = ProxyUnavailable, s.VideoUnavailable
		return nil
	}
	a.ProxyStatus, a.TranscodeStatus = ProxyQueued, TranscodeQueued
	tx.AfterCommit(func() {
		if s.VideoQueued != nil {
			s.VideoQueued()
		}
	})
	return nil
}

// Videos works through the video queue (videoq/ in Badger) and the
// watermarked proxies (vmarkq/), these first: at most Workers files at
// once, each one ffmpeg process at a time. A job stays queued until it is
// done, so jobs cut by a shutdown resume at the next start; deleting the
// asset stops its job.
type Videos struct {
	Service *Service
	Engine  MediaEngine
	Workers int
	Log     *slog.Logger
	// Watermark is the site watermark now (ok false when none is set),
	// for the watermarked proxies links show.
	Watermark func() (wm Watermarker, ok bool)

	once  sync.Once
	queue *jobs.Queue
}

func (v *Videos) init() {
	// Watermarked proxies first: visitors wait for them, and they take a
	// fraction of a transcode.
	v.queue = &jobs.Queue{Store: v.Service.Store, Workers: max(1, v.Workers), Clock: v.Service.Now, Log: v.Log,
		Kinds: []jobs.Kind{
			{Name: "watermarked video", Prefix: store.PrefixVideoMarkQ, Do: v.mark, KeepFailed: true},
			{Name: "video", Prefix: store.PrefixVideoQueue, Do: v.process},
		}}
}

// Wake tells the workers there is work.
func (v *Videos) Wake() {
	v.once.Do(v.init)
	v.queue.Wake()
}

// Cancel stops the jobs of asset id at once (its asset was deleted).
func (v *Videos) Cancel(id string) {
	v.once.Do(v.init)
	marks := store.PrefixVideoMarkQ + id + "/"
	v.queue.Cancel(func(k string) bool { return k == store.PrefixVideoQueue+id || strings.HasPrefix(k, marks) })
	v.dropMarks(id)
}

// Run processes the queue until ctx ends.
func (v *Videos) Run(ctx context.Context) {
	v.once.Do(v.init)
	v.queue.Run(ctx)
}

// Stats reports the queue's progress.
func (v *Videos) Stats() ([]jobs.Stats, error) {
	v.once.Do(v.init)
	return v.queue.Stats()
}

var errAssetGone = errors.New("asset deleted")

// update changes asset id in one transaction; errAssetGone when it no
// longer exists (its job is then dropped).
func (v *Videos) update(id string, fn func(a *Asset) error) error {
	return v.Service.Store.Update(func(tx *store.Tx) error {
		a, err := getAsset(tx, id)
		if err != nil {
			return errAssetGone
		}
		if err := fn(&a); err != nil {
			return err
		}
		a.UpdatedAt = v.Service.now()
		if err := putAsset(tx, a); err != nil {
			return err
		}
		// A stack shows its newest version.
		if parent, err := getAsset(tx, a.ParentID); err == nil && parent.Type == TypeVersionStack && parent.CoverAssetID == a.ID &&
			parent.ProxyStatus != a.ProxyStatus {
			parent.ProxyStatus = a.ProxyStatus
			return putAsset(tx, parent)
		}
		return nil
	})
}

// process runs the steps of one job: probe, poster, each proxy not made
// yet. ctx ends when the asset is deleted or the server stops.
func (v *Videos) process(ctx context.Context, t *jobs.Task) error {
	s, id := v.Service, t.ID
	src, ok1 := s.Blobs.LocalPath(OriginalKey(id))
	outDir, ok2 := s.Blobs.LocalPath(ProxyDir(id))
	var a Asset
	if err := v.update(id, func(x *Asset) error { a = *x; return nil }); err != nil {
		return v.stopped(ctx, t, err)
	}
	fail := func(reason string, tooLarge bool) error {
		if v.Log != nil {
			v.Log.Warn("video processing failed", slog.String("asset", id), slog.String("reason", reason))
		}
		v.Service.publish(ProxyDir(id)) // the poster may be there; a failure is logged
		err := v.update(id, func(x *Asset) error {
			if x.ProxyStatus != ProxyReady {
				x.ProxyStatus, x.ProxyError = ProxyFailed, reason
				if tooLarge {
					x.ProxyStatus = ProxyTooLarge
				}
			}
			x.TranscodeStatus, x.TranscodeError, x.TranscodeProgress = TranscodeFailed, reason, 0
			return nil
		})
		if err != nil {
			return v.stopped(ctx, t, err)
		}
		return errors.New(reason)
	}
	// failed sorts out why a step ended early: the asset was deleted, the
	// server is stopping, or the step failed.
	failed := func(err error) error {
		if t.Stopping() || ctx.Err() != nil || errors.Is(err, errAssetGone) {
			return v.stopped(ctx, t, err)
		}
		return fail(err.Error(), errors.Is(err, ErrTooLarge))
	}
	switch {
	case !ok1 || !ok2:
		return fail("storage has no local path", false)
	case t.Attempts > maxVideoAttempts:
		return fail(fmt.Sprintf("gave up after %d interrupted attempts", maxVideoAttempts), false)
	}

	facts, err := v.Engine.Probe(ctx, src)
	if err != nil {
		return failed(err)
	}
	err = v.update(id, func(x *Asset) error {
		if x.ProxyStatus == ProxyUnavailable { // queued before ffmpeg was installed
			x.ProxyStatus, x.ProxyError = ProxyQueued, ""
		}
		p := facts.Properties
		x.Properties, x.Duration, x.FPS, x.Frames = &p, round3(facts.Duration), round3(facts.FPS), facts.Frames
		x.TranscodeStatus, x.TranscodeError = TranscodeProcessing, ""
		if !facts.HasVideo {
			x.ProxyStatus, x.ProxyError = ProxyNone, ""
		}
		a = *x
		return nil
	})
	if err != nil {
		return v.stopped(ctx, t, err)
	}
	if facts.HasVideo && a.ProxyStatus != ProxyReady {
		if err := v.Engine.Poster(ctx, src, outDir, facts); err != nil {
			return failed(err)
		}
		if err := v.update(id, func(x *Asset) error { x.ProxyStatus, x.ProxyError = ProxyReady, ""; return nil }); err != nil {
			return v.stopped(ctx, t, err)
		}
	}
	names := v.Engine.Plan(facts)
	for i, name := range names {
		if a.HasRendition(name) {
			continue // made before a restart
		}
		last := -1
		progress := func(p float64) {
			pct := int(math.Floor((float64(i) + p) / float64(len(names)) * 100))
			if pct == last || pct >= 100 {
				return
			}
			last = pct
			if err := v.update(id, func(x *Asset) error { x.TranscodeProgress = pct; return nil }); errors.Is(err, errAssetGone) {
				v.Cancel(id)
			}
		}
		dst, _ := s.Blobs.LocalPath(ProxyKey(id, name))
		if err := v.Engine.Proxy(ctx, src, dst, name, facts, progress); err != nil {
			if t.Stopping() || ctx.Err() != nil {
				return v.stopped(ctx, t, err)
			}
			return fail(err.Error(), false)
		}
		if err := v.update(id, func(x *Asset) error {
			if !x.HasRendition(name) {
				x.Renditions = append(x.Renditions, name)
			}
			return nil
		}); err != nil {
			return v.stopped(ctx, t, err)
		}
	}
	if facts.HasVideo && a.SpriteFrames == 0 && len(names) > 0 {
		// From the smallest proxy: upright, small and quick to decode. A
		// grid without it shows the poster, so failing is no failure.
		src, _ := s.Blobs.LocalPath(ProxyKey(id, names[0]))
		dst, _ := s.Blobs.LocalPath(ProxyKey(id, Sprite))
		frames, err := v.Engine.Sprite(ctx, src, dst, facts)
		switch {
		case err != nil && (t.Stopping() || ctx.Err() != nil):
			return v.stopped(ctx, t, err)
		case err != nil:
			if v.Log != nil {
				v.Log.Warn("video sprite failed", slog.String("asset", id), slog.String("reason", err.Error()))
			}
		default:
			if err := v.update(id, func(x *Asset) error { x.SpriteFrames = frames; return nil }); err != nil {
				return v.stopped(ctx, t, err)
			}
		}
	}
	if err := v.Service.publish(ProxyDir(id)); err != nil { // before the end is announced
		return v.stopped(ctx, t, err)
	}
	err = v.update(id, func(x *Asset) error {
		x.TranscodeStatus, x.TranscodeProgress, x.TranscodeError = TranscodeReady, 100, ""
		return nil
	})
	if err != nil {
		return v.stopped(ctx, t, err)
	}
	return nil
}

// stopped answers for a job that ended early: the server is stopping (the
// job stays queued), the asset was deleted (clean up what the job wrote
// after the deletion removed its directory), or recording a step failed
// (try again later).
func (v *Videos) stopped(ctx context.Context, t *jobs.Task, err error) error {
	switch {
	case t.Stopping():
		return err
	case ctx.Err() != nil || errors.Is(err, errAssetGone):
		v.removeIfGone(t.ID)
		return nil
	}
	return jobs.Retry(err)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
