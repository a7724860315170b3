package review

import (
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
)

// The player.

func isTimed(kind string) bool { return kind == "video" || kind == "audio" }

func (p *Page) player() app.Value {
	return app.Window().GetElementByID("review-media")
}

func (p *Page) playerTime() float64 {
	if m := p.player(); m.Truthy() {
		return m.Get("currentTime").Float()
	}
	return p.curTime
}

func (p *Page) seek(t float64) {
	if m := p.player(); m.Truthy() {
		m.Call("pause")
		m.Set("currentTime", t)
		p.curTime = t
	}
}

// fps is the frame rate of the file shown. Another version of an item
// has no rate of its own in the review: it is taken to be the item's.
func (p *Page) fps() float64 {
	it, _ := p.item()
	return ui.FrameRate(it.FrameRate, it.FPS)
}

// clock writes a frame of the file shown: a timecode for a video, the
// time (m:ss) for audio.
func (p *Page) clock(frame int) string {
	if p.shown().kind == "video" {
		return ui.Timecode(frame, p.fps())
	}
	s := int(float64(frame) / p.fps())
	if s >= 3600 {
		return strconv.Itoa(s/3600) + ":" + ui.TwoDigits((s/60)%60) + ":" + ui.TwoDigits(s%60)
	}
	return ui.TwoDigits(s/60) + ":" + ui.TwoDigits(s%60)
}

// seekFrame pauses on a frame, at its middle.
func (p *Page) seekFrame(frame int) {
	p.seek(ui.FrameTime(max(0, frame), p.fps()))
}

// stepFrame pauses and goes d frames on, within the file.
func (p *Page) stepFrame(ctx app.Context, d int) {
	m := p.player()
	if !m.Truthy() || p.annotating {
		return // a drawing in progress is of the frame shown
	}
	m.Call("pause")
	fps := p.fps()
	n := ui.FrameAt(m.Get("currentTime").Float(), fps) + d
	if dur := p.duration(); dur > 0 {
		n = min(n, max(0, int(math.Ceil(dur*fps))-1))
	}
	if it, _ := p.item(); it.Frames > 0 && p.shown().current {
		n = min(n, int(it.Frames)-1)
	}
	p.selected = ""
	p.seekFrame(max(0, n))
	p.repaint(ctx)
}

// duration is the length of the file shown, seconds: the player's once
// known, else the item's.
func (p *Page) duration() float64 {
	if p.mediaDur > 0 && !math.IsInf(p.mediaDur, 0) && !math.IsNaN(p.mediaDur) {
		return p.mediaDur
	}
	if it, _ := p.item(); p.shown().current {
		return it.Duration
	}
	return 0
}

// Zoom and pan.

// dims is the size of the picture or video frame drawings are made on.
func (p *Page) dims(s reviewShown) (int, int) {
	if s.width > 0 && s.height > 0 {
		return s.width, s.height
	}
	if p.stage.natOf == s.id {
		return p.stage.natW, p.stage.natH
	}
	return 0, 0
}

func (p *Page) natural(ctx app.Context, id string, w, h int) {
	if w > 0 && h > 0 && (p.stage.natOf != id || p.stage.natW != w || p.stage.natH != h) {
		p.stage.natOf, p.stage.natW, p.stage.natH = id, w, h
		p.repaint(ctx)
		return
	}
	ctx.PreventUpdate()
}

// zoomAt sets the zoom, keeping the point (x, y) of the window where it is.
func (p *Page) zoomAt(z, x, y float64) {
	z = math.Max(reviewMinZoom, math.Min(reviewMaxZoom, z))
	fit := app.Window().GetElementByID("review-fit")
	if !fit.Truthy() {
		return
	}
	r := fit.Call("getBoundingClientRect")
	cx := r.Get("left").Float() + r.Get("width").Float()/2
	cy := r.Get("top").Float() + r.Get("height").Float()/2
	if math.IsNaN(x) {
		x, y = cx, cy
	}
	old := p.stage.zoom
	k := 1 - z/old
	p.stage.tx += (x - cx) * k
	p.stage.ty += (y - cy) * k
	p.stage.zoom = z
	p.clampPan(r.Get("width").Float()/old, r.Get("height").Float()/old)
}

