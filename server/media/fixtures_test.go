package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Test images are built here in code, so every fixture says what it holds.

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
)

// tag is one EXIF entry; val is uint16 (SHORT), uint32 (LONG), string
// (ASCII) or [2]uint32 (RATIONAL).
type tag struct {
	id  uint16
	val any
}

// tiffBlock lays out a TIFF structure: header, IFD0, the EXIF sub-IFD when
// exif is not empty, then the values that do not fit in an entry.
func tiffBlock(bo binary.AppendByteOrder, ifd0, exif []tag) []byte {
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	n0 := len(ifd0)
	if len(exif) > 0 {
		n0++
	}
	exifOff := 8 + ifdSize(n0)
	dataOff := exifOff
	if len(exif) > 0 {
		dataOff += ifdSize(len(exif))
		ifd0 = append(ifd0[:len(ifd0):len(ifd0)], tag{tagExifIFD, uint32(exifOff)})
	}
	var out, data []byte
	if bo == binary.LittleEndian {
		out = append(out, "II*\x00"...)
	} else {
		out = append(out, "MM\x00*"...)
	}
	out = bo.AppendUint32(out, 8)
	for _, ifd := range [][]tag{ifd0, exif} {
		if len(ifd) == 0 {
			continue
		}
		out = bo.AppendUint16(out, uint16(len(ifd)))
		for _, t := range ifd {
			var typ uint16
			var v []byte
			count := uint32(1)
			switch x := t.val.(type) {
			case uint16:
				typ, v = 3, bo.AppendUint16(nil, x)
			case uint32:
				typ, v = 4, bo.AppendUint32(nil, x)
			case string:
				typ, v = 2, append([]byte(x), 0)
				count = uint32(len(v))
			case [2]uint32:
				typ, v = 5, bo.AppendUint32(bo.AppendUint32(nil, x[0]), x[1])
			}
			out = bo.AppendUint16(out, t.id)
			out = bo.AppendUint16(out, typ)
			out = bo.AppendUint32(out, count)
			if len(v) <= 4 {
				out = append(out, append(v, make([]byte, 4-len(v))...)...)
			} else {
				out = bo.AppendUint32(out, uint32(dataOff+len(data)))
				data = append(data, v...)
			}
		}
		out = bo.AppendUint32(out, 0) // no next IFD
	}
	return append(out, data...)
}

// withEXIF splices an APP1 Exif segment holding tiff right after a JPEG's SOI.
func withEXIF(jpg, tiff []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// orientationEXIF is an EXIF block with only an orientation.
func orientationEXIF(o uint16) []byte {
	return tiffBlock(binary.BigEndian, []tag{{tagOrientation, o}}, nil)
}

// quadrants is a w×h image: red left half, green top-right, blue bottom-right,
// so each of the eight orientations puts the colours somewhere different. It
// is opaque, so *image.RGBA (which image/jpeg encodes fastest) is exact.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := blue
			if x < w/2 {
				c = red
			} else if y < h/2 {
				c = green
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// pngHeader is a PNG that claims w×h in a valid IHDR and carries one tiny
// IDAT: a decompression bomb's header without the bomb.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// pngWithEXIF inserts an eXIf chunk after the IHDR of an encoded PNG.
func pngWithEXIF(p, tiff []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", tiff)...)
	return append(out, p[ihdrEnd:]...)
}

// solidWebP is a lossless WebP of one colour, with an EXIF chunk when exif is
// not nil. With one symbol per Huffman code the pixels take no bits at all,
// so the bitstream is only its header and five one-symbol codes.
func solidWebP(w, h int, c color.NRGBA, exif []byte) []byte {
	var bits []byte
	n := 0
	put := func(v uint32, width int) { // VP8L packs bits least significant first
		for i := range width {
			if n%8 == 0 {
				bits = append(bits, 0)
			}
			bits[len(bits)-1] |= byte(v>>i&1) << (n % 8)
			n++
		}
	}
	put(0x2f, 8)
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(0, 1) // alpha hint
	put(0, 3) // version
	put(0, 1) // no transform
	put(0, 1) // no colour cache
	put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A} {
		put(1, 1) // simple code
		put(0, 1) // one symbol
		put(1, 1) // of 8 bits
		put(uint32(sym), 8)
	}
	put(1, 1) // distance code: simple, one symbol, 1 bit, symbol 0
	put(0, 1)
	put(0, 1)
	put(0, 1)

	chunk := func(id string, data []byte) []byte {
		out := binary.LittleEndian.AppendUint32([]byte(id), uint32(len(data)))
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	var body []byte
	if exif != nil {
		vp8x := []byte{0x08, 0, 0, 0} // flags: EXIF present
		vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		body = append(body, chunk("VP8X", vp8x)...)
	}
	body = append(body, chunk("VP8L", bits)...)
	if exif != nil {
		body = append(body, chunk("EXIF", exif)...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	out = append(out, "WEBP"...)
	return append(out, body...)
}

func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func loadJPEG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// colourName names the dominant primary colour of c, or "" for none.
func colourName(c color.Color) string {
	r, g, b, _ := c.RGBA()
	r, g, b = r>>8, g>>8, b>>8
	switch {
	case r > 180 && g < 80 && b < 80:
		return "red"
	case g > 180 && r < 80 && b < 80:
		return "green"
	case b > 180 && r < 80 && g < 80:
		return "blue"
	}
	return ""
}

// allocated reports the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// listFiles names the entries of dir, or nothing if it does not exist.
func listFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
