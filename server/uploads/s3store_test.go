package uploads_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/uploads"
)

// failAfter gives n bytes of data, then fails like a dropped connection.
type failAfter struct {
	data []byte
	n    int
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := copy(p, f.data[:min(f.n, len(p))])
	f.data, f.n = f.data[k:], f.n-k
	return k, nil
}

// TestS3UploadsResume drives the multipart store as tusd does, with PATCHes
// that end inside a part, below S3's smallest part, and cut mid-way; each
// PATCH starts from a fresh GetUpload, as after a restart.
func TestS3UploadsResume(t *testing.T) {
	m, b := newBucket(t)
	s := uploads.S3Store(b)
	ctx := context.Background()
	data := testkit.RandomBytes(t, 32<<20+105)
	id := uuid.NewString()
	if _, err := s.NewUpload(ctx, tusd.FileInfo{ID: id, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	patches := []struct {
		n     int  // bytes the client sends
		cut   bool // the connection drops after them
		stale bool // then a crash leaves the consumed tail behind
	}{
		{3 << 20, false, false},    // below a part: the tail
		{1, false, false},          // one more byte into the tail
		{9<<20 + 2, true, true},    // tail + a full part, then a cut
		{100, false, false},        // small again
		{20<<20 + 2, false, false}, // the rest
	}
	off := 0
	for i, p := range patches {
		up, err := s.GetUpload(ctx, id)
		if err != nil {
			t.Fatalf("patch %d: GetUpload: %v", i, err)
		}
		info, _ := up.GetInfo(ctx)
		if info.Offset != int64(off) {
			t.Fatalf("patch %d: offset %d, want %d", i, info.Offset, off)
		}
		var src io.Reader = bytes.NewReader(data[off : off+p.n])
		if p.cut {
			src = &failAfter{data: data[off : off+p.n], n: p.n}
		}
		n, err := up.WriteChunk(ctx, int64(off), src)
		if p.cut && !errors.Is(err, io.ErrUnexpectedEOF) || !p.cut && err != nil {
			t.Fatalf("patch %d: WriteChunk: %d, %v", i, n, err)
		}
		if n != int64(p.n) {
			t.Fatalf("patch %d: stored %d, want %d", i, n, p.n)
		}
		off += p.n
		if p.stale { // as if the process died between the part and the tail's removal
			stale := []byte("stale tail bytes")
			if _, err := m.Client.PutObject(ctx, m.Bucket, "ferry/uploads/"+id+".tail-00001", bytes.NewReader(stale), int64(len(stale)), minio.PutObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if off != len(data) {
		t.Fatalf("the table sends %d of %d bytes", off, len(data))
	}
	up, err := s.GetUpload(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := up.FinishUpload(ctx); err != nil {
		t.Fatal(err)
	}
	// A crash before the asset is written: the record is still there and
	// tells, from the completed original, that the upload is whole.
	up, err = s.GetUpload(ctx, id)
	if err != nil {
		t.Fatalf("GetUpload after the multipart upload was completed: %v", err)
	}
	if info, _ := up.GetInfo(ctx); info.Offset != int64(len(data)) {
		t.Fatalf("after completion: offset %d, want %d", info.Offset, len(data))
	}
	if err := up.FinishUpload(ctx); err != nil {
		t.Fatalf("finishing again after a crash: %v", err)
	}
	f, err := b.Open(assets.OriginalKey(id))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) {
		t.Fatalf("the completed object differs: %d bytes", len(got))
	}
	if left := m.IncompleteUploads("ferry/" + assets.OriginalKey(id)); len(left) > 0 {
		t.Fatalf("multipart uploads left: %v", left)
	}
	if err := s.Release(id); err != nil {
		t.Fatal(err)
	}
	if left := m.Keys("ferry/uploads/"); len(left) > 0 {
		t.Fatalf("records left: %v", left)
	}
	if _, err := s.GetUpload(ctx, id); !errors.Is(err, tusd.ErrNotFound) {
		t.Fatalf("GetUpload of a finished upload: %v, want ErrNotFound", err)
	}
}

// TestS3UploadsCrashDuringCreation: a crash between the record and the
// multipart upload leaves a record without the upload's ID (and perhaps a
// multipart upload no record names). The upload is not found, so the
// client starts again, and terminating it aborts every multipart upload of
// its key and removes its record.
func TestS3UploadsCrashDuringCreation(t *testing.T) {
	m, b := newBucket(t)
	s := uploads.S3Store(b)
	ctx := context.Background()
	id := uuid.NewString()
	key := "ferry/" + assets.OriginalKey(id)
	rec := []byte(`{"Info":{"ID":"` + id + `","Size":10000000},"MultipartID":""}`)
	if _, err := m.Client.PutObject(ctx, m.Bucket, "ferry/uploads/"+id+".info", bytes.NewReader(rec), int64(len(rec)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Core.NewMultipartUpload(ctx, m.Bucket, key, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUpload(ctx, id); !errors.Is(err, tusd.ErrNotFound) {
		t.Fatalf("GetUpload of a record without its multipart upload: %v, want ErrNotFound", err)
	}
	up, err := s.NewUpload(ctx, tusd.FileInfo{ID: id, Size: 10_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if left := m.IncompleteUploads(key); len(left) != 2 {
		t.Fatalf("multipart uploads of the key: %v, want the unrecorded one and the new one", left)
	}
	if err := s.AsTerminatableUpload(up).Terminate(ctx); err != nil {
		t.Fatal(err)
	}
	if left := m.IncompleteUploads(key); len(left) > 0 {
		t.Fatalf("multipart uploads left after Terminate: %v", left)
	}
	if left := m.Keys("ferry/uploads/"); len(left) > 0 {
		t.Fatalf("records left after Terminate: %v", left)
	}
}

// newBucket is a MinIO of the test's own and Ferry's bucket on it.
func newBucket(t *testing.T) (*testkit.MinIOServer, *storage.S3) {
	t.Helper()
	m := testkit.MinIO(t)
	b, err := storage.NewS3(storage.S3Options{Endpoint: m.Endpoint, Region: "us-east-1", Bucket: m.Bucket,
		Prefix: "ferry", PathStyle: true, AccessKey: m.AccessKey, SecretKey: m.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return m, b
}