// clampPan keeps some of the picture in the middle of the stage.
func (p *Page) clampPan(w, h float64) {
	if p.stage.zoom <= 1.001 {
		p.stage.zoom, p.stage.tx, p.stage.ty = 1, 0, 0
		return
	}
	mx, my := w*p.stage.zoom/2, h*p.stage.zoom/2
	p.stage.tx = math.Max(-mx, math.Min(mx, p.stage.tx))
	p.stage.ty = math.Max(-my, math.Min(my, p.stage.ty))
}

func (p *Page) zoomButton(d float64) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if d == 0 {
			p.stage.zoom, p.stage.tx, p.stage.ty = 1, 0, 0
			return
		}
		p.zoomAt(p.stage.zoom*d, math.NaN(), math.NaN())
	}
}

func (p *Page) onWheel(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	dy := e.Get("deltaY").Float()
	if e.Get("deltaMode").Int() == 1 {
		dy *= 16 // lines
	}
	p.zoomAt(p.stage.zoom*math.Exp(-dy*0.0015), e.Get("clientX").Float(), e.Get("clientY").Float())
}

func (p *Page) onDoubleClick(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" || p.annotating {
		ctx.PreventUpdate()
		return
	}
	if p.stage.zoom > 1 {
		p.stage.zoom, p.stage.tx, p.stage.ty = 1, 0, 0
		return
	}
	p.zoomAt(2.5, e.Get("clientX").Float(), e.Get("clientY").Float())
}

func pointerXY(e app.Event) [2]float64 {
	return [2]float64{e.Get("clientX").Float(), e.Get("clientY").Float()}
}

func (p *Page) onPointerDown(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" || p.annotating || e.Get("button").Int() != 0 {
		ctx.PreventUpdate()
		return
	}
	if p.stage.pointers == nil {
		p.stage.pointers = map[int][2]float64{}
	}
	p.stage.pointers[e.Get("pointerId").Int()] = pointerXY(e)
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	p.gestureStart()
	ctx.PreventUpdate()
}

// gestureStart remembers where a drag or a pinch starts from.
func (p *Page) gestureStart() {
	pts := p.points()
	switch len(pts) {
	case 1:
		p.stage.gesture = pts[0]
	case 2:
		p.stage.gesture = [2]float64{math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1]), 0}
	}
}

func (p *Page) points() [][2]float64 {
	var out [][2]float64
	for _, pt := range p.stage.pointers {
		out = append(out, pt)
	}
	return out
}

func (p *Page) onPointerMove(ctx app.Context, e app.Event) {
	id := e.Get("pointerId").Int()
	if _, ok := p.stage.pointers[id]; !ok {
		ctx.PreventUpdate()
		return
	}
	p.stage.pointers[id] = pointerXY(e)
	pts := p.points()
	switch len(pts) {
	case 1:
		if p.stage.zoom <= 1 {
			ctx.PreventUpdate()
			return
		}
		p.stage.tx += pts[0][0] - p.stage.gesture[0]
		p.stage.ty += pts[0][1] - p.stage.gesture[1]
		p.stage.gesture = pts[0]
		if fit := app.Window().GetElementByID("review-fit"); fit.Truthy() {
			r := fit.Call("getBoundingClientRect")
			p.clampPan(r.Get("width").Float()/p.stage.zoom, r.Get("height").Float()/p.stage.zoom)
		}
	case 2:
		d := math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1])
		if p.stage.gesture[0] > 0 {
			p.zoomAt(p.stage.zoom*d/p.stage.gesture[0], (pts[0][0]+pts[1][0])/2, (pts[0][1]+pts[1][1])/2)
		}
		p.stage.gesture[0] = d
	default:
		ctx.PreventUpdate()
	}
}

func (p *Page) onPointerUp(ctx app.Context, e app.Event) {
	delete(p.stage.pointers, e.Get("pointerId").Int())
	p.gestureStart()
	ctx.PreventUpdate()
}
