package ui

import (
	"math"
	"testing"
)

func TestFrameRate(t *testing.T) {
	for _, c := range []struct {
		rational string
		fps      float64
		want     float64
	}{
		{"30000/1001", 29.97, 30000.0 / 1001},
		{"24/1", 0, 24},
		{"", 25, 25},
		{"0/0", 50, 50},
		{"garbage", 0, DefaultFPS},
		{"", 0, DefaultFPS},
		{"60", 0, 60},
	} {
		if got := FrameRate(c.rational, c.fps); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("frameRate(%q, %v) = %v, want %v", c.rational, c.fps, got, c.want)
		}
	}
}

func TestTimecode(t *testing.T) {
	ntsc := 30000.0 / 1001
	for _, c := range []struct {
		frame int
		fps   float64
		want  string
	}{
		{0, 24, "00:00:00:00"},
		{5, 24, "00:00:00:05"},
		{23, 24, "00:00:00:23"},
		{24, 24, "00:00:01:00"},
		{24*3600 + 24*61 + 7, 24, "01:01:01:07"},
		// Non-drop-frame at 29.97: 30 frames a timecode second.
		{29, ntsc, "00:00:00:29"},
		{35, ntsc, "00:00:01:05"},
		{30 * 60, ntsc, "00:01:00:00"},
		{12, 24000.0 / 1001, "00:00:00:12"},
		{-3, 24, "00:00:00:00"},
	} {
		if got := Timecode(c.frame, c.fps); got != c.want {
			t.Errorf("timecode(%d, %v) = %q, want %q", c.frame, c.fps, got, c.want)
		}
	}
}

// Seeking to a frame's middle reads back as that frame at every rate, and
// a frame's first instant belongs to it, not to the one before.
func TestFrameAtFrameTime(t *testing.T) {
	for _, fps := range []float64{24, 25, 30000.0 / 1001, 24000.0 / 1001, 60} {
		for n := 0; n < 5000; n += 7 {
			if got := FrameAt(FrameTime(n, fps), fps); got != n {
				t.Fatalf("%v fps: frameAt(frameTime(%d)) = %d", fps, n, got)
			}
			if got := FrameAt(float64(n)/fps, fps); got != n {
				t.Fatalf("%v fps: frameAt(start of %d) = %d", fps, n, got)
			}
		}
	}
	if FrameAt(-1, 24) != 0 {
		t.Error("a negative time is frame 0")
	}
}
