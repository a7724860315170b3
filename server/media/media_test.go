package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// exifSegment builds an APP1 EXIF block (big-endian TIFF) with orientation,
// make, model and DateTimeOriginal.
func exifSegment(orientation uint16, mk, model, taken string) []byte {
	var t bytes.Buffer
	bo := binary.BigEndian
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, bo, uint32(8))
	// IFD0: 4 entries, then next-IFD 0, then data.
	ifd0Len := 2 + 4*12 + 4
	dataOff := 8 + ifd0Len
	mkB, modelB := append([]byte(mk), 0), append([]byte(model), 0)
	exifIFDOff := dataOff + len(mkB) + len(modelB)
	entry := func(tag, typ uint16, count, val uint32) {
		binary.Write(&t, bo, tag)
		binary.Write(&t, bo, typ)
		binary.Write(&t, bo, count)
		binary.Write(&t, bo, val)
	}
	binary.Write(&t, bo, uint16(4))
	entry(0x010F, 2, uint32(len(mkB)), uint32(dataOff))
	entry(0x0110, 2, uint32(len(modelB)), uint32(dataOff+len(mkB)))
	entry(0x0112, 3, 1, uint32(orientation)<<16)
	entry(0x8769, 4, 1, uint32(exifIFDOff))
	binary.Write(&t, bo, uint32(0))
	t.Write(mkB)
	t.Write(modelB)
	takenB := append([]byte(taken), 0)
	binary.Write(&t, bo, uint16(1))
	entry(0x9003, 2, uint32(len(takenB)), uint32(exifIFDOff+2+12+4))
	binary.Write(&t, bo, uint32(0))
	t.Write(takenB)
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// landscape makes a w×h JPEG whose left half is red and right half blue.
func landscape(t testing.TB, w, h int, exif []byte) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	if exif != nil {
		out = append(append([]byte{0xFF, 0xD8}, exif...), out[2:]...)
	}
	return out
}

func write(t testing.TB, name string, b []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, path string) image.Image {
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

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xa000 && g < 0x6000 && b < 0x6000
}

func TestOrientation(t *testing.T) {
	// The stored image is 400×200, red left. Each EXIF orientation says how to
	// turn it upright; "redAt" is where the red half must end up.
	cases := []struct {
		o     uint16
		w, h  int
		redAt string
	}{
		{1, 400, 200, "left"},
		{3, 400, 200, "right"},
		{6, 200, 400, "top"},
		{8, 200, 400, "bottom"},
	}
	for _, tc := range cases {
		src := write(t, "o.jpg", landscape(t, 400, 200, exifSegment(tc.o, "Fuji", "X-T5", "2026:05:04 10:11:12")))
		out := t.TempDir()
		info, err := (&Renderer{}).Render(context.Background(), src, out, DefaultRenditions)
		if err != nil {
			t.Fatalf("orientation %d: %v", tc.o, err)
		}
		if info.Width != tc.w || info.Height != tc.h || info.Orientation != int(tc.o) {
			t.Errorf("orientation %d: info %dx%d o=%d", tc.o, info.Width, info.Height, info.Orientation)
		}
		img := load(t, filepath.Join(out, "preview.jpg"))
		b := img.Bounds()
		if b.Dx() != tc.w || b.Dy() != tc.h {
			t.Errorf("orientation %d: preview is %dx%d, want %dx%d", tc.o, b.Dx(), b.Dy(), tc.w, tc.h)
		}
		probe := map[string]image.Point{"left": {b.Dx() / 8, b.Dy() / 2}, "right": {b.Dx() * 7 / 8, b.Dy() / 2},
			"top": {b.Dx() / 2, b.Dy() / 8}, "bottom": {b.Dx() / 2, b.Dy() * 7 / 8}}[tc.redAt]
		if !isRed(img.At(probe.X, probe.Y)) {
			t.Errorf("orientation %d: red is not at the %s", tc.o, tc.redAt)
		}
	}
}

func TestProbeEXIF(t *testing.T) {
	b := landscape(t, 64, 32, exifSegment(1, "FUJIFILM", "X-T5", "2026:05:04 10:11:12"))
	info, err := Probe(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 5, 4, 10, 11, 12, 0, time.UTC)
	if info.CameraMake != "FUJIFILM" || info.CameraModel != "X-T5" || !info.TakenAt.Equal(want) || info.Format != "jpeg" {
		t.Errorf("probe = %+v", info)
	}
	plain, err := Probe(bytes.NewReader(landscape(t, 64, 32, nil)))
	if err != nil || plain.Orientation != 1 || plain.CameraMake != "" {
		t.Errorf("no EXIF: %+v %v", plain, err)
	}
	if _, err := Probe(bytes.NewReader([]byte("not an image at all"))); !errors.Is(err, ErrUnsupported) {
		t.Errorf("text: %v", err)
	}
}

// pngBomb is a tiny PNG whose header claims w×h.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestDecompressionBombRefusedWithoutAllocating(t *testing.T) {
	src := write(t, "bomb.png", pngBomb(50000, 50000))
	out := t.TempDir()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := (&Renderer{}).Render(context.Background(), src, out, DefaultRenditions)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err = %v, want ErrTooManyPixels", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", grew)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("bomb left %d files", len(entries))
	}
}

