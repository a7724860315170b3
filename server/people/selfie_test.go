package people_test

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/people"
	"github.com/ferryhq/ferry/server/testkit"
)

// A selfie close-up fills the frame beyond the detector's largest anchor:
// as sent it is missed, with room around it it is found.
func TestSelfieCloseUpsAreFoundWithRoom(t *testing.T) {
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
		if dets := e.Detect(people.Padded(img, 1), faces.DetectThreshold); len(dets) != 1 {
			t.Errorf("selfie of %s with room: %d faces, want 1", ev.People[i], len(dets))
		}
	}
}
