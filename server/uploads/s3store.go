package uploads

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/minio/minio-go/v7"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/storage"
)

// s3Uploads keeps tus uploads as S3 multipart uploads of the original's
// own key, so finishing one is completing it: no byte is staged on the
// local disk and none is copied again. Per upload the bucket holds
//
//	uploads/<id>.info          the tus info and the multipart upload's ID
//	uploads/<id>.tail-<next>   bytes received beyond the last part, when
//	                           fewer than a part and not the end; they
//	                           will begin part <next>
//
// and the parts themselves, which S3 lists. A PATCH's bytes go up in parts
// of partBytes held in memory: what reached the store is the offset, so an
// upload resumes after a restart of Ferry, a dropped client or an outage
// of the store (the minio client retries each part with backoff first).
//
// The record outlives the multipart upload: finishing completes the
// multipart upload and the record goes only once the asset exists
// (Service.release). A record whose multipart upload is gone is therefore
// either finished (the original is at its key with the upload's size: a
// crash came between the completion and the asset) or lost (aborted, or
// never started: a crash during the creation).
type s3Uploads struct {
	b *storage.S3
}

// minPart is S3's smallest part but the last.
const minPart = 5 << 20

// partBytes is the part size of an upload of size bytes: 8 MiB, or more
// when 9 000 such parts would not hold it (S3 allows 10 000).
func partBytes(size int64) int64 {
	return max(8<<20, (size+8999)/9000)
}

type s3Info struct {
	Info        tusd.FileInfo
	MultipartID string
}

func (s s3Uploads) infoKey(id string) string { return "uploads/" + id + ".info" }

// tailKey names the tail that will begin part next: once part next
// exists the tail is in it, so a tail left by a crash between the part's
// upload and the tail's removal is recognized as stale, not counted twice.
func (s s3Uploads) tailKey(id string, next int) string {
	return fmt.Sprintf("uploads/%s.tail-%05d", id, next)
}

// removeTails removes every tail object of upload id.
func (s s3Uploads) removeTails(ctx context.Context, id string) {
	for o := range s.b.Client.ListObjects(ctx, s.b.Bucket, minio.ListObjectsOptions{Prefix: s.object("uploads/" + id + ".tail-")}) {
		if o.Err == nil {
			s.b.Client.RemoveObject(ctx, s.b.Bucket, o.Key, minio.RemoveObjectOptions{})
		}
	}
}

func (s s3Uploads) object(key string) string {
	obj, _ := s.b.Object(key) // keys built here are valid
	return obj
}

func (s s3Uploads) NewUpload(ctx context.Context, info tusd.FileInfo) (tusd.Upload, error) {
	if info.ID == "" {
		return nil, errors.New("uploads: an upload needs its asset ID")
	}
	// The record first: the sweep finds uploads by it, so no multipart
	// upload exists without one (but for a crash between the two writes).
	u := &s3Upload{s: s, info: info}
	if err := u.saveInfo(ctx); err != nil {
		return nil, err
	}
	mid, err := s.b.Core.NewMultipartUpload(ctx, s.b.Bucket, u.key(), minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		s.b.Remove(s.infoKey(info.ID))
		return nil, storeError(err)
	}
	u.mid = mid
	if err := u.saveInfo(ctx); err != nil {
		s.b.Core.AbortMultipartUpload(ctx, s.b.Bucket, u.key(), mid)
		s.b.Remove(s.infoKey(info.ID))
		return nil, err
	}
	return u, nil
}

func (s s3Uploads) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	f, err := s.b.Open(s.infoKey(id))
	if errors.Is(err, storage.ErrNotExist) {
		return nil, tusd.ErrNotFound
	}
	if err != nil {
		return nil, storeError(err)
	}
	var si s3Info
	err = json.NewDecoder(f).Decode(&si)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("uploads: %s: %w", s.infoKey(id), err)
	}
	u := &s3Upload{s: s, info: si.Info, mid: si.MultipartID}
	if err := u.load(ctx); err != nil {
		return nil, err
	}
	return u, nil
}

func (s s3Uploads) AsTerminatableUpload(up tusd.Upload) tusd.TerminatableUpload {
	return up.(*s3Upload)
}

// lastActivity is when upload id last received bytes (or was created).
func (s s3Uploads) lastActivity(id string) (time.Time, int64, bool) {
	up, err := s.GetUpload(context.Background(), id)
	if err != nil {
		return time.Time{}, 0, false
	}
	u := up.(*s3Upload)
	return u.last, u.info.Offset, true
}

