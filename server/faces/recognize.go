package faces

import (
	"fmt"
	"image"
)

// Descriptor is the 128-d face embedding of dlib's ResNet. It is not
// L2-normalised: dlib's distance thresholds are raw Euclidean.
type Descriptor [128]float32

// Distance is the Euclidean distance between two descriptors.
func Distance(a, b *Descriptor) float64 {
	var s float32
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return sqrt64(float64(s))
}

// loadResConv reads a convolution whose bias and per-channel scale layer are
// folded into the filter: (conv(x)+b)·m + a = conv'(x) + (b·m + a). A
// layer that only ever runs with stride 1 and 'same' padding (sameOnly)
// keeps its filter in Winograd's form alone.
func loadResConv(w weights, prefix string, k, ci, co int, sameOnly bool) (conv, error) {
	filt, err := w.take(prefix+"/conv/filters", k, k, ci, co)
	if err != nil {
		return conv{}, err
	}
	b, err := w.take(prefix+"/conv/bias", co)
	if err != nil {
		return conv{}, err
	}
	mul, err := w.take(prefix+"/scale/weights", co)
	if err != nil {
		return conv{}, err
	}
	add, err := w.take(prefix+"/scale/biases", co)
	if err != nil {
		return conv{}, err
	}
	f := make([]float32, len(filt))
	for i, v := range filt {
		f[i] = v * mul[i%co]
	}
	bias := make([]float32, co)
	for i := range bias {
		bias[i] = b[i]*mul[i] + add[i]
	}
	if sameOnly && k == 3 {
		return conv{wino: newWinograd(f, ci, co, bias), bias: bias, k: k, ci: ci, co: co}, nil
	}
	return newConv(f, k, ci, co, bias), nil
}

// resBlock is two 3×3 convolutions with a shortcut; a down block halves the
// size with stride 2 and its shortcut is a 2×2 average pool padded with zero
// channels.
type resBlock struct {
	conv1, conv2 conv
	down         bool
}

func (r resBlock) apply(x *tensor) *tensor {
	var out *tensor
	if r.down {
		out = relu(r.conv1.apply(x, 2, padValid))
	} else {
		out = relu(r.conv1.apply(x, 1, padSame))
	}
	out = r.conv2.apply(out, 1, padSame)
	short := x
	if r.down {
		short = avgPoolValid(x, 2, 2)
	}
	// tfjs pads the block output with zeros at the bottom/right when the
	// pooled shortcut is a pixel larger, and the shortcut with zero channels.
	res := newTensor(max(out.h, short.h), max(out.w, short.w), out.c)
	for y := 0; y < res.h; y++ {
		for x := 0; x < res.w; x++ {
			o := res.at(y, x)
			if y < out.h && x < out.w {
				copy(o, out.at(y, x))
			}
			if y < short.h && x < short.w {
				s := short.at(y, x)
				for i, v := range s {
					o[i] += v
				}
			}
		}
	}
	return relu(res)
}

// recognizer is dlib_face_recognition_resnet_model_v1 as face-api ships it.
type recognizer struct {
	stem   conv
	blocks []resBlock
	fc     conv // [256][128], no bias
}

func loadRecognizer(w weights) (*recognizer, error) {
	r := &recognizer{}
	var err error
	if r.stem, err = loadResConv(w, "conv32_down", 7, 3, 32, false); err != nil {
		return nil, err
	}
	layout := []struct {
		name   string
		ci, co int
		down   bool
	}{
		{"conv32_1", 32, 32, false}, {"conv32_2", 32, 32, false}, {"conv32_3", 32, 32, false},
		{"conv64_down", 32, 64, true}, {"conv64_1", 64, 64, false}, {"conv64_2", 64, 64, false}, {"conv64_3", 64, 64, false},
		{"conv128_down", 64, 128, true}, {"conv128_1", 128, 128, false}, {"conv128_2", 128, 128, false},
		{"conv256_down", 128, 256, true}, {"conv256_1", 256, 256, false}, {"conv256_2", 256, 256, false},
		{"conv256_down_out", 256, 256, true},
	}
	for _, l := range layout {
		b := resBlock{down: l.down}
		// conv2, and conv1 unless the block halves the size, run with
		// stride 1 and 'same' padding.
		if b.conv1, err = loadResConv(w, l.name+"/conv1", 3, l.ci, l.co, !l.down); err != nil {
			return nil, err
		}
		if b.conv2, err = loadResConv(w, l.name+"/conv2", 3, l.co, l.co, true); err != nil {
			return nil, err
		}
		r.blocks = append(r.blocks, b)
	}
	fc, err := w.take("fc", 256, 128)
	if err != nil {
		return nil, err
	}
	r.fc = newConv(fc, 1, 256, 128, make([]float32, 128))
	return r, nil
}

// describe embeds a 150 px aligned chip.
func (r *recognizer) describe(chip *image.RGBA) (Descriptor, error) {
	if chip.Rect.Dx() != ChipSize || chip.Rect.Dy() != ChipSize {
		return Descriptor{}, fmt.Errorf("chip is %v, want %d px square", chip.Rect.Size(), ChipSize)
	}
	x := sampleSquare(chip, squareWindow{x1: ChipSize, y1: ChipSize, side: ChipSize}, ChipSize, recMean, 255)
	x = relu(r.stem.apply(x, 2, padValid))
	x = maxPool(x, 3, 2, padValid)
	for _, b := range r.blocks {
		x = b.apply(x)
	}
	mean := newTensor(1, 1, x.c)
	for p := 0; p < len(x.d); p += x.c {
		for i, v := range x.d[p : p+x.c] {
			mean.d[i] += v
		}
	}
	n := float32(x.h * x.w)
	for i := range mean.d {
		mean.d[i] /= n
	}
	var d Descriptor
	copy(d[:], r.fc.apply(mean, 1, padValid).d)
	return d, nil
}
