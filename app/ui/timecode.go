package ui

import (
	"math"
	"strconv"
	"strings"
)

// DefaultFPS is the frame rate of a file whose own rate is not known.
const DefaultFPS = 24

// FrameRate is a file's frames per second: the exact rational when known
// ("30000/1001"), else the decimal one, else reviewFPS.
func FrameRate(rational string, fps float64) float64 {
	if a, b, ok := strings.Cut(rational, "/"); ok {
		n, err1 := strconv.ParseFloat(a, 64)
		d, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil && n > 0 && d > 0 {
			return n / d
		}
	} else if r, err := strconv.ParseFloat(rational, 64); err == nil && r > 0 {
		return r
	}
	if fps > 0 && !math.IsInf(fps, 0) {
		return fps
	}
	return DefaultFPS
}

// FrameAt is the frame shown at a player's time: frame n spans
// [n/fps, (n+1)/fps).
func FrameAt(t, fps float64) int {
	if t <= 0 || fps <= 0 {
		return 0
	}
	return int(math.Floor(t*fps + 1e-6))
}

// FrameTime is the middle of a frame: seeking there lands on it and not on
// the boundary with its neighbour.
func FrameTime(frame int, fps float64) float64 {
	return (float64(frame) + 0.5) / fps
}

// Timecode writes a frame number as HH:MM:SS:FF. It counts non-drop-frame
// at the rate's whole number of frames (30 for 29.97, 24 for 23.976): the
// Timecode of an NTSC file runs 0.1 % behind the clock, as an editor's
// non-drop-frame timecode does, and its separator is always ":".
func Timecode(frame int, fps float64) string {
	base := max(1, int(math.Round(fps)))
	if frame < 0 {
		frame = 0
	}
	s := frame / base
	return TwoDigits(s/3600) + ":" + TwoDigits((s/60)%60) + ":" + TwoDigits(s%60) + ":" + TwoDigits(frame%base)
}

// TwoDigits is n with a leading zero below 10.
func TwoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
