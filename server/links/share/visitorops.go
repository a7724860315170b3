package share

import (
	"path"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// What visitors of a share link may do besides looking and downloading:
// upload (through the link's mode or its inbox) and, with full access,
// make folders, rename, move, copy and delete inside the link's folder.
// Every operation here takes the Link that Access returned for the visitor.

// visitorViewer is who a visitor of l acts as in the asset tree: not a
// member (their rights come from the link) but someone acting in the
// link's project. Visitors with a session are told apart, so one cannot
// resume another's upload.
func visitorViewer(l Link, vis Visitor) assets.Viewer {
	id := "share:" + l.ID
	if vis.Session != "" {
		id += ":" + secure.HashToken(vis.Session)[:16]
	}
	return assets.Viewer{UserID: id, Name: "Visitor via share link " + l.Name, ProjectID: l.ProjectID}
}

// UploadFolder is where uploads through l go unless the visitor picks a
// folder: the link's folder in the upload modes, else its inbox ("" when
// l takes no uploads).
func (l Link) UploadFolder() string {
	switch l.Mode() {
	case ActionUpload, ActionUploadDownload, ActionFull:
		if l.TargetType == "folder" {
			return l.TargetID
		}
		return ""
	}
	return l.InboxFolderID
}

// UploadRights are what a visitor may upload through a share link; the
// HTTP layer makes them a tus policy.
type UploadRights struct {
	Viewer  assets.Viewer
	LinkID  string
	MaxSize int64 // per file; 0: the site's limit
	// Target resolves the folder an upload goes into from the parent_id
	// the visitor asked for ("" for the default).
	Target func(parentID string) (string, error)
}

func errUploadsNotAllowed() error {
	return errs.New(errs.Forbidden, "uploads_not_allowed", "this link does not take uploads")
}

// UploadRights returns what vis may upload through l (from Access).
func (s *Service) UploadRights(l Link, vis Visitor) (UploadRights, error) {
	if !l.CanUpload() || l.UploadFolder() == "" {
		return UploadRights{}, errUploadsNotAllowed()
	}
	return UploadRights{Viewer: visitorViewer(l, vis), LinkID: l.ID, MaxSize: l.MaxUploadBytes,
		Target: func(parentID string) (string, error) { return s.uploadTarget(l, parentID) }}, nil
}

// uploadTarget is the folder an upload through l goes into: a folder of
// the link's tree the visitor picked (upload modes), else the default. An
// inbox takes uploads into itself only.
func (s *Service) uploadTarget(l Link, parentID string) (string, error) {
	def := l.UploadFolder()
	if def == "" {
		return "", errUploadsNotAllowed()
	}
	if parentID == "" || parentID == def {
		if f, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, def); err == nil {
			if err := s.creatorMay(l, f, access.Upload); err != nil {
				return "", err
			}
		}
		return def, nil
	}
	if def == l.InboxFolderID {
		return "", errs.New(errs.Invalid, "parent_outside_link", "uploads through this link go into its inbox; send no parent_id")
	}
	f, err := s.linkFolder(l, parentID)
	if err != nil {
		return "", errs.New(errs.Invalid, "parent_outside_link", "parent_id must be a folder of this link")
	}
	if err := s.creatorMay(l, f, access.Upload); err != nil {
		return "", err
	}
	return parentID, nil
}

// inFolder reports whether asset id is folder rootID or inside it.
func (s *Service) inFolder(rootID, id string) (bool, error) {
	if id == rootID {
		return true, nil
	}
	up, err := s.Assets.Ancestors(assets.Viewer{Admin: true}, id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, a := range up {
		if a.ID == rootID {
			return true, nil
		}
	}
	return false, nil
}

func errNotInLink(what string) error { return errs.NotFoundf("no such %s in this link", what) }

// linkFolder loads folder id of l's tree (the link's own folder included).
func (s *Service) linkFolder(l Link, id string) (assets.Asset, error) {
	if _, err := uuid.Parse(id); err != nil || l.TargetType != "folder" {
		return assets.Asset{}, errNotInLink("folder")
	}
	a, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, id)
	if err != nil || a.Type != assets.TypeFolder {
		return assets.Asset{}, errNotInLink("folder")
	}
	if ok, err := s.inFolder(l.TargetID, a.ID); err != nil || !ok {
		if err != nil {
			return assets.Asset{}, err
		}
		return assets.Asset{}, errNotInLink("folder")
	}
	return a, nil
}

