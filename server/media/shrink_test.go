package media

import (
	"image"
	"image/color"
	"testing"
)

// TestShrink: whole halvings down to no less than the target, the kind of
// image and its colours kept, odd sizes and every subsampling handled.
func TestShrink(t *testing.T) {
	fill := func(img interface{ Set(int, int, color.Color) }, w, h int) {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				img.Set(x, y, color.NRGBA{uint8(40 + x%3), 120, uint8(200 - y%5), 255})
			}
		}
	}
	ycc := func(w, h int, r image.YCbCrSubsampleRatio) image.Image {
		m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
		for i := range m.Y {
			m.Y[i] = 90
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = 100, 160
		}
		return m
	}
	opaque := image.NewNRGBA(image.Rect(0, 0, 1001, 701))
	fill(opaque, 1001, 701)
	clear := image.NewNRGBA(image.Rect(0, 0, 1000, 700))
	gray := image.NewGray(image.Rect(0, 0, 999, 333))
	for i := range gray.Pix {
		gray.Pix[i] = 77
	}
	cases := []struct {
		name         string
		img          image.Image
		w, h         int
		wantW, wantH int
	}{
		{"4:2:0 odd, twice", ycc(6001, 4001, image.YCbCrSubsampleRatio420), 1280, 853, 1500, 1000},
		{"4:2:0 exact", ycc(2560, 1706, image.YCbCrSubsampleRatio420), 1280, 853, 1280, 853},
		{"4:4:4", ycc(800, 600, image.YCbCrSubsampleRatio444), 320, 240, 400, 300},
		{"4:2:2", ycc(801, 601, image.YCbCrSubsampleRatio422), 320, 240, 400, 300},
		{"4:4:0", ycc(640, 480, image.YCbCrSubsampleRatio440), 320, 240, 320, 240},
		{"gray", gray, 320, 100, 499, 166},
		{"opaque NRGBA", opaque, 320, 200, 500, 350},
		{"transparent NRGBA is left to the filter", clear, 320, 200, 1000, 700},
		{"less than twice: nothing to do", ycc(3000, 2000, image.YCbCrSubsampleRatio420), 2560, 1707, 3000, 2000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := c.img.At(c.img.Bounds().Dx()/2, c.img.Bounds().Dy()/2)
			out := shrink(c.img, c.w, c.h)
			if b := out.Bounds(); b.Dx() != c.wantW || b.Dy() != c.wantH {
				t.Fatalf("%v → %dx%d, want %dx%d", c.img.Bounds(), b.Dx(), b.Dy(), c.wantW, c.wantH)
			}
			if _, ok := out.(interface{ Opaque() bool }); !ok {
				t.Fatalf("%T", out)
			}
			r0, g0, b0, _ := before.RGBA()
			r1, g1, b1, _ := out.At(c.wantW/2, c.wantH/2).RGBA()
			if d := max(absDiff(r0, r1), absDiff(g0, g1), absDiff(b0, b1)); d > 3<<8 {
				t.Errorf("colour moved by %d/65535: %v → %v", d, before, out.At(c.wantW/2, c.wantH/2))
			}
		})
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
