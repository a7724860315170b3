package api

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/storage"
)

// keptFiles keeps the bytes of small renditions (a gallery's thumbnails)
// in memory, so that sending one costs no open, stat, seek and close and
// goes out with its headers in one write. An entry is checked against the
// file's size and modification time whenever the caller decides access
// anew (after any change to the database, see ShareLinksAPI.file); between
// two changes the kept bytes are sent as they are. Renditions are written
// before the commit that makes them visible, so a file replaced on disk is
// always followed by a change that makes the next request look again.
type keptFiles struct {
	// Each is the largest file kept, Max the bytes kept in all (zero:
	// keptEach, keptMax).
	Each, Max int64

	mu   sync.RWMutex
	m    map[string]*keptFile
	size int64
}

// A gallery's thumbnails (10–40 KB) and previews fit; 16 MiB holds the
// thumbnails of about 500 photos.
const (
	keptEach = 256 << 10
	keptMax  = 16 << 20
)

func (k *keptFiles) limits() (each, total int64) {
	each, total = k.Each, k.Max
	if each == 0 {
		each = keptEach
	}
	if total == 0 {
		total = keptMax
	}
	return each, total
}

// keptFile is one file's bytes as they were at modTime.
type keptFile struct {
	body    []byte
	modTime time.Time
}

// get is the file kept under key, if any.
func (k *keptFiles) get(key string) *keptFile {
	k.mu.RLock()
	f := k.m[key]
	k.mu.RUnlock()
	return f
}

// load is key's file from blobs, kept (or kept again if it changed on
// disk) when it is small enough; false when it is not on the local disk,
// missing or too big, and the caller sends it from the store.
func (k *keptFiles) load(blobs storage.Blobs, key string) (*keptFile, bool) {
	if _, remote := blobs.(storage.Presigner); remote {
		return nil, false // the object store may answer with a redirect
	}
	path, ok := blobs.LocalPath(key)
	if !ok {
		return nil, false
	}
	each, _ := k.limits()
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > each {
		return nil, false
	}
	if f := k.get(key); f != nil && int64(len(f.body)) == st.Size() && f.modTime.Equal(st.ModTime()) {
		return f, true
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	if st, err = fh.Stat(); err != nil || st.Size() > each {
		return nil, false
	}
	body := make([]byte, st.Size())
	if _, err := io.ReadFull(fh, body); err != nil {
		return nil, false
	}
	f := &keptFile{body: body, modTime: st.ModTime()}
	k.keep(key, f)
	return f, true
}

// keep stores f under key, dropping other entries (any: the map's order)
// until the total fits Max.
func (k *keptFiles) keep(key string, f *keptFile) {
	_, max := k.limits()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]*keptFile{}
	}
	if old := k.m[key]; old != nil {
		k.size -= int64(len(old.body))
		delete(k.m, key)
	}
	for other, o := range k.m {
		if k.size+int64(len(f.body)) <= max {
			break
		}
		k.size -= int64(len(o.body))
		delete(k.m, other)
	}
	if k.size+int64(len(f.body)) <= max {
		k.m[key] = f
		k.size += int64(len(f.body))
	}
}
