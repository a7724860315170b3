package uploads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// MaxParts bounds how many parts one upload is cut into (S3's limit).
const MaxParts = 10000

// Parts receives a pending upload as equal parts PUT in any order and in
// parallel (Frame.io v2's upload_urls). On disk each part is written at its
// offset into one preallocated file, data/uploads/<id>.parts, so the
// finished file needs no copy. With a bucket (storage.backend s3) each part
// streams into one part of an S3 multipart upload of the original's key
// (see s3parts.go), when the parts are as large as S3 wants them. A part
// counts only once all its bytes are stored, and the upload becomes its
// asset when the last part is in.
type Parts struct {
	Uploads *Service
	// PartSize is the largest part; uploads of more bytes get more parts.
	PartSize int64

	mu         sync.Mutex
	busy       map[string]bool // "<id>/<index>": a PUT of that part is running
	completing map[string]bool // uploads whose last part is in
	starting   storage.KeyLocks
}

// Layout cuts size bytes into count parts of partSize (the last one the
// rest), as Frame.io does: count = ceil(size / PartSize), at least one.
func (p *Parts) Layout(size int64) (count int, partSize int64) {
	if size <= 0 {
		return 0, 0
	}
	per := max(p.PartSize, 1)
	if size > per*MaxParts {
		per = (size + MaxParts - 1) / MaxParts
	}
	n := (size + per - 1) / per
	partSize = (size + n - 1) / n
	count = int((size + partSize - 1) / partSize)
	return count, partSize
}

func (p *Parts) path(id string) string { return filepath.Join(p.Uploads.Dir, id+".parts") }

func partKey(id string, index int) string {
	return fmt.Sprintf("%s%s/%05d", store.PrefixUploadPart, id, index)
}

// partRecord notes a part whose bytes are stored.
type partRecord struct {
	Size int64     `json:"size"`
	ETag string    `json:"etag,omitempty"` // of its S3 part
	At   time.Time `json:"at,omitzero"`    // when it arrived (the sweep's idle time)
}

// layout is how an upload was cut when its URLs were made: it holds for
// the upload's life, whatever PartSize becomes meanwhile.
type layout struct {
	Count    int   `json:"count"`
	PartSize int64 `json:"part_size"`
	// Multipart says the parts go into an S3 multipart upload of the
	// original; UploadID is its ID once the first part started it.
	Multipart bool   `json:"multipart,omitempty"`
	UploadID  string `json:"upload_id,omitempty"`
}

func layoutKey(id string) string { return store.PrefixUploadPart + id }

// Begin cuts pending upload id of size bytes into parts and records the
// cut; it returns the number of parts.
func (p *Parts) Begin(id string, size int64) (int, error) {
	count, per := p.Layout(size)
	l := layout{Count: count, PartSize: per, Multipart: p.Uploads.Bucket != nil && s3Sized(count, per)}
	err := p.Uploads.Assets.Store.Update(func(tx *store.Tx) error { return tx.Put(layoutKey(id), l) })
	return count, err
}

func (p *Parts) layoutOf(id string) (layout, error) {
	var l layout
	err := p.Uploads.Assets.Store.View(func(tx *store.Tx) error { return tx.Get(layoutKey(id), &l) })
	if errors.Is(err, store.ErrNotFound) {
		return l, errs.NotFoundf("upload %s takes no parts; create the file with POST /api/v2/assets/{folder}/children", id)
	}
	return l, err
}

// errComplete answers a part of an upload that already became its asset.
func errComplete(id string) error {
	return errs.New(errs.Conflict, "upload_complete", "upload %s is complete; its parts cannot change any more", id)
}

