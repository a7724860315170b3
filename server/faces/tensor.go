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

// conv is a convolution layer with its filter stored transposed, [co][k·k·ci]
// (tensorflow's HWIO flattened per output channel), so each output value is
// one dot product over a contiguous input patch.
type conv struct {
	wT, bias  []float32
	k, ci, co int
	// wino, when set, is the filter in Winograd's form, for a layer that
	// only runs with stride 1 and 'same' padding (wT is then nil).
	wino *winograd
}

// newConv transposes an HWIO filter [k][k][ci][co].
func newConv(hwio []float32, k, ci, co int, bias []float32) conv {
	n := k * k * ci
	wT := make([]float32, n*co)
	for i := 0; i < n; i++ {
		for o := 0; o < co; o++ {
			wT[o*n+i] = hwio[i*co+o]
		}
	}
	return conv{wT: wT, bias: bias, k: k, ci: ci, co: co}
}

// apply convolves in with the given stride and padding.
func (l conv) apply(in *tensor, stride int, p padding) *tensor {
	if l.wino != nil {
		if stride != 1 || p != padSame {
			panic("faces: a Winograd layer runs with stride 1 and 'same' padding only")
		}
		return l.wino.apply(in)
	}
	k, n := l.k, l.k*l.k*l.ci
	oh, pt := outSize(in.h, k, stride, p)
	ow, pl := outSize(in.w, k, stride, p)
	out := newTensor(oh, ow, l.co)
	parallelRows(oh, func(y0, y1 int) {
		var patch []float32
		if k > 1 {
			patch = make([]float32, n)
		}
		for y := y0; y < y1; y++ {
			for x := 0; x < ow; x++ {
				if k == 1 {
					patch = in.at(y*stride, x*stride)
				} else {
					fillPatch(patch, in, k, y*stride-pt, x*stride-pl)
				}
				dotRows(out.at(y, x), patch, l.wT, l.bias)
			}
		}
	})
	return out
}

// fillPatch copies the k×k window at (iy, ix) of in into patch, zero where
// the window leaves the tensor.
func fillPatch(patch []float32, in *tensor, k, iy, ix int) {
	c := in.c
	for ky := 0; ky < k; ky++ {
		row := patch[ky*k*c : (ky+1)*k*c]
		y := iy + ky
		if y < 0 || y >= in.h {
			clear(row)
			continue
		}
		if ix >= 0 && ix+k <= in.w {
			copy(row, in.d[(y*in.w+ix)*c:(y*in.w+ix+k)*c])
			continue
		}
		for kx := 0; kx < k; kx++ {
			x := ix + kx
			if x < 0 || x >= in.w {
				clear(row[kx*c : (kx+1)*c])
			} else {
				copy(row[kx*c:(kx+1)*c], in.at(y, x))
			}
		}
	}
}

// dotRows sets o[j] = bias[j] + patch · wT[j], four output channels at a
// time so each patch value is loaded once per four products.
func dotRows(o, patch, wT, bias []float32) {
	n := len(patch)
	j := 0
	for ; j+4 <= len(o); j += 4 {
		w0 := wT[j*n : (j+1)*n]
		w1 := wT[(j+1)*n : (j+2)*n]
		w2 := wT[(j+2)*n : (j+3)*n]
		w3 := wT[(j+3)*n : (j+4)*n]
		var s0, s1, s2, s3 float32
		for i, v := range patch {
			s0 += v * w0[i]
			s1 += v * w1[i]
			s2 += v * w2[i]
			s3 += v * w3[i]
		}
		o[j], o[j+1], o[j+2], o[j+3] = s0+bias[j], s1+bias[j+1], s2+bias[j+2], s3+bias[j+3]
	}
	for ; j < len(o); j++ {
		w := wT[j*n : (j+1)*n]
		var s float32
		for i, v := range patch {
			s += v * w[i]
		}
		o[j] = s + bias[j]
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
