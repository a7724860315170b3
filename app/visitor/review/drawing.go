package review

import (
	"cmp"
	"math"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/model/annotation"
)

// Drawing.

func (p *Page) toggleAnnotate(ctx app.Context, e app.Event) {
	p.annotating = !p.annotating
	p.drawing = false
	if p.annotating {
		p.selected = "" // the canvas shows the new drawing, not a comment's
		p.stage.pointers = nil
		if m := p.player(); m.Truthy() {
			m.Call("pause")
			p.curTime = m.Get("currentTime").Float()
			p.atTime = true // the drawing is of this frame
		}
		// On a phone the composer is below the picture: bring the picture back.
		if v := app.Window().GetElementByID("review-viewer"); v.Truthy() && v.Get("scrollTop").Float() > 0 {
			v.Call("scrollTo", map[string]any{"top": 0, "behavior": "smooth"})
		}
	}
	p.repaint(ctx)
}

// canvasPoint turns a pointer's position into the drawing's coordinates.
func (p *Page) canvasPoint(ctx app.Context, e app.Event) ([2]float64, bool) {
	w, h := p.dims(p.shown())
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

func (p *Page) drawStart(ctx app.Context, e app.Event) {
	pt, ok := p.canvasPoint(ctx, e)
	if !p.annotating || !ok {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	p.drawing = true
	p.shapes = append(p.shapes, model.AnnotationShape{Type: "path", Color: p.color, Points: [][2]float64{pt}})
	p.paint()
	ctx.PreventUpdate()
}

func (p *Page) drawMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if !p.drawing || len(p.shapes) == 0 {
		return
	}
	pt, ok := p.canvasPoint(ctx, e)
	if !ok {
		return
	}
	s := &p.shapes[len(p.shapes)-1]
	last := s.Points[len(s.Points)-1]
	if math.Hypot(pt[0]-last[0], pt[1]-last[1]) < 1 {
		return
	}
	s.Points = append(s.Points, pt)
	p.paint()
}

func (p *Page) drawEnd(ctx app.Context, e app.Event) {
	if !p.drawing {
		ctx.PreventUpdate()
		return
	}
	p.drawing = false
	if n := len(p.shapes); n > 0 && len(p.shapes[n-1].Points) == 1 {
		// A tap is a dot.
		pt := p.shapes[n-1].Points[0]
		p.shapes[n-1].Points = append(p.shapes[n-1].Points, [2]float64{pt[0] + 0.1, pt[1] + 0.1})
	}
	p.paint()
	// The composer shows how many strokes there are: it needs a render.
}

func (p *Page) undo(ctx app.Context, e app.Event) {
	if len(p.shapes) > 0 {
		p.shapes = p.shapes[:len(p.shapes)-1]
	}
	p.repaint(ctx)
}

func (p *Page) clearDrawing(ctx app.Context, e app.Event) {
	p.shapes = nil
	p.repaint(ctx)
}

// overlay is the drawing on the picture: the one being made, else the
// selected comment's.
func (p *Page) overlay() *model.Annotation {
	s := p.shown()
	if p.annotating || (p.selected == "" && len(p.shapes) > 0) {
		w, h := p.dims(s)
		if w == 0 || len(p.shapes) == 0 {
			return nil
		}
		return &model.Annotation{Width: float64(w), Height: float64(h), Shapes: p.shapes}
	}
	for _, c := range p.comments {
		if c.ID == p.selected && c.Annotation != nil {
			a, err := annotation.Parse(*c.Annotation)
			w, h := p.dims(s)
			if a.Frameio != nil && (w == 0 || h == 0) {
				return nil // fractions of a frame whose size is not known yet
			}
			if d := a.Doc(float64(w), float64(h)); err == nil && d.Width > 0 && d.Height > 0 {
				return &d
			}
		}
	}
	return nil
}

// repaint draws the overlay once the coming render has put the canvas in place.
func (p *Page) repaint(ctx app.Context) {
	if ctx.Context == nil {
		return
	}
	ctx.Defer(func(ctx app.Context) { p.paint() })
}

// paint draws the overlay on the canvas.
func (p *Page) paint() {
	if !app.IsClient {
		return
	}
	c := app.Window().GetElementByID("review-canvas")
	if !c.Truthy() {
		return
	}
	g := c.Call("getContext", "2d")
	cw, ch := c.Get("width").Float(), c.Get("height").Float()
	g.Call("setTransform", 1, 0, 0, 1, 0, 0)
	g.Call("clearRect", 0, 0, cw, ch)
	d := p.overlay()
	if d == nil {
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
