// Package annotation reads, checks and converts the drawings comments
// carry, in both formats Ferry accepts: its own {"width","height","shapes"}
// in the pixels of the picture, and Frame.io v2's list of shapes
// [{"tool","color","size",...}] in fractions of the frame. It uses only the
// standard library: the server checks with it and the web app draws with it.
package annotation

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Limits on one annotation.
const (
	MaxBytes  = 64 << 10
	MaxShapes = 1000
	// MaxPenPoints bounds one free-hand stroke.
	MaxPenPoints = 5000
	// MaxSize bounds a Frame.io shape's line width in pixels.
	MaxSize = 200
)

// Doc is Ferry's own format: shapes in the coordinates of a picture
// Width×Height (its pixels when drawn on Ferry's review page).
type Doc struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Shapes []Shape `json:"shapes"`
}

// Shape is one of Doc's shapes: a path through Points, an arrow from the
// first point to the last, or a rect with those two corners.
type Shape struct {
	Type   string       `json:"type"` // path, arrow, rect
	Color  string       `json:"color"`
	Points [][2]float64 `json:"points"`
}

// FrameioShape is one drawing object of a Frame.io v2 annotation, its
// coordinates fractions of the frame from its upper-left corner
// (developer.frame.io, "Working with Annotations"). Fields a tool does not
// use are absent; fields Ferry does not know are kept in the stored text.
type FrameioShape struct {
	Tool  string  `json:"tool"` // arrow, rect, line, pen
	Color string  `json:"color"`
	Size  float64 `json:"size"`
	// arrow: origin (X, Y) and the offset W, H to its head; rect: upper-left
	// corner (X, Y), width W and height H.
	X *float64 `json:"x,omitempty"`
	Y *float64 `json:"y,omitempty"`
	W *float64 `json:"w,omitempty"`
	H *float64 `json:"h,omitempty"`
	// rect: where the drawing started, and the corners' radius in pixels.
	IX     *float64 `json:"ix,omitempty"`
	IY     *float64 `json:"iy,omitempty"`
	Radius *float64 `json:"radius,omitempty"`
	// line: from (X1, Y1) to (X2, Y2).
	X1 *float64 `json:"x1,omitempty"`
	Y1 *float64 `json:"y1,omitempty"`
	X2 *float64 `json:"x2,omitempty"`
	Y2 *float64 `json:"y2,omitempty"`
	// pen: the free-hand stroke's points, [x, y] or {"x", "y"}.
	Points []Point `json:"points,omitempty"`
}

// Point is a point of a pen stroke.
type Point [2]float64

// UnmarshalJSON reads [x, y] or {"x": x, "y": y}.
func (p *Point) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var xy struct{ X, Y *float64 }
		if err := json.Unmarshal(b, &xy); err != nil || xy.X == nil || xy.Y == nil {
			return errors.New(`a pen point is [x, y] or {"x": x, "y": y}`)
		}
		*p = Point{*xy.X, *xy.Y}
		return nil
	}
	var xy [2]float64
	if err := json.Unmarshal(b, &xy); err != nil {
		return errors.New(`a pen point is [x, y] or {"x": x, "y": y}`)
	}
	*p = xy
	return nil
}

// Annotation is a parsed annotation in the format it was written in: one
// of Ferry and Frameio is set.
type Annotation struct {
	Ferry   *Doc
	Frameio []FrameioShape
}

// Parse reads and checks an annotation in either format: a JSON object is
// Ferry's, a JSON list Frame.io's. The error says what is wrong.
func Parse(s string) (Annotation, error) {
	if len(s) > MaxBytes {
		return Annotation{}, fmt.Errorf("annotation is larger than %d bytes", MaxBytes)
	}
	switch t := strings.TrimSpace(s); {
	case strings.HasPrefix(t, "{"):
		d, err := parseFerry(t)
		return Annotation{Ferry: d}, err
	case strings.HasPrefix(t, "["):
		f, err := parseFrameio(t)
		return Annotation{Frameio: f}, err
	}
	return Annotation{}, errors.New(`annotation must be a JSON string: Frame.io's list [{"tool":"arrow"|"rect"|"line"|"pen","color","size",...}] ` +
		`or Ferry's {"width","height","shapes":[{"type","color","points":[[x,y],...]}]}`)
}

