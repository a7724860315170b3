//go:build !js

package testkit

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/disintegration/imaging"
)

// DlibExamples returns dlib's example folder (real faces: johns/, faces/)
// unpacked by scripts/install-faces.sh, or skips the test loudly.
func DlibExamples(t testing.TB) string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(RepoRoot(t), ".tools", "faces", "usr", "share", "doc", "libdlib*", "examples"))
	if len(dirs) == 0 {
		skipMissing(t, "dlib's example faces are missing (scripts/install-faces.sh)")
	}
	return dirs[0]
}

// EventCast is who appears in each of the eight event photos: each of the
// five Johns is in three or four of them, with two or three people a photo.
var EventCast = [8][]int{{0, 1}, {2, 3, 4}, {0, 2}, {1, 3}, {4, 0, 1}, {2, 4}, {3, 0}, {1, 2, 3}}

// Event is a shared collection's worth of photos composed from dlib's
// johns: JPEG event photos (EventCast says who is where) and, per person, a
// held-out selfie, a chip that is in no photo.
type Event struct {
	People  []string // the Johns' names
	Photos  [][]byte
	Selfies [][]byte
}

// EventPhotos composes the eight event photos: 1200×800, a soft backdrop,
// each person's next chip at 200 px on a 400 px tile, side by side.
func EventPhotos(t testing.TB) Event {
	t.Helper()
	dir := filepath.Join(DlibExamples(t), "johns")
	people, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	var chips [][]image.Image
	for _, p := range people {
		files, _ := filepath.Glob(filepath.Join(dir, p.Name(), "*.jpg"))
		sort.Strings(files)
		var imgs []image.Image
		for _, f := range files {
			img, err := imaging.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			imgs = append(imgs, img)
		}
		ev.People = append(ev.People, p.Name())
		chips = append(chips, imgs)
		ev.Selfies = append(ev.Selfies, encodeJPEG(t, imgs[len(imgs)-1]))
	}
	next := make([]int, len(chips))
	for i, cast := range EventCast {
		canvas := image.NewRGBA(image.Rect(0, 0, 1200, 800))
		for y := 0; y < 800; y++ {
			c := color.RGBA{uint8(90 + y/10), uint8(110 + i*10), 140, 255}
			draw.Draw(canvas, image.Rect(0, y, 1200, y+1), image.NewUniform(c), image.Point{}, draw.Src)
		}
		for slot, who := range cast {
			// The chip on a blurred enlargement of itself: a face with
			// surroundings, as in a photo, rather than a pasted square.
			src := chips[who][next[who]]
			next[who]++
			tile := imaging.Blur(imaging.Resize(src, 400, 400, imaging.Linear), 12)
			tile = imaging.Overlay(tile, imaging.Resize(src, 200, 200, imaging.CatmullRom), image.Pt(100, 100), 1)
			x, y := slot*400, 150+(slot%2)*100
			draw.Draw(canvas, image.Rect(x, y, x+400, y+400), tile, image.Point{}, draw.Src)
		}
		ev.Photos = append(ev.Photos, encodeJPEG(t, canvas))
	}
	return ev
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