// Put writes part index of upload id from body, which announces length
// bytes (-1: unknown). It returns the asset once this part completed the
// upload, or a zero Asset while parts are missing.
func (p *Parts) Put(ctx context.Context, id string, index int, body io.Reader, length int64) (assets.Asset, error) {
	as := p.Uploads.Assets
	up, err := as.Pending(id)
	if errs.Is(err, errs.NotFound) {
		if ok, _ := as.Exists(id); ok {
			return assets.Asset{}, errComplete(id)
		}
		return assets.Asset{}, errs.New(errs.Gone, "upload_gone", "upload %s was cancelled or expired; create the file again", id)
	}
	if err != nil {
		return assets.Asset{}, err
	}
	l, err := p.layoutOf(id)
	if err != nil {
		return assets.Asset{}, err
	}
	count, partSize := l.Count, l.PartSize
	if index < 0 || index >= count {
		return assets.Asset{}, errs.NotFoundf("upload %s has parts 0 to %d, not %d", id, count-1, index)
	}
	off := int64(index) * partSize
	want := min(partSize, up.Size-off)
	switch {
	case length > want:
		return assets.Asset{}, errs.New(errs.TooLarge, "part_too_large", "part %d of this upload is %d bytes; the request sends %d", index, want, length)
	case length >= 0 && length < want:
		return assets.Asset{}, errs.New(errs.Invalid, "part_size", "part %d of this upload is %d bytes; the request sends %d", index, want, length)
	}

	key := id + "/" + strconv.Itoa(index)
	p.mu.Lock()
	if p.busy == nil {
		p.busy, p.completing = map[string]bool{}, map[string]bool{}
	}
	switch {
	case p.completing[id]:
		p.mu.Unlock()
		return assets.Asset{}, errComplete(id)
	case p.busy[key]:
		p.mu.Unlock()
		return assets.Asset{}, errs.New(errs.Conflict, "part_in_progress", "part %d of this upload is being sent by another request; retry when it ends", index)
	}
	p.busy[key] = true
	// A part sent again no longer counts until its new bytes are in: they
	// overwrite the old ones.
	err = as.Store.Update(func(tx *store.Tx) error { return tx.Delete(partKey(id, index)) })
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.busy, key)
		p.mu.Unlock()
	}()
	if err != nil {
		return assets.Asset{}, err
	}

	rec := partRecord{Size: want}
	if l.Multipart {
		rec.ETag, err = p.putS3(ctx, id, index, want, body)
	} else {
		err = p.write(id, up.Size, off, want, body)
	}
	if err != nil {
		return assets.Asset{}, err
	}
	rec.At = p.Uploads.now()

	p.mu.Lock()
	if p.completing[id] {
		p.mu.Unlock()
		return assets.Asset{}, errComplete(id)
	}
	done := 0
	err = as.Store.Update(func(tx *store.Tx) error {
		if err := tx.Put(partKey(id, index), rec); err != nil {
			return err
		}
		n, err := tx.Count(store.PrefixUploadPart + id + "/")
		done = n
		return err
	})
	last := err == nil && done == count
	if last {
		p.completing[id] = true
	}
	p.mu.Unlock()
	if err != nil || !last {
		return assets.Asset{}, err
	}
	defer func() {
		p.mu.Lock()
		delete(p.completing, id)
		p.mu.Unlock()
	}()
	return p.finish(id)
}

// write copies exactly want bytes of body to the parts file at off, and
// syncs them: a part is only recorded once it is durable.
func (p *Parts) write(id string, size, off, want int64, body io.Reader) error {
	f, err := os.OpenFile(p.path(id), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return err
	} else if st.Size() < size {
		// Sparse: the blocks are allocated as the parts arrive.
		if err := f.Truncate(size); err != nil {
			return diskErr(err)
		}
	}
	src := &readTracker{r: io.LimitReader(body, want)}
	_, err = io.CopyBuffer(io.NewOffsetWriter(f, off), src, make([]byte, 1<<20))
	if err := src.result(body, want, err, diskErr); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return diskErr(err)
	}
	return nil
}

