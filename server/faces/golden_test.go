package faces

import (
	"image"
	"math"
)

// syntheticFace is a 200×160 drawing: a skin-coloured ellipse with dark eyes
// and mouth on a gradient, the same on every run.
func syntheticFace() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 200, 160))
	for y := 0; y < 160; y++ {
		for x := 0; x < 200; x++ {
			r, g, b := uint8(x), uint8(y), uint8(120)
			dx, dy := float64(x-100)/45, float64(y-80)/60
			if dx*dx+dy*dy < 1 {
				r, g, b = 220, 180, 150
			}
			for _, eye := range [][2]float64{{82, 65}, {118, 65}} {
				if math.Hypot(float64(x)-eye[0], float64(y)-eye[1]) < 6 {
					r, g, b = 30, 30, 30
				}
			}
			if y > 105 && y < 112 && x > 85 && x < 115 {
				r, g, b = 120, 40, 40
			}
			p := m.Pix[y*m.Stride+x*4:]
			p[0], p[1], p[2], p[3] = r, g, b, 255
		}
	}
	return m
}

// goldens are the outputs recorded when the networks were checked against
// dlib's faces (TestJohns*, TestBaldGuys*, TestDetector*).
var goldens = map[string][]float64{
	"detector":   {1.08797, -11.20465, -33.31026},
	"landmarks":  {55.31001, 71.66416, 99.27879, 95.50035},
	"descriptor": {-0.05104, 0.07305, 0.07037},
}
