package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Watermark is the site watermark drawn over proxies shown through links.
type Watermark struct {
	Text     string  `json:"text"`
	Logo     []byte  `json:"logo,omitempty"` // PNG; takes precedence over Text
	Position string  `json:"position"`       // center, top-left, top-right, bottom-left, bottom-right, tiled
	Opacity  float64 `json:"opacity"`        // 0..1, default 0.5
	Scale    float64 `json:"scale"`          // fraction of the short edge, default 0.25
}

var positions = map[string]bool{"center": true, "top-left": true, "top-right": true, "bottom-left": true, "bottom-right": true, "tiled": true}

// Validate names the first bad field.
func (w Watermark) Validate() error {
	if w.Text == "" && len(w.Logo) == 0 {
		return fmt.Errorf("watermark: give a text or a PNG logo")
	}
	if len(w.Text) > 200 {
		return fmt.Errorf("watermark text: at most 200 bytes")
	}
	if w.Position != "" && !positions[w.Position] {
		return fmt.Errorf("watermark position %q: want center, top-left, top-right, bottom-left, bottom-right or tiled", w.Position)
	}
	if w.Opacity < 0 || w.Opacity > 1 {
		return fmt.Errorf("watermark opacity %g: want 0 to 1", w.Opacity)
	}
	if w.Scale < 0 || w.Scale > 1 {
		return fmt.Errorf("watermark scale %g: want 0 to 1", w.Scale)
	}
	if len(w.Logo) > 0 {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(w.Logo))
		if err != nil || format != "png" {
			return fmt.Errorf("watermark logo: not a PNG")
		}
		if cfg.Width > 4096 || cfg.Height > 4096 {
			return fmt.Errorf("watermark logo: %d×%d is above 4096×4096", cfg.Width, cfg.Height)
		}
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

// Key is a short stable hash of the settings, for cache file names.
func (w Watermark) Key() string {
	w = w.withDefaults()
	h := sha256.New()
	fmt.Fprintf(h, "%q|%s|%g|%g|", w.Text, w.Position, w.Opacity, w.Scale)
	h.Write(w.Logo)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// mark renders the logo or text at about size pixels wide.
func (w Watermark) mark(size int) (image.Image, error) {
	if len(w.Logo) > 0 {
		logo, err := png.Decode(bytes.NewReader(w.Logo))
		if err != nil {
			return nil, err
		}
		return imaging.Resize(logo, size, 0, imaging.Linear), nil
	}
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	// Pick a font size so the text spans about size pixels.
	pt := float64(size) / math.Max(float64(len([]rune(w.Text))), 1) * 1.6
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	adv := font.MeasureString(face, w.Text).Ceil()
	m := face.Metrics()
	height := (m.Ascent + m.Descent).Ceil()
	pad := int(math.Max(2, pt/12))
	img := image.NewNRGBA(image.Rect(0, 0, adv+2*pad, height+2*pad))
	d := &font.Drawer{Dst: img, Face: face}
	// A soft dark shadow under white text reads on light and dark photos.
	d.Src = image.NewUniform(color.NRGBA{0, 0, 0, 140})
	d.Dot = fixed.P(pad+pad/2+1, pad+m.Ascent.Ceil()+pad/2+1)
	d.DrawString(w.Text)
	d.Src = image.NewUniform(color.NRGBA{255, 255, 255, 255})
	d.Dot = fixed.P(pad, pad+m.Ascent.Ceil())
	d.DrawString(w.Text)
	return img, nil
}

// Apply draws the watermark over img and returns a new image.
func (w Watermark) Apply(img image.Image) image.Image {
	w = w.withDefaults()
	b := img.Bounds()
	short := b.Dx()
	if b.Dy() < short {
		short = b.Dy()
	}
	size := int(float64(short) * w.Scale * 2)
	if size < 16 {
		size = 16
	}
	dst := imaging.Clone(img)
	mk, err := w.mark(size)
	if err != nil {
		return dst
	}
	mb := mk.Bounds()
	mask := image.NewUniform(color.Alpha{uint8(math.Round(w.Opacity * 255))})
	margin := short / 30
	at := func(x, y int) {
		r := image.Rect(x, y, x+mb.Dx(), y+mb.Dy())
		draw.DrawMask(dst, r, mk, mb.Min, mask, image.Point{}, draw.Over)
	}
	W, H := dst.Bounds().Dx(), dst.Bounds().Dy()
	switch w.Position {
	case "top-left":
		at(margin, margin)
	case "top-right":
		at(W-mb.Dx()-margin, margin)
	case "bottom-left":
		at(margin, H-mb.Dy()-margin)
	case "bottom-right":
		at(W-mb.Dx()-margin, H-mb.Dy()-margin)
	case "tiled":
		stepX, stepY := mb.Dx()+mb.Dx()/2, mb.Dy()*3
		for y, row := -mb.Dy()/2, 0; y < H; y, row = y+stepY, row+1 {
			off := (row % 2) * stepX / 2
			for x := -off; x < W; x += stepX {
				at(x, y)
			}
		}
	default:
		at((W-mb.Dx())/2, (H-mb.Dy())/2)
	}
	return dst
}

// WatermarkFile reads the JPEG at src, applies w, and writes dst atomically.
func (w Watermark) WatermarkFile(src, dst string, quality int) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	img, err := decode(f)
	f.Close()
	if err != nil {
		return err
	}
	if quality <= 0 {
		quality = 85
	}
	return writeJPEG(dst, w.Apply(img), quality)
}
