package storage_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
)

// failingWriter takes n bytes, then fails like a client that went away.
type failingWriter struct {
	bytes.Buffer
	n int
}

var errGone = errors.New("client gone")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > w.n {
		k, _ := w.Buffer.Write(p[:w.n-w.Len()])
		return k, errGone
	}
	return w.Buffer.Write(p)
}

// TestS3CopyRange: the download path's read-ahead copy gives exactly the
// range asked (whole, inside, at the end, of more buffers than it holds
// at once, and across many downloads, so its buffers come back), and a
// writer that fails ends it with that writer's error.
func TestS3CopyRange(t *testing.T) {
	b := openS3(t, testkit.MinIO(t), "ferry")
	data := testkit.RandomBytes(t, 5<<20+333)
	put(t, b, "originals/ab/abc", data)
	f, err := b.Open("originals/ab/abc")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rc, ok := f.(storage.RangeCopier)
	if !ok {
		t.Fatal("an S3 file is not a RangeCopier")
	}
	size := int64(len(data))
	for i := range 3 {
		for _, r := range [][2]int64{{0, size}, {0, 1}, {7, 3 << 20}, {size - 10, 10}, {1 << 20, 4 << 20}, {5, 0}} {
			var out bytes.Buffer
			n, err := rc.CopyRange(&out, r[0], r[1])
			if err != nil || n != r[1] || !bytes.Equal(out.Bytes(), data[r[0]:r[0]+r[1]]) {
				t.Fatalf("round %d, range %v: %d bytes, %v", i, r, n, err)
			}
		}
	}
	w := &failingWriter{n: 1<<20 + 5}
	n, err := rc.CopyRange(w, 0, size)
	if !errors.Is(err, errGone) || n != int64(w.n) || !bytes.Equal(w.Bytes(), data[:w.n]) {
		t.Fatalf("to a failing writer: %d bytes, %v", n, err)
	}
	if _, err := io.ReadAll(io.NewSectionReader(f, 0, size)); err != nil {
		t.Fatalf("the file is unusable after a failed copy: %v", err)
	}
}
