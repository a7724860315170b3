package media

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRenderOrientation(t *testing.T) {
	// The stored image is 400×200: red left half, green top-right, blue
	// bottom-right. After turning upright, red must be on side redAt and
	// green in corner greenAt.
	cases := []struct {
		o       uint16
		w, h    int
		redAt   string
		greenAt string
	}{
		{1, 400, 200, "left", "top-right"},
		{2, 400, 200, "right", "top-left"},
		{3, 400, 200, "right", "bottom-left"},
		{4, 400, 200, "left", "bottom-right"},
		{5, 200, 400, "top", "bottom-left"},
		{6, 200, 400, "top", "bottom-right"},
		{7, 200, 400, "bottom", "top-right"},
		{8, 200, 400, "bottom", "top-left"},
	}
	at := map[string][2]float64{
		"left": {0.1, 0.5}, "right": {0.9, 0.5}, "top": {0.5, 0.1}, "bottom": {0.5, 0.9},
		"top-left": {0.25, 0.25}, "top-right": {0.75, 0.25}, "bottom-left": {0.25, 0.75}, "bottom-right": {0.75, 0.75},
	}
	colourAt := func(img image.Image, where string) string {
		b := img.Bounds()
		p := at[where]
		return colourName(img.At(b.Min.X+int(p[0]*float64(b.Dx())), b.Min.Y+int(p[1]*float64(b.Dy()))))
	}
	// "full" is turned without resizing; "small" is cascaded from it; "alone"
	// is resized first and turned after, which is the fast path for big photos.
	sets := [][]Rendition{{{"full", 1000}, {"small", 100}}, {{"alone", 100}}}
	for _, tc := range cases {
		src := writeFile(t, "o.jpg", withEXIF(encodeJPEG(t, quadrants(400, 200)), orientationEXIF(tc.o)))
		for _, set := range sets {
			out := t.TempDir()
			info, err := (&Renderer{}).Render(context.Background(), src, out, set)
			if err != nil {
				t.Fatalf("orientation %d: %v", tc.o, err)
			}
			if info.Width != tc.w || info.Height != tc.h || info.Orientation != int(tc.o) {
				t.Errorf("orientation %d: info %d×%d o=%d", tc.o, info.Width, info.Height, info.Orientation)
			}
			for _, rd := range set {
				img := loadJPEG(t, filepath.Join(out, rd.Name+".jpg"))
				w, h := fitSize(tc.w, tc.h, rd.LongEdge)
				if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
					t.Errorf("orientation %d %s: %d×%d, want %d×%d", tc.o, rd.Name, b.Dx(), b.Dy(), w, h)
				}
				if got := colourAt(img, tc.redAt); got != "red" {
					t.Errorf("orientation %d %s: %s is %q, want red", tc.o, rd.Name, tc.redAt, got)
				}
				if got := colourAt(img, tc.greenAt); got != "green" {
					t.Errorf("orientation %d %s: %s is %q, want green", tc.o, rd.Name, tc.greenAt, got)
				}
			}
		}
	}
}

func TestRenderOtherFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   []byte
		w, h   int
		colour string
	}{
		{"png", encodePNG(t, quadrants(300, 100)), 300, 100, "red"},
		{"png eXIf orientation 6", pngWithEXIF(encodePNG(t, quadrants(300, 100)), orientationEXIF(6)), 100, 300, "red"},
		{"webp", solidWebP(300, 100, blue, nil), 300, 100, "blue"},
		{"webp EXIF orientation 8", solidWebP(300, 100, blue, orientationEXIF(8)), 100, 300, "blue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			if _, err := (&Renderer{}).Render(context.Background(), writeFile(t, "src", tc.file), out, []Rendition{{"thumb", 150}}); err != nil {
				t.Fatal(err)
			}
			img := loadJPEG(t, filepath.Join(out, "thumb.jpg"))
			w, h := fitSize(tc.w, tc.h, 150)
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("thumb is %d×%d, want %d×%d", b.Dx(), b.Dy(), w, h)
			}
			if got := colourName(img.At(w/10, h/10)); got != tc.colour {
				t.Errorf("top-left is %q, want %s", got, tc.colour)
			}
		})
	}
}

// Transparent pixels become white, not black, since JPEG has no alpha.
func TestRenderFlattensTransparencyOnWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 100, 50)) // fully transparent
	out := t.TempDir()
	if _, err := (&Renderer{}).Render(context.Background(), writeFile(t, "a.png", encodePNG(t, img)), out, DefaultRenditions); err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := loadJPEG(t, filepath.Join(out, "thumb.jpg")).At(50, 25).RGBA()
	if r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
		t.Errorf("transparent pixel became %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
}

