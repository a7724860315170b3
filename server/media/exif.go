package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// exifData is what Ferry reads from an image's EXIF block.
type exifData struct {
	Orientation                    int
	TakenAt                        time.Time
	Make, Model, Lens              string
	ISO                            int
	Exposure, FNumber, FocalLength string
}

// EXIF and TIFF tags Ferry reads.
const (
	tagMake               = 0x010F
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagDateTime           = 0x0132
	tagExifIFD            = 0x8769
	tagExposureTime       = 0x829A
	tagFNumber            = 0x829D
	tagISO                = 0x8827
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	tagFocalLength        = 0x920A
	tagLensModel          = 0xA434
)

// readEXIF finds the EXIF block of an image in one of the formats DecodeConfig
// recognised and parses it. It reads container headers and the EXIF bytes
// only, never pixels, so it costs the same for any image size.
func readEXIF(r io.ReadSeeker, format string) (exifData, bool) {
	ra := readerAt(r)
	var block io.ReaderAt
	switch format {
	case "jpeg":
		block = jpegEXIF(ra)
	case "png":
		block = pngEXIF(ra)
	case "webp":
		block = webpEXIF(ra)
	case "tiff":
		block = ra // a TIFF file is itself the structure EXIF borrows
	}
	if block == nil {
		return exifData{}, false
	}
	return parseTIFF(block)
}

// readerAt returns r's own ReadAt (an *os.File has one) or emulates it.
func readerAt(r io.ReadSeeker) io.ReaderAt {
	if ra, ok := r.(io.ReaderAt); ok {
		return ra
	}
	return seekReaderAt{r}
}

// seekReaderAt lets the parsers use a plain ReadSeeker.
type seekReaderAt struct{ r io.ReadSeeker }

func (s seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(s.r, p)
}

// readAt returns n bytes at off, or nil if they are not all there.
func readAt(r io.ReaderAt, off int64, n int) []byte {
	if off < 0 || n < 0 {
		return nil
	}
	b := make([]byte, n)
	if got, _ := r.ReadAt(b, off); got < n {
		return nil
	}
	return b
}

var exifHeader = []byte("Exif\x00\x00")

// jpegEXIF returns the TIFF structure inside the APP1 "Exif" segment, which
// comes before the first scan.
func jpegEXIF(r io.ReaderAt) io.ReaderAt {
	off := int64(2) // after SOI
	for range 64 {
		hdr := readAt(r, off, 4)
		if hdr == nil || hdr[0] != 0xFF {
			return nil
		}
		if hdr[1] == 0xFF { // fill byte before a marker
			off++
			continue
		}
		if hdr[1] == 0xDA || hdr[1] == 0xD9 { // start of scan or end: no EXIF
			return nil
		}
		size := int64(binary.BigEndian.Uint16(hdr[2:])) - 2
		if size < 0 {
			return nil
		}
		if hdr[1] == 0xE1 && size > 6 && bytes.Equal(readAt(r, off+4, 6), exifHeader) {
			return io.NewSectionReader(r, off+4+6, size-6)
		}
		off += 4 + size
	}
	return nil
}

// pngEXIF returns the eXIf chunk, which the PNG spec places before the
// image data.
func pngEXIF(r io.ReaderAt) io.ReaderAt {
	off := int64(8) // after the signature
	for range 1024 {
		hdr := readAt(r, off, 8)
		if hdr == nil {
			return nil
		}
		size, typ := int64(binary.BigEndian.Uint32(hdr)), string(hdr[4:])
		switch typ {
		case "eXIf":
			return io.NewSectionReader(r, off+8, size)
		case "IDAT", "IEND":
			return nil
		}
		off += 8 + size + 4 // header, data, CRC
	}
	return nil
}

// webpEXIF returns the EXIF chunk of an extended WebP; it usually follows the
// image data, so this jumps over chunks rather than reading them.
func webpEXIF(r io.ReaderAt) io.ReaderAt {
	off := int64(12) // after "RIFF", size, "WEBP"
	for range 64 {
		hdr := readAt(r, off, 8)
		if hdr == nil {
			return nil
		}
		size := int64(binary.LittleEndian.Uint32(hdr[4:]))
		if string(hdr[:4]) == "EXIF" {
			// Some writers keep the JPEG-style "Exif\0\0" prefix.
			if size > 6 && bytes.Equal(readAt(r, off+8, 6), exifHeader) {
				return io.NewSectionReader(r, off+8+6, size-6)
			}
			return io.NewSectionReader(r, off+8, size)
		}
		off += 8 + size + size%2 // chunks are padded to even length
	}
	return nil
}

