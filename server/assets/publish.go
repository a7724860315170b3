package assets

import (
	"context"
	"log/slog"

	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// publish hands the renditions a job wrote under key (a file or an
// asset's proxies/ directory) to the store of record, when the store has
// one (storage.backend s3: the bucket, so a new machine finds them there).
//
// Callers publish before they finish the job that made the files, so a
// crash before this point runs the job again. When the bucket refuses
// (unreachable, 503s), a durable job (publishq/<key>) is stored before
// publish returns: the proxies queue retries it with a backoff, also
// after a restart, until the bucket holds the files. Only a failing
// database makes publish return an error; the job that made the files
// then runs again.
func (s *Service) publish(key string) error {
	p, ok := s.Blobs.(storage.Publisher)
	if !ok {
		return nil
	}
	err := p.Publish(key)
	if err == nil {
		return nil
	}
	slog.Warn("publishing renditions to the bucket failed; retrying later", slog.String("key", key), slog.Any("err", err))
	if err := s.Store.Update(func(tx *store.Tx) error {
		return jobs.Enqueue(tx, store.PrefixPublishQueue+key, s.now())
	}); err != nil {
		return err
	}
	if s.Queued != nil {
		s.Queued()
	}
	return nil
}

// publishKind is the job kind that retries publications the bucket
// refused (see publish).
func (s *Service) publishKind() jobs.Kind {
	return jobs.Kind{Name: "publish to bucket", Prefix: store.PrefixPublishQueue, Do: func(_ context.Context, t *jobs.Task) error {
		p, ok := s.Blobs.(storage.Publisher)
		if !ok {
			return nil // the backend was switched to disk since
		}
		if err := p.Publish(t.ID); err != nil {
			return jobs.Retry(err)
		}
		return nil
	}}
}
