package storage

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Tiered keeps originals in an object store. What is made from them
// (proxies, posters, video renditions, watermarked copies, face crops) is
// written on the local disk, where the media tools write, and published
// into the object store when a job ends (see renditions.go): the local
// copy is a cache that a new machine fills again from the bucket.
//
// Tools that need an original as a file (ffmpeg, the image renderer) get
// a local copy from LocalPath, kept in Cache and trimmed to CacheBytes,
// least recently used first. The local copies of renditions are trimmed
// to RenditionBytes the same way (rendcache.go).
type Tiered struct {
	Remote     *S3
	Local      Disk
	Cache      string // directory of local copies of remote originals
	CacheBytes int64
	// RenditionBytes caps the local copies of renditions (0: no cap).
	RenditionBytes int64

	mu    sync.Mutex // trimming
	locks KeyLocks   // one download per original or rendition
	rc    renditionCache
}

// remoteKey says whether key lives in the object store.
func remoteKey(key string) bool { return strings.HasPrefix(key, "originals/") }

func (t *Tiered) pick(key string) Blobs {
	if remoteKey(key) {
		return t.Remote
	}
	return t.Local
}

// Open implements Blobs; a derived file missing here is fetched from the
// bucket first (again, if the cache's trim removed it before it opened).
func (t *Tiered) Open(key string) (File, error) {
	if !derivedKey(key) {
		return t.pick(key).Open(key)
	}
	f, err := t.Local.Open(key)
	for try := 0; try < 2 && errors.Is(err, fs.ErrNotExist); try++ {
		t.fetch(key)
		f, err = t.Local.Open(key)
	}
	if err == nil {
		t.usedRendition(key)
	}
	return f, err
}

// Create implements Blobs; a derived file is published on Close.
func (t *Tiered) Create(key string) (io.WriteCloser, error) {
	w, err := t.pick(key).Create(key)
	if err != nil || !derivedKey(key) {
		return w, err
	}
	return &publishOnClose{WriteCloser: w, t: t, key: key}, nil
}

// Stat implements Blobs: a derived file is wherever it is.
func (t *Tiered) Stat(key string) (fs.FileInfo, error) {
	st, err := t.pick(key).Stat(key)
	if err != nil && derivedKey(key) && errors.Is(err, fs.ErrNotExist) {
		return t.Remote.Stat(key)
	}
	return st, err
}

// Remove implements Blobs; a cached copy goes too, and a derived file
// from both places.
func (t *Tiered) Remove(key string) error {
	if remoteKey(key) {
		if p, err := t.cachePath(key); err == nil {
			os.Remove(p)
		}
	}
	if derivedKey(key) {
		defer t.forgetRenditions(key)
		return errors.Join(t.Remote.Remove(key), t.Local.Remove(key))
	}
	return t.pick(key).Remove(key)
}

// RemoveAll implements Blobs, in both places for derived files.
func (t *Tiered) RemoveAll(prefix string) error {
	if derivedKey(prefix) {
		defer t.forgetRenditions(prefix)
		return errors.Join(t.Remote.RemoveAll(prefix), t.Local.RemoveAll(prefix))
	}
	return t.pick(prefix).RemoveAll(prefix)
}

// Import implements Blobs; a derived file is published.
func (t *Tiered) Import(localPath, key string) error {
	if err := t.pick(key).Import(localPath, key); err != nil || !derivedKey(key) {
		return err
	}
	return t.Publish(key)
}

// PresignGet implements Presigner for the keys in the object store.
func (t *Tiered) PresignGet(key, disposition, contentType string) (string, bool, error) {
	if !remoteKey(key) {
		return "", false, nil
	}
	return t.Remote.PresignGet(key, disposition, contentType)
}

func (t *Tiered) cachePath(key string) (string, error) {
	return Disk{Root: t.Cache}.path(key)
}

// LocalPath implements Blobs: local keys have their path (a derived file
// only in the bucket is fetched first); a remote original is downloaded
// into the cache first (or found there).
func (t *Tiered) LocalPath(key string) (string, bool) {
	if !remoteKey(key) {
		if derivedKey(key) {
			t.fetch(key)
			t.usedRendition(key)
		}
		return t.Local.LocalPath(key)
	}
	p, err := t.cachePath(key)
	if err != nil {
		return "", false
	}
	defer t.locks.Lock(key)()
	remote, err := t.Remote.Stat(key)
	if err != nil {
		return "", false
	}
	if st, err := os.Stat(p); err == nil && st.Size() == remote.Size() {
		now := time.Now()
		os.Chtimes(p, now, now) // recently used
		return p, true
	}
	if err := t.download(key, Disk{Root: t.Cache}); err != nil {
		return "", false
	}
	t.trim(p)
	return p, true
}

// download copies key from the bucket into to, atomically.
func (t *Tiered) download(key string, to Disk) error {
	src, err := t.Remote.Open(key)
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := to.Create(key)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		w.(*atomicFile).File.Close()
		os.Remove(w.(*atomicFile).Name())
		return err
	}
	return w.Close()
}

// trim removes the least recently used copies until the cache fits,
// keeping keep (the copy just made, which a tool is about to read).
func (t *Tiered) trim(keep string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var all []entry
	var total int64
	filepath.WalkDir(t.Cache, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			all = append(all, entry{p, info.Size(), info.ModTime()})
			total += info.Size()
		}
		return nil
	})
	sort.Slice(all, func(i, j int) bool { return all[i].used.Before(all[j].used) })
	for _, e := range all {
		if total <= t.CacheBytes {
			return
		}
		if e.path == keep {
			continue
		}
		if err := os.Remove(e.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= e.size
		}
	}
}

var (
	_ Blobs     = (*Tiered)(nil)
	_ Presigner = (*Tiered)(nil)
)
