// Package uploads is Ferry's tus 1.0 endpoint: tusd's protocol handler over
// its filestore in data/uploads, with hooks that authorize and check each
// upload before it starts and turn it into an asset when it finishes. The
// upload ID is the asset ID.
package uploads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	xslog "golang.org/x/exp/slog"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
)

// Service is the tus endpoint and its housekeeping.
type Service struct {
	Assets   *assets.Service
	Dir      string // data/uploads
	BasePath string // "/api/v2/tus/"
	MaxSize  int64  // per file
	MinFree  int64  // refuse uploads that would leave less free disk
	// MaxPendingPerLink and MaxPendingBytesPerLink bound the unfinished
	// uploads of one link: how many, and how many bytes still to come (0: no limit).
	MaxPendingPerLink      int
	MaxPendingBytesPerLink int64
	Expiry                 time.Duration // unfinished uploads idle this long are removed
	Log                    *slog.Logger
	Now                    func() time.Time
	// Bucket, when set (storage.backend: s3), holds tus uploads as
	// multipart uploads of the originals' keys instead of files in Dir.
	Bucket *storage.S3

	handler   *tusd.Handler
	files     tusStore
	reserveMu sync.Mutex // savePending's check and record are one step
}

type ctxKey struct{}

// Policy is who uploads and any limits a link puts on it; the HTTP layer
// puts it in the request context.
type Policy struct {
	Viewer assets.Viewer
	// ParentID, when set, forces every upload into this folder (upload links).
	ParentID string
	// Target, when set, picks the folder of each upload from the parent_id
	// its client asked for ("" when none) and may refuse it (share links,
	// whose visitors may choose among the link's folders).
	Target  func(parentID string) (string, error)
	LinkID  string
	MaxSize int64
	// Stop, when set, is closed to cut running PATCHes (a revoked link).
	Stop <-chan struct{}
}

// ErrStopped ends a PATCH whose link was revoked while it ran.
var ErrStopped = tusd.NewError("ERR_LINK_REVOKED", "this upload link was revoked; the upload stopped", 410)

// WithPolicy attaches p to ctx.
func WithPolicy(ctx context.Context, p Policy) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

func policyFrom(ctx context.Context) (Policy, bool) {
	p, ok := ctx.Value(ctxKey{}).(Policy)
	return p, ok
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler builds the tusd handler (call once).
func (s *Service) Handler() (http.Handler, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, err
	}
	if s.Bucket != nil {
		s.files = s3Uploads{b: s.Bucket}
	} else {
		s.files = filestore.New(s.Dir)
	}
	composer := tusd.NewStoreComposer()
	st := dataStore{files: s.files, svc: s}
	composer.UseCore(st)
	composer.UseTerminater(st)
	memorylocker.New().UseIn(composer)
	logLevel := xslog.LevelWarn
	h, err := tusd.NewHandler(tusd.Config{
		StoreComposer:              composer,
		BasePath:                   s.BasePath,
		MaxSize:                    s.MaxSize,
		DisableDownload:            true, // originals are served by the assets API with Range and ETag
		DisableConcatenation:       true,
		Logger:                     xslog.New(tusLog{inner: xslog.NewTextHandler(os.Stderr, &xslog.HandlerOptions{Level: logLevel}), ferry: s.Log}),
		PreUploadCreateCallback:    s.preCreate,
		PreFinishResponseCallback:  s.preFinish,
		PreUploadTerminateCallback: s.preTerminate,
		Cors:                       &tusd.CorsConfig{Disable: true},
		NetworkTimeout:             60 * time.Second,
	})
	if err != nil {
		return nil, err
	}
	s.handler = h
	return http.StripPrefix(strings.TrimSuffix(s.BasePath, "/"), h), nil
}

// tusError turns a domain error into the tus error answer.
func tusError(err error) error {
	if e, ok := errs.As(err); ok {
		status := map[errs.Kind]int{errs.Invalid: 400, errs.Unauthorized: 401, errs.Forbidden: 403,
			errs.NotFound: 404, errs.Conflict: 409, errs.Gone: 410, errs.TooLarge: 413, errs.Locked: 423,
			errs.Throttled: 429, errs.InsufficientStorage: 507}[e.Kind]
		if status == 0 {
			status = 500
		}
		return tusd.NewError("ERR_"+strings.ToUpper(e.Code), e.Detail, status)
	}
	return err
}

