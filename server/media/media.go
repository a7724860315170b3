// Package media makes image proxies (renditions) and watermarks with
// imaging. It checks dimensions with DecodeConfig before decoding anything,
// applies EXIF orientation, and bounds how many decodes run at once.
package media

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for the formats Ferry renders
	"image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Rendition is a named proxy size (long edge in pixels).
type Rendition struct {
	Name     string
	LongEdge int
}

// DefaultRenditions, largest first so each is made from the one before.
var DefaultRenditions = []Rendition{{"large", 2560}, {"preview", 1280}, {"thumb", 320}}

// Domain errors.
var (
	ErrTooManyPixels = errors.New("image has more pixels than allowed")
	ErrUnsupported   = errors.New("not an image format Ferry renders")
	ErrCorrupt       = errors.New("image data is corrupt or truncated")
)

// Info is what Probe learns without decoding pixels.
type Info struct {
	Format        string
	Width, Height int // as displayed, after EXIF orientation
	Orientation   int
	TakenAt       time.Time
	CameraMake    string
	CameraModel   string
	LensModel     string
	ISO           int
	ExposureTime  string
	FNumber       string
	FocalLength   string
}

// Probe reads an image's header and EXIF only.
func Probe(r io.ReadSeeker) (Info, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return Info{}, ErrUnsupported
		}
		return Info{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if format == "jpeg" {
		if _, err := r.Seek(0, io.SeekStart); err == nil {
			if ex, ok := readEXIF(r); ok {
				info.Orientation = ex.Orientation
				info.TakenAt, info.CameraMake, info.CameraModel, info.LensModel = ex.TakenAt, ex.Make, ex.Model, ex.Lens
				info.ISO, info.ExposureTime, info.FNumber, info.FocalLength = ex.ISO, ex.Exposure, ex.FNumber, ex.FocalLength
			}
		}
	}
	if info.Orientation >= 5 {
		info.Width, info.Height = info.Height, info.Width
	}
	return info, nil
}

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".tif": true, ".tiff": true, ".bmp": true}

// IsImage reports whether Ferry renders proxies for a MIME type or filename.
func IsImage(mimeType, filename string) bool {
	switch strings.ToLower(strings.TrimSpace(strings.Split(mimeType, ";")[0])) {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp":
		return true
	}
	return imageExts[strings.ToLower(filepath.Ext(filename))]
}

// Renderer makes renditions with bounded concurrency.
type Renderer struct {
	MaxPixels int64 // default 100 MP
	Workers   int   // concurrent decodes, default NumCPU
	Quality   int   // JPEG quality, default 85

	once sync.Once
	sem  chan struct{}
}

func (r *Renderer) init() {
	n := r.Workers
	if n <= 0 {
		n = runtime.NumCPU()
	}
	r.sem = make(chan struct{}, n)
}

// Render decodes src once, applies EXIF orientation, and writes one JPEG per
// rendition to outDir/<name>.jpg, each resized from the one before (never
// upscaled).
func (r *Renderer) Render(ctx context.Context, src, outDir string, renditions []Rendition) (Info, error) {
	r.once.Do(r.init)
	f, err := os.Open(src)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	info, err := Probe(f)
	if err != nil {
		return info, err
	}
	max := r.MaxPixels
	if max <= 0 {
		max = 100_000_000
	}
	if int64(info.Width)*int64(info.Height) > max {
		return info, fmt.Errorf("%w: %d×%d is above the limit of %d pixels", ErrTooManyPixels, info.Width, info.Height, max)
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return info, ctx.Err()
	}
	defer func() { <-r.sem }()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return info, err
	}
	img, err := decode(f)
	if err != nil {
		return info, err
	}
	img = orient(img, info.Orientation)
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return info, err
	}
	q := r.Quality
	if q <= 0 {
		q = 85
	}
	cur := img
	for _, rd := range renditions {
		if ctx.Err() != nil {
			return info, ctx.Err()
		}
		cur = fit(cur, rd.LongEdge)
		if err := writeJPEG(filepath.Join(outDir, rd.Name+".jpg"), cur, q); err != nil {
			return info, err
		}
	}
	return info, nil
}

// decode turns decoder panics and errors on bad data into ErrCorrupt.
func decode(r io.Reader) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrCorrupt, p)
		}
	}()
	img, _, err = image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return img, nil
}

func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// fit scales img so its long edge is at most edge (never larger).
func fit(img image.Image, edge int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= edge && h <= edge {
		return img
	}
	if w >= h {
		return imaging.Resize(img, edge, 0, imaging.CatmullRom)
	}
	return imaging.Resize(img, 0, edge, imaging.CatmullRom)
}

func writeJPEG(dst string, img image.Image, q int) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*.jpg")
	if err != nil {
		return err
	}
	if err := jpeg.Encode(tmp, img, &jpeg.Options{Quality: q}); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
