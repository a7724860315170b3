package media

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// redLogo is an opaque red PNG of w×h.
func redLogo(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+3] = 255, 255
	}
	return encodePNG(t, img)
}

func grey(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 128
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

// changed reports whether any pixel of got in r differs from base.
func changed(got, base image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := base.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				return true
			}
		}
	}
	return false
}

func TestWatermarkValidate(t *testing.T) {
	logo := redLogo(t, 40, 20)
	for _, tc := range []struct {
		name  string
		w     Watermark
		field string // "" when valid
	}{
		{"text with defaults", Watermark{Text: "© Studio"}, ""},
		{"logo, tiled", Watermark{Logo: logo, Position: "tiled", Opacity: 0.3, Scale: 0.1}, ""},
		{"every position", Watermark{Text: "x", Position: "bottom-right", Opacity: 1, Scale: 1}, ""},
		{"logo wins over empty text", Watermark{Logo: logo, Text: ""}, ""},
		{"unknown position", Watermark{Text: "x", Position: "middle"}, "position"},
		{"opacity above 1", Watermark{Text: "x", Opacity: 1.5}, "opacity"},
		{"opacity below 0", Watermark{Text: "x", Opacity: -0.1}, "opacity"},
		{"opacity NaN", Watermark{Text: "x", Opacity: math.NaN()}, "opacity"},
		{"scale above 1", Watermark{Text: "x", Scale: 2}, "scale"},
		{"logo not a PNG", Watermark{Logo: []byte("GIF89a......")}, "logo"},
		{"logo above 4096", Watermark{Logo: pngHeader(5000, 10)}, "logo"},
		{"logo truncated", Watermark{Logo: logo[:len(logo)-20]}, "logo"},
		{"no text and no logo", Watermark{}, "text"},
		{"blank text", Watermark{Text: "   "}, "text"},
		{"text too long", Watermark{Text: strings.Repeat("é", 201)}, "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.Validate()
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tc.field != "" && (err == nil || !strings.Contains(err.Error(), tc.field)):
				t.Errorf("Validate = %v, want an error naming %s", err, tc.field)
			}
		})
	}
}

func TestWatermarkTextPositions(t *testing.T) {
	base := grey(600, 400)
	tl, tr := image.Rect(0, 0, 300, 200), image.Rect(300, 0, 600, 200)
	bl, br := image.Rect(0, 200, 300, 400), image.Rect(300, 200, 600, 400)
	for _, tc := range []struct {
		position  string
		near, far image.Rectangle
	}{
		{"top-left", tl, br},
		{"top-right", tr, bl},
		{"bottom-left", bl, tr},
		{"bottom-right", br, tl},
		{"center", image.Rect(250, 150, 350, 250), image.Rect(0, 0, 100, 100)},
	} {
		t.Run(tc.position, func(t *testing.T) {
			got := Watermark{Text: "PROOF", Position: tc.position}.Apply(base)
			if got.Bounds() != base.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), base.Bounds())
			}
			if !changed(got, base, tc.near) {
				t.Errorf("drew nothing in %v", tc.near)
			}
			if changed(got, base, tc.far) {
				t.Errorf("touched the far corner %v", tc.far)
			}
			// White text and a dark shadow: both lighter and darker than the grey.
			var light, dark bool
			for y := tc.near.Min.Y; y < tc.near.Max.Y; y++ {
				for x := tc.near.Min.X; x < tc.near.Max.X; x++ {
					v, _, _, _ := got.At(x, y).RGBA()
					light, dark = light || v>>8 > 160, dark || v>>8 < 100
				}
			}
			if !light || !dark {
				t.Errorf("text has light pixels %v and dark pixels %v, want both", light, dark)
			}
		})
	}
}

