package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
)

// backends are the stores every contract test runs against: the same
// test body, one row per backend.
func backends(t *testing.T) []struct {
	name string
	open func(t *testing.T) storage.Blobs
} {
	return []struct {
		name string
		open func(t *testing.T) storage.Blobs
	}{
		{"disk", func(t *testing.T) storage.Blobs { return storage.Disk{Root: t.TempDir()} }},
		{"disk with grouped syncs", func(t *testing.T) storage.Blobs { return storage.NewDisk(t.TempDir()) }},
		{"s3", func(t *testing.T) storage.Blobs { return openS3(t, testkit.MinIO(t), "pre/fix") }},
	}
}

func openS3(t *testing.T, m *testkit.MinIOServer, prefix string) *storage.S3 {
	t.Helper()
	s, err := storage.NewS3(storage.S3Options{Endpoint: m.Endpoint, Region: "us-east-1", Bucket: m.Bucket,
		Prefix: prefix, PathStyle: true, AccessKey: m.AccessKey, SecretKey: m.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func put(t *testing.T, b storage.Blobs, key string, data []byte) {
	t.Helper()
	w, err := b.Create(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBlobsContract(t *testing.T) {
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			b := be.open(t)
			data := testkit.RandomBytes(t, 3<<20+17)
			if _, err := b.Stat("originals/ab/abc"); !errors.Is(err, storage.ErrNotExist) {
				t.Fatalf("Stat of a missing key: %v, want ErrNotExist", err)
			}
			if _, err := b.Open("originals/ab/abc"); !errors.Is(err, storage.ErrNotExist) {
				t.Fatalf("Open of a missing key: %v, want ErrNotExist", err)
			}

			// Create is atomic: nothing is visible before Close.
			w, err := b.Create("originals/ab/abc")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(data[:1<<20]); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Stat("originals/ab/abc"); !errors.Is(err, storage.ErrNotExist) {
				t.Fatalf("a key being written is visible before Close: %v", err)
			}
			if _, err := w.Write(data[1<<20:]); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			st, err := b.Stat("originals/ab/abc")
			if err != nil || st.Size() != int64(len(data)) {
				t.Fatalf("Stat: %v %v, want size %d", st, err, len(data))
			}

			f, err := b.Open("originals/ab/abc")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			all, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(all, data) {
				t.Fatalf("ReadAll: %d bytes, err %v; equal %v", len(all), err, bytes.Equal(all, data))
			}
			// Ranges: a SectionReader (the download path), a seek, a read at the end.
			for _, r := range [][2]int64{{0, 1}, {5, 1 << 20}, {int64(len(data)) - 10, 10}, {1 << 20, 2 << 20}} {
				got, err := io.ReadAll(io.NewSectionReader(f, r[0], r[1]))
				if err != nil || !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
					t.Fatalf("range %v: %d bytes, err %v", r, len(got), err)
				}
			}
			if _, err := f.Seek(100, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			head := make([]byte, 50)
			if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, data[100:150]) {
				t.Fatalf("read after seek: %v", err)
			}
			if n, err := f.ReadAt(make([]byte, 10), int64(len(data))); n != 0 || err != io.EOF {
				t.Fatalf("ReadAt past the end: %d %v, want 0 EOF", n, err)
			}

			// Import moves a local file in.
			local := filepath.Join(t.TempDir(), "upload")
			if err := os.WriteFile(local, data[:1000], 0o600); err != nil {
				t.Fatal(err)
			}
			if err := b.Import(local, "proxies/ab/abc/thumb.jpg"); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(local); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("Import left the local file: %v", err)
			}
			put(t, b, "proxies/ab/abc/720.mp4", data[:10])
			put(t, b, "proxies/ab/abcd/720.mp4", data[:10]) // a sibling with a longer name survives RemoveAll
			if err := b.RemoveAll("proxies/ab/abc"); err != nil {
				t.Fatal(err)
			}
			for key, want := range map[string]bool{"proxies/ab/abc/thumb.jpg": false, "proxies/ab/abc/720.mp4": false,
				"proxies/ab/abcd/720.mp4": true, "originals/ab/abc": true} {
				if _, err := b.Stat(key); (err == nil) != want {
					t.Errorf("after RemoveAll: Stat(%s) = %v, want present %v", key, err, want)
				}
			}
			if err := b.Remove("originals/ab/abc"); err != nil {
				t.Fatal(err)
			}
			if err := b.Remove("originals/ab/abc"); err != nil {
				t.Fatalf("removing an absent key: %v", err)
			}
			for _, bad := range []string{"", "../x", "/etc/passwd", "a/../../b"} {
				if _, err := b.Create(bad); err == nil {
					t.Errorf("Create(%q) accepted a bad key", bad)
				}
			}
		})
	}
}

