package review

import (
	"math"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Zoom and pan of the stage.

// zoomAt sets the zoom, keeping the point (x, y) of the window where it is.
func (st *stage) zoomAt(z, x, y float64) {
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
	old := st.zoom
	k := 1 - z/old
	st.tx += (x - cx) * k
	st.ty += (y - cy) * k
	st.zoom = z
	st.clampPan(r.Get("width").Float()/old, r.Get("height").Float()/old)
}

// clampPan keeps some of the picture in the middle of the stage.
func (st *stage) clampPan(w, h float64) {
	if st.zoom <= 1.001 {
		st.zoom, st.tx, st.ty = 1, 0, 0
		return
	}
	mx, my := w*st.zoom/2, h*st.zoom/2
	st.tx = math.Max(-mx, math.Min(mx, st.tx))
	st.ty = math.Max(-my, math.Min(my, st.ty))
}

func (st *stage) zoomButton(d float64) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if d == 0 {
			st.zoom, st.tx, st.ty = 1, 0, 0
			return
		}
		st.zoomAt(st.zoom*d, math.NaN(), math.NaN())
	}
}

func (st *stage) onWheel(ctx app.Context, e app.Event) {
	if st.Shown.kind != "image" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	dy := e.Get("deltaY").Float()
	if e.Get("deltaMode").Int() == 1 {
		dy *= 16 // lines
	}
	st.zoomAt(st.zoom*math.Exp(-dy*0.0015), e.Get("clientX").Float(), e.Get("clientY").Float())
}

func (st *stage) onDoubleClick(ctx app.Context, e app.Event) {
	if st.Shown.kind != "image" || st.Annotating {
		ctx.PreventUpdate()
		return
	}
	if st.zoom > 1 {
		st.zoom, st.tx, st.ty = 1, 0, 0
		return
	}
	st.zoomAt(2.5, e.Get("clientX").Float(), e.Get("clientY").Float())
}

func pointerXY(e app.Event) [2]float64 {
	return [2]float64{e.Get("clientX").Float(), e.Get("clientY").Float()}
}

func (st *stage) onPointerDown(ctx app.Context, e app.Event) {
	if st.Shown.kind != "image" || st.Annotating || e.Get("button").Int() != 0 {
		ctx.PreventUpdate()
		return
	}
	if st.pointers == nil {
		st.pointers = map[int][2]float64{}
	}
	st.pointers[e.Get("pointerId").Int()] = pointerXY(e)
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	st.gestureStart()
	ctx.PreventUpdate()
}

// gestureStart remembers where a drag or a pinch starts from.
func (st *stage) gestureStart() {
	pts := st.points()
	switch len(pts) {
	case 1:
		st.gesture = pts[0]
	case 2:
		st.gesture = [2]float64{math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1]), 0}
	}
}

func (st *stage) points() [][2]float64 {
	var out [][2]float64
	for _, pt := range st.pointers {
		out = append(out, pt)
	}
	return out
}

func (st *stage) onPointerMove(ctx app.Context, e app.Event) {
	id := e.Get("pointerId").Int()
	if _, ok := st.pointers[id]; !ok {
		ctx.PreventUpdate()
		return
	}
	st.pointers[id] = pointerXY(e)
	pts := st.points()
	switch len(pts) {
	case 1:
		if st.zoom <= 1 {
			ctx.PreventUpdate()
			return
		}
		st.tx += pts[0][0] - st.gesture[0]
		st.ty += pts[0][1] - st.gesture[1]
		st.gesture = pts[0]
		if fit := app.Window().GetElementByID("review-fit"); fit.Truthy() {
			r := fit.Call("getBoundingClientRect")
			st.clampPan(r.Get("width").Float()/st.zoom, r.Get("height").Float()/st.zoom)
		}
	case 2:
		d := math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1])
		if st.gesture[0] > 0 {
			st.zoomAt(st.zoom*d/st.gesture[0], (pts[0][0]+pts[1][0])/2, (pts[0][1]+pts[1][1])/2)
		}
		st.gesture[0] = d
	default:
		ctx.PreventUpdate()
	}
}

func (st *stage) onPointerUp(ctx app.Context, e app.Event) {
	delete(st.pointers, e.Get("pointerId").Int())
	st.gestureStart()
	ctx.PreventUpdate()
}