func TestWatermarkTiledCoversEveryQuadrant(t *testing.T) {
	base := grey(600, 400)
	for _, w := range []Watermark{
		{Text: "PROOF", Position: "tiled", Scale: 0.1},
		{Text: "PROOF", Position: "tiled"},
		{Logo: redLogo(t, 30, 10), Position: "tiled"},
	} {
		got := w.Apply(base)
		for _, q := range []image.Rectangle{image.Rect(0, 0, 300, 200), image.Rect(300, 0, 600, 200),
			image.Rect(0, 200, 300, 400), image.Rect(300, 200, 600, 400)} {
			if !changed(got, base, q) {
				t.Errorf("%+v missed quadrant %v", w, q)
			}
		}
	}
}

func TestWatermarkLogoBlends(t *testing.T) {
	base := grey(600, 400)
	for _, tc := range []struct {
		opacity float64
		wantRed uint32 // 255·opacity + 128·(1−opacity)
	}{
		{0.5, 191},
		{1, 255},
		{0.2, 153},
	} {
		got := Watermark{Logo: redLogo(t, 40, 40), Opacity: tc.opacity}.Apply(base)
		r, g, b, _ := got.At(300, 200).RGBA()
		wantGB := uint32(128 * (1 - tc.opacity))
		if d := int(r>>8) - int(tc.wantRed); d < -3 || d > 3 || abs(int(g>>8)-int(wantGB)) > 3 || abs(int(b>>8)-int(wantGB)) > 3 {
			t.Errorf("opacity %g: red logo over grey gave %d,%d,%d, want about %d,%d,%d", tc.opacity, r>>8, g>>8, b>>8, tc.wantRed, wantGB, wantGB)
		}
	}
	if base.At(300, 200) != (color.NRGBA{128, 128, 128, 255}) {
		t.Error("Apply changed its input")
	}
}

func TestWatermarkKey(t *testing.T) {
	base := Watermark{Text: "A", Logo: redLogo(t, 4, 4), Position: "top-left", Opacity: 0.4, Scale: 0.2}
	if base.Key() != base.Key() || len(base.Key()) != 16 {
		t.Fatalf("Key %q is not stable or not 16 characters", base.Key())
	}
	variants := map[string]Watermark{}
	v := base
	v.Text = "B"
	variants["text"] = v
	v = base
	v.Logo = redLogo(t, 5, 4)
	variants["logo"] = v
	v = base
	v.Logo = nil
	variants["no logo"] = v
	v = base
	v.Position = "tiled"
	variants["position"] = v
	v = base
	v.Opacity = 0.41
	variants["opacity"] = v
	v = base
	v.Scale = 0.3
	variants["scale"] = v
	for field, w := range variants {
		if w.Key() == base.Key() {
			t.Errorf("changing %s kept the key", field)
		}
	}
	// Zero values mean the defaults, so they draw the same and share a key.
	if (Watermark{Text: "A"}).Key() != (Watermark{Text: "A", Position: "center", Opacity: 0.5, Scale: 0.25}).Key() {
		t.Error("defaults and their explicit values have different keys")
	}
}

func TestWatermarkFile(t *testing.T) {
	src := writeFile(t, "preview.jpg", encodeJPEG(t, grey(320, 200)))
	dst := filepath.Join(t.TempDir(), "wm", "preview.jpg")
	if err := (Watermark{Text: "PROOF"}).WatermarkFile(src, dst, 0); err != nil {
		t.Fatal(err)
	}
	base, got := loadJPEG(t, src), loadJPEG(t, dst)
	if got.Bounds() != base.Bounds() {
		t.Errorf("bounds %v, want %v", got.Bounds(), base.Bounds())
	}
	if !changed(got, base, image.Rect(140, 90, 180, 110)) {
		t.Error("no watermark in the centre")
	}

	bad := filepath.Join(t.TempDir(), "bad.jpg")
	if err := (Watermark{Text: "x", Position: "middle"}).WatermarkFile(src, bad, 85); err == nil {
		t.Error("invalid watermark was applied")
	}
	broken := writeFile(t, "broken.jpg", []byte("not a jpeg"))
	if err := (Watermark{Text: "x"}).WatermarkFile(broken, bad, 85); err == nil {
		t.Error("broken source was accepted")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Error("failed WatermarkFile left a file")
	}
}
