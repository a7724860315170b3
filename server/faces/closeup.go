package faces

import (
	"image"
	"image/draw"

	"github.com/disintegration/imaging"
)

// Close-ups (selfies) fill the frame, beyond the detector's largest
// anchor at its full input, and the detector misses faces cut by the
// picture's edge: it looks at them small, with room around them.
const (
	// closeUpInput is the detector's input side for a close-up: its
	// anchors span faces from a sixth of the input to all of it, and it
	// costs a quarter of a pass at detInputSize.
	closeUpInput = 320
	// closeUpRoom is the room on each side, as a share of the picture's
	// size: the face then takes about half the input.
	closeUpRoom = 0.5
)

// AnalyzeCloseUp is Analyze for a picture whose faces fill much of it (a
// selfie). The detector sees the picture at a quarter of Analyze's work:
// shrunk into a 320 px square, framed by a blurred enlargement of itself;
// landmarks and descriptors are read from the picture at full size. Faces
// under about a sixth of the picture's side are missed: Analyze finds
// those.
func (e *Engine) AnalyzeCloseUp(img image.Image) []Face {
	if e.ready() != nil {
		return nil
	}
	m := toRGBA(img)
	canvas, scale, off := closeUpCanvas(m)
	dets := e.det.detect(canvas, DetectThreshold, false, closeUpInput)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	faces := make([]Face, 0, len(dets))
	for _, d := range dets {
		b := d.Box
		d.Box = clipBox(Box{(b.X - off.X) / scale, (b.Y - off.Y) / scale, b.W / scale, b.H / scale}, w, h)
		if d.Box.W >= 1 && d.Box.H >= 1 {
			faces = append(faces, e.describe(m, d))
		}
	}
	return faces
}

// closeUpCanvas shrinks m, with closeUpRoom around it, to fit a
// closeUpInput square, the room filled with a blurred enlargement of the
// picture so no hard edge frames the face. It returns the canvas, the
// scale from m's pixels to the canvas's and where m's origin lands.
func closeUpCanvas(m *image.RGBA) (*image.RGBA, float64, Point) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	cw, ch := float64(w)*(1+2*closeUpRoom), float64(h)*(1+2*closeUpRoom)
	scale := float64(closeUpInput) / max(cw, ch)
	sw, sh := max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	W, H := max(sw, int(cw*scale+0.5)), max(sh, int(ch*scale+0.5))
	small := imaging.Resize(m, sw, sh, imaging.Linear)
	bg := imaging.Blur(imaging.Resize(small, max(1, W/4), max(1, H/4), imaging.Linear), 1)
	canvas := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(canvas, canvas.Rect, imaging.Resize(bg, W, H, imaging.Linear), image.Point{}, draw.Src)
	off := image.Pt((W-sw)/2, (H-sh)/2)
	draw.Draw(canvas, small.Rect.Add(off), small, image.Point{}, draw.Src)
	// Box positions are in the canvas's pixels; m's pixel x sits at
	// off.X + x·(sw/w).
	return canvas, float64(sw) / float64(w), Point{X: float64(off.X), Y: float64(off.Y)}
}
