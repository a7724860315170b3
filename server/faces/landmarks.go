package faces

import (
	"fmt"
	"image"
	"math"
)

// Point is a position in image pixels.
type Point struct{ X, Y float64 }

// landmarker is face-api's 68-point landmark net: four dense blocks of
// separable convolutions, an average pool and a fully connected layer.
type landmarker struct {
	conv0  conv // dense0's first layer is a full convolution
	blocks [4][4]separable
	fc     conv
}

const lmInputSize = 112

var recMean = [3]float32{122.782, 117.001, 104.298}

func loadLandmarker(w weights) (*landmarker, error) {
	l := &landmarker{}
	var err error
	if l.conv0, err = loadConv(w, "dense0/conv0/filters", "dense0/conv0/bias", 3, 3, 32); err != nil {
		return nil, err
	}
	ch := []int{32, 32, 64, 128, 256}
	for b := range l.blocks {
		for c := range l.blocks[b] {
			if b == 0 && c == 0 {
				continue
			}
			ci := ch[b+1]
			if c == 0 {
				ci = ch[b]
			}
			name := fmt.Sprintf("dense%d/conv%d", b, c)
			if l.blocks[b][c], err = loadSeparable(w, name, ci, ch[b+1]); err != nil {
				return nil, err
			}
		}
	}
	fc, err := w.take("fc/weights", 256, 136)
	if err != nil {
		return nil, err
	}
	b, err := w.take("fc/bias", 136)
	if err != nil {
		return nil, err
	}
	l.fc = newConv(fc, 1, 256, 136, b)
	return l, nil
}

// denseBlock: out1 = relu(down(x)); each next conv reads relu of the sum of
// all previous outputs, and the block returns relu of the sum of all four.
func (l *landmarker) denseBlock(x *tensor, b int) *tensor {
	var out1 *tensor
	if b == 0 {
		out1 = l.conv0.apply(x, 2, padSame)
	} else {
		out1 = l.blocks[b][0].apply(x, 2)
	}
	relu(out1)
	sum := &tensor{h: out1.h, w: out1.w, c: out1.c, d: append([]float32(nil), out1.d...)}
	in := out1
	for c := 1; c < 4; c++ {
		o := l.blocks[b][c].apply(in, 1)
		addInto(sum, o)
		in = relu(&tensor{h: sum.h, w: sum.w, c: sum.c, d: append(o.d[:0], sum.d...)})
	}
	return in
}

// landmarks returns the 68 points of the face in box, in image pixels.
func (l *landmarker) landmarks(img *image.RGBA, box Box) [68]Point {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// face-api crops the floored box clipped to the image and pads it to a
	// square with black, centred.
	x0, y0 := int(math.Floor(box.X)), int(math.Floor(box.Y))
	x1, y1 := min(x0+int(math.Floor(box.W)), w), min(y0+int(math.Floor(box.H)), h)
	x0, y0 = max(x0, 0), max(y0, 0)
	bw, bh := max(x1-x0, 1), max(y1-y0, 1)
	side := max(bw, bh)
	padX := int(math.Round(float64(side-bw) / 2))
	padY := int(math.Round(float64(side-bh) / 2))
	win := squareWindow{x0: x0, y0: y0, x1: x1, y1: y1, ox: x0 - padX, oy: y0 - padY, side: side}
	x := sampleSquare(img, win, lmInputSize, recMean, 255)
	for b := range l.blocks {
		x = l.denseBlock(x, b)
	}
	x = avgPoolValid(x, 7, 2)
	out := l.fc.apply(x, 1, padValid).d
	var pts [68]Point
	for i := range pts {
		pts[i] = Point{
			X: float64(win.ox) + float64(out[2*i])*float64(side),
			Y: float64(win.oy) + float64(out[2*i+1])*float64(side),
		}
	}
	return pts
}
