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
	names, chips, err := JohnsChips(filepath.Join(DlibExamples(t), "johns"))
	if err != nil {
		t.Fatal(err)
	}
	ev := Event{People: names}
	for _, imgs := range chips {
		ev.Selfies = append(ev.Selfies, encodeJPEG(t, imgs[len(imgs)-1]))
	}
	next := make([]int, len(chips))
	for i, cast := range EventCast {
		var faces []image.Image
		for _, who := range cast {
			faces = append(faces, chips[who][next[who]])
			next[who]++
		}
		ev.Photos = append(ev.Photos, encodeJPEG(t, ComposeGroup(faces, 1200, 800, 200, i)))
	}
	return ev
}

// JohnsChips reads dlib's johns: the people's names and their chips, in
// file order.
func JohnsChips(dir string) ([]string, [][]image.Image, error) {
	people, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var chips [][]image.Image
	for _, p := range people {
		files, _ := filepath.Glob(filepath.Join(dir, p.Name(), "*.jpg"))
		sort.Strings(files)
		var imgs []image.Image
		for _, f := range files {
			img, err := imaging.Open(f)
			if err != nil {
				return nil, nil, err
			}
			imgs = append(imgs, img)
		}
		names, chips = append(names, p.Name()), append(chips, imgs)
	}
	return names, chips, nil
}

// ComposeGroup draws faces side by side on a w×h backdrop (tinted by
// variant), each chip at size px on a tile twice as large filled with a
// blurred enlargement of itself: a face with surroundings, as in a photo,
// rather than a pasted square.
func ComposeGroup(faces []image.Image, w, h, size, variant int) *image.RGBA {
	tiles := make([]image.Image, len(faces))
	for i, f := range faces {
		tiles[i] = FaceTile(f, size)
	}
	return ComposeTiles(tiles, w, h, variant)
}

// FaceTile is a chip at size px on a tile of twice that, filled with a
// blurred enlargement of itself (the costly part of composing a photo:
// callers that draw the same face many times keep its tile).
func FaceTile(face image.Image, size int) image.Image {
	tileSize := 2 * size
	tile := imaging.Blur(imaging.Resize(face, tileSize, tileSize, imaging.Linear), float64(tileSize)/33)
	return imaging.Overlay(tile, imaging.Resize(face, size, size, imaging.CatmullRom), image.Pt(size/2, size/2), 1)
}

// ComposeTiles draws FaceTiles side by side on a w×h backdrop tinted by
// variant.
func ComposeTiles(tiles []image.Image, w, h, variant int) *image.RGBA {
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		c := color.RGBA{uint8(90 + y*80/h), uint8(110 + variant*10), 140, 255}
		draw.Draw(canvas, image.Rect(0, y, w, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	for slot, tile := range tiles {
		tileSize := tile.Bounds().Dx()
		x, y := slot*tileSize, h*3/16+(slot%2)*h/8
		draw.Draw(canvas, image.Rect(x, y, x+tileSize, y+tileSize), tile, image.Point{}, draw.Src)
	}
	return canvas
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
