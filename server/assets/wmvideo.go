package assets

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/store"
)

// Watermarked video: a link that shows the site watermark plays its videos
// only with the mark burned in. Each marked proxy is made once, through the
// video queue (so at most media.video_workers ffmpeg processes run, however
// many visitors ask at once), and kept beside the clean one under a name
// holding the watermark settings' key: new settings make new files.

// markRetry is how long a failed watermarked proxy is answered as failed
// before a request tries again.
const markRetry = 10 * time.Minute

// markWait is the Retry-After of an answer that a marked proxy is being made.
const markWait = 3 * time.Second

// MarkedVideoKey is the blob key of video proxy name of asset id with the
// watermark whose settings' key is mark.
func MarkedVideoKey(id, name, mark string) string {
	return ProxyDir(id) + "/" + name + "-wm-" + mark + ".mp4"
}

func markQueueKey(id, name, mark string) string {
	return store.PrefixVideoMarkQ + id + "/" + name + "/" + mark
}

// WatermarkedVideo returns the blob key of video proxy name of asset id
// with watermark wm burned in, when it has been made. Until then it queues
// its making (once, however many ask) and answers errs.Unavailable with a
// Retry-After. Callers have already checked that the viewer may play it.
func (s *Service) WatermarkedVideo(id, name string, wm Watermarker) (string, error) {
	a, err := s.GetAsset(Viewer{Admin: true}, id)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(name, "video_") || !a.HasRendition(name) {
		return "", errs.New(errs.NotFound, "no_rendition", "%s has no %s", a.Name, name)
	}
	mark := wm.Key()
	key := MarkedVideoKey(id, name, mark)
	if _, err := s.Blobs.Stat(key); err == nil {
		return key, nil
	}
	if s.VideoUnavailable != "" {
		return "", errs.New(errs.Unavailable, "video_unavailable", "%s", s.VideoUnavailable)
	}
	var job jobs.Job
	now := s.now()
	err = s.Store.Update(func(tx *store.Tx) error {
		qk := markQueueKey(id, name, mark)
		var err error
		job, err = jobs.Get(tx, qk)
		if err == nil && (job.FailedAt == nil || now.Sub(*job.FailedAt) < markRetry) {
			return nil // queued, being made, or failed a moment ago
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, err := getAsset(tx, id); err != nil {
			return err
		}
		job = jobs.Job{QueuedAt: now}
		tx.AfterCommit(func() {
			if s.VideoQueued != nil {
				s.VideoQueued()
			}
		})
		return jobs.Enqueue(tx, qk, now)
	})
	if err != nil {
		return "", err
	}
	if job.Error != "" {
		// Tried again after markRetry: a timeout under load may pass.
		return "", &errs.Error{Kind: errs.Unavailable, Code: "watermark_failed", RetryAfter: markRetry,
			Detail: "making the watermarked " + name + " of " + a.Name + " failed: " + job.Error}
	}
	return "", &errs.Error{Kind: errs.Unavailable, Code: "processing",
		Detail: "the watermarked " + name + " of " + a.Name + " is being made; try again shortly", RetryAfter: markWait}
}

// mark makes the watermarked proxy of queue entry t (<asset id>/<proxy
// name>/<watermark key>) with the site watermark as it is now: an entry
// for older settings is dropped (a request with the new ones queues them).
// ctx ends when the asset is deleted or the server stops. A failure stays
// queued with its reason, which requests answer until markRetry passes.
func (v *Videos) mark(ctx context.Context, t *jobs.Task) error {
	s := v.Service
	parts := strings.Split(t.ID, "/")
	if len(parts) != 3 {
		return nil
	}
	id, name, mark := parts[0], parts[1], parts[2]
	fail := func(reason string) error {
		if v.Log != nil {
			v.Log.Warn("watermarking a video failed", slog.String("asset", id), slog.String("proxy", name), slog.String("reason", reason))
		}
		return errors.New(reason)
	}
	var wm Watermarker
	ok := v.Watermark != nil
	if ok {
		wm, ok = v.Watermark()
	}
	if !ok || wm.Key() != mark {
		return nil
	}
	key := MarkedVideoKey(id, name, mark)
	if _, err := s.Blobs.Stat(key); err == nil {
		// Made by a run cut short, or just before this entry was queued again.
		if err := s.publish(key); err != nil {
			return jobs.Retry(err)
		}
		return nil
	}
	if exists, err := s.Exists(id); err == nil && !exists {
		return nil
	}
	src, ok1 := s.Blobs.LocalPath(ProxyKey(id, name))
	dst, ok2 := s.Blobs.LocalPath(key)
	switch {
	case !ok1 || !ok2:
		return fail("storage has no local path")
	case t.Attempts > maxVideoAttempts:
		return fail("gave up after interrupted attempts")
	}
	if err := v.Engine.Mark(ctx, src, dst, wm); err != nil {
		switch {
		case t.Stopping(): // stays queued for the next start
			return err
		case ctx.Err() != nil: // the asset was deleted
			v.removeIfGone(id)
			return nil
		}
		return fail(err.Error())
	}
	// Marks of older settings are of no use any more.
	if old, err := filepath.Glob(filepath.Join(filepath.Dir(dst), name+"-wm-*.mp4")); err == nil {
		for _, o := range old {
			if o != dst {
				s.Blobs.Remove(ProxyDir(id) + "/" + filepath.Base(o))
			}
		}
	}
	if err := s.publish(key); err != nil {
		return jobs.Retry(err)
	}
	v.removeIfGone(id) // the asset may have been deleted while ffmpeg ran
	return nil
}

// removeIfGone removes the renditions of asset id if it no longer exists.
func (v *Videos) removeIfGone(id string) {
	if ok, err := v.Service.Exists(id); err == nil && !ok {
		v.Service.Blobs.RemoveAll(ProxyDir(id))
	}
}

// dropMarks forgets the watermarked proxies of asset id (deleted).
func (v *Videos) dropMarks(id string) {
	prefix := store.PrefixVideoMarkQ + id + "/"
	v.Service.Store.Update(func(tx *store.Tx) error {
		var keys []string
		if err := tx.ScanKeys(prefix, func(k string) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
