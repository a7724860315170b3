package annotation

import (
	"math"
	"strings"
	"testing"
)

// The example of Frame.io's "Working with Annotations": two crossing lines.
const frameioLines = `[{"tool":"line","color":"#E74A3C","size":3,"x1":0.0028530670470756064,"y1":0.012680297987002695,"x2":0.9964336661911555,"y2":0.9903312727849104},` +
	`{"tool":"line","color":"#34A3DB","size":3,"x1":0.004992867332382311,"y1":0.98779521318751,"x2":0.9942938659058488,"y2":0.012680297987002695}]`

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestParseFrameio(t *testing.T) {
	a, err := Parse(frameioLines)
	if err != nil || a.Ferry != nil || len(a.Frameio) != 2 {
		t.Fatalf("Parse = %+v, %v", a, err)
	}
	d := a.Doc(640, 480)
	if d.Width != 640 || len(d.Shapes) != 2 || d.Shapes[0].Type != "path" || d.Shapes[1].Color != "#34A3DB" {
		t.Fatalf("Doc = %+v", d)
	}
	if p := d.Shapes[0].Points[1]; !near(p[0], 0.9964336661911555*640) || !near(p[1], 0.9903312727849104*480) {
		t.Fatalf("line end in pixels = %v", p)
	}
	// Unknown fields of a shape are the writer's: accepted, kept in the text.
	if _, err := Parse(`[{"tool":"rect","color":"#fff","size":2,"x":0.1,"y":0.2,"w":0.3,"h":0.4,"ix":0.4,"iy":0.6,"radius":8,"opacity":1}]`); err != nil {
		t.Fatal(err)
	}
	// Pen points in either spelling.
	a, err = Parse(`[{"tool":"pen","color":"#00ff00","size":4,"points":[[0.1,0.1],{"x":0.5,"y":0.25}]}]`)
	if err != nil || a.Doc(100, 200).Shapes[0].Points[1] != [2]float64{50, 50} {
		t.Fatalf("pen: %+v %v", a, err)
	}
}

// TestConvertRoundTrip: Ferry → Frame.io → Ferry gives the same drawing.
func TestConvertRoundTrip(t *testing.T) {
	in := Doc{Width: 800, Height: 400, Shapes: []Shape{
		{Type: "arrow", Color: "#ff0000", Points: [][2]float64{{80, 40}, {400, 300}}},
		{Type: "rect", Color: "#00ff00", Points: [][2]float64{{600, 300}, {200, 100}}}, // drawn up and left
		{Type: "path", Color: "#0000ff", Points: [][2]float64{{0, 0}, {400, 200}, {800, 400}}},
	}}
	f := ToFrameio(in)
	if f[0].Tool != "arrow" || !near(*f[0].X, 0.1) || !near(*f[0].W, 0.4) || !near(*f[0].H, 0.65) {
		t.Fatalf("arrow = %+v", f[0])
	}
	if f[1].Tool != "rect" || !near(*f[1].X, 0.25) || !near(*f[1].Y, 0.25) || !near(*f[1].W, 0.5) || f[2].Tool != "pen" {
		t.Fatalf("rect, pen = %+v %+v", f[1], f[2])
	}
	for _, sh := range f {
		if err := checkFrameio(sh); err != nil {
			t.Fatalf("converted shape is not valid Frame.io: %v", err)
		}
	}
	out := FromFrameio(f, 800, 400)
	want := [][][2]float64{{{80, 40}, {400, 300}}, {{200, 100}, {600, 300}}, {{0, 0}, {400, 200}, {800, 400}}}
	for i, s := range out.Shapes {
		if s.Type != in.Shapes[i].Type || s.Color != in.Shapes[i].Color || len(s.Points) != len(want[i]) {
			t.Fatalf("shape %d = %+v", i, s)
		}
		for j, p := range s.Points {
			if !near(p[0], want[i][j][0]) || !near(p[1], want[i][j][1]) {
				t.Fatalf("shape %d point %d = %v, want %v", i, j, p, want[i][j])
			}
		}
	}
}

func TestParseRefuses(t *testing.T) {
	many := "[" + strings.TrimSuffix(strings.Repeat(`{"tool":"pen"},`, 10000), ",") + "]"
	some := "[" + strings.TrimSuffix(strings.Repeat(`{"tool":"pen"},`, 1001), ",") + "]"
	for _, tc := range []struct{ in, reason string }{
		{"not json", "must be a JSON string"},
		{"[", "must be a JSON string of Frame.io's list"},
		{"[]", "no shapes"},
		{many, "larger than"},
		{some, "at most 1000"},
		{`[{"tool":"circle","color":"#fff","size":1}]`, `tool "circle"`},
		{`[{"tool":"arrow","color":"red","size":1,"x":0,"y":0,"w":1,"h":1}]`, "not a hex colour"},
		{`[{"tool":"arrow","color":"#fff","size":0,"x":0,"y":0,"w":1,"h":1}]`, "size is the line width"},
		{`[{"tool":"arrow","color":"#fff","size":3,"x":0,"y":0,"w":1}]`, "needs x, y, w, h"},
		{`[{"tool":"rect","color":"#fff","size":3,"x":0,"y":0,"w":-0.5,"h":1}]`, "not negative"},
		{`[{"tool":"line","color":"#fff","size":3,"x1":0,"y1":0,"x2":50,"y2":1}]`, "x2 is 50"},
		{`[{"tool":"pen","color":"#fff","size":3,"points":[]}]`, "1 to 5000 points"},
		{`[{"tool":"pen","color":"#fff","size":3,"points":[[0,"a"]]}]`, "a pen point is"},
		{`{"width":0,"height":1,"shapes":[]}`, "positive width"},
		{`{"width":1,"height":1,"shapes":[{"type":"circle","points":[[1,1]]}]}`, "shape type"},
		{`{"width":1,"height":1,"shapes":[{"type":"rect","points":[[1,1]]}],"extra":1}`, "unknown field"},
	} {
		if _, err := Parse(tc.in); err == nil || !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("Parse(%.60s) = %v, want an error naming %q", tc.in, err, tc.reason)
		}
	}
}
