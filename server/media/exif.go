package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"
)

// exifData is what Ferry reads from a JPEG's EXIF block.
type exifData struct {
	Orientation                    int
	TakenAt                        time.Time
	Make, Model, Lens              string
	ISO                            int
	Exposure, FNumber, FocalLength string
}

// readEXIF finds the APP1 "Exif" segment of a JPEG and parses the few tags
// Ferry shows. It reads at most the JPEG header segments, never pixels.
func readEXIF(r io.Reader) (exifData, bool) {
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return exifData{}, false
	}
	for i := 0; i < 64; i++ {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil || hdr[0] != 0xFF {
			return exifData{}, false
		}
		marker := hdr[1]
		size := int(binary.BigEndian.Uint16(hdr[2:])) - 2
		if marker == 0xDA || marker == 0xD9 || size < 0 { // start of scan: no EXIF before pixels
			return exifData{}, false
		}
		seg := make([]byte, size)
		if _, err := io.ReadFull(r, seg); err != nil {
			return exifData{}, false
		}
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return parseTIFF(seg[6:])
		}
	}
	return exifData{}, false
}

type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

func parseTIFF(b []byte) (exifData, bool) {
	if len(b) < 8 {
		return exifData{}, false
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return exifData{}, false
	}
	var d exifData
	ifd0 := t.bo.Uint32(b[4:])
	var exifIFD uint32
	dateTime := ""
	t.walk(ifd0, func(tag, typ uint16, count, val uint32, raw []byte) {
		switch tag {
		case 0x0112:
			d.Orientation = int(t.short(raw))
		case 0x010F:
			d.Make = t.ascii(typ, count, val, raw)
		case 0x0110:
			d.Model = t.ascii(typ, count, val, raw)
		case 0x0132:
			dateTime = t.ascii(typ, count, val, raw)
		case 0x8769:
			exifIFD = val
		}
	})
	taken := ""
	if exifIFD != 0 {
		t.walk(exifIFD, func(tag, typ uint16, count, val uint32, raw []byte) {
			switch tag {
			case 0x9003:
				taken = t.ascii(typ, count, val, raw)
			case 0x829A:
				if n, dn, ok := t.rational(val); ok && dn != 0 {
					if n < dn && n != 0 {
						d.Exposure = fmt.Sprintf("1/%d", (dn+n/2)/n)
					} else {
						d.Exposure = trimFloat(float64(n) / float64(dn))
					}
				}
			case 0x829D:
				if n, dn, ok := t.rational(val); ok && dn != 0 {
					d.FNumber = trimFloat(float64(n) / float64(dn))
				}
			case 0x920A:
				if n, dn, ok := t.rational(val); ok && dn != 0 {
					d.FocalLength = trimFloat(float64(n)/float64(dn)) + " mm"
				}
			case 0x8827:
				d.ISO = int(t.short(raw))
			case 0xA434:
				d.Lens = t.ascii(typ, count, val, raw)
			}
		})
	}
	if taken == "" {
		taken = dateTime
	}
	if ts, err := time.Parse("2006:01:02 15:04:05", taken); err == nil {
		d.TakenAt = ts
	}
	if d.Orientation < 1 || d.Orientation > 8 {
		d.Orientation = 1
	}
	return d, true
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// walk calls fn for each entry of the IFD at off, bounds-checked.
func (t tiff) walk(off uint32, fn func(tag, typ uint16, count, val uint32, raw []byte)) {
	if int(off)+2 > len(t.b) {
		return
	}
	n := int(t.bo.Uint16(t.b[off:]))
	for i := 0; i < n && i < 512; i++ {
		e := int(off) + 2 + i*12
		if e+12 > len(t.b) {
			return
		}
		raw := t.b[e+8 : e+12]
		fn(t.bo.Uint16(t.b[e:]), t.bo.Uint16(t.b[e+2:]), t.bo.Uint32(t.b[e+4:]), t.bo.Uint32(raw), raw)
	}
}

func (t tiff) short(raw []byte) uint16 { return t.bo.Uint16(raw) }

func (t tiff) ascii(typ uint16, count, val uint32, raw []byte) string {
	if typ != 2 || count == 0 || count > 1024 {
		return ""
	}
	var s []byte
	if count <= 4 {
		s = raw[:count]
	} else if int(val)+int(count) <= len(t.b) {
		s = t.b[val : val+count]
	}
	return strings.TrimSpace(strings.TrimRight(string(s), "\x00"))
}

func (t tiff) rational(off uint32) (uint32, uint32, bool) {
	if int(off)+8 > len(t.b) {
		return 0, 0, false
	}
	return t.bo.Uint32(t.b[off:]), t.bo.Uint32(t.b[off+4:]), true
}