func parseFerry(s string) (*Doc, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var d Doc
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf(`annotation must be a JSON string of {"width","height","shapes":[{"type","color","points":[[x,y],...]}]}: %v`, err)
	}
	if d.Width <= 0 || d.Height <= 0 || len(d.Shapes) == 0 {
		return nil, errors.New("annotation needs a positive width and height and at least one shape")
	}
	if len(d.Shapes) > MaxShapes {
		return nil, fmt.Errorf("annotation has %d shapes; at most %d", len(d.Shapes), MaxShapes)
	}
	for _, sh := range d.Shapes {
		switch sh.Type {
		case "path", "arrow", "rect":
		default:
			return nil, fmt.Errorf("annotation shape type %q: path, arrow or rect", sh.Type)
		}
		if len(sh.Points) == 0 {
			return nil, errors.New("annotation shapes need points")
		}
	}
	return &d, nil
}

var hexColor = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)

func parseFrameio(s string) ([]FrameioShape, error) {
	var shapes []FrameioShape
	if err := json.Unmarshal([]byte(s), &shapes); err != nil {
		return nil, fmt.Errorf(`annotation must be a JSON string of Frame.io's list [{"tool","color","size",...}]: %v`, err)
	}
	if len(shapes) == 0 {
		return nil, errors.New("annotation has no shapes")
	}
	if len(shapes) > MaxShapes {
		return nil, fmt.Errorf("annotation has %d shapes; at most %d", len(shapes), MaxShapes)
	}
	for i, sh := range shapes {
		if err := checkFrameio(sh); err != nil {
			return nil, fmt.Errorf("annotation shape %d (%s): %v", i, sh.Tool, err)
		}
	}
	return shapes, nil
}

// Coordinates are fractions of the frame; a shape may reach one frame
// beyond its edges (a drag that leaves the picture), not further.
const (
	coordMin, coordMax = -1, 2
	spanMax            = 3
)

