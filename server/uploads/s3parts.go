package uploads

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Frame.io upload_urls parts over an S3 multipart upload of the original's
// key: part i of the upload is part i+1 of the multipart upload, streamed
// from the PUT's body with its length (nothing is held in memory or staged
// on disk), and completing the multipart upload when the last part is in
// makes the original. The multipart upload is started by the first part
// and its ID kept in the layout record; a part sent again replaces its
// S3 part. It is separate from the tus upload the children endpoint makes
// beside it, which is aborted when the parts complete.

// maxS3Part is S3's largest part.
const maxS3Part = 5 << 30

// s3Sized says whether count parts of partSize bytes fit S3's part sizes:
// every part but the last at least minPart, none above maxS3Part. Parts
// cut smaller (limits.upload_part_bytes under 10 MiB) are assembled on
// the local disk and then sent to the bucket whole, as before.
func s3Sized(count int, partSize int64) bool {
	return partSize <= maxS3Part && (count == 1 || partSize >= minPart)
}

// multipartID is the ID of upload id's multipart upload, started by the
// first part to need it (one at a time per upload, so parallel first parts
// share one).
func (p *Parts) multipartID(ctx context.Context, id string) (string, error) {
	defer p.starting.Lock(id)()
	l, err := p.layoutOf(id)
	if err != nil || l.UploadID != "" {
		return l.UploadID, err
	}
	b := p.Uploads.Bucket
	obj := s3Uploads{b}.object(assets.OriginalKey(id))
	mid, err := b.Core.NewMultipartUpload(ctx, b.Bucket, obj, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return "", partStoreErr(err)
	}
	l.UploadID = mid
	if err := p.Uploads.Assets.Store.Update(func(tx *store.Tx) error { return tx.Put(layoutKey(id), l) }); err != nil {
		b.Core.AbortMultipartUpload(ctx, b.Bucket, obj, mid)
		return "", err
	}
	return mid, nil
}

// putS3 streams exactly want bytes of body into part index of upload id's
// multipart upload and returns the part's ETag.
func (p *Parts) putS3(ctx context.Context, id string, index int, want int64, body io.Reader) (string, error) {
	mid, err := p.multipartID(ctx, id)
	if err != nil {
		return "", err
	}
	b := p.Uploads.Bucket
	src := &readTracker{r: io.LimitReader(body, want)}
	part, err := b.Core.PutObjectPart(ctx, b.Bucket, s3Uploads{b}.object(assets.OriginalKey(id)), mid, index+1, src, want, minio.PutObjectPartOptions{})
	if err := src.result(body, want, err, partStoreErr); err != nil {
		return "", err
	}
	return part.ETag, nil
}

// partStoreErr says that the object store did not take a part.
func partStoreErr(err error) error {
	return errs.New(errs.Unavailable, "storage_unavailable", "the object store did not take the part (%v); send it again", err)
}

// completeS3 completes upload id's multipart upload from its part records.
// A crash after an earlier completion left the object whole: then the
// multipart upload is gone and the object has the upload's size.
func (p *Parts) completeS3(id string, l layout) error {
	var done []minio.CompletePart
	err := p.Uploads.scanParts(id, func(index int, r partRecord) {
		done = append(done, minio.CompletePart{PartNumber: index + 1, ETag: r.ETag})
	})
	if err != nil {
		return err
	}
	b := p.Uploads.Bucket
	ctx := context.Background()
	_, err = b.Core.CompleteMultipartUpload(ctx, b.Bucket, s3Uploads{b}.object(assets.OriginalKey(id)), l.UploadID, done, minio.PutObjectOptions{})
	if err == nil {
		return nil
	}
	if minio.ToErrorResponse(err).Code == "NoSuchUpload" {
		up, perr := p.Uploads.Assets.Pending(id)
		if st, serr := b.Stat(assets.OriginalKey(id)); perr == nil && serr == nil && st.Size() == up.Size {
			return nil
		}
	}
	return partStoreErr(err)
}

// abortMultipart aborts every multipart upload of upload id's original
// (its upload_urls parts, and one a crash left before its ID was
// recorded); the bucket lists them per object key.
func (s *Service) abortMultipart(id string) {
	b := s.Bucket
	if b == nil {
		return
	}
	ctx := context.Background()
	obj := s3Uploads{b}.object(assets.OriginalKey(id))
	res, err := b.Core.ListMultipartUploads(ctx, b.Bucket, obj, "", "", "", 1000)
	if err != nil {
		s.Log.Warn("listing multipart uploads failed", "upload", id, "err", err)
		return
	}
	for _, u := range res.Uploads {
		if u.Key != obj {
			continue
		}
		if err := b.Core.AbortMultipartUpload(ctx, b.Bucket, obj, u.UploadID); err != nil && minio.ToErrorResponse(err).Code != "NoSuchUpload" {
			s.Log.Warn("aborting a multipart upload failed", "upload", id, "err", err)
		}
	}
}

// partsActivity is when upload id last received a part (zero: none).
func (s *Service) partsActivity(id string) time.Time {
	var last time.Time
	s.scanParts(id, func(_ int, r partRecord) {
		if r.At.After(last) {
			last = r.At
		}
	})
	return last
}

// scanParts calls fn with the records of upload id's parts, in part order
// (their keys hold the zero-padded index).
func (s *Service) scanParts(id string, fn func(index int, r partRecord)) error {
	prefix := store.PrefixUploadPart + id + "/"
	return s.Assets.Store.View(func(tx *store.Tx) error {
		return tx.Scan(prefix, func(k string, val []byte) error {
			index, err := strconv.Atoi(strings.TrimPrefix(k, prefix))
			if err != nil {
				return fmt.Errorf("uploads: bad part key %q", k)
			}
			var r partRecord
			if err := json.Unmarshal(val, &r); err != nil {
				return fmt.Errorf("uploads: %s: %w", k, err)
			}
			fn(index, r)
			return nil
		})
	})
}