func (s *Service) preCreate(hook tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	none := tusd.FileInfoChanges{}
	pol, ok := policyFrom(hook.Context)
	if !ok {
		return tusd.HTTPResponse{}, none, tusd.NewError("ERR_UNAUTHORIZED", "log in or send a token with assets.create", 401)
	}
	if hook.Upload.SizeIsDeferred {
		return tusd.HTTPResponse{}, none, tusd.NewError("ERR_LENGTH_REQUIRED", "send Upload-Length; deferred length is not supported", 400)
	}
	meta := hook.Upload.MetaData
	req := assets.UploadRequest{Name: meta["filename"], Filetype: meta["filetype"], Size: hook.Upload.Size,
		ParentID: meta["parent_id"], VersionOf: meta["version_of"], AttachmentOf: meta["attachment_of"]}
	if req.Name == "" {
		req.Name = meta["name"]
	}
	max := s.MaxSize
	if pol.MaxSize > 0 && pol.MaxSize < max {
		max = pol.MaxSize
	}
	// A link's limit is checked before anything is made (folders below).
	if pol.LinkID != "" && pol.MaxSize > 0 && req.Size > pol.MaxSize {
		return tusd.HTTPResponse{}, none, tusError(errs.New(errs.TooLarge, "file_too_large",
			"%s is %s; this link accepts files up to %s", req.Name, model.HumanBytes(req.Size), model.HumanBytes(pol.MaxSize)))
	}
	base := pol.ParentID
	if pol.Target != nil {
		t, err := pol.Target(req.ParentID)
		if err != nil {
			return tusd.HTTPResponse{}, none, tusError(err)
		}
		base = t
	}
	if base != "" {
		req.ParentID, req.VersionOf, req.AttachmentOf = base, "", ""
		if relPath := relativePath(meta); relPath != "" {
			// A folder dropped on a link page: its folders are made under the upload's folder.
			rel := strings.Split(strings.Trim(relPath, "/"), "/")
			if len(rel) > 1 {
				parent, err := s.Assets.EnsureFolders(pol.Viewer, base, rel[:len(rel)-1])
				if err != nil {
					return tusd.HTTPResponse{}, none, tusError(err)
				}
				req.ParentID = parent
			}
		}
	}
	up, err := s.Assets.PrepareUpload(pol.Viewer, req, max)
	if err != nil {
		return tusd.HTTPResponse{}, none, tusError(err)
	}
	up.LinkID = pol.LinkID
	if err := s.savePending(up); err != nil {
		return tusd.HTTPResponse{}, none, tusError(err)
	}
	clean := tusd.MetaData{"filename": up.Name, "filetype": up.Filetype, "parent_id": up.ParentID}
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{ID: up.ID, MetaData: clean}, nil
}

// relativePath is where a dropped folder's file sits in it: Ferry's own
// relative_path, or relativePath as Uppy sends it ("null" for a file
// dropped alone).
func relativePath(meta tusd.MetaData) string {
	for _, k := range []string{"relative_path", "relativePath"} {
		if v := meta[k]; v != "" && v != "null" {
			return v
		}
	}
	return ""
}

func (s *Service) preFinish(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
	id := hook.Upload.ID
	bin := hook.Upload.Storage[filestore.StorageKeyPath]
	if bin == "" && s.Bucket == nil {
		bin = filepath.Join(s.Dir, id)
	}
	a, err := s.Assets.Complete(id, bin)
	if err != nil {
		s.Log.Error("finishing upload failed", slog.String("upload", id), slog.Any("err", err))
		return tusd.HTTPResponse{}, tusError(err)
	}
	s.release(id)
	s.dropParts(id) // the upload_urls offered beside the tus upload are done with
	return tusd.HTTPResponse{Header: tusd.HTTPHeader{"Ferry-Asset-Id": a.ID}}, nil
}

func (s *Service) preTerminate(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
	if err := s.Assets.DropPending(hook.Upload.ID); err != nil {
		return tusd.HTTPResponse{}, err
	}
	s.dropParts(hook.Upload.ID)
	return tusd.HTTPResponse{}, nil
}

// Authorize checks that v may touch upload id (HEAD, PATCH, DELETE): its
// creator, an admin, or, once finished, anyone who may see the asset.
func (s *Service) Authorize(p Policy, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return errs.NotFoundf("upload %s not found", id)
	}
	up, err := s.Assets.Pending(id)
	if err == nil {
		if up.CreatorID == p.Viewer.UserID && p.LinkID == up.LinkID || p.Viewer.Admin && p.LinkID == "" {
			return nil
		}
		return errs.NotFoundf("upload %s not found", id)
	}
	if !errs.Is(err, errs.NotFound) {
		return err
	}
	a, err := s.Assets.GetAsset(p.Viewer, id)
	if err != nil || p.LinkID != "" && a.CreatorID != p.Viewer.UserID {
		return errs.NotFoundf("upload %s not found", id)
	}
	return nil
}

