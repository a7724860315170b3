package faces

import (
	"runtime"
	"sync"
)

// tensor is one image-shaped activation in HWC order (channels innermost),
// as tfjs lays out NHWC with a batch of one.
type tensor struct {
	h, w, c int
	d       []float32
}

func newTensor(h, w, c int) *tensor {
	return &tensor{h: h, w: w, c: c, d: make([]float32, h*w*c)}
}

// at returns the channels of one pixel.
func (t *tensor) at(y, x int) []float32 {
	i := (y*t.w + x) * t.c
	return t.d[i : i+t.c : i+t.c]
}

// parallelRows runs f over [0,n) split in contiguous chunks, one goroutine
// per CPU: each output row of a layer is independent of the others.
func parallelRows(n int, f func(y0, y1 int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 || n < 4 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for y0 := 0; y0 < n; y0 += chunk {
		y1 := min(y0+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(y0, y1)
		}()
	}
	wg.Wait()
}

// padding is how a layer pads its input, as tensorflow defines it.
type padding int

const (
	padValid padding = iota // no padding; the output shrinks
	padSame                 // out = ceil(in/stride); the odd pixel goes bottom/right
)

// outSize returns the output length and the padding before the first pixel
// of a window of size k moving by stride over n pixels.
func outSize(n, k, stride int, p padding) (out, before int) {
	if p == padValid {
		return (n-k)/stride + 1, 0
	}
	out = (n + stride - 1) / stride
	total := max((out-1)*stride+k-n, 0)
	return out, total / 2
}

// conv2d is a full convolution with an HWIO filter [k][k][in.c][co] and a
// bias per output channel.
func conv2d(in *tensor, filt []float32, k, co int, bias []float32, stride int, p padding) *tensor {
	oh, pt := outSize(in.h, k, stride, p)
	ow, pl := outSize(in.w, k, stride, p)
	out := newTensor(oh, ow, co)
	ci := in.c
	parallelRows(oh, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := 0; x < ow; x++ {
				o := out.at(y, x)
				copy(o, bias)
				for ky := 0; ky < k; ky++ {
					iy := y*stride - pt + ky
					if iy < 0 || iy >= in.h {
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := x*stride - pl + kx
						if ix < 0 || ix >= in.w {
							continue
						}
						px := in.at(iy, ix)
						wk := filt[(ky*k+kx)*ci*co : (ky*k+kx+1)*ci*co]
						for i, v := range px {
							axpy(o, wk[i*co:(i+1)*co], v)
						}
					}
				}
			}
		}
	})
	return out
}

// axpy adds v×w to o element by element; len(w) ≥ len(o).
func axpy(o, w []float32, v float32) {
	w = w[:len(o)]
	i := 0
	for ; i+4 <= len(o); i += 4 {
		o[i] += v * w[i]
		o[i+1] += v * w[i+1]
		o[i+2] += v * w[i+2]
		o[i+3] += v * w[i+3]
	}
	for ; i < len(o); i++ {
		o[i] += v * w[i]
	}
}

// depthwise3 is a 3×3 depthwise convolution (channel multiplier 1) with an
// HWC1 filter [3][3][c][1] and no bias.
func depthwise3(in *tensor, filt []float32, stride int, p padding) *tensor {
	const k = 3
	oh, pt := outSize(in.h, k, stride, p)
	ow, pl := outSize(in.w, k, stride, p)
	c := in.c
	out := newTensor(oh, ow, c)
	parallelRows(oh, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := 0; x < ow; x++ {
				o := out.at(y, x)
				for ky := 0; ky < k; ky++ {
					iy := y*stride - pt + ky
					if iy < 0 || iy >= in.h {
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := x*stride - pl + kx
						if ix < 0 || ix >= in.w {
							continue
						}
						px := in.at(iy, ix)
						wk := filt[(ky*k+kx)*c : (ky*k+kx+1)*c]
						wk = wk[:len(o)]
						px = px[:len(o)]
						for i := range o {
							o[i] += px[i] * wk[i]
						}
					}
				}
			}
		}
	})
	return out
}

// pointwise is a 1×1 convolution [in.c][co] plus bias: a matrix product
// per pixel.
func pointwise(in *tensor, filt []float32, co int, bias []float32) *tensor {
	out := newTensor(in.h, in.w, co)
	parallelRows(in.h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := 0; x < in.w; x++ {
				o := out.at(y, x)
				copy(o, bias)
				for i, v := range in.at(y, x) {
					axpy(o, filt[i*co:(i+1)*co], v)
				}
			}
		}
	})
	return out
}

// maxPool takes the maximum over k×k windows; padded pixels never win.
func maxPool(in *tensor, k, stride int, p padding) *tensor {
	oh, pt := outSize(in.h, k, stride, p)
	ow, pl := outSize(in.w, k, stride, p)
	out := newTensor(oh, ow, in.c)
	parallelRows(oh, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := 0; x < ow; x++ {
				o := out.at(y, x)
				first := true
				for ky := 0; ky < k; ky++ {
					iy := y*stride - pt + ky
					if iy < 0 || iy >= in.h {
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := x*stride - pl + kx
						if ix < 0 || ix >= in.w {
							continue
						}
						px := in.at(iy, ix)
						if first {
							copy(o, px)
							first = false
							continue
						}
						for i, v := range px[:len(o)] {
							if v > o[i] {
								o[i] = v
							}
						}
					}
				}
			}
		}
	})
	return out
}

// avgPoolValid averages k×k windows without padding.
func avgPoolValid(in *tensor, k, stride int) *tensor {
	oh, _ := outSize(in.h, k, stride, padValid)
	ow, _ := outSize(in.w, k, stride, padValid)
	out := newTensor(oh, ow, in.c)
	inv := 1 / float32(k*k)
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			o := out.at(y, x)
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					for i, v := range in.at(y*stride+ky, x*stride+kx) {
						o[i] += v
					}
				}
			}
			for i := range o {
				o[i] *= inv
			}
		}
	}
	return out
}

// leaky is tfjs-yolo's leaky ReLU with slope 0.1, in place.
func leaky(t *tensor) *tensor {
	for i, v := range t.d {
		if v < 0 {
			t.d[i] = 0.1 * v
		}
	}
	return t
}

// relu clamps negatives to zero, in place.
func relu(t *tensor) *tensor {
	for i, v := range t.d {
		if v < 0 {
			t.d[i] = 0
		}
	}
	return t
}

// addInto adds b into a element by element (same shape) and returns a.
func addInto(a, b *tensor) *tensor {
	bd := b.d[:len(a.d)]
	for i := range a.d {
		a.d[i] += bd[i]
	}
	return a
}

// scaleShift multiplies each channel by mul and adds add, in place (the
// "scale" layer of dlib's affine batch norm).
func scaleShift(t *tensor, mul, add []float32) *tensor {
	for p := 0; p < len(t.d); p += t.c {
		px := t.d[p : p+t.c]
		for i := range px {
			px[i] = px[i]*mul[i] + add[i]
		}
	}
	return t
}
