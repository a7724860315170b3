package faces

import (
	"image"
	"math/rand/v2"
	"testing"
)

// reportCPU adds the CPU seconds per operation to a benchmark's result
// (cpu-s/op): on a shared machine ns/op swings with the queue for the
// cores, the CPU a kernel costs does not. Run with GOMAXPROCS=1 to compare
// kernels without the cost of spreading rows over cores.
func reportCPU(b *testing.B, run func()) {
	b.Helper()
	start := cpuSeconds()
	b.ResetTimer()
	for range b.N {
		run()
	}
	b.StopTimer()
	b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
}

func BenchmarkDescribeChip(b *testing.B) {
	e := testEngine(b)
	chip := image.NewRGBA(image.Rect(0, 0, ChipSize, ChipSize))
	for i := range chip.Pix {
		chip.Pix[i] = uint8(i * 7)
	}
	reportCPU(b, func() {
		if _, err := e.DescribeChip(chip); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	e := testEngine(b)
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 13)
	}
	reportCPU(b, func() { e.Detect(img, DetectThreshold) })
}

// BenchmarkConvShapes times the convolution kernel on layer shapes of the
// three networks and reports its multiply-adds per CPU second (GMAC/cpu-s):
// with GOMAXPROCS=1 that is the kernel's own speed, whatever else the
// machine runs.
func BenchmarkConvShapes(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name            string
		h, w, ci, co, k int
	}{
		{"recognizer-3x3-64", 18, 18, 64, 64, 3},
		{"recognizer-3x3-128", 9, 9, 128, 128, 3},
		{"detector-first-3x3", 200, 606, 3, 16, 3},
		{"detector-1x1-64-128", 76, 76, 64, 128, 1},
		{"detector-1x1-512", 19, 19, 512, 512, 1},
	} {
		in := randTensor(rng, c.h, c.w, c.ci)
		l := newConv(randSlice(rng, c.k*c.k*c.ci*c.co), c.k, c.ci, c.co, randSlice(rng, c.co))
		macs := float64(c.h * c.w * c.co * c.k * c.k * c.ci) // 'same' padding keeps h×w
		b.Run(c.name, func(b *testing.B) {
			start := cpuSeconds()
			reportCPU(b, func() { l.apply(in, 1, padSame) })
			if cpu := cpuSeconds() - start; cpu > 0 {
				b.ReportMetric(macs*float64(b.N)/cpu/1e9, "GMAC/cpu-s")
			}
		})
	}
}