// ifdReader reads IFD entries from a TIFF structure with bounds checks on every
// offset, since EXIF comes straight from uploaded files.
type ifdReader struct {
	r  io.ReaderAt
	bo binary.ByteOrder
}

// ifdEntry is one IFD entry; raw is its 4-byte value-or-offset field.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	raw      []byte
}

func parseTIFF(r io.ReaderAt) (exifData, bool) {
	hdr := readAt(r, 0, 8)
	if hdr == nil {
		return exifData{}, false
	}
	t := ifdReader{r: r}
	switch string(hdr[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return exifData{}, false
	}
	if t.bo.Uint16(hdr[2:]) != 42 {
		return exifData{}, false
	}
	d := exifData{Orientation: 1}
	var exifIFD uint32
	var dateTime, taken, offset string
	for _, e := range t.entries(t.bo.Uint32(hdr[4:])) {
		switch e.tag {
		case tagOrientation:
			if o := int(t.uint(e)); o >= 1 && o <= 8 {
				d.Orientation = o
			}
		case tagMake:
			d.Make = t.ascii(e)
		case tagModel:
			d.Model = t.ascii(e)
		case tagDateTime:
			dateTime = t.ascii(e)
		case tagExifIFD:
			exifIFD = t.uint(e)
		}
	}
	if exifIFD != 0 {
		for _, e := range t.entries(exifIFD) {
			switch e.tag {
			case tagDateTimeOriginal:
				taken = t.ascii(e)
			case tagOffsetTimeOriginal:
				offset = t.ascii(e)
			case tagExposureTime:
				if v, ok := t.rational(e); ok && v > 0 {
					d.Exposure = exposure(v)
				}
			case tagFNumber:
				if v, ok := t.rational(e); ok && v > 0 {
					d.FNumber = trimFloat(v)
				}
			case tagFocalLength:
				if v, ok := t.rational(e); ok && v > 0 {
					d.FocalLength = trimFloat(v) + " mm"
				}
			case tagISO:
				d.ISO = int(t.uint(e))
			case tagLensModel:
				d.Lens = t.ascii(e)
			}
		}
	}
	if taken == "" {
		taken, offset = dateTime, ""
	}
	d.TakenAt = exifTime(taken, offset)
	return d, true
}

// exifTime parses an EXIF timestamp. EXIF stores local wall-clock time; with
// no offset tag the zone is unknown, so it is kept as the same clock in UTC.
func exifTime(s, offset string) time.Time {
	if offset != "" {
		if t, err := time.Parse("2006:01:02 15:04:05-07:00", s+offset); err == nil {
			return t
		}
	}
	t, _ := time.Parse("2006:01:02 15:04:05", s)
	return t
}

// exposure writes a shutter speed the way cameras show it: 1/250, 0.8, 30.
func exposure(sec float64) string {
	if sec <= 0.5 {
		return fmt.Sprintf("1/%d", int(math.Round(1/sec)))
	}
	return trimFloat(sec)
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// entries reads the IFD at off; a damaged IFD yields no entries.
func (t ifdReader) entries(off uint32) []ifdEntry {
	cnt := readAt(t.r, int64(off), 2)
	if cnt == nil {
		return nil
	}
	n := min(int(t.bo.Uint16(cnt)), 512)
	b := readAt(t.r, int64(off)+2, n*12)
	if b == nil {
		return nil
	}
	es := make([]ifdEntry, n)
	for i := range es {
		e := b[i*12:]
		es[i] = ifdEntry{tag: t.bo.Uint16(e), typ: t.bo.Uint16(e[2:]), count: t.bo.Uint32(e[4:]), raw: e[8:12]}
	}
	return es
}

// uint reads a SHORT or LONG value (ISO and orientation come as either).
func (t ifdReader) uint(e ifdEntry) uint32 {
	switch e.typ {
	case 3: // SHORT
		return uint32(t.bo.Uint16(e.raw))
	case 4: // LONG
		return t.bo.Uint32(e.raw)
	}
	return 0
}

func (t ifdReader) ascii(e ifdEntry) string {
	if e.typ != 2 || e.count == 0 || e.count > 1024 {
		return ""
	}
	s := e.raw[:min(e.count, 4)]
	if e.count > 4 {
		s = readAt(t.r, int64(t.bo.Uint32(e.raw)), int(e.count))
	}
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(string(s))
}

func (t ifdReader) rational(e ifdEntry) (float64, bool) {
	if e.typ != 5 { // RATIONAL
		return 0, false
	}
	b := readAt(t.r, int64(t.bo.Uint32(e.raw)), 8)
	if b == nil || t.bo.Uint32(b[4:]) == 0 {
		return 0, false
	}
	return float64(t.bo.Uint32(b)) / float64(t.bo.Uint32(b[4:])), true
}
