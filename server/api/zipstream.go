package api

import (
	"archive/zip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"github.com/ferryhq/ferry/server/storage"
)

// zipPart is one file of a streamed ZIP: its entry name, blob and, when
// known beforehand, the CRC-32 of its bytes.
type zipPart struct {
	name   string
	key    string
	when   time.Time
	size   int64
	crc    uint32
	hasCRC bool
}

// zipStream writes a ZIP of stored entries (media is already compressed)
// whose length is known before the first byte, so the response carries a
// Content-Length and browsers show real progress. Each entry's header says
// "sizes and CRC follow the data" (a data descriptor), so the layout does
// not depend on whether a CRC is known in advance:
//   - entries with a recorded CRC go from the page cache to the socket with
//     sendfile, as an original download does;
//   - the others are read once through a CRC-32 on the way out, and the
//     result is recorded (saveCRC) for the next time.
//
// archive/zip writes every header, descriptor and the central directory;
// the bytes sendfile sent are reported to it as a "phantom" write, counted
// but not copied, so its offsets stay right.
type zipStream struct {
	parts   []zipPart
	blobs   storage.Blobs
	saveCRC func(key string, size int64, mod time.Time, crc uint32)
	done    func(sent int64) // after the last byte
	size    int64
}

func newZipStream(parts []zipPart, blobs storage.Blobs) *zipStream {
	z := &zipStream{parts: parts, blobs: blobs}
	var count zipSink
	count.phantom = true
	if err := z.write(&count, nil); err != nil {
		z.size = -1
	} else {
		z.size = count.n
	}
	return z
}

// zipSink passes ZIP bytes to the response; while phantom it only counts.
type zipSink struct {
	w       io.Writer
	phantom bool
	n       int64
}

func (s *zipSink) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.phantom {
		return len(p), nil
	}
	return s.w.Write(p)
}

var zeros = make([]byte, 1<<20)

// phantom tells archive/zip that entry fw got n bytes that were sent
// behind its back: it counts them, the sink drops them. The flush empties
// archive/zip's own buffer while the sink still drops.
func phantom(sink *zipSink, zw *zip.Writer, fw io.Writer, n int64) error {
	was := sink.phantom
	sink.phantom = true
	defer func() { sink.phantom = was }()
	for n > 0 {
		k := min(n, int64(len(zeros)))
		if _, err := fw.Write(zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return zw.Flush()
}

func zipHeader(p zipPart) *zip.FileHeader {
	fh := &zip.FileHeader{
		Name:               p.name,
		Method:             zip.Store,
		Flags:              0x8, // data descriptor
		CreatorVersion:     20,
		ReaderVersion:      20,
		CompressedSize64:   uint64(p.size),
		UncompressedSize64: uint64(p.size),
	}
	fh.SetMode(0o644) // a regular file, rw-r--r--, made on Unix
	if !isASCII(p.name) && utf8.ValidString(p.name) {
		fh.Flags |= 0x800
	}
	fh.SetModTime(p.when) //nolint:staticcheck // the MS-DOS time; Modified alone is ignored by CreateRaw
	// The extended timestamp (UTC seconds), as CreateHeader writes it.
	t := uint32(p.when.Unix())
	fh.Extra = []byte{0x55, 0x54, 5, 0, 1, byte(t), byte(t >> 8), byte(t >> 16), byte(t >> 24)}
	return fh
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var errZipChanged = errors.New("a file changed while the ZIP was sent")

// write produces the archive on sink; out is where real bytes go (nil for
// the counting pass).
func (z *zipStream) write(sink *zipSink, out io.Writer) error {
	zw := zip.NewWriter(sink)
	buf := []byte(nil)
	for _, p := range z.parts {
		fh := zipHeader(p)
		fw, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if out == nil {
			if err := phantom(sink, zw, fw, p.size); err != nil {
				return err
			}
			continue
		}
		f, err := z.blobs.Open(p.key)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		st, err := f.Stat()
		if err != nil || st.Size() != p.size {
			f.Close()
			return errZipChanged
		}
		osf, isFile := f.(*os.File)
		rf, canSendfile := out.(io.ReaderFrom)
		if p.hasCRC && isFile && canSendfile {
			// The local header goes out first, on its own, so that sendfile
			// starts at the file's first page rather than after a buffer's
			// worth copied through user space.
			err := zw.Flush()
			if fl, ok := out.(interface{ Flush() error }); ok && err == nil {
				err = fl.Flush()
			}
			if err != nil {
				f.Close()
				return err
			}
			// Straight from the page cache: the socket's ReadFrom (through
			// the empty bufio.Writer) uses sendfile on the *io.LimitedReader
			// over the *os.File.
			n, err := rf.ReadFrom(&io.LimitedReader{R: osf, N: p.size})
			f.Close()
			if err == nil && n != p.size {
				err = errZipChanged
			}
			if err != nil {
				return err
			}
			if err := phantom(sink, zw, fw, n); err != nil { // counts n in sink.n too
				return err
			}
			fh.CRC32 = p.crc
			continue
		}
		if buf == nil {
			buf = make([]byte, 256<<10)
		}
		h := crc32.NewIEEE()
		n, err := io.CopyBuffer(io.MultiWriter(fw, h), io.LimitReader(f, p.size), buf)
		f.Close()
		if err == nil && n != p.size {
			err = errZipChanged
		}
		if err != nil {
			return err
		}
		fh.CRC32 = h.Sum32()
		if z.saveCRC != nil {
			z.saveCRC(p.key, p.size, st.ModTime(), fh.CRC32)
		}
	}
	return zw.Close()
}

// Read makes zipStream an io.Reader for fasthttp's SetBodyStream; the
// response writer always takes WriteTo.
func (z *zipStream) Read([]byte) (int, error) {
	return 0, errors.New("zipStream: use WriteTo")
}

// WriteTo sends the archive to w (fasthttp's flushed *bufio.Writer over the
// connection, or the HTTP/2 bridge's writer).
func (z *zipStream) WriteTo(w io.Writer) (int64, error) {
	sink := &zipSink{w: w}
	if err := z.write(sink, w); err != nil {
		return sink.n, err
	}
	if z.done != nil {
		z.done(sink.n)
	}
	return sink.n, nil
}
