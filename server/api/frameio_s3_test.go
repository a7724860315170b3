package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// s3PartsFixture is a server on one backend with parts of 10 MiB, the
// smallest layout whose parts S3 takes as multipart parts.
type s3PartsFixture struct {
	s    *testkit.Server
	m    *testkit.MinIOServer // nil on disk
	c    *testkit.Client
	root string
}

func newPartsFixture(t *testing.T, s3 bool, mod ...func(*config.Config)) s3PartsFixture {
	return newPartsFixtureAt(t, nil, s3, mod...)
}

// newPartsFixtureAt is newPartsFixture with the server's time on clk.
func newPartsFixtureAt(t *testing.T, clk *clock.Clock, s3 bool, mod ...func(*config.Config)) s3PartsFixture {
	var f s3PartsFixture
	backend := testkit.OnDisk // also under FERRY_TEST_STORAGE=s3
	if s3 {
		f.m = testkit.MinIO(t)
		backend = func(c *config.Config) { f.m.Use(c, "ferry") }
	}
	f.s = startAt(t, clk, append([]func(*config.Config){backend, func(c *config.Config) { c.Limits.UploadPartBytes = 10 << 20 }}, mod...)...)
	f.c = f.s.TokenClient(t, "assets.read", "assets.create")
	_, f.root = linkProject(t, f.s.Admin(t), "Parts")
	return f
}

// object is the bucket's name for the original of asset id.
func (f s3PartsFixture) object(id string) string { return "ferry/originals/" + id[:2] + "/" + id }

// multipart counts the multipart uploads of asset id's original (0 on disk).
func (f s3PartsFixture) multipart(id string) int {
	if f.m == nil {
		return 0
	}
	return len(f.m.IncompleteUploads(f.object(id)))
}

// staged lists what data/uploads holds of asset id.
func (f s3PartsFixture) staged(id string) []string {
	left, _ := filepath.Glob(filepath.Join(f.s.DataDir, "uploads", id+"*"))
	return left
}

// TestFrameioPartsOnEachBackend: upload_urls parts as large as S3 takes
// them, on disk and in a bucket (one body, a row per backend). With s3
// each part streams into one part of a multipart upload of the original:
// nothing is staged in data/uploads, a part allocates far less than its
// size, refused parts start nothing in the bucket, a part cut mid-way or
// sent with wrong bytes is replaced by its retry, parallel parts make one
// byte-identical original and no multipart upload is left.
func TestFrameioPartsOnEachBackend(t *testing.T) {
	for _, row := range []struct {
		name string
		s3   bool
	}{{"disk", false}, {"s3", true}} {
		t.Run(row.name, func(t *testing.T) {
			f := newPartsFixture(t, row.s3)
			data := randomBytes(25<<20 + 123)
			a := createV2File(t, f.c, f.root, "clip.mov", "video/quicktime", len(data))
			other := createV2File(t, f.c, f.root, "other.mov", "video/quicktime", len(data))
			parts := cut(data, len(a.UploadURLs))
			if len(parts) != 3 {
				t.Fatalf("%d parts, want 3", len(parts))
			}
			// The tus upload the children endpoint makes beside the parts
			// is a multipart upload of its own in the bucket.
			tusUploads := f.multipart(a.ID)

			for _, tt := range []struct{ name, url string }{
				{"tampered signature", withQuery(t, a.UploadURLs[0], "signature", strings.Repeat("A", 43))},
				{"no signature", strings.Split(a.UploadURLs[0], "?")[0]},
				{"another asset's URL", strings.Replace(other.UploadURLs[0], other.ID, a.ID, 1)},
				{"this asset's URL sent to another asset", strings.Replace(a.UploadURLs[0], a.ID, other.ID, 1)},
				{"another part's URL", strings.Replace(a.UploadURLs[0], a.ID+"/0?", a.ID+"/1?", 1)},
			} {
				// Refused before the body is read: the client sends a little
				// of it and reads the answer, as one sending the whole part
				// would learn of the refusal from a reset connection.
				wantStatus(t, tt.name, putCutPart(t, tt.url, parts[0], 1000), 403, "bad_signature")
			}
			if n := f.multipart(a.ID) + f.multipart(other.ID); n != 2*tusUploads {
				t.Fatalf("refused parts started %d multipart uploads", n-2*tusUploads)
			}

			wantStatus(t, "part cut mid-way", putCutPart(t, a.UploadURLs[1], parts[1], 3<<20), 400, "part_size")
			wrong := bytes.Repeat([]byte{0xAA}, len(parts[1]))
			var res *http.Response
			alloc := allocatedBy(func() { res = putPart(t, a.UploadURLs[1], wrong, len(wrong)) })
			wantStatus(t, "part with wrong bytes", res, 200, "")
			if alloc > 4<<20 {
				t.Fatalf("a %d-byte part allocated %d bytes: it was buffered, not streamed", len(wrong), alloc)
			}
			if row.s3 {
				if n := f.multipart(a.ID); n != tusUploads+1 {
					t.Fatalf("%d multipart uploads after a part, want the tus one and the parts' one", n)
				}
				if left := f.staged(a.ID); len(left) > 0 {
					t.Fatalf("a part was staged on the local disk: %v", left)
				}
			}

			putInParallel(t, a, parts) // part 1 again, with its right bytes
			got := waitChecksum(t, f.c, a.ID)
			if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
				t.Fatalf("original differs (%d bytes)", len(b))
			}
			if left := f.staged(a.ID); len(left) > 0 {
				t.Fatalf("left in data/uploads: %v", left)
			}
			if row.s3 {
				if n := f.multipart(a.ID); n != 0 {
					t.Fatalf("%d multipart uploads left after the upload completed", n)
				}
				if !slices.Contains(f.m.Keys("ferry/originals/"), f.object(a.ID)) {
					t.Fatal("the original is not in the bucket")
				}
				if left := f.m.Keys("ferry/uploads/" + a.ID); len(left) > 0 {
					t.Fatalf("tus records left: %v", left)
				}
			}
			wantStatus(t, "part after completion", putCutPart(t, a.UploadURLs[0], parts[0], 1000), 409, "upload_complete")
		})
	}
}

