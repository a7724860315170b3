package review

import (
	"cmp"
	"math"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

// annotator is the drawing layer over the picture or the video frame: a
// canvas that shows the drawing it is given (the next comment's, or the
// selected comment's) and, while active, turns the pointer's strokes into
// shapes it hands the page one by one.
type annotator struct {
	app.Compo
	W, H    int // the size drawings are made on
	Active  bool
	Color   string
	Overlay *model.Annotation
	Host    viewerHost

	stroke *model.AnnotationShape // the stroke being drawn
}

func (a *annotator) OnMount(ctx app.Context) { ctx.Defer(func(app.Context) { a.paint() }) }

// OnUpdate paints what it is given once the canvas has its new size.
func (a *annotator) OnUpdate(ctx app.Context) {
	if !a.Active {
		a.stroke = nil
	}
	ctx.Defer(func(app.Context) { a.paint() })
}

func (a *annotator) Render() app.UI {
	cw, ch := reviewCanvasSize(a.W, a.H)
	cls := "rv-canvas"
	if a.Active {
		cls += " is-active"
	}
	return app.Canvas().ID("review-canvas").Class(cls).Width(cw).Height(ch).
		On("pointerdown", a.drawStart).
		On("pointermove", a.drawMove).
		On("pointerup", a.drawEnd).
		On("pointercancel", a.drawEnd)
}

// canvasPoint turns a pointer's position into the drawing's coordinates.
func (a *annotator) canvasPoint(ctx app.Context, e app.Event) ([2]float64, bool) {
	w, h := a.W, a.H
	if w == 0 {
		return [2]float64{}, false
	}
	r := ctx.JSSrc().Call("getBoundingClientRect")
	rw, rh := r.Get("width").Float(), r.Get("height").Float()
	if rw <= 0 || rh <= 0 {
		return [2]float64{}, false
	}
	x := (e.Get("clientX").Float() - r.Get("left").Float()) / rw * float64(w)
	y := (e.Get("clientY").Float() - r.Get("top").Float()) / rh * float64(h)
	x = math.Max(0, math.Min(float64(w), x))
	y = math.Max(0, math.Min(float64(h), y))
	return [2]float64{math.Round(x*10) / 10, math.Round(y*10) / 10}, true
}

func (a *annotator) drawStart(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	pt, ok := a.canvasPoint(ctx, e)
	if !a.Active || !ok {
		return
	}
	e.PreventDefault()
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	a.stroke = &model.AnnotationShape{Type: "path", Color: a.Color, Points: [][2]float64{pt}}
	a.paint()
}

func (a *annotator) drawMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if a.stroke == nil {
		return
	}
	pt, ok := a.canvasPoint(ctx, e)
	if !ok {
		return
	}
	last := a.stroke.Points[len(a.stroke.Points)-1]
	if math.Hypot(pt[0]-last[0], pt[1]-last[1]) < 1 {
		return
	}
	a.stroke.Points = append(a.stroke.Points, pt)
	a.paint()
}

// drawEnd hands the finished stroke to the page: the composer shows how
// many there are.
func (a *annotator) drawEnd(ctx app.Context, e app.Event) {
	s := a.stroke
	if s == nil {
		ctx.PreventUpdate()
		return
	}
	a.stroke = nil
	if len(s.Points) == 1 { // a tap is a dot
		pt := s.Points[0]
		s.Points = append(s.Points, [2]float64{pt[0] + 0.1, pt[1] + 0.1})
	}
	a.Host.addStroke(ctx, *s)
}

// paint draws the overlay on the canvas.
func (a *annotator) paint() {
	if !app.IsClient || !a.Mounted() {
		return
	}
	c := a.JSValue()
	if !c.Truthy() {
		return
	}
	g := c.Call("getContext", "2d")
	cw, ch := c.Get("width").Float(), c.Get("height").Float()
	g.Call("setTransform", 1, 0, 0, 1, 0, 0)
	g.Call("clearRect", 0, 0, cw, ch)
	d := a.Overlay
	if a.stroke != nil {
		doc := model.Annotation{Width: float64(a.W), Height: float64(a.H)}
		if d != nil {
			doc = *d
		}
		doc.Shapes = append(doc.Shapes[:len(doc.Shapes):len(doc.Shapes)], *a.stroke)
		d = &doc
	}
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		return
	}
	g.Call("setTransform", cw/d.Width, 0, 0, ch/d.Height, 0, 0)
	lw := math.Max(d.Width, d.Height) / 220
	g.Set("lineJoin", "round")
	g.Set("lineCap", "round")
	for _, pass := range []int{0, 1} {
		for _, s := range d.Shapes {
			if len(s.Points) == 0 {
				continue
			}
			// A dark halo first, so any colour reads on any picture.
			if pass == 0 {
				g.Set("strokeStyle", "rgba(0,0,0,0.35)")
				g.Set("lineWidth", lw*1.9)
			} else {
				g.Set("strokeStyle", cmp.Or(s.Color, reviewColors[0]))
				g.Set("lineWidth", lw)
			}
			g.Call("beginPath")
			paintShape(g, s, lw)
			g.Call("stroke")
		}
	}
}

func paintShape(g app.Value, s model.AnnotationShape, lw float64) {
	pts := s.Points
	switch {
	case s.Type == "rect" && len(pts) >= 2:
		g.Call("rect", pts[0][0], pts[0][1], pts[len(pts)-1][0]-pts[0][0], pts[len(pts)-1][1]-pts[0][1])
	case s.Type == "arrow" && len(pts) >= 2:
		a, b := pts[0], pts[len(pts)-1]
		g.Call("moveTo", a[0], a[1])
		g.Call("lineTo", b[0], b[1])
		ang := math.Atan2(b[1]-a[1], b[0]-a[0])
		head := lw * 5
		for _, da := range []float64{-0.45, 0.45} {
			g.Call("moveTo", b[0], b[1])
			g.Call("lineTo", b[0]-head*math.Cos(ang+da), b[1]-head*math.Sin(ang+da))
		}
	default:
		g.Call("moveTo", pts[0][0], pts[0][1])
		for _, pt := range pts[1:] {
			g.Call("lineTo", pt[0], pt[1])
		}
	}
}
