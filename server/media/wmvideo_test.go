package media

import (
	"context"
	"image"
	"image/draw"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferryhq/ferry/server/testkit/ffclip"
)

// TestWatermarkVideo burns a text and a logo watermark into a proxy: the
// marked frames differ from the clean ones where the mark is and match
// them elsewhere; the sound is kept, the length too.
func TestWatermarkVideo(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	src := ffclip.File(t, dir, "src.mp4", slices.Concat([]string{"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2"}, srcTone,
		[]string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	m, err := f.Probe(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	clean := filepath.Join(dir, "video_720.mp4")
	if err := f.Proxy(context.Background(), src, clean, "video_720", m, nil); err != nil {
		t.Fatal(err)
	}
	logo := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	draw.Draw(logo, logo.Bounds(), image.White, image.Point{}, draw.Src)
	cases := []struct {
		name string
		wm   Watermark
	}{
		{"text top-left", Watermark{Text: "NORDLICHT", Position: "top-left", Opacity: 0.8, Scale: 0.5}},
		{"logo bottom-right", Watermark{Logo: encodePNG(t, logo), Position: "bottom-right", Opacity: 0.9, Scale: 0.4}},
	}
	cleanFrame := ffclip.FrameAt(t, clean)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			marked := filepath.Join(dir, tc.name+".mp4")
			if err := f.Watermark(context.Background(), clean, marked, tc.wm); err != nil {
				t.Fatal(err)
			}
			got, err := f.Probe(context.Background(), marked)
			if err != nil {
				t.Fatal(err)
			}
			if got.Width != 640 || got.Height != 360 || got.AudioCodec != "aac" || got.VideoCodec != "h264" || got.Duration < 1.95 || got.Duration > 2.05 {
				t.Errorf("marked proxy: %+v", got)
			}
			if !faststart(t, marked) {
				t.Error("the marked proxy has its index at the end")
			}
			// Where the mark is: the pixels the overlay covers.
			ov := tc.wm.Overlay(640, 360)
			var area image.Rectangle
			for y := 0; y < 360; y++ {
				for x := 0; x < 640; x++ {
					if ov.NRGBAAt(x, y).A > 100 {
						area = area.Union(image.Rect(x, y, x+1, y+1))
					}
				}
			}
			if area.Empty() {
				t.Fatal("the overlay is empty")
			}
			frame := ffclip.FrameAt(t, marked)
			in := ffclip.MeanDiff(frame, cleanFrame, area)
			// Elsewhere: the opposite corner of the picture.
			far := image.Rect(0, 0, 160, 90).Add(image.Pt(640-160, 360-90))
			if tc.wm.Position == "bottom-right" {
				far = image.Rect(0, 0, 160, 90)
			}
			if area.Overlaps(far) {
				t.Fatalf("the mark %v reaches the corner %v", area, far)
			}
			out := ffclip.MeanDiff(frame, cleanFrame, far)
			t.Logf("mark at %v: differs by %.1f levels there, %.1f elsewhere", area, in, out)
			if in < 25 || out > 6 {
				t.Errorf("the mark's area differs by %.1f levels (want ≥ 25), the rest by %.1f (want ≤ 6)", in, out)
			}
		})
	}
	// The mark is drawn only over pictures.
	audio := filepath.Join(dir, "audio.m4a")
	if err := f.Proxy(context.Background(), src, audio, "audio", m, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Watermark(context.Background(), audio, filepath.Join(dir, "x.mp4"), cases[0].wm); err == nil {
		t.Error("an audio proxy was watermarked")
	}
	if err := f.Watermark(context.Background(), clean, filepath.Join(dir, "y.mp4"), Watermark{}); err == nil {
		t.Error("an empty watermark was drawn")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
