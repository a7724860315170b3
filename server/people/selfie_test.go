package people_test

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/testkit"
)

// A selfie close-up fills the frame beyond the detector's largest anchor
// at its full input: AnalyzeCloseUp finds it, small and with room.
func TestSelfieCloseUpsAreFound(t *testing.T) {
	ev := testkit.EventPhotos(t)
	e, err := faces.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ev.Selfies {
		img, err := jpeg.Decode(bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		if found := e.AnalyzeCloseUp(img); len(found) != 1 {
			t.Errorf("selfie of %s: %d faces, want 1", ev.People[i], len(found))
		}
	}
}
