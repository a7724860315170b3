package assets

import (
	"io"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
)

// CopyFile makes a new file named name in folder dst with src's bytes.
// It goes the way of an upload (a pending record, the bytes, Complete),
// so a crash half-way is finished or swept like one.
func (s *Service) CopyFile(v Viewer, src Asset, name string, dst Asset) (Asset, error) {
	if src.Type != TypeFile {
		return Asset{}, errs.Invalidf("only files can be copied")
	}
	up := Upload{ID: uuid.NewString(), ProjectID: dst.ProjectID, ParentID: dst.ID, Name: name, Filetype: src.Filetype,
		Size: src.Filesize, CreatorID: v.UserID, CreatorName: v.Name, CreatedAt: s.now()}
	if err := s.SavePending(up); err != nil {
		return Asset{}, err
	}
	key := OriginalKey(up.ID)
	if err := copyBlob(s.Blobs, OriginalKey(src.ID), key); err != nil {
		s.Blobs.Remove(key)
		s.DropPending(up.ID)
		return Asset{}, err
	}
	a, err := s.Complete(up.ID, "")
	if err != nil {
		s.Blobs.Remove(key)
		s.DropPending(up.ID)
	}
	return a, err
}

// copyBlob copies stored file from to key to: a hard link on a local disk
// (originals never change in place), else a byte copy.
func copyBlob(b storage.Blobs, from, to string) error {
	if src, ok := b.LocalPath(from); ok {
		if dst, ok := b.LocalPath(to); ok {
			if err := os.MkdirAll(filepath.Dir(dst), 0o700); err == nil && os.Link(src, dst) == nil {
				return nil
			}
		}
	}
	r, err := b.Open(from)
	if err != nil {
		return errs.NotFoundf("the file is missing from storage")
	}
	defer r.Close()
	w, err := b.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
