// Package storage keeps file bytes (originals and proxies) behind a small
// interface. Disk is the local implementation; an S3-compatible backend can
// implement the same interface (presigned URLs for downloads), with
// metadata staying in Badger.
package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotExist is returned for a missing key.
var ErrNotExist = fs.ErrNotExist

// File is an open stored file.
type File interface {
	io.ReadSeekCloser
	io.ReaderAt
	Stat() (fs.FileInfo, error)
}

// Blobs stores files under slash-separated keys such as "originals/ab/abcd…".
type Blobs interface {
	// Open opens key for reading.
	Open(key string) (File, error)
	// Create writes key atomically: the content appears only on Close.
	Create(key string) (io.WriteCloser, error)
	// Stat returns the size and time of key.
	Stat(key string) (fs.FileInfo, error)
	// Remove deletes key (absent is not an error).
	Remove(key string) error
	// RemoveAll deletes every key under prefix.
	RemoveAll(prefix string) error
	// Import moves a finished local file (e.g. a completed upload) to key.
	Import(localPath, key string) error
	// LocalPath returns a path on disk for key, for tools that need one.
	LocalPath(key string) (string, bool)
}

// Disk stores blobs under a root directory. Made by NewDisk, its
// imports share their directory syncs (dirSyncs); a Disk{Root: r} syncs
// each import's directory on its own.
type Disk struct {
	Root string
	dirs *dirSyncs
}

// NewDisk is a Disk under root whose imports group their directory syncs.
func NewDisk(root string) Disk { return Disk{Root: root, dirs: &dirSyncs{}} }

func (d Disk) path(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.ContainsRune(key, 0) {
		return "", fmt.Errorf("storage: bad key %q", key)
	}
	return filepath.Join(d.Root, filepath.FromSlash(key)), nil
}

// Open implements Blobs.
func (d Disk) Open(key string) (File, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Create implements Blobs.
func (d Disk) Create(key string) (io.WriteCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, dst: p}, nil
}

type atomicFile struct {
	*os.File
	dst string
}

func (a *atomicFile) Close() error {
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.Name())
		return err
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.Name())
		return err
	}
	return os.Rename(a.Name(), a.dst)
}

// Stat implements Blobs.
func (d Disk) Stat(key string) (fs.FileInfo, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
}

// Remove implements Blobs.
func (d Disk) Remove(key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// RemoveAll implements Blobs.
func (d Disk) RemoveAll(prefix string) error {
	p, err := d.path(prefix)
	if err != nil {
		return err
	}
	return os.RemoveAll(p)
}

// Import implements Blobs with a rename (same filesystem), then syncs the
// directory so the move survives a crash (with the imports finishing at
// the same time, see dirSyncs). A failed directory sync is not reported,
// as before: the rename itself happened.
func (d Disk) Import(localPath, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	if err := os.Rename(localPath, p); err != nil {
		return err
	}
	if d.dirs != nil {
		d.dirs.sync(filepath.Dir(p))
	} else {
		syncDir(filepath.Dir(p))
	}
	return nil
}

// LocalPath implements Blobs.
func (d Disk) LocalPath(key string) (string, bool) {
	p, err := d.path(key)
	return p, err == nil
}
