package api

import (
	"fmt"
	"io"
	"mime"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
)

// Download describes one stored file to send.
type Download struct {
	Key       string
	Name      string
	Type      string
	ETag      string
	Attach    bool // Content-Disposition: attachment
	MaxAge    time.Duration
	Immutable bool
}

// originalCSP goes with every stored file Ferry serves: an upload is never
// a page of Ferry's origin (sandbox: no script, no forms, an opaque origin).
// Images still show under it (checked in Chromium 156).
const originalCSP = "sandbox; " + viewerCSP

// viewerCSP is for PDFs, audio and video shown in place: Chromium's PDF
// viewer and media player, opened directly on a sandboxed file, show an
// empty document (checked in Chromium 156), so these go without the
// sandbox, still with no script, form or frame source. Under nosniff such
// an answer goes to the browser's own viewer or player, never rendered as
// a page of this origin.
const viewerCSP = "default-src 'none'; img-src 'self'; media-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"

// inlineImages are the raster image types browsers show as an image (SVG
// is a document that runs script, so it is not here).
var inlineImages = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/avif": true,
	"image/bmp": true, "image/tiff": true, "image/heic": true, "image/heif": true,
}

// servedType is the Content-Type for a stored type: its media type alone,
// lower case, or application/octet-stream when it is not one type/subtype
// (types stored before uploads were validated may be anything).
func servedType(stored string) string {
	mt, _, err := mime.ParseMediaType(stored)
	if err != nil || strings.Count(mt, "/") != 1 || strings.HasPrefix(mt, "/") || strings.HasSuffix(mt, "/") {
		return "application/octet-stream"
	}
	return mt
}

// inline reports whether a file of media type mt may be shown in place:
// raster images, audio, video and PDF. Everything else (HTML, XML, SVG,
// text, scripts, unknown types) is sent as an attachment.
func inline(mt string) bool {
	major, sub, _ := strings.Cut(mt, "/")
	switch {
	case mt == "application/pdf", inlineImages[mt]:
		return true
	case major == "video" || major == "audio":
		// A media type browsers might parse as a document never is inline.
		return !strings.Contains(sub, "xml") && !strings.Contains(sub, "html")
	}
	return false
}

// ContentDisposition builds the header with an ASCII fallback and the
// RFC 5987 UTF-8 filename.
func ContentDisposition(kind, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\':
			ascii.WriteByte('_')
		case r >= 0x20 && r < 0x7f:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii.String(), strings.ReplaceAll(url.PathEscape(name), "+", "%2B"))
}

type sectionCloser struct {
	*io.SectionReader
	io.Closer
}

// fileBody streams part of a file so that fasthttp's copy reaches the
// kernel's sendfile: io.Copy takes WriteTo, which hands the socket writer an
// *io.LimitedReader over the *os.File, the one shape net.TCPConn.ReadFrom
// sends with sendfile. (An *os.File given directly goes through its own
// WriteTo, which only uses sendfile towards a bare socket, not fasthttp's
// buffered writer.)
type fileBody struct {
	f  *os.File
	lr *io.LimitedReader
}

func newFileBody(f *os.File, start, length int64) (*fileBody, error) {
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		return nil, err
	}
	return &fileBody{f: f, lr: &io.LimitedReader{R: f, N: length}}, nil
}

func (b *fileBody) Read(p []byte) (int, error) { return b.lr.Read(p) }

func (b *fileBody) WriteTo(w io.Writer) (int64, error) {
	if rf, ok := w.(io.ReaderFrom); ok {
		return rf.ReadFrom(b.lr)
	}
	return io.Copy(w, struct{ io.Reader }{b.lr})
}

func (b *fileBody) Close() error { return b.f.Close() }

// setBody streams length bytes of f from start as the response body.
func setBody(c *fiber.Ctx, f storage.File, start, length int64) error {
	if osf, ok := f.(*os.File); ok {
		body, err := newFileBody(osf, start, length)
		if err != nil {
			f.Close()
			return err
		}
		c.Context().SetBodyStream(body, int(length))
		return nil
	}
	if rc, ok := f.(storage.RangeCopier); ok {
		c.Context().SetBodyStream(&rangeBody{rc: rc, f: f, start: start, length: length, tls: c.Context().IsTLS()}, int(length))
		return nil
	}
	c.Context().SetBodyStream(sectionCloser{io.NewSectionReader(f, start, length), f}, int(length))
	return nil
}

// rangeBody streams a range of an object store's file: fasthttp's copy
// takes WriteTo, which hands the whole range to CopyRange (one GET, read
// ahead, or spliced socket to socket). Read serves any other reader of
// the body.
type rangeBody struct {
	rc            storage.RangeCopier
	f             storage.File
	start, length int64
	tls           bool // the client's connection: no splicing into it
	sr            *io.SectionReader
}

func (b *rangeBody) WriteTo(w io.Writer) (int64, error) {
	if b.tls {
		w = struct{ io.Writer }{w} // hides ReadFrom: see storage's spliceRange
	}
	return b.rc.CopyRange(w, b.start, b.length)
}

func (b *rangeBody) Read(p []byte) (int, error) {
	if b.sr == nil {
		b.sr = io.NewSectionReader(b.f, b.start, b.length)
	}
	return b.sr.Read(p)
}

func (b *rangeBody) Close() error { return b.f.Close() }