func checkFrameio(sh FrameioShape) error {
	if !hexColor.MatchString(sh.Color) {
		return fmt.Errorf("color %q is not a hex colour like #E74A3C", sh.Color)
	}
	if !(sh.Size > 0 && sh.Size <= MaxSize) {
		return fmt.Errorf("size is the line width in pixels, above 0 and at most %d, not %v", MaxSize, sh.Size)
	}
	coords := func(names string, vs ...*float64) error {
		for i, v := range vs {
			name := strings.Fields(names)[i]
			if v == nil {
				return fmt.Errorf("needs %s", strings.Join(strings.Fields(names), ", "))
			}
			lo, hi := float64(coordMin), float64(coordMax)
			if name == "w" || name == "h" {
				lo, hi = -spanMax, spanMax
			}
			if math.IsNaN(*v) || *v < lo || *v > hi {
				return fmt.Errorf("%s is %v: coordinates are fractions of the frame from 0 to 1 (at most one frame beyond its edges)", name, *v)
			}
		}
		return nil
	}
	switch sh.Tool {
	case "arrow":
		return coords("x y w h", sh.X, sh.Y, sh.W, sh.H)
	case "rect":
		if err := coords("x y w h", sh.X, sh.Y, sh.W, sh.H); err != nil {
			return err
		}
		if *sh.W < 0 || *sh.H < 0 {
			return errors.New("a rect's w and h are not negative: x, y is its upper-left corner")
		}
		if sh.Radius != nil && (*sh.Radius < 0 || *sh.Radius > 1000) {
			return fmt.Errorf("radius is %v; from 0 to 1000 pixels", *sh.Radius)
		}
		return nil
	case "line":
		return coords("x1 y1 x2 y2", sh.X1, sh.Y1, sh.X2, sh.Y2)
	case "pen":
		if len(sh.Points) == 0 || len(sh.Points) > MaxPenPoints {
			return fmt.Errorf("a pen stroke has 1 to %d points, not %d", MaxPenPoints, len(sh.Points))
		}
		for _, p := range sh.Points {
			x, y := p[0], p[1]
			if err := coords("x y", &x, &y); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("tool %q: arrow, rect, line or pen", sh.Tool)
}

// Doc is the annotation in Ferry's format, its coordinates in a picture
// w×h: Frame.io's fractions are scaled to it; Ferry's own is returned as
// it is (drawing scales it to the picture shown).
func (a Annotation) Doc(w, h float64) Doc {
	if a.Ferry != nil {
		return *a.Ferry
	}
	return FromFrameio(a.Frameio, w, h)
}

// FromFrameio converts Frame.io shapes to Ferry's format in a picture
// w×h. A line becomes a two-point path; size and radius are dropped
// (Ferry draws every shape with one width).
func FromFrameio(shapes []FrameioShape, w, h float64) Doc {
	d := Doc{Width: w, Height: h, Shapes: make([]Shape, 0, len(shapes))}
	pt := func(x, y float64) [2]float64 { return [2]float64{x * w, y * h} }
	for _, sh := range shapes {
		s := Shape{Color: sh.Color}
		switch sh.Tool {
		case "arrow", "rect":
			s.Type = sh.Tool
			s.Points = [][2]float64{pt(*sh.X, *sh.Y), pt(*sh.X+*sh.W, *sh.Y+*sh.H)}
		case "line":
			s.Type = "path"
			s.Points = [][2]float64{pt(*sh.X1, *sh.Y1), pt(*sh.X2, *sh.Y2)}
		case "pen":
			s.Type = "path"
			for _, p := range sh.Points {
				s.Points = append(s.Points, pt(p[0], p[1]))
			}
		default:
			continue
		}
		d.Shapes = append(d.Shapes, s)
	}
	return d
}

// DefaultSize is the line width given to shapes converted from Ferry's
// format, which has none (the Frame.io web app's default).
const DefaultSize = 3

// DefaultColor is the colour given to converted shapes that have none.
const DefaultColor = "#E74A3C"

// ToFrameio converts a Ferry drawing to Frame.io shapes: arrows and rects
// keep their tool (a rect's corners ordered), paths become pen strokes.
func ToFrameio(d Doc) []FrameioShape {
	out := make([]FrameioShape, 0, len(d.Shapes))
	f := func(v float64) *float64 { return &v }
	for _, s := range d.Shapes {
		if len(s.Points) == 0 || d.Width <= 0 || d.Height <= 0 {
			continue
		}
		a, b := s.Points[0], s.Points[len(s.Points)-1]
		x0, y0, x1, y1 := a[0]/d.Width, a[1]/d.Height, b[0]/d.Width, b[1]/d.Height
		sh := FrameioShape{Tool: s.Type, Color: s.Color, Size: DefaultSize}
		if !hexColor.MatchString(sh.Color) {
			sh.Color = DefaultColor
		}
		switch s.Type {
		case "arrow":
			sh.X, sh.Y, sh.W, sh.H = f(x0), f(y0), f(x1-x0), f(y1-y0)
		case "rect":
			sh.X, sh.Y, sh.W, sh.H = f(math.Min(x0, x1)), f(math.Min(y0, y1)), f(math.Abs(x1-x0)), f(math.Abs(y1-y0))
		default:
			sh.Tool = "pen"
			for _, p := range s.Points {
				sh.Points = append(sh.Points, Point{p[0] / d.Width, p[1] / d.Height})
			}
		}
		out = append(out, sh)
	}
	return out
}
