package uploads

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
)

// Objects of deleted assets. Deleting an asset removes its original and
// renditions from the bucket after the database commits; when the bucket
// is unreachable then, or the process dies in between, the objects stay
// with no record naming them (and Badger compacts the deletion away). The
// orphan sweep lists the bucket's originals/ and proxies/ and removes the
// objects of asset IDs that neither exist nor are being uploaded, once
// older than Expiry: no upload, copy or migration writes an object that
// long before its record.

// orphanEvery is how often the sweeper looks for orphans (at most).
const orphanEvery = time.Hour

// sweepOrphans removes the bucket's objects of assets that no longer
// exist; it returns how many.
func (s *Service) sweepOrphans(now time.Time) (int, error) {
	b := s.Bucket
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	alive := map[string]bool{}
	n := 0
	for _, dir := range []string{"originals/", "proxies/"} {
		for o := range b.Client.ListObjects(ctx, b.Bucket, minio.ListObjectsOptions{Prefix: b.Prefix + dir, Recursive: true}) {
			if o.Err != nil {
				return n, o.Err
			}
			// originals/<ab>/<id> and proxies/<ab>/<id>/<name>
			parts := strings.SplitN(strings.TrimPrefix(o.Key, b.Prefix+dir), "/", 3)
			if len(parts) < 2 || now.Sub(o.LastModified) < s.Expiry {
				continue
			}
			id := parts[1]
			if _, err := uuid.Parse(id); err != nil || !strings.HasPrefix(id, parts[0]) {
				continue // not a name Ferry gives
			}
			live, known := alive[id]
			if !known {
				exists, err := s.Assets.Exists(id)
				if err != nil {
					return n, err
				}
				_, perr := s.Assets.Pending(id)
				live = exists || perr == nil
				alive[id] = live
			}
			if live {
				continue
			}
			if err := b.Client.RemoveObject(ctx, b.Bucket, o.Key, minio.RemoveObjectOptions{}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
