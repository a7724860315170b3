package storage

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Derived files (renditions) with a bucket: the media tools write them
// into local paths (LocalPath of an asset's proxies/ directory), and the
// job that made them publishes them (Publish) once it ends; Create and
// Import publish at once. The bucket is then their store of record and
// the local disk a cache: a file missing here (a new machine restored from
// the bucket, or a disk replaced) is fetched from the bucket when it is
// opened or its path is asked for.

// Publisher is a store that keeps files written into its local paths in
// a store of record too.
type Publisher interface {
	// Publish copies every file under prefix (a key or a directory of
	// keys) that the store of record lacks or holds older into it.
	Publish(prefix string) error
}

// derivedKey says whether key is a file made from an original.
func derivedKey(key string) bool { return strings.HasPrefix(key, "proxies/") }

// Publish implements Publisher.
func (t *Tiered) Publish(prefix string) error {
	if !derivedKey(prefix) {
		return nil
	}
	root, err := t.Local.path(prefix)
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // nothing was made, or it was removed meanwhile
		}
		if err != nil || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			return err // ".tmp-*" and tools' own temporary files are not done
		}
		rel, err := filepath.Rel(t.Local.Root, p)
		if err != nil {
			return err
		}
		return t.publishFile(filepath.ToSlash(rel), p)
	})
}

// publishFile uploads the local file p as key unless the bucket holds it
// already, as large and no older.
func (t *Tiered) publishFile(key, p string) error {
	local, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // removed meanwhile (the asset, or the cache's trim of a copy the bucket holds)
	}
	if err != nil {
		return err
	}
	// Object times have whole seconds.
	if remote, err := t.Remote.Stat(key); err == nil && remote.Size() == local.Size() && !remote.ModTime().Before(local.ModTime().Truncate(time.Second)) {
		t.keptRendition(key, local, true)
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = t.Remote.Put(key, f, local.Size())
	f.Close()
	if err == nil {
		t.keptRendition(key, local, true)
	}
	return err
}

// fetch brings derived key from the bucket when the local disk lacks it
// (absent in both places is not an error: the caller finds out).
func (t *Tiered) fetch(key string) {
	p, err := t.Local.path(key)
	if err != nil {
		return
	}
	if _, err := os.Stat(p); err == nil {
		return
	}
	unlock := t.locks.Lock(key)
	if _, err := os.Stat(p); err == nil {
		unlock()
		return // fetched while this one waited
	}
	remote, err := t.Remote.Stat(key)
	if err != nil {
		unlock()
		return // not a file in the bucket (absent, or a directory's prefix)
	}
	var local fs.FileInfo
	if err = t.download(key, t.Local); err == nil {
		// The bucket's time: Publish sees the copy as the same file.
		os.Chtimes(p, remote.ModTime(), remote.ModTime())
		local, err = os.Stat(p)
	}
	unlock()
	if err == nil {
		t.keptRendition(key, local, true)
	}
}

// publishOnClose publishes a derived file once it is written.
type publishOnClose struct {
	io.WriteCloser
	t   *Tiered
	key string
}

func (w *publishOnClose) Close() error {
	if err := w.WriteCloser.Close(); err != nil {
		return err
	}
	return w.t.Publish(w.key)
}

var _ Publisher = (*Tiered)(nil)
