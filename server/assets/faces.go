package assets

import (
	"encoding/json"

	"github.com/ferryhq/ferry/server/store"
)

// Face indexing (server/people) is a media job that follows the proxies:
// a photo is queued in the transaction that records its renditions ready
// (Service.ImageReady), and switching the feature on walks ReadyPhotos.

// isPhoto reports whether a is a picture with ready renditions: a file
// that is not a video or audio (whose posters are not photos).
func isPhoto(a Asset) bool {
	return a.Type == TypeFile && a.MediaKind == "" && a.ProxyStatus == ProxyReady && a.UploadStatus == ""
}

// ReadyPhotos calls fn with the id of every photo whose renditions are ready.
func (s *Service) ReadyPhotos(fn func(id string) error) error {
	var ids []string
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixAsset, func(_ string, val []byte) error {
			var a Asset
			if err := json.Unmarshal(val, &a); err != nil {
				return err
			}
			if isPhoto(a) {
				ids = append(ids, a.ID)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}

// PhotoRendition is the local path of the rendition face indexing reads
// (large: EXIF orientation applied, at most 2560 px).
func (s *Service) PhotoRendition(id string) (string, bool) {
	if len(id) < 2 {
		return "", false
	}
	return s.Blobs.LocalPath(ProxyKey(id, "large"))
}

// ProjectOf names the project of asset id (the People view groups faces
// by project; an asset never changes project).
func (s *Service) ProjectOf(id string) (string, bool) {
	var a Asset
	err := s.Store.View(func(tx *store.Tx) (err error) {
		a, err = getAsset(tx, id)
		return err
	})
	return a.ProjectID, err == nil
}
