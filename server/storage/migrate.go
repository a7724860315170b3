package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"
)

// Lister is a store that can list its keys.
type Lister interface {
	Blobs
	// Keys lists every key under prefix ("originals/").
	Keys(ctx context.Context, prefix string) ([]string, error)
}

// Keys implements Lister (files being written, ".tmp-*", are not keys).
func (d Disk) Keys(_ context.Context, prefix string) ([]string, error) {
	root, err := d.path(prefix)
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || e.IsDir() || strings.HasPrefix(e.Name(), ".tmp-") {
			return err
		}
		rel, err := filepath.Rel(d.Root, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	return out, err
}

// Keys implements Lister.
func (s *S3) Keys(ctx context.Context, prefix string) ([]string, error) {
	obj, err := s.Object(prefix)
	if err != nil {
		return nil, err
	}
	var out []string
	for o := range s.Client.ListObjects(ctx, s.Bucket, minio.ListObjectsOptions{Prefix: obj, Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		out = append(out, strings.TrimPrefix(o.Key, s.Prefix))
	}
	return out, nil
}

// MigrateReport counts what Migrate did.
type MigrateReport struct {
	Copied, Skipped int
	Bytes           int64
}

// migrateWorkers copy at once: object stores answer each request with a
// latency that parallel copies hide.
const migrateWorkers = 4

// Migrate copies every key under prefix from src to dst and checks each
// copy's SHA-256 against the source's. A key dst already holds with the
// same size and checksum is skipped, so an interrupted run resumes where
// it stopped; a differing one is copied again. Nothing is removed from
// src: the switch of storage.backend, and the clean-up, come after.
func Migrate(ctx context.Context, src, dst Lister, prefix string, progress func(key string, r MigrateReport)) (MigrateReport, error) {
	var r MigrateReport
	keys, err := src.Keys(ctx, prefix)
	if err != nil {
		return r, fmt.Errorf("listing %s: %w", prefix, err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range migrateWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range todo {
				copied, size, err := migrateKey(src, dst, key)
				if err != nil {
					cancel(fmt.Errorf("%s: %w", key, err))
					return
				}
				mu.Lock()
				if copied {
					r.Copied++
					r.Bytes += size
					if progress != nil {
						progress(key, r)
					}
				} else if size >= 0 {
					r.Skipped++
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, key := range keys {
		select {
		case todo <- key:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	return r, context.Cause(ctx)
}

// migrateKey copies one key unless dst has it already; size is -1 for a
// key removed from src since the listing.
func migrateKey(src, dst Blobs, key string) (copied bool, size int64, err error) {
	want, size, err := sum(src, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, -1, nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("reading source: %w", err)
	}
	if st, err := dst.Stat(key); err == nil && st.Size() == size {
		if got, _, err := sum(dst, key); err == nil && got == want {
			return false, size, nil
		}
	}
	if err := copyKey(src, dst, key); err != nil {
		return false, 0, fmt.Errorf("copying: %w", err)
	}
	if got, _, err := sum(dst, key); err != nil || got != want {
		return false, 0, fmt.Errorf("the copy's checksum %s differs from the source's %s (%v)", got, want, err)
	}
	return true, size, nil
}

func sum(b Blobs, key string) (string, int64, error) {
	f, err := b.Open(key)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func copyKey(src, dst Blobs, key string) error {
	f, err := src.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	if s3, ok := dst.(*S3); ok { // the size is known: no part buffer for small files
		st, err := f.Stat()
		if err != nil {
			return err
		}
		return s3.Put(key, f, st.Size())
	}
	w, err := dst.Create(key)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, f); err != nil {
		if a, ok := w.(*atomicFile); ok {
			a.File.Close()
			os.Remove(a.Name())
		}
		return err
	}
	return w.Close()
}
