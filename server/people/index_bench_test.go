package people_test

import (
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/testkit"
)

// BenchmarkAnalysePhoto is indexing's work on one photo's large rendition
// (2560 × 1707, three faces): decode, detect, landmarks, describe, crops.
// Profile it with -cpuprofile; make bench times the same path against the
// proxies.
func BenchmarkAnalysePhoto(b *testing.B) {
	_, chips, err := testkit.JohnsChips(filepath.Join(testkit.DlibExamples(b), "johns"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := faces.Load()
	if err != nil {
		b.Fatal(err)
	}
	var tiles []image.Image
	for k := range 3 {
		tiles = append(tiles, testkit.FaceTile(chips[k][0], 1707/4))
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "large.jpg")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := jpeg.Encode(f, testkit.ComposeTiles(tiles, 2560, 1707, 1), &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	for range b.N {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if found := eng.Analyze(img); len(found) != 3 {
			b.Fatalf("%d faces", len(found))
		}
	}
}
