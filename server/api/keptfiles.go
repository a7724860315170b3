package api

import (
	"io"
	"os"
	"time"

	"github.com/ferryhq/ferry/server/storage"
)

// Small renditions (a gallery's thumbnails) are kept in memory with the
// decision to show them (ShareLinksAPI.looks, a store.Kept), so that
// sending one costs no open, stat, seek and close and goes out with its
// headers in one write. They are read again whenever access is decided
// anew, after any change to the database: renditions are written before
// the commit that makes them visible, so a file replaced on disk is always
// followed by a change that makes the next request read it again.

// A gallery's thumbnails (10–40 KB) and previews fit; 16 MiB holds the
// thumbnails of about 500 photos.
const (
	keptEach = 256 << 10
	keptMax  = 16 << 20
)

// keptFile is one file's bytes as they were at modTime.
type keptFile struct {
	body    []byte
	modTime time.Time
}

// look is the kept answer to looking at a file of an open link: what to
// send, and its bytes when they are small enough to keep.
type look struct {
	d Download
	f *keptFile // nil: sent from the store
}

func (l look) size() int {
	if l.f == nil {
		return 0
	}
	return len(l.f.body)
}

// readKept is key's file from blobs when it is on the local disk and at
// most each bytes; false otherwise (missing, too big, or in an object store
// that may answer with a redirect), and the caller sends it from the store.
func readKept(blobs storage.Blobs, key string, each int64) (*keptFile, bool) {
	if _, remote := blobs.(storage.Presigner); remote {
		return nil, false
	}
	path, ok := blobs.LocalPath(key)
	if !ok {
		return nil, false
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > each {
		return nil, false
	}
	body := make([]byte, st.Size())
	if _, err := io.ReadFull(fh, body); err != nil {
		return nil, false
	}
	return &keptFile{body: body, modTime: st.ModTime()}, true
}