// WriteTo copies with a 1 MiB buffer: fasthttp takes WriteTo, and its own
// copy reads 4 KiB at a time, which from an object store's response body
// (storage.backend s3) halved the download rate.
func (s sectionCloser) WriteTo(w io.Writer) (int64, error) {
	return io.CopyBuffer(w, struct{ io.Reader }{s.SectionReader}, make([]byte, 1<<20))
}

// sendBlob streams a stored file with ETag, Range and Content-Disposition.
func sendBlob(c *fiber.Ctx, blobs storage.Blobs, d Download) error {
	if p, ok := blobs.(storage.Presigner); ok {
		// The object store serves the bytes itself (s3.presign_downloads);
		// access was decided before this call, the URL lives for minutes.
		ct := servedType(d.Type)
		kind := "inline"
		if d.Attach || !inline(ct) {
			kind = "attachment"
		}
		u, ok, err := p.PresignGet(d.Key, ContentDisposition(kind, d.Name), ct)
		if err != nil {
			return err
		}
		if ok {
			c.Set("Cache-Control", "private, no-store")
			return c.Redirect(u, fiber.StatusFound)
		}
	}
	f, err := blobs.Open(d.Key)
	if err != nil {
		return errs.NotFoundf("the file is missing from storage")
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	start, length, send, err := answerFile(c, d, st.Size(), st.ModTime())
	if !send || err != nil {
		f.Close()
		return err
	}
	return setBody(c, f, start, length)
}

// sendKept sends a file kept in memory (keptFile) as sendBlob would send
// it from the store.
func sendKept(c *fiber.Ctx, d Download, f *keptFile) error {
	start, length, send, err := answerFile(c, d, int64(len(f.body)), f.modTime)
	if send && err == nil {
		c.Response().SetBodyRaw(f.body[start : start+length]) // kept bytes are never changed
	}
	return err
}

// answerFile sets the headers of stored file d of size bytes, last
// modified at mod, and answers what needs no body (304, 416). Otherwise
// send is true and the caller sends the bytes from start, length long.
func answerFile(c *fiber.Ctx, d Download, size int64, mod time.Time) (start, length int64, send bool, err error) {
	if d.ETag == "" {
		d.ETag = fmt.Sprintf(`"%x-%x"`, size, mod.UnixNano())
	}
	c.Set("ETag", d.ETag)
	c.Set("Accept-Ranges", "bytes")
	c.Set("Last-Modified", mod.UTC().Format(time.RFC1123))
	switch {
	case d.Immutable:
		c.Set("Cache-Control", fmt.Sprintf("private, max-age=%d, immutable", int(d.MaxAge.Seconds())))
	default:
		c.Set("Cache-Control", "private, no-cache")
	}
	ct := servedType(d.Type)
	kind := "inline"
	if d.Attach || !inline(ct) {
		kind = "attachment"
	}
	if major, _, _ := strings.Cut(ct, "/"); kind == "inline" && (major == "video" || major == "audio" || ct == "application/pdf") {
		c.Set("Content-Security-Policy", viewerCSP)
	} else {
		c.Set("Content-Security-Policy", originalCSP)
	}
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "SAMEORIGIN") // the app frames PDFs; no one else may
	c.Set("Content-Type", ct)
	c.Set("Content-Disposition", ContentDisposition(kind, d.Name))
	if match := c.Get("If-None-Match"); match != "" && (match == d.ETag || match == "*") {
		return 0, 0, false, c.SendStatus(fiber.StatusNotModified)
	}
	start, length, partial, err := parseRange(c.Get("Range"), size)
	if ir := c.Get("If-Range"); ir != "" && ir != d.ETag {
		start, length, partial, err = 0, size, false, nil
	}
	if err != nil {
		c.Set("Content-Range", fmt.Sprintf("bytes */%d", size))
		return 0, 0, false, c.Status(fiber.StatusRequestedRangeNotSatisfiable).JSON(ErrorBody{Errors: []ErrorItem{{
			Status: 416, Code: "range_not_satisfiable", Title: "Range Not Satisfiable", Detail: err.Error()}}})
	}
	if partial {
		c.Status(fiber.StatusPartialContent)
		c.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+length-1, size))
	}
	return start, length, true, nil
}

// parseRange reads a single "bytes=" range. Several ranges are answered
// with the whole file, which RFC 9110 allows.
func parseRange(h string, size int64) (start, length int64, partial bool, err error) {
	if h == "" {
		return 0, size, false, nil
	}
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, size, false, nil
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return 0, 0, false, fmt.Errorf("malformed Range %q", h)
	}
	switch {
	case a == "": // suffix: last b bytes
		n, perr := strconv.ParseInt(b, 10, 64)
		if perr != nil || n <= 0 {
			return 0, 0, false, fmt.Errorf("malformed Range %q", h)
		}
		if n > size {
			n = size
		}
		return size - n, n, true, nil
	default:
		s, perr := strconv.ParseInt(a, 10, 64)
		if perr != nil || s < 0 {
			return 0, 0, false, fmt.Errorf("malformed Range %q", h)
		}
		if s >= size {
			return 0, 0, false, fmt.Errorf("range starts at %d but the file has %d bytes", s, size)
		}
		e := size - 1
		if b != "" {
			if e, perr = strconv.ParseInt(b, 10, 64); perr != nil || e < s {
				return 0, 0, false, fmt.Errorf("malformed Range %q", h)
			}
			if e >= size {
				e = size - 1
			}
		}
		return s, e - s + 1, true, nil
	}
}