// Recover finishes uploads whose bytes all arrived but which a crash
// stopped before they became assets: tusd would answer HEAD with the full
// offset, the client would consider them done, and no asset would exist.
func (s *Service) Recover() (int, error) {
	pending, err := s.Assets.ListPending()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, up := range pending {
		ok, err := s.finish(up)
		if err != nil {
			return n, fmt.Errorf("finishing upload %s: %w", up.ID, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// finish makes an asset of an upload whose bytes all arrived; false when
// they did not (yet).
func (s *Service) finish(up assets.Upload) (bool, error) {
	bin, ok := s.complete(up)
	if !ok {
		return false, nil
	}
	if _, err := s.Assets.Complete(up.ID, bin); err != nil {
		return false, err
	}
	s.release(up.ID)
	return true, nil
}

// ExpiresAt is when an unfinished upload will be removed if nothing more arrives.
func (s *Service) ExpiresAt(id string) (time.Time, bool) {
	last, _, ok := s.received(id)
	if !ok {
		return time.Time{}, false
	}
	return last.Add(s.Expiry), true
}

// Sweep removes unfinished uploads idle longer than Expiry, their bytes and
// records, and tus files no record knows. It returns how many it removed.
func (s *Service) Sweep() (int, error) {
	pending, err := s.Assets.ListPending()
	if err != nil {
		return 0, err
	}
	known := map[string]bool{}
	n := 0
	now := s.now()
	for _, up := range pending {
		known[up.ID] = true
		last := up.CreatedAt
		if t, _, ok := s.received(up.ID); ok && t.After(last) {
			last = t
		}
		if st, err := os.Stat(filepath.Join(s.Dir, up.ID+".parts")); err == nil && st.ModTime().After(last) {
			last = st.ModTime()
		}
		if t := s.partsActivity(up.ID); t.After(last) {
			last = t
		}
		if now.Sub(last) < s.Expiry {
			continue
		}
		if ok, _ := s.Assets.Exists(up.ID); ok {
			continue
		}
		// The record goes first: a part or PATCH arriving meanwhile then
		// finds the upload gone (410) instead of writing into a file
		// being removed.
		if err := s.Assets.DropPending(up.ID); err != nil {
			return n, err
		}
		if err := s.forget(up.ID); err != nil {
			return n, err
		}
		s.dropParts(up.ID)
		n++
	}
	if s.Bucket != nil {
		m, err := s.sweepBucket(known, now)
		if n += m; err != nil {
			return n, err
		}
	}
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return n, err
	}
	for _, e := range entries {
		id := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".info"), ".parts")
		if _, err := uuid.Parse(id); err != nil || known[id] {
			continue
		}
		if _, err := s.Assets.Pending(id); err == nil {
			continue // created since the records were listed
		}
		// A file without a record is the leftover of a finished upload (its
		// .info, when a crash came before its removal) or of one given up.
		// The record is written before tusd makes the files, so only a few
		// seconds of grace are needed for a creation under way.
		finished, _ := s.Assets.Exists(id)
		info, err := e.Info()
		if err != nil || !finished && now.Sub(info.ModTime()) < 5*time.Second {
			continue
		}
		if strings.HasSuffix(e.Name(), ".parts") {
			s.dropParts(id)
		}
		os.Remove(filepath.Join(s.Dir, e.Name()))
		if !strings.HasSuffix(e.Name(), ".info") {
			n++
		}
	}
	return n, nil
}

// RunSweeper sweeps now and then every interval until ctx ends; with a
// bucket it also removes the objects of deleted assets, at most every
// orphanEvery.
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration) {
	var orphansSwept time.Time
	for {
		if n, err := s.Sweep(); err != nil {
			s.Log.Error("upload sweep failed", slog.Any("err", err))
		} else if n > 0 {
			s.Log.Info("removed expired uploads", slog.Int("count", n))
		}
		if now := s.now(); s.Bucket != nil && now.Sub(orphansSwept) >= min(orphanEvery, s.Expiry) {
			if n, err := s.sweepOrphans(now); err != nil {
				s.Log.Error("sweeping the objects of deleted assets failed", slog.Any("err", err))
			} else {
				orphansSwept = now
				if n > 0 {
					s.Log.Info("removed the objects of deleted assets from the bucket", slog.Int("count", n))
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// dataStore is tusd's filestore plus one thing: an upload that finished
// became an asset and left data/uploads, but a client asking HEAD must
// still learn it is complete.
type dataStore struct {
	files tusStore
	svc   *Service
}

func (d dataStore) NewUpload(ctx context.Context, info tusd.FileInfo) (tusd.Upload, error) {
	up, err := d.files.NewUpload(ctx, info)
	if err != nil {
		return nil, diskError(err)
	}
	return diskFull{up}, nil
}

// diskFull turns a full disk during a PATCH into a clear 507: the bytes
// written so far stay, and the client may resume once there is room.
type diskFull struct{ tusd.Upload }

func (u diskFull) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	n, err := u.Upload.WriteChunk(ctx, offset, src)
	return n, diskError(err)
}

// ErrDiskFull answers an upload the server has no room for.
var ErrDiskFull = tusd.NewError("ERR_INSUFFICIENT_STORAGE", "the server's disk is full; the bytes that arrived are kept, resume the upload when there is room", http.StatusInsufficientStorage)

func diskError(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return ErrDiskFull
	}
	return err
}

func (d dataStore) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	up, err := d.files.GetUpload(ctx, id)
	if errors.Is(err, tusd.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		a, aerr := d.svc.Assets.GetAsset(assets.Viewer{Admin: true}, id)
		if aerr == nil && a.UploadStatus == "" && a.Type == assets.TypeFile {
			return finished{info: tusd.FileInfo{ID: id, Size: a.Filesize, Offset: a.Filesize,
				MetaData: tusd.MetaData{"filename": a.Name, "filetype": a.Filetype}}}, nil
		}
		return nil, tusd.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if info, _ := up.GetInfo(ctx); !info.SizeIsDeferred && info.Offset == info.Size {
		return d.finishNow(id, up)
	}
	return diskFull{up}, nil
}

// finishNow makes the asset of an upload that holds every byte but is no
// asset yet: its last PATCH stored the bytes, then finishing failed (the
// object store refused to complete it, or the database failed). Answering
// the full offset alone would let the client stop with no asset made, so
// the client's next HEAD or PATCH finishes it, or gets the error to retry.
func (d dataStore) finishNow(id string, up tusd.Upload) (tusd.Upload, error) {
	pending, err := d.svc.Assets.Pending(id)
	if err != nil {
		return diskFull{up}, nil // no record: finished meanwhile, or given up (Authorize answers)
	}
	if ok, err := d.svc.finish(pending); err != nil || !ok {
		d.svc.Log.Warn("finishing a complete upload failed; the client's retry tries again",
			slog.String("upload", id), slog.Any("err", err))
		if err == nil {
			err = tusd.NewError("ERR_UPLOAD_NOT_FINISHED", "every byte arrived but the upload could not be finished yet; retry", 503)
		}
		return nil, tusError(err)
	}
	info, _ := up.GetInfo(context.Background())
	return finished{info: info}, nil
}

func (d dataStore) AsTerminatableUpload(up tusd.Upload) tusd.TerminatableUpload {
	if f, ok := up.(finished); ok {
		return f
	}
	if w, ok := up.(diskFull); ok {
		up = w.Upload
	}
	return d.files.AsTerminatableUpload(up)
}

type finished struct{ info tusd.FileInfo }

var errFinished = tusd.NewError("ERR_UPLOAD_FINISHED", "this upload is complete and is an asset now; delete the asset instead", 409)

func (f finished) WriteChunk(context.Context, int64, io.Reader) (int64, error) {
	return 0, errFinished
}
func (f finished) GetInfo(context.Context) (tusd.FileInfo, error) { return f.info, nil }
func (f finished) GetReader(context.Context) (io.ReadCloser, error) {
	return nil, errFinished
}
func (f finished) FinishUpload(context.Context) error { return nil }
func (f finished) Terminate(context.Context) error    { return errFinished }

// Create starts an upload without tus creation (the children endpoint):
// the pending record and an empty tus upload with the asset's ID, ready
// for PATCH. A zero-byte file is complete at once.
func (s *Service) Create(ctx context.Context, up assets.Upload) (assets.Asset, error) {
	if err := s.savePending(up); err != nil {
		return assets.Asset{}, err
	}
	meta := tusd.MetaData{"filename": up.Name, "filetype": up.Filetype, "parent_id": up.ParentID}
	u, err := s.files.NewUpload(ctx, tusd.FileInfo{ID: up.ID, Size: up.Size, MetaData: meta})
	if err != nil {
		s.Assets.DropPending(up.ID)
		return assets.Asset{}, err
	}
	if up.Size == 0 {
		if err := u.FinishUpload(ctx); err != nil {
			return assets.Asset{}, err
		}
		info, _ := u.GetInfo(ctx)
		a, err := s.Assets.Complete(up.ID, info.Storage[filestore.StorageKeyPath])
		s.release(up.ID)
		return a, err
	}
	return s.Assets.GetAsset(assets.Viewer{Admin: true}, up.ID)
}
