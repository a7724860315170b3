package faces

import (
	"image"
	"math"
)

// ChipSize is the side of the aligned face chip the recognition net reads.
const ChipSize = 150

// chipPadding is dlib's padding around the 5-point template.
const chipPadding = 0.25

// chipTemplate is dlib's 5-point face template (eye corners, nose base) in
// a unit square, and the 68-point landmark each corresponds to.
var chipTemplate = [5]struct {
	x, y float64
	mark int
}{
	{0.8595674595992, 0.2134981538014, 45},
	{0.6460604764104, 0.2289674387677, 42},
	{0.1205750620789, 0.2137274526848, 36},
	{0.3340850613712, 0.2290642403242, 39},
	{0.4901123135679, 0.6277975316475, 33},
}

// similarity maps image points to chip points: chip = s·R·p + t.
type similarity struct {
	a, b   float64 // s·cos θ, s·sin θ
	tx, ty float64
}

// fitSimilarity is the least-squares similarity from src to dst (Umeyama
// without reflection), as dlib's find_similarity_transform.
func fitSimilarity(src, dst []Point) similarity {
	n := float64(len(src))
	var ms, md Point
	for i := range src {
		ms.X += src[i].X / n
		ms.Y += src[i].Y / n
		md.X += dst[i].X / n
		md.Y += dst[i].Y / n
	}
	var sxx, sxy, varS float64
	for i := range src {
		px, py := src[i].X-ms.X, src[i].Y-ms.Y
		qx, qy := dst[i].X-md.X, dst[i].Y-md.Y
		sxx += px*qx + py*qy
		sxy += px*qy - py*qx
		varS += px*px + py*py
	}
	if varS == 0 {
		return similarity{a: 1}
	}
	a, b := sxx/varS, sxy/varS
	return similarity{a: a, b: b, tx: md.X - (a*ms.X - b*ms.Y), ty: md.Y - (b*ms.X + a*ms.Y)}
}

// chipTransform returns the similarity from image pixels to the 150 px chip
// for a face's landmarks, as dlib's get_face_chip_details with padding 0.25.
func chipTransform(pts [68]Point) similarity {
	src := make([]Point, len(chipTemplate))
	dst := make([]Point, len(chipTemplate))
	for i, t := range chipTemplate {
		src[i] = pts[t.mark]
		dst[i] = Point{
			X: (chipPadding + t.x) / (2*chipPadding + 1) * ChipSize,
			Y: (chipPadding + t.y) / (2*chipPadding + 1) * ChipSize,
		}
	}
	return fitSimilarity(src, dst)
}

// extractChip samples the aligned chip: every chip pixel reads the image at
// the inverse transform. When the face is much larger than the chip, each
// pixel averages a small grid of samples so the chip does not alias.
func extractChip(img *image.RGBA, tr similarity) *image.RGBA {
	det := tr.a*tr.a + tr.b*tr.b
	// Inverse of [a -b; b a]: [a b; -b a]/det.
	ia, ib := tr.a/det, tr.b/det
	scale := 1 / math.Sqrt(det) // image pixels per chip pixel
	k := min(max(int(math.Ceil(scale)), 1), 4)
	chip := image.NewRGBA(image.Rect(0, 0, ChipSize, ChipSize))
	var px [3]float32
	for v := 0; v < ChipSize; v++ {
		for u := 0; u < ChipSize; u++ {
			var acc [3]float32
			for sy := 0; sy < k; sy++ {
				for sx := 0; sx < k; sx++ {
					cu := float64(u) + (float64(sx)+0.5)/float64(k) - 0.5
					cv := float64(v) + (float64(sy)+0.5)/float64(k) - 0.5
					dx, dy := cu-tr.tx, cv-tr.ty
					bilinearAt(img, ia*dx+ib*dy, -ib*dx+ia*dy, &px)
					for c := range acc {
						acc[c] += px[c]
					}
				}
			}
			o := chip.Pix[v*chip.Stride+u*4:]
			for c := 0; c < 3; c++ {
				o[c] = uint8(math.Round(float64(acc[c]) / float64(k*k)))
			}
			o[3] = 255
		}
	}
	return chip
}