func TestRenderRefusesBombWithoutAllocating(t *testing.T) {
	small := encodeJPEG(t, quadrants(300, 200))
	for _, tc := range []struct {
		name string
		file []byte
		max  int64
		want error
	}{
		{"PNG header claiming 50000×50000", pngHeader(50000, 50000), 0, ErrTooManyPixels},
		{"JPEG above a lowered limit", small, 300*200 - 1, ErrTooManyPixels},
		{"JPEG at a lowered limit", small, 300 * 200, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, out := writeFile(t, "src", tc.file), filepath.Join(t.TempDir(), "out")
			r := &Renderer{MaxPixels: tc.max}
			var err error
			n := allocated(func() { _, err = r.Render(context.Background(), src, out, DefaultRenditions) })
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want == nil {
				return
			}
			if n > 4<<20 {
				t.Errorf("refusing it allocated %d bytes", n)
			}
			if files := listFiles(out); len(files) != 0 {
				t.Errorf("left files behind: %v", files)
			}
		})
	}
}

func TestRenderRefusesBrokenFiles(t *testing.T) {
	photo := encodeJPEG(t, quadrants(800, 600))
	png := encodePNG(t, quadrants(800, 600))
	for _, tc := range []struct {
		name string
		file []byte
		want error
	}{
		{"JPEG cut in half", photo[:len(photo)/2], ErrCorrupt},
		{"PNG cut in half", png[:len(png)/2], ErrCorrupt},
		{"PNG with a valid header and no pixels", pngHeader(100, 100), ErrCorrupt},
		{"text", []byte("hello"), ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, err := (&Renderer{}).Render(context.Background(), writeFile(t, "src", tc.file), out, DefaultRenditions)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if files := listFiles(out); len(files) != 0 {
				t.Errorf("left files behind: %v", files)
			}
		})
	}
}

func TestRenderRefusesBadRenditionNames(t *testing.T) {
	src := writeFile(t, "a.jpg", encodeJPEG(t, quadrants(40, 20)))
	for _, rd := range []Rendition{{"../escape", 100}, {"", 100}, {"a/b", 100}, {"ok", 0}} {
		dir := t.TempDir()
		out := filepath.Join(dir, "out")
		if _, err := (&Renderer{}).Render(context.Background(), src, out, []Rendition{rd}); err == nil {
			t.Errorf("rendition %+v was accepted", rd)
		}
		if files := listFiles(dir); len(files) != 0 {
			t.Errorf("rendition %+v wrote %v", rd, files)
		}
	}
}

func TestRenderCascadeSizes(t *testing.T) {
	want := func(large, preview, thumb [2]int) map[string][2]int {
		return map[string][2]int{"large": large, "preview": preview, "thumb": thumb}
	}
	reversed := slices.Clone(DefaultRenditions)
	slices.Reverse(reversed)
	for _, tc := range []struct {
		name       string
		w, h       int
		renditions []Rendition
		want       map[string][2]int
	}{
		{"24 MP landscape", 6000, 4000, DefaultRenditions, want([2]int{2560, 1707}, [2]int{1280, 853}, [2]int{320, 213})},
		{"portrait, smallest listed first", 2000, 3000, reversed, want([2]int{1707, 2560}, [2]int{853, 1280}, [2]int{213, 320})},
		{"smaller than every rendition", 300, 200, DefaultRenditions, want([2]int{300, 200}, [2]int{300, 200}, [2]int{300, 200})},
		{"between preview and large", 2000, 1000, DefaultRenditions, want([2]int{2000, 1000}, [2]int{1280, 640}, [2]int{320, 160})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := writeFile(t, "src.jpg", encodeJPEG(t, quadrants(tc.w, tc.h)))
			out := t.TempDir()
			info, err := (&Renderer{}).Render(context.Background(), src, out, tc.renditions)
			if err != nil {
				t.Fatal(err)
			}
			if info.Width != tc.w || info.Height != tc.h || info.Format != "jpeg" {
				t.Errorf("info = %+v", info)
			}
			for name, wh := range tc.want {
				b := loadJPEG(t, filepath.Join(out, name+".jpg")).Bounds()
				if abs(b.Dx()-wh[0]) > 1 || abs(b.Dy()-wh[1]) > 1 {
					t.Errorf("%s = %d×%d, want %d×%d", name, b.Dx(), b.Dy(), wh[0], wh[1])
				}
			}
			if files := listFiles(out); len(files) != len(tc.want) {
				t.Errorf("out holds %v, want only the renditions", files)
			}
		})
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestRenderReplacesAtomically(t *testing.T) {
	out := t.TempDir()
	r := &Renderer{}
	for _, c := range []color.NRGBA{red, blue} {
		img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
		if _, err := r.Render(context.Background(), writeFile(t, "src.png", encodePNG(t, img)), out, DefaultRenditions); err != nil {
			t.Fatal(err)
		}
	}
	if got := colourName(loadJPEG(t, filepath.Join(out, "thumb.jpg")).At(32, 32)); got != "blue" {
		t.Errorf("second render left a %q thumb, want blue", got)
	}
	if files := listFiles(out); len(files) != 3 {
		t.Errorf("out holds %v, want the three renditions and no temporary files", files)
	}
}

func TestRenderFailedWriteLeavesNoTemporaryFile(t *testing.T) {
	out := t.TempDir()
	// A directory where thumb.jpg should go makes the final rename fail.
	if err := os.Mkdir(filepath.Join(out, "thumb.jpg"), 0o700); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, "src.jpg", encodeJPEG(t, quadrants(400, 200)))
	if _, err := (&Renderer{}).Render(context.Background(), src, out, DefaultRenditions); err == nil {
		t.Fatal("Render succeeded over a directory named thumb.jpg")
	}
	if files := listFiles(out); !slices.Equal(files, []string{"large.jpg", "preview.jpg", "thumb.jpg"}) {
		t.Errorf("out holds %v, want the two renditions written and no temporary file", files)
	}
}