// readTracker counts the bytes read and remembers the error its reader
// failed with, so that a failed copy tells the client's fault from the
// store's.
type readTracker struct {
	r   io.Reader
	n   int64
	eof bool
	err error
}

func (t *readTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	switch {
	case errors.Is(err, io.EOF):
		t.eof = true
	case err != nil:
		t.err = err
	}
	return n, err
}

// result judges the copy of a part of want bytes from body, which ended
// with copyErr: the client's faults (it went away, idled past the read
// deadline, sent too few or too many bytes) are 4xx; a failure of the
// store is what storeErr makes of it. Either way the part does not count.
func (t *readTracker) result(body io.Reader, want int64, copyErr error, storeErr func(error) error) error {
	short := errs.New(errs.Invalid, "part_size", "the part ended after %d of its %d bytes; send it again", t.n, want)
	switch {
	case t.err != nil:
		return errs.New(errs.Invalid, "part_incomplete", "the part stopped arriving after %d of its %d bytes (%v); send it again", t.n, want, t.err)
	case t.eof && t.n < want:
		return short
	case copyErr != nil:
		return storeErr(copyErr)
	case t.n < want:
		return short
	}
	var one [1]byte
	if k, _ := io.ReadFull(body, one[:]); k > 0 {
		return errs.New(errs.TooLarge, "part_too_large", "the part is longer than its %d bytes", want)
	}
	return nil
}

func diskErr(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return errs.New(errs.InsufficientStorage, "insufficient_storage", "the server's disk is full; send the part again when there is room")
	}
	return err
}

// finish turns a fully received upload into its asset.
func (p *Parts) finish(id string) (assets.Asset, error) {
	l, err := p.layoutOf(id)
	if err != nil {
		return assets.Asset{}, err
	}
	local := p.path(id)
	if l.Multipart {
		if err := p.completeS3(id, l); err != nil {
			return assets.Asset{}, err
		}
		local = ""
	}
	a, err := p.Uploads.Assets.Complete(id, local)
	if err != nil {
		return assets.Asset{}, err
	}
	// The tus upload made beside it (the children endpoint offers both) is done with.
	p.Uploads.forget(id)
	p.Uploads.dropParts(id)
	return a, nil
}

// Recover finishes uploads whose parts were all recorded but which a crash
// stopped before they became assets. It returns how many it finished.
func (p *Parts) Recover() (int, error) {
	pending, err := p.Uploads.Assets.ListPending()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, up := range pending {
		l, err := p.layoutOf(up.ID)
		if err != nil {
			continue
		}
		var done int
		p.Uploads.Assets.Store.View(func(tx *store.Tx) (err error) {
			done, err = tx.Count(store.PrefixUploadPart + up.ID + "/")
			return err
		})
		if done != l.Count {
			continue
		}
		if st, err := os.Stat(p.path(up.ID)); !l.Multipart && (err != nil || st.Size() != up.Size) {
			continue
		}
		if _, err := p.finish(up.ID); err != nil {
			// One upload that cannot finish (its project was deleted) must
			// not keep the server from starting; its parts stay for the sweeper.
			p.Uploads.Log.Warn("finishing an upload_urls upload failed", slog.String("upload", up.ID), slog.Any("err", err))
			continue
		}
		n++
	}
	return n, nil
}

// dropParts forgets the part records of upload id, its parts file and
// its multipart uploads in the bucket.
func (s *Service) dropParts(id string) {
	os.Remove(filepath.Join(s.Dir, id+".parts"))
	s.abortMultipart(id)
	var keys []string
	s.Assets.Store.View(func(tx *store.Tx) error {
		// IDs are UUIDs, so this prefix holds only the layout and parts of id.
		return tx.ScanKeys(store.PrefixUploadPart+id, func(k string) error {
			keys = append(keys, k)
			return nil
		})
	})
	if len(keys) == 0 {
		return
	}
	s.Assets.Store.Update(func(tx *store.Tx) error {
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
