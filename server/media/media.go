// Package media makes image proxies (renditions) and watermarks with
// imaging. It checks dimensions with DecodeConfig before decoding anything,
// applies EXIF orientation, and bounds how many decodes run at once.
package media

import (
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for the formats Ferry renders
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Rendition is a named proxy size (long edge in pixels).
type Rendition struct {
	Name     string
	LongEdge int
}

// DefaultRenditions are Ferry's proxy sizes, largest first; treat as read-only.
var DefaultRenditions = []Rendition{{"large", 2560}, {"preview", 1280}, {"thumb", 320}}

// Domain errors; returned errors wrap them with detail.
var (
	ErrTooManyPixels = errors.New("image has more pixels than allowed")
	ErrUnsupported   = errors.New("not an image format Ferry renders")
	ErrCorrupt       = errors.New("image data is corrupt or truncated")
)

// Info is what Probe learns from an image without decoding pixels.
type Info struct {
	Format        string    // jpeg, png, gif, webp, tiff, bmp
	Width, Height int       // as displayed, after EXIF orientation
	Orientation   int       // EXIF orientation 1-8, 1 if absent
	TakenAt       time.Time // EXIF DateTimeOriginal (or DateTime), zero if absent
	CameraMake    string
	CameraModel   string
	LensModel     string
	ISO           int
	ExposureTime  string // "1/250", "0.8", "30" (seconds)
	FNumber       string // "2.8"
	FocalLength   string // "35 mm"
}

// Probe reads an image's header and EXIF from the start of r, never its pixels.
func Probe(r io.ReadSeeker) (Info, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Info{}, err
	}
	cfg, format, err := decodeConfig(r)
	if err != nil {
		return Info{}, decodeError(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%w: %s of %d×%d pixels", ErrCorrupt, format, cfg.Width, cfg.Height)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if ex, ok := readEXIF(r, format); ok {
		info.Orientation, info.TakenAt = ex.Orientation, ex.TakenAt
		info.CameraMake, info.CameraModel, info.LensModel = ex.Make, ex.Model, ex.Lens
		info.ISO, info.ExposureTime, info.FNumber, info.FocalLength = ex.ISO, ex.Exposure, ex.FNumber, ex.FocalLength
	}
	if info.Orientation >= 5 { // 5-8 turn the picture a quarter
		info.Width, info.Height = info.Height, info.Width
	}
	return info, nil
}

// decodeConfig is image.DecodeConfig, except that a TIFF is read through
// io.ReaderAt: behind image.DecodeConfig's buffered reader, x/image/tiff
// copies the file into memory up to its IFD, which is often at the end.
func decodeConfig(r io.ReadSeeker) (image.Config, string, error) {
	if t, ok := asTIFF(r); ok {
		cfg, err := tiff.DecodeConfig(t)
		return cfg, "tiff", err
	}
	return image.DecodeConfig(r)
}

// decodeImage decodes r from its start, reading a TIFF the same way as decodeConfig.
func decodeImage(r io.ReadSeeker) (image.Image, error) {
	if t, ok := asTIFF(r); ok {
		return tiff.Decode(t)
	}
	img, _, err := image.Decode(r)
	return img, err
}

// asTIFF returns r as a reader with ReadAt if it holds a TIFF, leaving r at its start.
func asTIFF(r io.ReadSeeker) (*io.SectionReader, bool) {
	var magic [4]byte
	_, err := io.ReadFull(r, magic[:])
	if _, serr := r.Seek(0, io.SeekStart); err != nil || serr != nil {
		return nil, false
	}
	if m := string(magic[:]); m != "II*\x00" && m != "MM\x00*" {
		return nil, false
	}
	return io.NewSectionReader(readerAt(r), 0, math.MaxInt64), true
}

// decodeError sorts a decoder's error into ErrUnsupported (a format or
// feature Go cannot decode) or ErrCorrupt (anything else).
func decodeError(err error) error {
	var je jpeg.UnsupportedError
	var pe png.UnsupportedError
	var te tiff.UnsupportedError
	if errors.Is(err, image.ErrFormat) || errors.Is(err, bmp.ErrUnsupported) ||
		errors.As(err, &je) || errors.As(err, &pe) || errors.As(err, &te) {
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// IsImage reports whether a MIME type or filename extension is one Ferry renders proxies for.
func IsImage(mimeType, filename string) bool {
	mt, _, _ := strings.Cut(mimeType, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif", "image/webp",
		"image/tiff", "image/bmp", "image/x-ms-bmp":
		return true
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp":
		return true
	}
	return false
}