// forget removes what the bucket holds of an unfinished upload: every
// multipart upload of its original's key (also one a crash left before
// its ID was recorded), its tails and its record. A completed original is
// never touched.
func (s s3Uploads) forget(ctx context.Context, id string) error {
	key := s.object(assets.OriginalKey(id))
	for m := range s.b.Client.ListIncompleteUploads(ctx, s.b.Bucket, key, false) {
		if m.Err != nil {
			return storeError(m.Err)
		}
		if m.Key != key {
			continue
		}
		if err := s.b.Core.AbortMultipartUpload(ctx, s.b.Bucket, key, m.UploadID); err != nil && !noSuchUpload(err) {
			return storeError(err)
		}
	}
	s.removeTails(ctx, id)
	return s.release(id)
}

// release removes the record of upload id.
func (s s3Uploads) release(id string) error { return s.b.Remove(s.infoKey(id)) }

func noSuchUpload(err error) bool { return minio.ToErrorResponse(err).Code == "NoSuchUpload" }

// storeError says that the object store failed, so the client retries.
func storeError(err error) error {
	return tusd.NewError("ERR_STORAGE_UNAVAILABLE", "the object store did not take the bytes ("+err.Error()+"); the bytes it holds are kept, resume the upload", 503)
}

type s3Upload struct {
	s     s3Uploads
	info  tusd.FileInfo
	mid   string
	parts []minio.ObjectPart
	tail  int64 // bytes in the .tail object
	last  time.Time
	whole bool // the multipart upload was completed: the original is at its key
}

func (u *s3Upload) key() string { return u.s.object(assets.OriginalKey(u.info.ID)) }

func (u *s3Upload) saveInfo(ctx context.Context) error {
	b, err := json.Marshal(s3Info{Info: u.info, MultipartID: u.mid})
	if err != nil {
		return err
	}
	if _, err := u.s.b.Client.PutObject(ctx, u.s.b.Bucket, u.s.object(u.s.infoKey(u.info.ID)), bytes.NewReader(b), int64(len(b)),
		minio.PutObjectOptions{ContentType: "application/json"}); err != nil {
		return storeError(err)
	}
	return nil
}

// load reads the parts and the tail: the offset is what the store holds.
func (u *s3Upload) load(ctx context.Context) error {
	u.parts, u.tail, u.last = nil, 0, time.Time{}
	if u.mid == "" { // a crash between the record and the multipart upload
		return tusd.ErrNotFound
	}
	marker := 0
	for {
		res, err := u.s.b.Core.ListObjectParts(ctx, u.s.b.Bucket, u.key(), u.mid, marker, 1000)
		if noSuchUpload(err) {
			return u.completed()
		}
		if err != nil {
			return storeError(err)
		}
		u.parts = append(u.parts, res.ObjectParts...)
		if !res.IsTruncated {
			break
		}
		marker = res.NextPartNumberMarker
	}
	sort.Slice(u.parts, func(i, j int) bool { return u.parts[i].PartNumber < u.parts[j].PartNumber })
	var off int64
	for _, p := range u.parts {
		off += p.Size
		if p.LastModified.After(u.last) {
			u.last = p.LastModified
		}
	}
	live := u.s.object(u.s.tailKey(u.info.ID, len(u.parts)+1))
	for o := range u.s.b.Client.ListObjects(ctx, u.s.b.Bucket, minio.ListObjectsOptions{Prefix: u.s.object("uploads/" + u.info.ID + ".tail-")}) {
		switch {
		case o.Err != nil:
			return storeError(o.Err)
		case o.Key == live:
			u.tail = o.Size
			if o.LastModified.After(u.last) {
				u.last = o.LastModified
			}
		default: // its bytes are in a part already
			u.s.b.Client.RemoveObject(ctx, u.s.b.Bucket, o.Key, minio.RemoveObjectOptions{})
		}
	}
	if st, err := u.s.b.Stat(u.s.infoKey(u.info.ID)); err == nil && st.ModTime().After(u.last) {
		u.last = st.ModTime()
	}
	u.info.Offset = off + u.tail
	return nil
}

// completed is load for an upload whose multipart upload is gone: whole
// if the original is at its key with the upload's size (completed by a
// process that died before the asset was written), else not found.
func (u *s3Upload) completed() error {
	st, err := u.s.b.Stat(assets.OriginalKey(u.info.ID))
	switch {
	case errors.Is(err, storage.ErrNotExist):
		return tusd.ErrNotFound
	case err != nil:
		return storeError(err)
	case st.Size() != u.info.Size:
		return tusd.ErrNotFound
	}
	u.whole, u.info.Offset, u.last = true, u.info.Size, st.ModTime()
	return nil
}

func (u *s3Upload) GetInfo(context.Context) (tusd.FileInfo, error) { return u.info, nil }

func (u *s3Upload) GetReader(context.Context) (io.ReadCloser, error) {
	return nil, errors.New("uploads: originals are read through the assets API")
}