// TestFrameioPartsS3Expire: an upload_urls upload given up is swept like
// an idle tus upload: the sweep aborts its multipart uploads in the bucket
// (listed per key) and removes its records, and a late part is told the
// upload is gone and starts nothing new.
func TestFrameioPartsS3Expire(t *testing.T) {
	clk := clock.New(time.Now())
	f := newPartsFixtureAt(t, clk, true, func(c *config.Config) { c.Limits.UploadExpiry = config.Duration(2 * time.Second) })
	data := randomBytes(25<<20 + 123)
	a := createV2File(t, f.c, f.root, "idle.mov", "video/quicktime", len(data))
	parts := cut(data, len(a.UploadURLs))
	wantStatus(t, "part 0", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	if n := f.multipart(a.ID); n != 2 {
		t.Fatalf("%d multipart uploads, want 2 (tus, parts)", n)
	}
	// The upload sits idle past its expiry; the sweeper (every second)
	// aborts it.
	clk.Advance(time.Minute)
	poll.Until(t, 20*time.Second, func() error {
		if f.multipart(a.ID) > 0 {
			return fmt.Errorf("multipart uploads still open after the expiry: %v", f.m.IncompleteUploads(f.object(a.ID)))
		}
		return nil
	})
	wantStatus(t, "late part", putCutPart(t, a.UploadURLs[1], parts[1], 1000), 410, "upload_gone")
	wantStatus(t, "asset", f.c.Do("GET", "/api/v2/assets/"+a.ID, nil, nil), 404, "")
	if n := f.multipart(a.ID); n != 0 {
		t.Fatalf("a late part started a multipart upload")
	}
	if left := f.m.Keys("ferry/uploads/" + a.ID); len(left) > 0 {
		t.Fatalf("records left in the bucket: %v", left)
	}
	if left := f.m.Keys(f.object(a.ID)); len(left) > 0 {
		t.Fatalf("an original appeared: %v", left)
	}
	if left, _ := os.ReadDir(filepath.Join(f.s.DataDir, "uploads")); len(left) > 0 {
		t.Fatalf("files in data/uploads: %v", left)
	}
}

// TestFrameioPartsS3RecoverAfterACrash: when the server stops after the
// last part reached the multipart upload and was recorded, but before the
// upload became its asset, the next start completes the multipart upload
// from the records. The stop is simulated by sending the last part into
// the multipart upload directly and recording it with the server down.
func TestFrameioPartsS3RecoverAfterACrash(t *testing.T) {
	m := testkit.MinIO(t)
	dir := t.TempDir()
	mod := func(c *config.Config) { m.Use(c, "ferry"); c.Limits.UploadPartBytes = 10 << 20 }
	s := testkit.StartIn(t, dir, mod)
	c, data, a := newV2Upload(t, s, "Crash", "crash.mov", "video/quicktime", 25<<20+123)
	parts := cut(data, len(a.UploadURLs))
	for i := 0; i < 2; i++ {
		wantStatus(t, "part", putPart(t, a.UploadURLs[i], parts[i], len(parts[i])), 200, "")
	}
	s.Stop()

	st, err := store.Open(filepath.Join(dir, "db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// Partial on purpose: the stored record of package uploads, read from outside it.
	var l struct {
		UploadID string `json:"upload_id"`
	}
	if err := st.View(func(tx *store.Tx) error { return tx.Get(store.PrefixUploadPart+a.ID, &l) }); err != nil || l.UploadID == "" {
		t.Fatalf("no multipart upload recorded for the parts: %+v %v", l, err)
	}
	core := minio.Core{Client: m.Client}
	p, err := core.PutObjectPart(context.Background(), m.Bucket, "ferry/originals/"+a.ID[:2]+"/"+a.ID, l.UploadID, 3,
		bytes.NewReader(parts[2]), int64(len(parts[2])), minio.PutObjectPartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(tx *store.Tx) error {
		return tx.Put(fmt.Sprintf("%s%s/%05d", store.PrefixUploadPart, a.ID, 2), map[string]any{"size": len(parts[2]), "etag": p.ETag})
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	s = testkit.StartIn(t, dir, mod)
	c = s.TokenClient(t, "assets.read", "assets.create")
	got := waitChecksum(t, c, a.ID)
	if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
		t.Fatal("recovered original differs")
	}
	if left := m.IncompleteUploads("ferry/originals/" + a.ID[:2] + "/" + a.ID); len(left) > 0 {
		t.Fatalf("multipart uploads left: %v", left)
	}
}
