package storage

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/minio/minio-go/v7"
)

// RangeCopier is a File that writes a range of itself to w faster than
// reading it through ReadAt: an object store's file streams it from one
// ranged GET while w takes the bytes already read.
type RangeCopier interface {
	CopyRange(w io.Writer, off, n int64) (int64, error)
}

// copyBufSize and copyDepth bound a download's read-ahead: copyDepth
// buffers of copyBufSize (2 MiB in flight per download).
const (
	copyBufSize = 512 << 10
	copyDepth   = 4
)

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// CopyRange implements RangeCopier: one GET of exactly the range, read
// ahead by a goroutine into a few buffers while w writes the previous
// ones, so the store's response and the client's connection move at once
// (reading then writing in turn left each idle half the time).
func (f *s3File) CopyRange(w io.Writer, off, n int64) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	if written, ok, err := f.spliceRange(w, off, n); ok {
		return written, err
	}
	opts := minio.GetObjectOptions{}
	if off > 0 || n < f.info.Size() {
		if err := opts.SetRange(off, off+n-1); err != nil {
			return 0, err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	body, _, _, err := f.s.Core.GetObject(ctx, f.s.Bucket, f.obj, opts)
	if err != nil {
		return 0, notExist(err)
	}
	defer body.Close()

	type chunk struct {
		buf *[]byte
		n   int
		err error
	}
	full := make(chan chunk, copyDepth)
	free := make(chan *[]byte, copyDepth)
	for range copyDepth {
		free <- copyBufs.Get().(*[]byte)
	}
	go func() {
		defer close(full)
		left := n
		for left > 0 {
			var b *[]byte
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			k, err := io.ReadFull(body, (*b)[:min(int64(len(*b)), left)])
			left -= int64(k)
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.ErrUnexpectedEOF // the range is shorter than asked
			}
			full <- chunk{b, k, err}
			if err != nil {
				return
			}
		}
	}()
	var written int64
	var werr error
	for c := range full {
		if werr == nil && c.n > 0 {
			var k int
			k, werr = w.Write((*c.buf)[:c.n])
			written += int64(k)
		}
		if werr == nil && c.err != nil {
			werr = c.err
		}
		if werr != nil {
			cancel() // the reader stops at its next buffer or read
		}
		free <- c.buf // never blocks: there are copyDepth buffers
	}
	for range copyDepth {
		copyBufs.Put(<-free)
	}
	return written, werr
}

var _ RangeCopier = (*s3File)(nil)
