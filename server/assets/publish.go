package assets

import (
	"log/slog"

	"github.com/ferryhq/ferry/server/storage"
)

// publish hands the renditions a job wrote under key (a file or an
// asset's proxies/ directory) to the store of record, when the store has
// one (storage.backend s3: the bucket, so a new machine finds them there).
// A failure is logged: the local copies still serve, and the next job of
// the asset publishes them again.
func (s *Service) publish(key string) {
	p, ok := s.Blobs.(storage.Publisher)
	if !ok {
		return
	}
	if err := p.Publish(key); err != nil {
		slog.Warn("publishing renditions to the bucket failed", slog.String("key", key), slog.Any("err", err))
	}
}
