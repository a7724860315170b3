package assets

import (
	"context"
	"errors"
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

// makePublished makes derived key on demand, outside any job (make
// writes it on the local disk, atomically), and publishes it. With a
// store of record the publish job (publishq/<key>) is stored before make
// runs and removed once the bucket holds key: a crash in between leaves
// the job, which publishes the file at the next start (a file never made
// publishes nothing). Callers making the same key wait for one another.
func (s *Service) makePublished(key string, make func() error) error {
	unlock := s.makeLocks.Lock(key)
	defer unlock()
	if _, err := s.Blobs.Stat(key); err == nil {
		return nil // made while this caller waited
	}
	p, ok := s.Blobs.(storage.Publisher)
	if !ok {
		return make()
	}
	s.making.Store(key, true) // the publish job waits while it is being made
	defer s.making.Delete(key)
	job := store.PrefixPublishQueue + key
	if err := s.Store.Update(func(tx *store.Tx) error { return jobs.Enqueue(tx, job, s.now()) }); err != nil {
		return err
	}
	if err := make(); err != nil {
		s.Store.Update(func(tx *store.Tx) error { return tx.Delete(job) })
		return err
	}
	if err := p.Publish(key); err != nil {
		slog.Warn("publishing a rendition to the bucket failed; retrying later", slog.String("key", key), slog.Any("err", err))
		if s.Queued != nil {
			s.Queued()
		}
		return nil // the job stays and retries
	}
	return s.Store.Update(func(tx *store.Tx) error { return tx.Delete(job) })
}

// errBeingMade postpones the publish job of a file a request is making.
var errBeingMade = errors.New("the file is being made; it is published once made")

// publishKind is the job kind that retries publications the bucket
// refused (see publish) and publishes what a crash kept from the bucket
// (see makePublished).
func (s *Service) publishKind() jobs.Kind {
	return jobs.Kind{Name: "publish to bucket", Prefix: store.PrefixPublishQueue, Do: func(_ context.Context, t *jobs.Task) error {
		p, ok := s.Blobs.(storage.Publisher)
		if !ok {
			return nil // the backend was switched to disk since
		}
		if _, busy := s.making.Load(t.ID); busy {
			return jobs.Retry(errBeingMade)
		}
		if err := p.Publish(t.ID); err != nil {
			return jobs.Retry(err)
		}
		return nil
	}}
}
