package ffclip

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"testing"
)

// FrameAt decodes the frame of the video at path shown at 1 s, as RGBA.
func FrameAt(t testing.TB, path string) *image.RGBA {
	t.Helper()
	out := path + ".frame.png"
	if b, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "1", "-i", path, "-frames:v", "1", "-update", "1", out).CombinedOutput(); err != nil {
		t.Fatalf("decoding a frame of %s: %v\n%s", path, err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// MeanDiff is the mean absolute difference of the colour channels of a and
// b over r, in levels (0..255).
func MeanDiff(a, b *image.RGBA, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pa, pb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			for _, d := range []int{int(pa.R) - int(pb.R), int(pa.G) - int(pb.G), int(pa.B) - int(pb.B)} {
				sum += float64(max(d, -d))
			}
			n += 3
		}
	}
	return sum / n
}
