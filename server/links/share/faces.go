package share

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// setFaceSearch applies the "Allow search by people in photo" option: only
// for links whose visitors see the files, and only while the site has face
// search on. nil leaves it as it is.
func (s *Service) setFaceSearch(l *Link, on *bool) error {
	if on == nil {
		return nil
	}
	if *on && (s.FacesOn == nil || !s.FacesOn()) {
		return errs.New(errs.Conflict, "faces_off", "face search is off on this site: an admin switches it on in Settings first")
	}
	if *on && l.Kind == KindDownload {
		return errs.Invalidf("a direct download link shows no gallery to search by people")
	}
	l.AllowFaceSearch = *on
	return nil
}

// FaceSearch reports whether l's visitors may search its photos by people
// now: the link allows it, the site has it on and the visitors see files.
func (s *Service) FaceSearch(l Link) bool {
	return l.AllowFaceSearch && l.Kind == KindPublic && l.CanSee() && s.FacesOn != nil && s.FacesOn()
}

// FaceSearchPhotos returns the photos of l that face search may look at,
// for a visitor who passed Access: every picture the link shows now. A
// link that does not allow search by people answers 404, as an absent
// route would.
func (s *Service) FaceSearchPhotos(l Link) ([]string, error) {
	if !s.FaceSearch(l) {
		return nil, errs.NotFoundf("this link does not offer search by people")
	}
	items, err := s.Items(l)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		if it.Asset.MediaKind == "" && it.Asset.Type == assets.TypeFile {
			ids = append(ids, it.Asset.ID)
		}
	}
	return ids, nil
}
