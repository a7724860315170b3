package faces

import (
	"image"
	"testing"
)

func BenchmarkDescribeChip(b *testing.B) {
	e := testEngine(b)
	chip := image.NewRGBA(image.Rect(0, 0, ChipSize, ChipSize))
	for i := range chip.Pix {
		chip.Pix[i] = uint8(i * 7)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := e.DescribeChip(chip); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetect(b *testing.B) {
	e := testEngine(b)
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 13)
	}
	b.ResetTimer()
	for range b.N {
		e.Detect(img, DetectThreshold)
	}
}