// linkAsset loads asset id of l's tree as visitors see it: a version in a
// stack stands for its stack (the gallery shows the newest version under
// the stack's name), so file is the version and shown the stack.
func (s *Service) linkAsset(l Link, id string) (shown, file assets.Asset, err error) {
	notFound := errNotInLink("file")
	if _, err := uuid.Parse(id); err != nil || l.TargetType != "folder" {
		return shown, file, notFound
	}
	admin := assets.Viewer{Admin: true}
	a, err := s.Assets.GetAsset(admin, id)
	if err != nil || a.UploadStatus != "" || a.AttachmentOf != "" && !l.AllowAttachments {
		return shown, file, notFound
	}
	shown, file = a, a
	if a.Type == assets.TypeFile && a.AttachmentOf == "" {
		if p, err := s.Assets.GetAsset(admin, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
			// Visitors see the newest version only: older ones are not
			// theirs to copy, rename or delete.
			kids, err := s.Assets.Children(admin, p.ID)
			if err != nil || len(kids) == 0 || kids[0].ID != a.ID {
				return shown, file, notFound
			}
			shown = p
		}
	}
	if a.Type == assets.TypeVersionStack {
		kids, err := s.Assets.Children(admin, a.ID)
		if err != nil || len(kids) == 0 {
			return shown, file, notFound
		}
		file = kids[0]
	}
	ok, err := s.inFolder(l.TargetID, shown.ID)
	if err != nil {
		return shown, file, err
	}
	if !ok || !s.Policy().Creator(l.OwnerID).Visible(shown) {
		return shown, file, notFound
	}
	return shown, file, nil
}

// creatorMay checks that l's creator may now do act on a (see access.Creator.Act).
func (s *Service) creatorMay(l Link, a assets.Asset, act access.Action) error {
	return s.Policy().Creator(l.OwnerID).Act(l.Grant(), a, act)
}

func errNotAllowed(l Link, what string) error {
	return errs.New(errs.Forbidden, "not_allowed", "visitors of this link cannot %s (its allowed actions: %s)", what, l.Mode())
}

func errOwnFolder() error {
	return errs.New(errs.Forbidden, "link_folder", "the shared folder itself cannot be renamed, moved or deleted")
}

// VisitorAsset is model.VisitorAsset, the JSON document.
type VisitorAsset = model.VisitorAsset

func visitorAsset(a assets.Asset) VisitorAsset {
	return VisitorAsset{ID: a.ID, Type: a.Type, Name: a.Name, ParentID: a.ParentID, Filesize: a.Filesize}
}

// VisitorMkdir makes folder name in folder parentID of l ("" for the
// link's folder), for a visitor of an upload_download or full link.
func (s *Service) VisitorMkdir(l Link, vis Visitor, parentID, name string) (VisitorAsset, error) {
	if l.Mode() != ActionUploadDownload && l.Mode() != ActionFull {
		return VisitorAsset{}, errNotAllowed(l, "make folders")
	}
	if parentID == "" {
		parentID = l.TargetID
	}
	parent, err := s.linkFolder(l, parentID)
	if err != nil {
		return VisitorAsset{}, err
	}
	if err := s.creatorMay(l, parent, access.Upload); err != nil {
		return VisitorAsset{}, err
	}
	f, err := s.Assets.CreateFolder(visitorViewer(l, vis), parent.ID, name)
	if err != nil {
		return VisitorAsset{}, err
	}
	s.logAccess(l, vis, Entry{Action: "mkdir", AssetID: f.ID, AssetName: f.Name})
	return visitorAsset(f), nil
}

// VisitorUpdate renames asset id of l or moves it to another folder of
// the link, for a visitor of a full-access link.
func (s *Service) VisitorUpdate(l Link, vis Visitor, id string, p assets.AssetPatch) (VisitorAsset, error) {
	if !l.CanModify() {
		return VisitorAsset{}, errNotAllowed(l, "rename or move files")
	}
	if p.Name == nil && p.ParentID == nil {
		return VisitorAsset{}, errs.Invalidf("send name, parent_id or both")
	}
	a, _, err := s.linkAsset(l, id)
	if err != nil {
		return VisitorAsset{}, err
	}
	if a.ID == l.TargetID {
		return VisitorAsset{}, errOwnFolder()
	}
	if err := s.creatorMay(l, a, access.Modify); err != nil {
		return VisitorAsset{}, err
	}
	if p.ParentID != nil {
		dst, err := s.linkFolder(l, *p.ParentID)
		if err != nil {
			return VisitorAsset{}, err
		}
		if err := s.creatorMay(l, dst, access.Upload); err != nil {
			return VisitorAsset{}, err
		}
	}
	out, err := s.Assets.UpdateAsset(visitorViewer(l, vis), a.ID, p)
	if err != nil {
		return VisitorAsset{}, err
	}
	if out.Name != a.Name {
		s.logAccess(l, vis, Entry{Action: "rename", AssetID: a.ID, AssetName: a.Name + " → " + out.Name})
	}
	if out.ParentID != a.ParentID {
		s.logAccess(l, vis, Entry{Action: "move", AssetID: a.ID, AssetName: out.Name})
	}
	return visitorAsset(out), nil
}

