package assets

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/store"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Upload describes a file being uploaded: where it will go and who sends
// it. It is stored from creation until the asset exists, so a restart can
// resume it or finish it.
type Upload struct {
	ID           string    `json:"id"`
	ProjectID    string    `json:"project_id"`
	ParentID     string    `json:"parent_id"`
	Name         string    `json:"name"`
	Filetype     string    `json:"filetype"`
	Size         int64     `json:"size"`
	VersionOf    string    `json:"version_of,omitempty"`
	AttachmentOf string    `json:"attachment_of,omitempty"`
	CreatorID    string    `json:"creator_id"`
	CreatorName  string    `json:"creator_name"`
	LinkID       string    `json:"link_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

func (u Upload) placeholder() Asset {
	return Asset{ID: u.ID, Type: TypeFile, Name: u.Name, ProjectID: u.ProjectID, ParentID: u.ParentID,
		Filesize: u.Size, Filetype: u.Filetype, CreatorID: u.CreatorID, CreatorName: u.CreatorName,
		InsertedAt: u.CreatedAt, UpdatedAt: u.CreatedAt, UploadStatus: "pending"}
}

func getPending(tx *store.Tx, id string) (Upload, error) {
	var u Upload
	err := tx.Get(store.PrefixPendingUpload+id, &u)
	if errors.Is(err, store.ErrNotFound) {
		return u, errs.NotFoundf("upload %s not found", id)
	}
	return u, err
}

// UploadRequest is what a client asks to upload (tus metadata or the
// children endpoint).
type UploadRequest struct {
	Name         string
	Filetype     string
	Size         int64
	ParentID     string
	VersionOf    string
	AttachmentOf string
}

// PrepareUpload checks an upload request for v and returns the Upload to
// store: parent must be a folder v can see; version_of a file or stack in
// the same project; attachment_of a file. The upload lands beside the
// version target, or under the attachment's file.
func (s *Service) PrepareUpload(v Viewer, r UploadRequest, maxSize int64) (Upload, error) {
	name, err := CleanName("file", r.Name)
	if err != nil {
		return Upload{}, err
	}
	if r.Size < 0 {
		return Upload{}, errs.Invalidf("filesize must not be negative")
	}
	if r.Size > maxSize {
		return Upload{}, errs.New(errs.TooLarge, "file_too_large", "the file is %d bytes; the limit is %d", r.Size, maxSize)
	}
	ft, err := CleanFiletype(r.Filetype)
	if err != nil {
		return Upload{}, err
	}
	u := Upload{ID: uuid.NewString(), Name: name, Filetype: ft, Size: r.Size,
		CreatorID: v.UserID, CreatorName: v.Name, CreatedAt: s.now()}
	err = s.Store.View(func(tx *store.Tx) error {
		switch {
		case r.VersionOf != "":
			t, err := visibleAsset(tx, v, r.VersionOf)
			if err != nil {
				return errs.Invalidf("version_of %s: %s", r.VersionOf, detail(err))
			}
			if t.Type != TypeFile && t.Type != TypeVersionStack || t.AttachmentOf != "" {
				return errs.Invalidf("version_of must be a file or a version stack")
			}
			if r.ParentID != "" {
				p, err := getAsset(tx, r.ParentID)
				if err == nil && p.ProjectID != t.ProjectID {
					return errs.Invalidf("version_of %s is in another project", r.VersionOf)
				}
			}
			u.VersionOf, u.ProjectID = t.ID, t.ProjectID
			u.ParentID = t.ParentID
			if t.Type == TypeFile {
				if p, err := getAsset(tx, t.ParentID); err == nil && p.Type == TypeVersionStack {
					u.ParentID = p.ParentID
				}
			}
		case r.AttachmentOf != "":
			t, err := visibleAsset(tx, v, r.AttachmentOf)
			if err != nil {
				return errs.Invalidf("attachment_of %s: %s", r.AttachmentOf, detail(err))
			}
			if t.Type != TypeFile || t.AttachmentOf != "" {
				return errs.Invalidf("attachment_of must be a file")
			}
			u.AttachmentOf, u.ProjectID, u.ParentID = t.ID, t.ProjectID, t.ID
		default:
			if r.ParentID == "" {
				return errs.Invalidf("parent_id is required (the folder to upload into)")
			}
			p, err := visibleAsset(tx, v, r.ParentID)
			if err != nil {
				return errs.Invalidf("parent_id %s: %s", r.ParentID, detail(err))
			}
			if p.Type != TypeFolder {
				return errs.Invalidf("parent_id %s is a %s, not a folder", r.ParentID, p.Type)
			}
			u.ParentID, u.ProjectID = p.ID, p.ProjectID
		}
		if v.member() {
			target, err := getAsset(tx, u.ParentID)
			if err != nil {
				return err
			}
			return need(tx, v, target, AccessUpload, "uploading")
		}
		return nil
	})
	return u, err
}

func detail(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Detail
	}
	return err.Error()
}

// SavePending records an upload that has begun; one made through a link
// is reserved against the link's limits in the same transaction.
func (s *Service) SavePending(u Upload) error {
	return s.Store.Update(func(tx *store.Tx) error {
		if u.LinkID != "" && s.Ledger != nil {
			if err := s.Ledger.Reserve(tx, u); err != nil {
				return err
			}
		}
		return tx.Put(store.PrefixPendingUpload+u.ID, u)
	})
}

// Pending returns the record of an unfinished upload.
func (s *Service) Pending(id string) (Upload, error) {
	var u Upload
	err := s.Store.View(func(tx *store.Tx) (err error) {
		u, err = getPending(tx, id)
		return err
	})
	return u, err
}

// ListPending returns every unfinished upload.
func (s *Service) ListPending() ([]Upload, error) {
	var out []Upload
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixPendingUpload, func(_ string, b []byte) error {
			var u Upload
			if err := jsonUnmarshal(b, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// EnsureFolders finds or makes the folder path dirs under parentID (the
// folders of a dropped directory in a link upload) and returns the ID of
// the last one. Names are checked like any folder name.
func (s *Service) EnsureFolders(creator Viewer, parentID string, dirs []string) (string, error) {
	if len(dirs) == 0 {
		return parentID, nil
	}
	if len(dirs) > 32 {
		return "", errs.Invalidf("relative_path is more than 32 folders deep")
	}
	for i, d := range dirs {
		n, err := CleanName("folder", d)
		if err != nil {
			return "", err
		}
		dirs[i] = n
	}
	s.folderMu.Lock()
	defer s.folderMu.Unlock()
	id := parentID
	err := s.Store.Update(func(tx *store.Tx) error {
		id = parentID
		for _, name := range dirs {
			parent, err := getAsset(tx, id)
			if err != nil {
				return err
			}
			found := subfolderNamed(tx, id, name)
			if found != "" {
				id = found
				continue
			}
			now := s.now()
			a := Asset{ID: uuid.NewString(), Type: TypeFolder, Name: name, ProjectID: parent.ProjectID, ParentID: parent.ID,
				CreatorID: creator.UserID, CreatorName: creator.Name, InsertedAt: now, UpdatedAt: now}
			if err := s.link(tx, parent, a); err != nil {
				return err
			}
			id = a.ID
		}
		return nil
	})
	return id, err
}

// DropPending forgets an unfinished upload (terminated or expired) and
// releases what it reserved of its link.
func (s *Service) DropPending(id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		u, err := getPending(tx, id)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if u.LinkID != "" && s.Ledger != nil {
			if err := s.Ledger.Released(tx, u); err != nil {
				return err
			}
		}
		return tx.Delete(store.PrefixPendingUpload + id)
	})
}

// PendingOfLink lists the unfinished uploads made through link linkID.
func (s *Service) PendingOfLink(linkID string) ([]Upload, error) {
	all, err := s.ListPending()
	if err != nil {
		return nil, err
	}
	var out []Upload
	for _, u := range all {
		if u.LinkID == linkID {
			out = append(out, u)
		}
	}
	return out, nil
}

// Exists reports whether an asset with id exists.
func (s *Service) Exists(id string) (bool, error) {
	var ok bool
	err := s.Store.View(func(tx *store.Tx) (err error) {
		ok, err = tx.Has(store.PrefixAsset + id)
		return err
	})
	return ok, err
}

// Complete turns a finished upload into an asset. The bytes at localPath
// move into the blob store first, then the asset, its index entries, the
// version/attachment links and the proxy job are written in one
// transaction. A crash between the two leaves the pending record and the
// moved file, and Recover finishes the job; so there is never an asset
// without its file.
func (s *Service) Complete(id, localPath string) (Asset, error) {
	u, err := s.Pending(id)
	if err != nil {
		return Asset{}, err
	}
	if localPath != "" {
		if err := s.Blobs.Import(localPath, OriginalKey(id)); err != nil {
			return Asset{}, err
		}
	}
	st, err := s.Blobs.Stat(OriginalKey(id))
	if err != nil {
		return Asset{}, err
	}
	var a Asset
	err = s.Store.Update(func(tx *store.Tx) error {
		if ok, err := tx.Has(store.PrefixAsset + id); err != nil || ok {
			if ok {
				a, err = getAsset(tx, id)
				return tx.Delete(store.PrefixPendingUpload + id)
			}
			return err
		}
		now := s.now()
		a = Asset{ID: id, Type: TypeFile, Name: u.Name, ProjectID: u.ProjectID, ParentID: u.ParentID,
			Filesize: st.Size(), Filetype: u.Filetype, CreatorID: u.CreatorID, CreatorName: u.CreatorName,
			UploadCompletedAt: &now, ProxyStatus: ProxyNone, InsertedAt: now, UpdatedAt: now,
			AttachmentOf: u.AttachmentOf}
		parent, err := getAsset(tx, u.ParentID)
		if err != nil {
			// The folder was deleted while the upload ran: keep the file in
			// the project root rather than lose it.
			p, perr := getProject(tx, u.ProjectID)
			if perr != nil {
				return errs.New(errs.Gone, "target_deleted", "the project this upload was for no longer exists")
			}
			if parent, err = getAsset(tx, p.RootAssetID); err != nil {
				return err
			}
			a.ParentID, a.AttachmentOf, u.VersionOf = parent.ID, "", ""
		}
		if s.isImage(a.Filetype, a.Name) {
			a.ProxyStatus = ProxyQueued
			if err := jobs.Enqueue(tx, store.PrefixMediaQueue+id, now); err != nil {
				return err
			}
			tx.AfterCommit(s.wake)
		} else if err := s.queueMedia(tx, &a, now); err != nil {
			return err
		}
		if a.AttachmentOf != "" {
			parent.Attachments++
		}
		if err := s.link(tx, parent, a); err != nil {
			return err
		}
		if u.VersionOf != "" {
			v := Viewer{UserID: u.CreatorID, Name: u.CreatorName, Admin: true}
			if _, err := s.addVersion(tx, v, u.VersionOf, id); err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
			a, _ = getAsset(tx, id)
		}
		if u.LinkID != "" && s.Ledger != nil {
			if err := s.Ledger.Completed(tx, u, a); err != nil {
				return err
			}
		}
		tx.AfterCommit(func() { s.checksumLater(OriginalKey(id)) })
		return tx.Delete(store.PrefixPendingUpload + id)
	})
	return a, err
}

func (s *Service) wake() {
	if s.Queued != nil {
		s.Queued()
	}
}

// Recover finishes uploads whose bytes reached the blob store but whose
// asset was not written (a crash between the two steps of Complete).
func (s *Service) Recover() (int, error) {
	ups, err := s.ListPending()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range ups {
		if _, err := s.Blobs.Stat(OriginalKey(u.ID)); err != nil {
			continue
		}
		if _, err := s.Complete(u.ID, ""); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
