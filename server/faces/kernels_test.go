package faces

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

func randTensor(rng *rand.Rand, h, w, c int) *tensor {
	t := newTensor(h, w, c)
	for i := range t.d {
		t.d[i] = rng.Float32()*2 - 1
	}
	return t
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// naiveConv is the textbook convolution over an HWIO filter with explicit
// padding, the reference the fast kernels are checked against.
func naiveConv(in *tensor, hwio []float32, k, co int, bias []float32, stride int, p padding) *tensor {
	oh, pt := outSize(in.h, k, stride, p)
	ow, pl := outSize(in.w, k, stride, p)
	out := newTensor(oh, ow, co)
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			for o := 0; o < co; o++ {
				s := float64(bias[o])
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						iy, ix := y*stride-pt+ky, x*stride-pl+kx
						if iy < 0 || ix < 0 || iy >= in.h || ix >= in.w {
							continue
						}
						for i := 0; i < in.c; i++ {
							s += float64(in.d[(iy*in.w+ix)*in.c+i]) * float64(hwio[((ky*k+kx)*in.c+i)*co+o])
						}
					}
				}
				out.d[(y*ow+x)*co+o] = float32(s)
			}
		}
	}
	return out
}

func assertClose(t *testing.T, what string, got, want *tensor, tol float64) {
	t.Helper()
	if got.h != want.h || got.w != want.w || got.c != want.c {
		t.Fatalf("%s: shape %dx%dx%d, want %dx%dx%d", what, got.h, got.w, got.c, want.h, want.w, want.c)
	}
	for i := range got.d {
		if d := math.Abs(float64(got.d[i] - want.d[i])); d > tol {
			t.Fatalf("%s: value %d is %g, want %g", what, i, got.d[i], want.d[i])
		}
	}
}

func TestOutSizeFollowsTensorflow(t *testing.T) {
	for _, c := range []struct {
		n, k, s    int
		p          padding
		out, front int
	}{
		{608, 3, 1, padValid, 606, 0},
		{303, 2, 2, padSame, 152, 0}, // the odd pixel is padded at the end
		{19, 2, 1, padSame, 19, 0},
		{112, 3, 2, padSame, 56, 0},
		{150, 7, 2, padValid, 72, 0},
		{72, 3, 2, padValid, 35, 0},
		{35, 3, 1, padSame, 35, 1},
	} {
		out, front := outSize(c.n, c.k, c.s, c.p)
		if out != c.out || front != c.front {
			t.Errorf("outSize(%d,%d,%d,%v) = %d,%d, want %d,%d", c.n, c.k, c.s, c.p, out, front, c.out, c.front)
		}
	}
}

func TestConvMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name         string
		h, w, ci, co int
		k, stride    int
		p            padding
	}{
		{"3x3 valid", 11, 9, 3, 16, 3, 1, padValid},
		{"3x3 same stride 2", 12, 13, 5, 7, 3, 2, padSame},
		{"7x7 valid stride 2", 21, 21, 3, 8, 7, 2, padValid},
		{"1x1", 5, 4, 9, 6, 1, 1, padValid},
		{"3x3 same", 6, 6, 4, 4, 3, 1, padSame},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := randTensor(rng, c.h, c.w, c.ci)
			f := randSlice(rng, c.k*c.k*c.ci*c.co)
			b := randSlice(rng, c.co)
			got := newConv(f, c.k, c.ci, c.co, b).apply(in, c.stride, c.p)
			assertClose(t, c.name, got, naiveConv(in, f, c.k, c.co, b, c.stride, c.p), 1e-4)
		})
	}
}

func TestDepthwiseMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := randTensor(rng, 9, 8, 5)
	f := randSlice(rng, 9*5)
	for _, stride := range []int{1, 2} {
		got := depthwise3(in, f, stride, padSame)
		// A depthwise convolution is a full one whose filter is diagonal in channels.
		full := make([]float32, 9*5*5)
		for k := 0; k < 9; k++ {
			for c := 0; c < 5; c++ {
				full[(k*5+c)*5+c] = f[k*5+c]
			}
		}
		assertClose(t, "depthwise", got, naiveConv(in, full, 3, 5, make([]float32, 5), stride, padSame), 1e-5)
	}
}

