package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"testing"
	"time"

	"golang.org/x/image/tiff"
)

func TestProbeEXIF(t *testing.T) {
	photo := encodeJPEG(t, quadrants(64, 32))
	full := []tag{{tagMake, "FUJIFILM"}, {tagModel, "X-T5"}, {tagOrientation, uint16(1)}, {tagDateTime, "2026:05:06 00:00:00"}}
	fullExif := []tag{
		{tagDateTimeOriginal, "2026:05:04 10:11:12"},
		{tagExposureTime, [2]uint32{1, 250}},
		{tagFNumber, [2]uint32{28, 10}},
		{tagISO, uint16(400)},
		{tagFocalLength, [2]uint32{35, 1}},
		{tagLensModel, "XF35mmF1.4 R"},
	}
	cases := []struct {
		name string
		file []byte
		want Info
	}{
		{"big-endian, every field", withEXIF(photo, tiffBlock(binary.BigEndian, full, fullExif)), Info{
			Format: "jpeg", Width: 64, Height: 32, Orientation: 1, TakenAt: time.Date(2026, 5, 4, 10, 11, 12, 0, time.UTC),
			CameraMake: "FUJIFILM", CameraModel: "X-T5", LensModel: "XF35mmF1.4 R", ISO: 400,
			ExposureTime: "1/250", FNumber: "2.8", FocalLength: "35 mm"}},
		{"little-endian, offset time, long ISO, slow shutter", withEXIF(photo, tiffBlock(binary.LittleEndian,
			[]tag{{tagMake, "Canon"}, {tagModel, "EOS R5"}},
			[]tag{{tagDateTimeOriginal, "2026:01:02 03:04:05"}, {tagOffsetTimeOriginal, "+02:00"},
				{tagISO, uint32(12800)}, {tagExposureTime, [2]uint32{4, 5}}})), Info{
			Format: "jpeg", Width: 64, Height: 32, Orientation: 1,
			TakenAt:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 2*3600)),
			CameraMake: "Canon", CameraModel: "EOS R5", ISO: 12800, ExposureTime: "0.8"}},
		{"DateTime when DateTimeOriginal is absent", withEXIF(photo, tiffBlock(binary.BigEndian,
			[]tag{{tagDateTime, "2025:12:31 23:59:58"}, {tagExposureTime, [2]uint32{30, 1}}}, nil)), Info{
			Format: "jpeg", Width: 64, Height: 32, Orientation: 1, TakenAt: time.Date(2025, 12, 31, 23, 59, 58, 0, time.UTC)}},
		{"orientation 6 swaps the displayed size", withEXIF(photo, orientationEXIF(6)), Info{
			Format: "jpeg", Width: 32, Height: 64, Orientation: 6}},
		{"orientation out of range is ignored", withEXIF(photo, orientationEXIF(9)), Info{
			Format: "jpeg", Width: 64, Height: 32, Orientation: 1}},
		{"blank camera date is no date", withEXIF(photo, tiffBlock(binary.BigEndian, nil,
			[]tag{{tagDateTimeOriginal, "    :  :     :  :  "}})), Info{Format: "jpeg", Width: 64, Height: 32, Orientation: 1}},
		{"IFD offset past the end", withEXIF(photo, []byte("MM\x00*\x00\x00\xff\xff")), Info{
			Format: "jpeg", Width: 64, Height: 32, Orientation: 1}},
		{"no EXIF", photo, Info{Format: "jpeg", Width: 64, Height: 32, Orientation: 1}},
		{"PNG eXIf chunk", pngWithEXIF(encodePNG(t, quadrants(64, 32)), tiffBlock(binary.BigEndian,
			[]tag{{tagOrientation, uint16(8)}, {tagMake, "Pixel"}}, nil)), Info{
			Format: "png", Width: 32, Height: 64, Orientation: 8, CameraMake: "Pixel"}},
		{"PNG without EXIF", encodePNG(t, quadrants(64, 32)), Info{Format: "png", Width: 64, Height: 32, Orientation: 1}},
		{"WebP EXIF chunk", solidWebP(64, 32, red, tiffBlock(binary.LittleEndian,
			[]tag{{tagOrientation, uint16(6)}, {tagModel, "Phone"}}, nil)), Info{
			Format: "webp", Width: 32, Height: 64, Orientation: 6, CameraModel: "Phone"}},
		{"WebP EXIF chunk with JPEG-style prefix", solidWebP(64, 32, red, append([]byte("Exif\x00\x00"),
			orientationEXIF(3)...)), Info{Format: "webp", Width: 64, Height: 32, Orientation: 3}},
		{"WebP without EXIF", solidWebP(64, 32, red, nil), Info{Format: "webp", Width: 64, Height: 32, Orientation: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Probe(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !got.TakenAt.Equal(tc.want.TakenAt) {
				t.Errorf("TakenAt = %v, want %v", got.TakenAt, tc.want.TakenAt)
			}
			got.TakenAt, tc.want.TakenAt = time.Time{}, time.Time{}
			if got != tc.want {
				t.Errorf("Probe =\n%+v, want\n%+v", got, tc.want)
			}
		})
	}
}