// VisitorDelete deletes asset id of l (a folder with all it holds), for a
// visitor of a full-access link.
func (s *Service) VisitorDelete(l Link, vis Visitor, id string) error {
	if !l.CanModify() {
		return errNotAllowed(l, "delete files")
	}
	a, _, err := s.linkAsset(l, id)
	if err != nil {
		return err
	}
	if a.ID == l.TargetID {
		return errOwnFolder()
	}
	if err := s.creatorMay(l, a, access.Modify); err != nil {
		return err
	}
	if err := s.Assets.DeleteAsset(visitorViewer(l, vis), a.ID); err != nil {
		return err
	}
	s.logAccess(l, vis, Entry{Action: "delete", AssetID: a.ID, AssetName: a.Name})
	return nil
}

// VisitorCopy copies file id of l into folder parentID of the link (""
// for the file's own folder), for a visitor of a full-access link. The
// copy is a new file with the same bytes (a hard link when the blob store
// is a local disk) and its own proxies. Folders are not copied: a deep
// copy of a tree of any size is not something a visitor's click should
// start; visitors copy the files inside.
func (s *Service) VisitorCopy(l Link, vis Visitor, id, parentID string) (VisitorAsset, error) {
	if !l.CanModify() {
		return VisitorAsset{}, errNotAllowed(l, "copy files")
	}
	shown, file, err := s.linkAsset(l, id)
	if err != nil {
		return VisitorAsset{}, err
	}
	if shown.Type == assets.TypeFolder {
		return VisitorAsset{}, errs.New(errs.Invalid, "folder_copy_unsupported", "folders cannot be copied through a link; copy the files inside them")
	}
	if parentID == "" {
		parentID = shown.ParentID
		if shown.AttachmentOf != "" {
			parentID = l.TargetID // an attachment's copy is a file of its own
		}
	}
	dst, err := s.linkFolder(l, parentID)
	if err != nil {
		return VisitorAsset{}, err
	}
	// A copy takes the bytes out and puts them back in.
	if err := s.creatorMay(l, file, access.Download); err != nil {
		return VisitorAsset{}, err
	}
	if err := s.creatorMay(l, dst, access.Upload); err != nil {
		return VisitorAsset{}, err
	}
	name := shown.Name
	if dst.ID == shown.ParentID {
		ext := path.Ext(name)
		name = strings.TrimSuffix(name, ext) + " copy" + ext
	}
	a, err := s.Assets.CopyFile(visitorViewer(l, vis), file, name, dst)
	if err != nil {
		return VisitorAsset{}, err
	}
	s.logAccess(l, vis, Entry{Action: "copy", AssetID: a.ID, AssetName: shown.Name + " → " + a.Name, Bytes: a.Filesize})
	return visitorAsset(a), nil
}

// ---- the ledger of share-link uploads ----------------------------------

// OwnsUpload reports whether upload u came through a share link (rather
// than an upload link), for the ledger that dispatches between them.
func OwnsUpload(tx *store.Tx, u assets.Upload) bool {
	ok, _ := tx.Has(store.PrefixShareLink + u.LinkID)
	return ok
}

// Reserve implements assets.UploadLedger for share links: the link must
// be open and still take uploads of that size when the upload starts.
func (s *Service) Reserve(tx *store.Tx, u assets.Upload) error {
	l, err := getLink(tx, u.LinkID)
	if err != nil {
		return errNotFound()
	}
	if err := l.open(s.now(), false); err != nil {
		return err
	}
	if !l.CanUpload() {
		return errUploadsNotAllowed()
	}
	if l.MaxUploadBytes > 0 && u.Size > l.MaxUploadBytes {
		return errs.New(errs.TooLarge, "file_too_large", "%s is %d bytes; this link accepts files up to %d MB", u.Name, u.Size, l.MaxUploadBytes>>20)
	}
	return nil
}

// Completed implements assets.UploadLedger: the upload is written in the
// link's access log, in the transaction that makes the asset.
func (s *Service) Completed(tx *store.Tx, u assets.Upload, a assets.Asset) error {
	if ok, err := tx.Has(store.PrefixShareLink + u.LinkID); err != nil || !ok {
		return err // the link was deleted meanwhile, with its log
	}
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	return tx.Put(store.PrefixShareLog+u.LinkID+"/"+id.String(),
		Entry{Time: s.now(), Action: "upload", AssetID: a.ID, AssetName: a.Name, Bytes: a.Filesize})
}

// Released implements assets.UploadLedger: share links reserve nothing.
func (s *Service) Released(*store.Tx, assets.Upload) error { return nil }
