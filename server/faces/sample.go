package faces

import (
	"image"
	"image/draw"
	"math"
)

// toRGBA converts any decoded image to RGBA once, through image/draw's fast
// paths (YCbCr, Gray, NRGBA), so the networks' samplers read bytes directly.
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// squareWindow is the part of an image a network sees, padded with black to
// a square of side side whose top-left corner is (ox, oy) in image pixels,
// as tfjs's padToSquare does before resizeBilinear.
type squareWindow struct {
	x0, y0, x1, y1 int // the pixels that are read; the rest of the square is black
	ox, oy         int
	side           int
}

// tap is one output coordinate of a resize along an axis: the two source
// indices (absolute; -1 reads black) and the weight of the second.
type tap struct {
	a, b int
	f    float32
}

// sampleSquare resizes the window to an n×n×3 tensor like tfjs's
// resizeBilinear (no corner alignment, no half-pixel centres) and
// normalises each channel as (v − mean) / div.
func sampleSquare(img *image.RGBA, win squareWindow, n int, mean [3]float32, div float32) *tensor {
	t := newTensor(n, n, 3)
	step := float64(win.side) / float64(n)
	taps := func(origin, lo, hi int) []tap {
		out := make([]tap, n)
		for u := range out {
			q := float64(u) * step
			q0 := int(math.Floor(q))
			q1 := min(q0+1, win.side-1)
			a, b := origin+q0, origin+q1
			if a < lo || a >= hi {
				a = -1
			}
			if b < lo || b >= hi {
				b = -1
			}
			out[u] = tap{a, b, float32(q - float64(q0))}
		}
		return out
	}
	xs := taps(win.ox, win.x0, win.x1)
	ys := taps(win.oy, win.y0, win.y1)
	inv := 1 / div
	parallelRows(n, func(v0, v1 int) {
		for v := v0; v < v1; v++ {
			ty := ys[v]
			for u, tx := range xs {
				var top, bot [3]float32
				readPair(img, ty.a, tx, &top)
				readPair(img, ty.b, tx, &bot)
				o := t.at(v, u)
				for c := 0; c < 3; c++ {
					val := top[c] + (bot[c]-top[c])*ty.f
					o[c] = (val - mean[c]) * inv
				}
			}
		}
	})
	return t
}

// readPair interpolates along x between two pixels of row y; -1 reads black.
func readPair(img *image.RGBA, y int, tx tap, out *[3]float32) {
	var l, r [3]float32
	if y >= 0 {
		if tx.a >= 0 {
			p := img.Pix[y*img.Stride+tx.a*4:]
			l = [3]float32{float32(p[0]), float32(p[1]), float32(p[2])}
		}
		if tx.b >= 0 {
			p := img.Pix[y*img.Stride+tx.b*4:]
			r = [3]float32{float32(p[0]), float32(p[1]), float32(p[2])}
		}
	}
	for c := 0; c < 3; c++ {
		out[c] = l[c] + (r[c]-l[c])*tx.f
	}
}

// bilinearAt reads the image at a real position (pixel centres on integers),
// clamping to the border, into out as floats.
func bilinearAt(img *image.RGBA, x, y float64, out *[3]float32) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x = math.Max(0, math.Min(x, float64(w-1)))
	y = math.Max(0, math.Min(y, float64(h-1)))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	p00 := img.Pix[y0*img.Stride+x0*4:]
	p01 := img.Pix[y0*img.Stride+x1*4:]
	p10 := img.Pix[y1*img.Stride+x0*4:]
	p11 := img.Pix[y1*img.Stride+x1*4:]
	for c := 0; c < 3; c++ {
		top := float32(p00[c]) + (float32(p01[c])-float32(p00[c]))*fx
		bot := float32(p10[c]) + (float32(p11[c])-float32(p10[c]))*fx
		out[c] = top + (bot-top)*fy
	}
}