// onlySeeker hides bytes.Reader's ReadAt, as a network-backed ReadSeeker would.
type onlySeeker struct{ io.ReadSeeker }

func TestProbeWithoutReaderAt(t *testing.T) {
	file := withEXIF(encodeJPEG(t, quadrants(64, 32)), tiffBlock(binary.BigEndian,
		[]tag{{tagOrientation, uint16(6)}, {tagMake, "FUJIFILM"}}, nil))
	r := bytes.NewReader(file)
	r.Seek(10, io.SeekStart) // Probe starts from the beginning wherever r is
	got, err := Probe(onlySeeker{r})
	if err != nil {
		t.Fatal(err)
	}
	if got.Width != 32 || got.Height != 64 || got.CameraMake != "FUJIFILM" {
		t.Errorf("Probe = %+v", got)
	}
}

func TestProbeRefusesBadInput(t *testing.T) {
	photo := encodeJPEG(t, quadrants(64, 32))
	for _, tc := range []struct {
		name string
		file []byte
		want error
	}{
		{"text", []byte("not an image at all"), ErrUnsupported},
		{"empty", nil, ErrUnsupported},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), ErrUnsupported},
		{"JPEG cut inside its header", photo[:20], ErrCorrupt},
		{"PNG of zero width", pngHeader(0, 10), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Probe(bytes.NewReader(tc.file)); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// A TIFF keeps its IFD after the pixels; probing must not read them into memory.
func TestProbeTIFFReadsOnlyTheHeader(t *testing.T) {
	var b bytes.Buffer
	if err := tiff.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 2000, 1500)), nil); err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(b.Bytes())
	var info Info
	var err error
	if n := allocated(func() { info, err = Probe(r) }); n > 1<<20 {
		t.Errorf("probing a %d MB TIFF allocated %d bytes", b.Len()>>20, n)
	}
	if err != nil || info.Format != "tiff" || info.Width != 2000 || info.Height != 1500 || info.Orientation != 1 {
		t.Errorf("Probe = %+v, %v", info, err)
	}
}

func FuzzProbe(f *testing.F) {
	photo := encodeJPEG(f, quadrants(16, 8))
	f.Add(withEXIF(photo, tiffBlock(binary.BigEndian, []tag{{tagMake, "FUJIFILM"}, {tagOrientation, uint16(6)}},
		[]tag{{tagDateTimeOriginal, "2026:05:04 10:11:12"}, {tagFNumber, [2]uint32{28, 10}}})))
	f.Add(pngWithEXIF(encodePNG(f, quadrants(16, 8)), orientationEXIF(8)))
	f.Add(solidWebP(16, 8, red, orientationEXIF(6)))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := Probe(bytes.NewReader(b))
		if err == nil && (info.Orientation < 1 || info.Orientation > 8) {
			t.Errorf("orientation %d", info.Orientation)
		}
	})
}

func TestIsImage(t *testing.T) {
	for _, tc := range []struct {
		mime, name string
		want       bool
	}{
		{"image/jpeg", "", true},
		{"image/png; charset=binary", "", true},
		{"", "A.JPG", true},
		{"application/octet-stream", "x.webp", true},
		{"", "scan.tiff", true},
		{"video/mp4", "a.mp4", false},
		{"image/svg+xml", "logo.svg", false},
		{"image/heic", "IMG_0001.HEIC", false},
		{"", "doc.pdf", false},
		{"", "", false},
	} {
		if got := IsImage(tc.mime, tc.name); got != tc.want {
			t.Errorf("IsImage(%q, %q) = %v, want %v", tc.mime, tc.name, got, tc.want)
		}
	}
}
