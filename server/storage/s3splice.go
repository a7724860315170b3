package storage

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// spliceMin is the smallest range worth a connection of its own: below
// it, CopyRange reads through the client's pooled connections.
const spliceMin = 8 << 20

// spliceRange streams a range of the object to w over a connection of its
// own when the endpoint speaks plain http (MinIO or Ceph on a private
// network): a GET signed as a presigned URL, whose response body is handed
// to w as the socket itself. When w is a socket's writer (fasthttp's
// buffered writer over the client's *net.TCPConn), Go moves the bytes
// with splice(2) from MinIO's socket to the client's, so they never pass
// through Ferry's memory: through Ferry, a download cost two copies more
// than a direct GET (read into a buffer, write from it), on the machine
// the store shares.
//
// ok is false when the path does not apply (https, a proxy, a small
// range, or a w that cannot take a socket: a caller writing to TLS hides
// its ReadFrom, since the bytes must be encrypted anyway and the read-ahead
// copy keeps both ends busy) and nothing was written: the caller streams
// through the client.
func (f *s3File) spliceRange(w io.Writer, off, n int64) (written int64, ok bool, err error) {
	u := f.s.Client.EndpointURL()
	if _, socket := w.(io.ReaderFrom); !socket || u.Scheme != "http" || n < spliceMin {
		return 0, false, nil
	}
	signed, err := f.s.Client.PresignedGetObject(context.Background(), f.s.Bucket, f.obj, time.Minute, nil)
	if err != nil {
		return 0, false, nil
	}
	if p, err := http.ProxyFromEnvironment(&http.Request{URL: signed}); err != nil || p != nil {
		return 0, false, nil
	}
	conn, err := net.DialTimeout("tcp", signed.Host, 10*time.Second)
	if err != nil {
		return 0, false, nil // the client's own retries report it
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute)) // for the answer's head
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nRange: bytes=%d-%d\r\nUser-Agent: ferry\r\nConnection: close\r\n\r\n",
		signed.RequestURI(), signed.Host, off, off+n-1)
	if _, err := io.WriteString(conn, req); err != nil {
		return 0, false, nil
	}
	br := bufio.NewReaderSize(conn, 16<<10)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, false, nil
	}
	want := fmt.Sprintf("bytes %d-%d/", off, off+n-1)
	if res.StatusCode != http.StatusPartialContent || res.ContentLength != n ||
		len(res.TransferEncoding) > 0 || !strings.HasPrefix(res.Header.Get("Content-Range"), want) {
		return 0, false, nil // an answer this path does not read; the client's GET will say what is wrong
	}
	conn.SetDeadline(time.Time{})
	// The bytes read with the head first, then the socket itself.
	head, _ := br.Peek(min(br.Buffered(), int(n)))
	k, err := w.Write(head)
	written = int64(k)
	if err != nil {
		return written, true, err
	}
	if fl, ok := w.(interface{ Flush() error }); ok {
		if err := fl.Flush(); err != nil { // an empty buffer hands ReadFrom the socket
			return written, true, err
		}
	}
	m, err := io.Copy(w, &io.LimitedReader{R: conn, N: n - written})
	written += m
	if err == nil && written < n {
		err = io.ErrUnexpectedEOF
	}
	return written, true, err
}