// WriteChunk sends src on in parts. It returns the bytes the store now
// holds beyond offset: bytes read but not stored (the store failed) are
// not counted, and the client sends them again.
func (u *s3Upload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	if offset != u.info.Offset {
		return 0, tusd.ErrMismatchOffset
	}
	buf := make([]byte, 0, partBytes(u.info.Size))
	oldTail := u.tail
	if oldTail > 0 { // the tail becomes the start of the next part
		f, err := u.s.b.Open(u.s.tailKey(u.info.ID, len(u.parts)+1))
		if err != nil {
			return 0, storeError(err)
		}
		n, err := io.ReadFull(f, buf[:oldTail])
		f.Close()
		if err != nil {
			return 0, storeError(fmt.Errorf("reading the tail: %w", err))
		}
		buf = buf[:n]
	}
	inParts := u.info.Offset - oldTail // bytes already in parts
	var readErr error
	for {
		for len(buf) < cap(buf) && readErr == nil {
			var n int
			n, readErr = src.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
		}
		atEnd := inParts+int64(len(buf)) == u.info.Size
		if len(buf) == 0 || len(buf) < cap(buf) && !atEnd {
			break // the body ended (or failed) before a part was full
		}
		if err := u.putPart(ctx, buf); err != nil {
			return u.settle(inParts, oldTail), err
		}
		inParts += int64(len(buf))
		buf = buf[:0]
		if oldTail > 0 { // it went into the part just made
			u.s.b.Remove(u.s.tailKey(u.info.ID, len(u.parts)))
			oldTail = 0
		}
		if atEnd || readErr != nil {
			break
		}
	}
	// Fewer bytes than a part and not the end: kept as the tail until more come.
	if tail := int64(len(buf)); tail > oldTail {
		if _, err := u.s.b.Client.PutObject(ctx, u.s.b.Bucket, u.s.object(u.s.tailKey(u.info.ID, len(u.parts)+1)), bytes.NewReader(buf), tail,
			minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
			return u.settle(inParts, oldTail), storeError(err)
		}
		oldTail = tail
	}
	if errors.Is(readErr, io.EOF) {
		readErr = nil
	}
	return u.settle(inParts, oldTail), readErr
}

// settle records what the store holds (inParts in parts, tail in the tail
// object) and returns how much that grew in this call.
func (u *s3Upload) settle(inParts, tail int64) int64 {
	grew := inParts + tail - u.info.Offset
	u.tail, u.info.Offset, u.last = tail, inParts+tail, time.Now()
	return grew
}

func (u *s3Upload) putPart(ctx context.Context, buf []byte) error {
	n := len(u.parts) + 1
	p, err := u.s.b.Core.PutObjectPart(ctx, u.s.b.Bucket, u.key(), u.mid, n, bytes.NewReader(buf), int64(len(buf)), minio.PutObjectPartOptions{})
	if err != nil {
		return storeError(err)
	}
	u.parts = append(u.parts, p)
	return nil
}

// FinishUpload completes the multipart upload: the original appears at
// its key, whole, in one step. The record stays until the asset exists
// (Service.release), so a crash in between is finished on restart.
func (u *s3Upload) FinishUpload(ctx context.Context) error {
	if !u.whole { // else completed before a crash: only the tails are left to remove
		if err := u.complete(ctx); err != nil {
			return err
		}
		u.whole = true
	}
	u.s.removeTails(ctx, u.info.ID)
	return nil
}

func (u *s3Upload) complete(ctx context.Context) error {
	if u.info.Size == 0 {
		if err := u.s.b.Put(assets.OriginalKey(u.info.ID), bytes.NewReader(nil), 0); err != nil {
			return storeError(err)
		}
		u.s.b.Core.AbortMultipartUpload(ctx, u.s.b.Bucket, u.key(), u.mid)
		return nil
	}
	done := make([]minio.CompletePart, len(u.parts))
	for i, p := range u.parts {
		done[i] = minio.CompletePart{PartNumber: p.PartNumber, ETag: p.ETag}
	}
	if _, err := u.s.b.Core.CompleteMultipartUpload(ctx, u.s.b.Bucket, u.key(), u.mid, done, minio.PutObjectOptions{}); err != nil {
		return storeError(err)
	}
	return nil
}

// Terminate aborts the multipart upload and removes its records.
func (u *s3Upload) Terminate(ctx context.Context) error { return u.s.forget(ctx, u.info.ID) }

// S3Store is the tus store Service uses for a bucket, for driving it
// directly (tests, tools).
func S3Store(b *storage.S3) interface {
	tusd.DataStore
	tusd.TerminaterDataStore
	// Release removes the record of an upload whose asset exists.
	Release(id string) error
} {
	return s3Uploads{b: b}
}

// Release implements S3Store's Release.
func (s s3Uploads) Release(id string) error { return s.release(id) }
