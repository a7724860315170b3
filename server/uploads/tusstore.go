package uploads

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ferryhq/ferry/server/assets"
)

// tusStore is where tus uploads are kept while they run: tusd's filestore
// in Dir, or s3Uploads in the bucket.
type tusStore interface {
	tusd.DataStore
	tusd.TerminaterDataStore
}

// received is when upload id last received bytes and how many it holds.
func (s *Service) received(id string) (time.Time, int64, bool) {
	if b, ok := s.files.(s3Uploads); ok {
		return b.lastActivity(id)
	}
	st, err := os.Stat(filepath.Join(s.Dir, id))
	if err != nil {
		return time.Time{}, 0, false
	}
	return st.ModTime(), st.Size(), true
}

// forget removes the tus state of an upload (its bytes if unfinished).
func (s *Service) forget(id string) error {
	if b, ok := s.files.(s3Uploads); ok {
		return b.forget(context.Background(), id)
	}
	os.Remove(filepath.Join(s.Dir, id))
	os.Remove(filepath.Join(s.Dir, id+".info"))
	return nil
}

// release removes the tus record of an upload that became an asset. A
// record a failure leaves behind is removed by the sweep.
func (s *Service) release(id string) {
	if b, ok := s.files.(s3Uploads); ok {
		b.release(id)
		return
	}
	os.Remove(filepath.Join(s.Dir, id+".info"))
}

// complete finishes the tus side of an upload whose bytes all arrived and
// returns the local file to import ("" when the bytes are in the bucket).
func (s *Service) complete(up assets.Upload) (string, bool) {
	if b, ok := s.files.(s3Uploads); ok {
		u, err := b.GetUpload(context.Background(), up.ID)
		if err != nil {
			return "", false
		}
		if info, _ := u.GetInfo(context.Background()); info.Offset != up.Size || u.FinishUpload(context.Background()) != nil {
			return "", false
		}
		return "", true
	}
	bin := filepath.Join(s.Dir, up.ID)
	st, err := os.Stat(bin)
	return bin, err == nil && st.Size() == up.Size
}

// sweepBucket removes the uploads in the bucket that no pending upload
// owns (given up, or left by a crash before their record was written),
// once older than a grace for creations under way: it aborts their
// multipart upload and removes their records. It finds them by their
// .info objects, written before the multipart upload starts, because
// MinIO lists multipart uploads only per object key, not by prefix.
func (s *Service) sweepBucket(known map[string]bool, now time.Time) (int, error) {
	b := s.Bucket
	n := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for o := range b.Client.ListObjects(ctx, b.Bucket, minio.ListObjectsOptions{Prefix: b.Prefix + "uploads/"}) {
		if o.Err != nil {
			return n, o.Err
		}
		id := strings.TrimSuffix(path.Base(o.Key), ".info")
		if _, err := uuid.Parse(id); err != nil || known[id] || now.Sub(o.LastModified) < 5*time.Second {
			continue
		}
		if _, err := s.Assets.Pending(id); err == nil {
			continue // created since the records were listed
		}
		if err := (s3Uploads{b}).forget(ctx, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
