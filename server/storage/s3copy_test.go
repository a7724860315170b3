package storage_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
)

// failingWriter takes n bytes, then fails like a client that went away.
type failingWriter struct {
	buf bytes.Buffer
	n   int
}

var errGone = errors.New("client gone")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.n {
		k, _ := w.buf.Write(p[:w.n-w.buf.Len()])
		return k, errGone
	}
	return w.buf.Write(p)
}

// TestS3CopyRange: the download path's copy gives exactly the range asked
// (whole, inside, at the end, of more buffers than the read-ahead holds at
// once, and across many downloads, so its buffers come back), both through
// the client (small ranges) and over a connection of its own (8 MiB and
// more, spliced into a socket); a writer that fails ends it with that
// writer's error.
func TestS3CopyRange(t *testing.T) {
	b := openS3(t, testkit.MinIO(t), "ferry")
	data := testkit.RandomBytes(t, 20<<20+333)
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
		for _, r := range [][2]int64{{0, size}, {0, 1}, {7, 3 << 20}, {size - 10, 10}, {1 << 20, 4 << 20}, {3, 9 << 20}, {5, 0}} {
			var out bytes.Buffer
			n, err := rc.CopyRange(&out, r[0], r[1])
			if err != nil || n != r[1] || !bytes.Equal(out.Bytes(), data[r[0]:r[0]+r[1]]) {
				t.Fatalf("round %d, range %v: %d bytes, %v", i, r, n, err)
			}
		}
	}
	for _, r := range [][2]int64{{0, size}, {100, 2 << 20}} {
		if got := copyToSocket(t, rc, r[0], r[1]); !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
			t.Fatalf("range %v into a socket: %d bytes, not the range", r, len(got))
		}
	}
	for _, r := range [][2]int64{{0, size}, {0, 3 << 20}} {
		w := &failingWriter{n: 1<<20 + 5}
		n, err := rc.CopyRange(w, r[0], r[1])
		if !errors.Is(err, errGone) || n != int64(w.n) || !bytes.Equal(w.buf.Bytes(), data[:w.n]) {
			t.Fatalf("range %v to a failing writer: %d bytes, %v", r, n, err)
		}
	}
	if _, err := io.ReadAll(io.NewSectionReader(f, 0, size)); err != nil {
		t.Fatalf("the file is unusable after a failed copy: %v", err)
	}
}

// copyToSocket copies a range into a TCP connection through a buffered
// writer, as fasthttp's response writer does, and returns what the other
// end read.
func copyToSocket(t *testing.T, rc storage.RangeCopier, off, n int64) []byte {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		got <- b
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(conn, 4096)
	bw.WriteString("head") // a response's head, still buffered
	k, err := rc.CopyRange(bw, off, n)
	if err == nil {
		err = bw.Flush()
	}
	conn.Close()
	if err != nil || k != n {
		t.Fatalf("range %d+%d into a socket: %d bytes, %v", off, n, k, err)
	}
	b := <-got
	if !bytes.HasPrefix(b, []byte("head")) {
		t.Fatalf("the socket got %d bytes without the head first", len(b))
	}
	return b[4:]
}