func TestPoolsMatchNaive(t *testing.T) {
	in := newTensor(3, 3, 1)
	copy(in.d, []float32{1, -2, 3, 4, 5, -6, 7, -8, 9})
	got := maxPool(in, 2, 2, padSame) // 2×2 out; the last row and column see one pixel
	want := []float32{5, 3, 7, 9}
	for i := range want {
		if got.d[i] != want[i] {
			t.Fatalf("maxPool = %v, want %v", got.d, want)
		}
	}
	got = maxPool(in, 2, 1, padSame)
	if got.h != 3 || got.d[8] != 9 || got.d[0] != 5 || got.d[2] != 3 {
		t.Fatalf("maxPool stride 1 = %v", got.d)
	}
	avg := avgPoolValid(in, 2, 1)
	if avg.h != 2 || avg.d[0] != 2 || avg.d[3] != 0 {
		t.Fatalf("avgPool = %v, want [2 ... 0]", avg.d)
	}
}

func TestParseWeightsDequantizes(t *testing.T) {
	manifest := `[{"paths":["x.bin"],"weights":[
		{"name":"q","shape":[2,2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}},
		{"name":"f","shape":[2],"dtype":"float32"}]}]`
	bin := []byte{0, 1, 2, 255}
	bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(1.25))
	bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(-3))
	w, err := parseWeights([]byte(manifest), bin)
	if err != nil {
		t.Fatal(err)
	}
	q, err := w.take("q", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float32{-1, -0.5, 0, 126.5} {
		if q[i] != want {
			t.Errorf("q[%d] = %v, want %v", i, q[i], want)
		}
	}
	f, _ := w.take("f", 2)
	if f[0] != 1.25 || f[1] != -3 {
		t.Errorf("f = %v", f)
	}
	if _, err := w.take("q", 4); err == nil {
		t.Error("a wrong shape was accepted")
	}
	if _, err := parseWeights([]byte(manifest), bin[:7]); err == nil {
		t.Error("a short weights file was accepted")
	}
	if _, err := parseWeights([]byte(manifest), append(bin, 0)); err == nil {
		t.Error("a weights file with extra bytes was accepted")
	}
}

func TestLoadRefusesAlteredModels(t *testing.T) {
	fsys, err := modelFiles()
	if err != nil {
		t.Skipf("models not in this build: %v", err)
	}
	files := fstest.MapFS{}
	for _, name := range []string{"PROVENANCE", "tiny_face_detector_model.bin", "tiny_face_detector_model-weights_manifest.json"} {
		b, err := fs.ReadFile(fsys, "models/"+name)
		if err != nil {
			t.Fatal(err)
		}
		files["models/"+name] = &fstest.MapFile{Data: b}
	}
	bad := append([]byte(nil), files["models/tiny_face_detector_model.bin"].Data...)
	bad[100] ^= 1
	files["models/tiny_face_detector_model.bin"] = &fstest.MapFile{Data: bad}
	_, err = load(files)
	if err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("load of an altered model: %v, want a sha256 mismatch", err)
	}
}

// TestGoldenOutputs pins each network's output on a fixed synthetic input,
// so a kernel change that moves results shows at once.
func TestGoldenOutputs(t *testing.T) {
	e := testEngine(t)
	img := syntheticFace()
	dets := e.det.forward(sampleSquare(img, squareWindow{x1: 200, y1: 160, side: 200}, detInputSize, detMean, 256))
	pts := e.lm.landmarks(img, Box{40, 20, 120, 120})
	desc, err := e.rec.describe(extractChip(img, chipTransform(pts)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{
		"detector":   {float64(dets.d[0]), float64(dets.d[4]), float64(dets.d[len(dets.d)-1])},
		"landmarks":  {pts[0].X, pts[0].Y, pts[33].X, pts[33].Y},
		"descriptor": {float64(desc[0]), float64(desc[1]), float64(desc[127])},
	}
	raw, _ := json.Marshal(got)
	t.Logf("golden: %s", raw)
	for name, want := range goldens {
		for i := range want {
			if math.Abs(got[name][i]-want[i]) > 1e-3 {
				t.Errorf("%s[%d] = %.5f, want %.5f", name, i, got[name][i], want[i])
			}
		}
	}
}

// TestWinogradMatchesNaive: F(2×2, 3×3) gives the 3×3 'same' convolution,
// odd and even sizes alike (the last block then hangs over the edge).
func TestWinogradMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ h, w, ci, co int }{{35, 35, 32, 32}, {8, 8, 64, 128}, {3, 3, 16, 8}, {1, 1, 8, 8}, {6, 5, 3, 7}, {2, 9, 5, 4}} {
		in := randTensor(rng, c.h, c.w, c.ci)
		f := randSlice(rng, 9*c.ci*c.co)
		b := randSlice(rng, c.co)
		got := newWinograd(f, c.ci, c.co, b).apply(in)
		assertClose(t, fmt.Sprintf("%dx%dx%d→%d", c.h, c.w, c.ci, c.co), got, naiveConv(in, f, 3, c.co, b, 1, padSame), 1e-4)
	}
}
