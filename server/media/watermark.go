package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Watermark describes the site watermark drawn over proxies shown through links.
type Watermark struct {
	Text     string  `json:"text"`           // used when Logo is empty
	Logo     []byte  `json:"logo,omitempty"` // PNG; takes precedence over Text
	Position string  `json:"position"`       // center (default), top-left, top-right, bottom-left, bottom-right, tiled
	Opacity  float64 `json:"opacity"`        // 0..1, default 0.5 when 0
	Scale    float64 `json:"scale"`          // the mark's long side as a fraction of the image's short edge, default 0.25 when 0
}

const (
	maxLogoSide     = 4096
	maxWatermarkLen = 200 // characters of text
)

// Validate returns an error naming the first bad field.
func (w Watermark) Validate() error {
	switch w.Position {
	case "", "center", "top-left", "top-right", "bottom-left", "bottom-right", "tiled":
	default:
		return fmt.Errorf("watermark position %q: want center, top-left, top-right, bottom-left, bottom-right or tiled", w.Position)
	}
	if !(w.Opacity >= 0 && w.Opacity <= 1) { // also refuses NaN
		return fmt.Errorf("watermark opacity %g: want 0 to 1", w.Opacity)
	}
	if !(w.Scale >= 0 && w.Scale <= 1) {
		return fmt.Errorf("watermark scale %g: want 0 to 1", w.Scale)
	}
	if len(w.Logo) > 0 {
		// Check the size before decoding so a bomb is refused cheaply, then
		// decode once so Apply never meets a broken logo.
		cfg, err := png.DecodeConfig(bytes.NewReader(w.Logo))
		if err != nil {
			return fmt.Errorf("watermark logo: not a PNG: %v", err)
		}
		if cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
			return fmt.Errorf("watermark logo: %d×%d is above %d×%d", cfg.Width, cfg.Height, maxLogoSide, maxLogoSide)
		}
		if _, err := png.Decode(bytes.NewReader(w.Logo)); err != nil {
			return fmt.Errorf("watermark logo: broken PNG: %v", err)
		}
		return nil
	}
	if strings.TrimSpace(w.Text) == "" {
		return fmt.Errorf("watermark text: empty; set a text or a PNG logo")
	}
	if n := utf8.RuneCountInString(w.Text); n > maxWatermarkLen {
		return fmt.Errorf("watermark text: %d characters, at most %d", n, maxWatermarkLen)
	}
	return nil
}

func (w Watermark) withDefaults() Watermark {
	if w.Position == "" {
		w.Position = "center"
	}
	if w.Opacity == 0 {
		w.Opacity = 0.5
	}
	if w.Scale == 0 {
		w.Scale = 0.25
	}
	return w
}