func TestRenderWorkersBoundDecoding(t *testing.T) {
	src := writeFile(t, "src.jpg", encodeJPEG(t, quadrants(200, 100)))
	for _, tc := range []struct {
		workers  int
		overlaps bool
	}{
		{1, false},
		{4, true}, // shows the counter does see overlap when it is allowed
	} {
		var active, peak atomic.Int32
		r := &Renderer{Workers: tc.workers}
		r.busy = func(delta int) {
			n := active.Add(int32(delta))
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if delta > 0 {
				time.Sleep(20 * time.Millisecond) // sleep: a render that takes a while, so others would pile in
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := r.Render(context.Background(), src, t.TempDir(), DefaultRenditions); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := peak.Load() > 1; got != tc.overlaps {
			t.Errorf("Workers=%d: peak of %d concurrent decodes", tc.workers, peak.Load())
		}
	}
}

func TestRenderGivesUpWaitingWhenCancelled(t *testing.T) {
	src := writeFile(t, "src.jpg", encodeJPEG(t, quadrants(200, 100)))
	r := &Renderer{Workers: 1}
	entered, release := make(chan struct{}), make(chan struct{})
	r.busy = func(delta int) {
		if delta > 0 {
			close(entered)
			<-release
		}
	}
	done := make(chan error)
	go func() {
		_, err := r.Render(context.Background(), src, t.TempDir(), DefaultRenditions)
		done <- err
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := r.Render(ctx, src, out, DefaultRenditions); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting render: err = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("cancelled render created its output directory")
	}
	close(release)
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func BenchmarkRender24MP(b *testing.B) {
	src := writeFile(b, "24mp.jpg", encodeJPEG(b, quadrants(6000, 4000)))
	out := b.TempDir()
	r := &Renderer{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), src, out, DefaultRenditions); err != nil {
			b.Fatal(err)
		}
	}
}

// The decode budget is in bytes over all workers: images whose decoded
// pixels do not fit together decode one after the other even with four
// workers, and one that alone passes the budget is refused unread.
func TestRenderDecodeBudget(t *testing.T) {
	src := writeFile(t, "src.png", encodePNG(t, quadrants(200, 100))) // RGBA: 80 000 bytes decoded
	const cost = 200 * 100 * 4
	for _, tc := range []struct {
		budget   int64
		overlaps bool
	}{
		{cost * 3 / 2, false},
		{cost * 4, true},
	} {
		var active, peak atomic.Int32
		r := &Renderer{Workers: 4, MaxDecodeBytes: tc.budget}
		r.busy = func(delta int) {
			n := active.Add(int32(delta))
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if delta > 0 {
				time.Sleep(20 * time.Millisecond) // sleep: a render that takes a while, so others would pile in
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := r.Render(context.Background(), src, t.TempDir(), DefaultRenditions); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := peak.Load() > 1; got != tc.overlaps {
			t.Errorf("budget %d for images of %d bytes: peak of %d concurrent decodes", tc.budget, cost, peak.Load())
		}
	}
	r := &Renderer{MaxDecodeBytes: cost - 1}
	if _, err := r.Render(context.Background(), src, t.TempDir(), DefaultRenditions); !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("an image over the whole budget: %v, want ErrTooManyPixels", err)
	}
}
