package serve

import (
	"log/slog"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/people"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// openPeople loads the face engine (its models are checked against their
// sha256) and the stored faces, and hooks face indexing to the photos'
// renditions and deletions. Without the engine (a nofaces build, a failed
// load) the feature stays off and Settings says why.
func openPeople(st *store.Store, blobs storage.Blobs, a *assets.Service, cfg config.Faces, log *slog.Logger, clock func() time.Time) (*people.Service, error) {
	p := &people.Service{Store: st, Blobs: blobs, Workers: cfg.Workers, Log: log, Now: clock,
		Photos: a.ReadyPhotos, Rendition: a.PhotoRendition, ProjectOf: a.ProjectOf}
	if eng, err := faces.Open(); err != nil {
		p.Unavailable = err.Error()
		log.Warn("face search: not available", slog.Any("err", err))
	} else {
		eng.SmallFaces = cfg.SmallFaces
		p.Engine = eng
	}
	if err := p.Load(); err != nil {
		return nil, err
	}
	a.ImageReady = p.Queue
	deleted := a.Deleted
	a.Deleted = func(ids []string) {
		if deleted != nil {
			deleted(ids)
		}
		p.Forget(ids)
	}
	return p, nil
}