// TestS3KeysUnderPrefix checks that Ferry keeps to its prefix of a shared bucket.
func TestS3KeysUnderPrefix(t *testing.T) {
	m := testkit.MinIO(t)
	b := openS3(t, m, "/team-a/")
	put(t, b, "originals/aa/aaa", []byte("x"))
	keys := m.Keys("")
	sort.Strings(keys)
	if strings.Join(keys, ",") != "team-a/originals/aa/aaa" {
		t.Fatalf("objects in the bucket: %v, want only team-a/originals/aa/aaa (the start-up check cleans up after itself)", keys)
	}
}

// TestS3CheckRefuses: a store Ferry cannot use is refused at start with the reason.
func TestS3CheckRefuses(t *testing.T) {
	m := testkit.MinIO(t)
	cases := []struct {
		name string
		mod  func(*storage.S3Options)
		want string
	}{
		{"unknown access key", func(o *storage.S3Options) { o.AccessKey = "nobody" }, "FERRY_S3_ACCESS_KEY"},
		{"wrong secret", func(o *storage.S3Options) { o.SecretKey = "wrong-secret-key" }, "FERRY_S3_SECRET_KEY"},
		{"missing bucket", func(o *storage.S3Options) { o.Bucket = "no-such-bucket" }, "bucket does not exist"},
		{"unreachable", func(o *storage.S3Options) { o.Endpoint = "http://127.0.0.1:1" }, "unreachable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := storage.S3Options{Endpoint: m.Endpoint, Region: "us-east-1", Bucket: m.Bucket,
				PathStyle: true, AccessKey: m.AccessKey, SecretKey: m.SecretKey}
			c.mod(&o)
			s, err := storage.NewS3(o)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Check(context.Background())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check: %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// TestTieredLocalCopies: originals live in the bucket, derived files on
// disk and in the bucket; a tool asking for an original's path gets a local copy, and the
// copies are trimmed to CacheBytes, oldest first.
func TestTieredLocalCopies(t *testing.T) {
	m := testkit.MinIO(t)
	dir := t.TempDir()
	tb := &storage.Tiered{Remote: openS3(t, m, "ferry"), Local: storage.Disk{Root: dir},
		Cache: filepath.Join(dir, "cache"), CacheBytes: 3 << 20}
	a, b := testkit.RandomBytes(t, 2<<20), testkit.RandomBytes(t, 2<<20)
	put(t, tb, "originals/aa/a", a)
	put(t, tb, "originals/bb/b", b)
	put(t, tb, "proxies/aa/a/thumb.jpg", []byte("jpeg"))
	if _, err := os.Stat(filepath.Join(dir, "originals/aa/a")); err == nil {
		t.Fatal("an original was written to the local disk")
	}
	if _, err := os.Stat(filepath.Join(dir, "proxies/aa/a/thumb.jpg")); err != nil {
		t.Fatalf("a proxy is not on the local disk: %v", err)
	}
	if !slices.Contains(m.Keys("ferry/"), "ferry/originals/aa/a") || !slices.Contains(m.Keys("ferry/"), "ferry/proxies/aa/a/thumb.jpg") {
		t.Fatalf("bucket holds %v, want the original and the proxy", m.Keys("ferry/"))
	}
	pa, ok := tb.LocalPath("originals/aa/a")
	if got, _ := os.ReadFile(pa); !ok || !bytes.Equal(got, a) {
		t.Fatalf("local copy of a: %v, %d bytes", ok, len(got))
	}
	pb, ok := tb.LocalPath("originals/bb/b")
	if got, _ := os.ReadFile(pb); !ok || !bytes.Equal(got, b) {
		t.Fatalf("local copy of b: %v, %d bytes", ok, len(got))
	}
	if _, err := os.Stat(pa); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the older copy stayed past CacheBytes: %v", err)
	}
	if err := tb.Remove("originals/bb/b"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pb); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("removing an original left its local copy")
	}
}