func TestTruncatedJPEGFails(t *testing.T) {
	full := landscape(t, 800, 600, nil)
	src := write(t, "cut.jpg", full[:len(full)/2])
	out := filepath.Join(t.TempDir(), "out")
	_, err := (&Renderer{}).Render(context.Background(), src, out, DefaultRenditions)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("truncated JPEG left %d files", len(entries))
	}
}

func TestCascadeSizes(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		want map[string][2]int
	}{
		{6000, 4000, map[string][2]int{"large": {2560, 1707}, "preview": {1280, 853}, "thumb": {320, 213}}},
		{300, 200, map[string][2]int{"large": {300, 200}, "preview": {300, 200}, "thumb": {300, 200}}},
	} {
		src := write(t, "big.jpg", landscape(t, tc.w, tc.h, nil))
		out := t.TempDir()
		if _, err := (&Renderer{Workers: 1}).Render(context.Background(), src, out, DefaultRenditions); err != nil {
			t.Fatal(err)
		}
		for name, wh := range tc.want {
			b := load(t, filepath.Join(out, name+".jpg")).Bounds()
			if abs(b.Dx()-wh[0]) > 1 || abs(b.Dy()-wh[1]) > 1 {
				t.Errorf("%dx%d %s = %dx%d, want %dx%d", tc.w, tc.h, name, b.Dx(), b.Dy(), wh[0], wh[1])
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestIsImage(t *testing.T) {
	for _, tc := range []struct {
		mime, name string
		want       bool
	}{
		{"image/jpeg", "a", true}, {"", "A.JPG", true}, {"application/octet-stream", "x.webp", true},
		{"video/mp4", "a.mp4", false}, {"image/svg+xml", "logo.svg", false}, {"", "doc.pdf", false},
	} {
		if got := IsImage(tc.mime, tc.name); got != tc.want {
			t.Errorf("IsImage(%q, %q) = %v", tc.mime, tc.name, got)
		}
	}
}

func grey(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 128
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

func TestWatermark(t *testing.T) {
	var logo bytes.Buffer
	l := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for i := 0; i < len(l.Pix); i += 4 {
		l.Pix[i], l.Pix[i+3] = 255, 255 // opaque red
	}
	png.Encode(&logo, l)
	for _, tc := range []struct {
		name string
		w    Watermark
		ok   bool
	}{
		{"text", Watermark{Text: "© Studio"}, true},
		{"logo", Watermark{Logo: logo.Bytes(), Position: "tiled", Opacity: 0.3}, true},
		{"nothing", Watermark{}, false},
		{"bad position", Watermark{Text: "x", Position: "middle"}, false},
		{"opacity", Watermark{Text: "x", Opacity: 1.5}, false},
		{"logo not png", Watermark{Logo: []byte("GIF89a")}, false},
	} {
		if err := tc.w.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate = %v", tc.name, err)
		}
	}
	base := grey(600, 400)
	marked := Watermark{Text: "PROOF", Position: "top-left"}.Apply(base)
	changed := func(img image.Image, x0, y0, x1, y1 int) bool {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				r1, g1, b1, _ := img.At(x, y).RGBA()
				r2, g2, b2, _ := base.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					return true
				}
			}
		}
		return false
	}
	if !changed(marked, 0, 0, 300, 200) {
		t.Error("top-left text watermark drew nothing near the top left")
	}
	if changed(marked, 450, 300, 600, 400) {
		t.Error("top-left watermark touched the bottom-right corner")
	}
	tiled := Watermark{Text: "PROOF", Position: "tiled", Scale: 0.1}.Apply(base)
	for _, q := range [][4]int{{0, 0, 300, 200}, {300, 0, 600, 200}, {0, 200, 300, 400}, {300, 200, 600, 400}} {
		if !changed(tiled, q[0], q[1], q[2], q[3]) {
			t.Errorf("tiled watermark missed quadrant %v", q)
		}
	}
	half := Watermark{Logo: logo.Bytes(), Opacity: 0.5}.Apply(base)
	r, g, _, _ := half.At(300, 200).RGBA()
	if r>>8 < 170 || r>>8 > 210 || g>>8 > 90 {
		t.Errorf("50%% red logo over grey gave r=%d g=%d", r>>8, g>>8)
	}
	if base.At(300, 200) != (color.RGBA{128, 128, 128, 255}) {
		t.Error("Apply changed its input")
	}
	a, b := Watermark{Text: "A"}, Watermark{Text: "A", Opacity: 0.4}
	if a.Key() == b.Key() || a.Key() != (Watermark{Text: "A", Opacity: 0.5}).Key() {
		t.Error("Key does not follow the settings")
	}
}

func BenchmarkRender24MP(b *testing.B) {
	src := write(b, "24mp.jpg", landscape(b, 6000, 4000, nil))
	r := &Renderer{}
	for i := 0; i < b.N; i++ {
		if _, err := r.Render(context.Background(), src, b.TempDir(), DefaultRenditions); err != nil {
			b.Fatal(err)
		}
	}
}