// Key returns a short stable hash of the watermark settings, for cache file names.
func (w Watermark) Key() string {
	w = w.withDefaults()
	h := sha256.New()
	// Bump the version when drawing changes so old cached files are not reused.
	// Lengths are written so neighbouring fields cannot run into each other.
	fmt.Fprintf(h, "wm1|%d|%s|%s|%g|%g|", len(w.Text), w.Text, w.Position, w.Opacity, w.Scale)
	binary.Write(h, binary.BigEndian, uint64(len(w.Logo)))
	h.Write(w.Logo)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Apply draws the watermark over img and returns a new image (img untouched).
// Text is white Go Bold with a dark shadow so it reads on light and dark
// photos. A logo that is not a valid PNG draws nothing; Validate catches it.
func (w Watermark) Apply(img image.Image) image.Image {
	w = w.withDefaults()
	dst := imaging.Clone(img)
	W, H := dst.Rect.Dx(), dst.Rect.Dy()
	short := min(W, H)
	mk := w.mark(max(8, int(float64(short)*w.Scale)))
	if mk == nil {
		return dst
	}
	mw, mh := mk.Bounds().Dx(), mk.Bounds().Dy()
	mask := image.NewUniform(color.Alpha{uint8(w.Opacity*255 + 0.5)})
	at := func(x, y int) {
		draw.DrawMask(dst, image.Rect(x, y, x+mw, y+mh), mk, mk.Bounds().Min, mask, image.Point{}, draw.Over)
	}
	margin := short / 30
	switch w.Position {
	case "top-left":
		at(margin, margin)
	case "top-right":
		at(W-mw-margin, margin)
	case "bottom-left":
		at(margin, H-mh-margin)
	case "bottom-right":
		at(W-mw-margin, H-mh-margin)
	case "tiled":
		// Staggered rows, so no straight band of the photo stays clean.
		stepX, stepY := mw+mw/2, mh*3
		for y, row := -mh/2, 0; y < H; y, row = y+stepY, row+1 {
			for x := -(row % 2) * stepX / 2; x < W; x += stepX {
				at(x, y)
			}
		}
	default:
		at((W-mw)/2, (H-mh)/2)
	}
	return dst
}

// Overlay is the watermark alone on a transparent width×height image, as
// Apply draws it (same size, place and opacity): laid over a video frame
// of that size it looks as on a photo.
func (w Watermark) Overlay(width, height int) *image.NRGBA {
	return w.Apply(image.NewNRGBA(image.Rect(0, 0, width, height))).(*image.NRGBA)
}

// mark renders the logo or the text with its long side about size pixels.
func (w Watermark) mark(size int) image.Image {
	if len(w.Logo) > 0 {
		logo, err := png.Decode(bytes.NewReader(w.Logo))
		if err != nil {
			return nil
		}
		lw, lh := logo.Bounds().Dx(), logo.Bounds().Dy()
		s := float64(size) / float64(max(lw, lh))
		return imaging.Resize(logo, max(1, int(float64(lw)*s)), max(1, int(float64(lh)*s)), imaging.CatmullRom)
	}
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil
	}
	// Measure at 100 px, then pick the size that makes the text size px wide.
	ref, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 100, DPI: 72})
	if err != nil {
		return nil
	}
	width := font.MeasureString(ref, w.Text).Ceil()
	ref.Close()
	if width <= 0 {
		return nil
	}
	px := max(4, 100*float64(size)/float64(width))
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil
	}
	defer face.Close()
	m := face.Metrics()
	shadow := max(1, int(px/16))
	img := image.NewNRGBA(image.Rect(0, 0, font.MeasureString(face, w.Text).Ceil()+shadow, (m.Ascent+m.Descent).Ceil()+shadow))
	d := &font.Drawer{Dst: img, Face: face}
	d.Src = image.NewUniform(color.NRGBA{0, 0, 0, 150})
	d.Dot = fixed.P(shadow, m.Ascent.Ceil()+shadow)
	d.DrawString(w.Text)
	d.Src = image.White
	d.Dot = fixed.P(0, m.Ascent.Ceil())
	d.DrawString(w.Text)
	return img
}

// WatermarkFile reads a rendition JPEG at src, applies w, and writes a JPEG
// to dst atomically. quality 0 means 85.
func (w Watermark) WatermarkFile(src, dst string, quality int) error {
	if err := w.Validate(); err != nil {
		return err
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	need, cfg, err := decodeBytes(f)
	if err != nil {
		return err
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > defaultMaxPixels || need > defaultMaxDecodeBytes {
		return fmt.Errorf("%w: %d×%d", ErrTooManyPixels, cfg.Width, cfg.Height)
	}
	img, err := decode(f)
	if err != nil {
		return err
	}
	if quality <= 0 {
		quality = defaultQuality
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	return writeJPEG(dst, w.Apply(img), quality)
}

// WatermarkSample draws w on a neutral w×h gradient, as a JPEG: the preview
// in Settings.
func WatermarkSample(w Watermark, width, height int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			v := uint8(90 + 100*x/width)
			img.SetNRGBA(x, y, color.NRGBA{R: v, G: uint8(110 + 80*y/height), B: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := imaging.Encode(&buf, w.Apply(img), imaging.JPEG, imaging.JPEGQuality(85)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
