package faces

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// Box is a rectangle in image pixels.
type Box struct {
	X, Y, W, H float64
}

// iou is the intersection over union of two boxes.
func iou(a, b Box) float64 {
	x0, y0 := math.Max(a.X, b.X), math.Max(a.Y, b.Y)
	x1, y1 := math.Min(a.X+a.W, b.X+b.W), math.Min(a.Y+a.H, b.Y+b.H)
	if x1 <= x0 || y1 <= y0 {
		return 0
	}
	inter := (x1 - x0) * (y1 - y0)
	return inter / (a.W*a.H + b.W*b.H - inter)
}

// Detection is a face box found by the detector with its confidence.
type Detection struct {
	Box   Box
	Score float64
}

// separable is a depthwise 3×3 + pointwise + bias layer.
type separable struct {
	dw []float32
	pw conv
}

// loadConv reads an HWIO filter [k][k][ci][co] and its bias.
func loadConv(w weights, filt, bias string, k, ci, co int) (conv, error) {
	f, err := w.take(filt, k, k, ci, co)
	if err != nil {
		return conv{}, err
	}
	b, err := w.take(bias, co)
	if err != nil {
		return conv{}, err
	}
	return newConv(f, k, ci, co, b), nil
}

func loadSeparable(w weights, prefix string, ci, co int) (separable, error) {
	dw, err := w.take(prefix+"/depthwise_filter", 3, 3, ci, 1)
	if err != nil {
		return separable{}, err
	}
	pw, err := w.take(prefix+"/pointwise_filter", 1, 1, ci, co)
	if err != nil {
		return separable{}, err
	}
	b, err := w.take(prefix+"/bias", co)
	return separable{dw: dw, pw: newConv(pw, 1, ci, co, b)}, err
}

func (s separable) apply(in *tensor, stride int) *tensor {
	return s.pw.apply(depthwise3(in, s.dw, stride, padSame), 1, padValid)
}

// detector is face-api's tiny face detector: a tiny-YOLOv2 with separable
// convolutions, one class and five anchors.
type detector struct {
	conv0 conv
	sep   [5]separable
	conv8 conv
}

const (
	detInputSize = 608
	detIoU       = 0.4
	// DetectThreshold is the detector score a face needs to be kept.
	DetectThreshold = 0.5
)

var (
	detMean    = [3]float32{117.001, 114.697, 97.404}
	detAnchors = [5][2]float64{
		{1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061},
		{4.266906, 5.178857}, {9.041765, 10.66308},
	}
)

func loadDetector(w weights) (*detector, error) {
	d := &detector{}
	var err error
	if d.conv0, err = loadConv(w, "conv0/filters", "conv0/bias", 3, 3, 16); err != nil {
		return nil, err
	}
	ch := []int{16, 32, 64, 128, 256, 512}
	for i := range d.sep {
		if d.sep[i], err = loadSeparable(w, fmt.Sprintf("conv%d", i+1), ch[i], ch[i+1]); err != nil {
			return nil, err
		}
	}
	if d.conv8, err = loadConv(w, "conv8/filters", "conv8/bias", 1, 512, 25); err != nil {
		return nil, err
	}
	return d, nil
}

// forward runs the network on a prepared 608×608×3 input and returns the
// grid of 5 × (x, y, w, h, score) raw outputs.
func (d *detector) forward(x *tensor) *tensor {
	x = leaky(d.conv0.apply(x, 1, padValid))
	for i, s := range d.sep {
		x = maxPool(x, 2, 2, padSame)
		if i == len(d.sep)-1 {
			x = leaky(s.apply(x, 1))
			x = maxPool(x, 2, 1, padSame)
			break
		}
		x = leaky(s.apply(x, 1))
	}
	return d.conv8.apply(x, 1, padValid)
}

// detect finds faces in img, in img's pixels. With tiles it looks again
// at four overlapping quarters, each at the network's full input size:
// faces under about 1/20 of the input side, too small for the whole
// picture's pass, are then twice as large to the network.
func (d *detector) detect(img *image.RGBA, threshold float64, tiles bool, input int) []Detection {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	side := max(w, h)
	found := d.pass(img, squareWindow{x1: w, y1: h, side: side}, threshold, input)
	if !tiles {
		return nms(found, detIoU)
	}
	ts := side * 3 / 5 // tiles overlap by a fifth of the side
	// A face above side/smallFace is left to the first pass, which sees it
	// whole at a scale it was trained for.
	const smallFace = 10
	for _, oy := range []int{0, side - ts} {
		for _, ox := range []int{0, side - ts} {
			if ox >= w || oy >= h {
				continue
			}
			win := squareWindow{x0: ox, y0: oy, x1: min(ox+ts, w), y1: min(oy+ts, h), ox: ox, oy: oy, side: ts}
			for _, f := range d.pass(img, win, threshold, input) {
				// Keep only small faces whole inside the tile: larger ones
				// are the first pass's, and a face cut by the tile's edge
				// would be a second, partial box.
				b := f.Box
				inner := (ox > 0 && b.X <= float64(ox)+1) || (oy > 0 && b.Y <= float64(oy)+1) ||
					(win.x1 < w && b.X+b.W >= float64(win.x1)-1) || (win.y1 < h && b.Y+b.H >= float64(win.y1)-1)
				if !inner && max(b.W, b.H) < float64(side)/smallFace {
					found = append(found, f)
				}
			}
		}
	}
	return nms(found, detIoU)
}

// pass runs the network once over win, resized to input × input pixels
// (a multiple of 32), and returns its boxes in img's pixels.
func (d *detector) pass(img *image.RGBA, win squareWindow, threshold float64, input int) []Detection {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	in := sampleSquare(img, win, input, detMean, 256)
	out := d.forward(in)
	cells := out.h
	scale := float64(win.side) / float64(cells) // grid units → image pixels
	var found []Detection
	for row := 0; row < out.h; row++ {
		for col := 0; col < out.w; col++ {
			px := out.at(row, col)
			for a := range detAnchors {
				v := px[a*5 : a*5+5]
				score := sigmoid(float64(v[4]))
				if score < threshold {
					continue
				}
				cx := float64(win.ox) + (float64(col)+sigmoid(float64(v[0])))*scale
				cy := float64(win.oy) + (float64(row)+sigmoid(float64(v[1])))*scale
				bw := math.Exp(float64(v[2])) * detAnchors[a][0] * scale
				bh := math.Exp(float64(v[3])) * detAnchors[a][1] * scale
				b := clipBox(Box{cx - bw/2, cy - bh/2, bw, bh}, w, h)
				if b.W < 1 || b.H < 1 {
					continue
				}
				found = append(found, Detection{Box: b, Score: score})
			}
		}
	}
	return found
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// clipBox keeps a box inside a w×h image.
func clipBox(b Box, w, h int) Box {
	x0, y0 := math.Max(b.X, 0), math.Max(b.Y, 0)
	x1, y1 := math.Min(b.X+b.W, float64(w)), math.Min(b.Y+b.H, float64(h))
	return Box{x0, y0, math.Max(x1-x0, 0), math.Max(y1-y0, 0)}
}

// nms keeps the best-scoring box of every group overlapping above limit.
func nms(ds []Detection, limit float64) []Detection {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Score > ds[j].Score })
	var kept []Detection
	for _, d := range ds {
		ok := true
		for _, k := range kept {
			if iou(d.Box, k.Box) > limit {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, d)
		}
	}
	return kept
}
