package review

import (
	"cmp"
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The player.

// actionStepFrame asks the player to step frames; its value is how many
// (the page sends it for the arrow keys).
const actionStepFrame = "review-step-frame"

// playerTime is where the player is in the file shown.
type playerTime struct {
	Cur, Dur float64 // seconds; Dur 0 while unknown
	FPS      float64
	Frames   int // the file's frame count, 0 when unknown
}

// player is the transport under a video: the timeline with a marker at
// each timed comment, then a frame back, the timecode and a frame on. It
// steps frames for its buttons and for actionStepFrame.
type player struct {
	app.Compo
	Time       playerTime
	Comments   []model.Comment // of the file shown
	Selected   string
	Annotating bool
	Host       viewerHost
}

func (pl *player) OnMount(ctx app.Context) {
	ctx.Handle(actionStepFrame, func(ctx app.Context, a app.Action) {
		if d, ok := a.Value.(int); ok {
			pl.stepFrame(ctx, d)
		}
	})
}

// stepFrame pauses and goes d frames on, within the file.
func (pl *player) stepFrame(ctx app.Context, d int) {
	m := mediaElement()
	if !m.Truthy() || pl.Annotating {
		return // a drawing in progress is of the frame shown
	}
	m.Call("pause")
	fps := pl.Time.FPS
	n := ui.FrameAt(m.Get("currentTime").Float(), fps) + d
	if pl.Time.Dur > 0 {
		n = min(n, max(0, int(math.Ceil(pl.Time.Dur*fps))-1))
	}
	if pl.Time.Frames > 0 {
		n = min(n, pl.Time.Frames-1)
	}
	t, _ := seekFrame(n, fps)
	pl.Host.seeked(ctx, t)
}

func (pl *player) Render() app.UI {
	fps, dur := pl.Time.FPS, pl.Time.Dur
	frame := ui.FrameAt(pl.Time.Cur, fps)
	type mark struct {
		c   model.Comment
		pos float64
	}
	var marks []mark
	if dur > 0 {
		for _, c := range pl.Comments {
			if c.Timestamp != nil && (c.ParentID == nil || *c.ParentID == "") {
				marks = append(marks, mark{c, math.Min(100, math.Max(0, ui.FrameTime(int(*c.Timestamp), fps)/dur*100))})
			}
		}
	}
	played := 0.0
	if dur > 0 {
		played = math.Min(100, pl.Time.Cur/dur*100)
	}
	return app.Div().Class("rv-transport").Body(
		app.Div().ID("review-timeline").Class("rv-timeline").Title("Comments on the timeline").
			OnClick(func(ctx app.Context, e app.Event) {
				r := ctx.JSSrc().Call("getBoundingClientRect")
				if w := r.Get("width").Float(); w > 0 && dur > 0 {
					x := (e.Get("clientX").Float() - r.Get("left").Float()) / w
					t, _ := seekFrame(ui.FrameAt(math.Max(0, math.Min(1, x))*dur, fps), fps)
					pl.Host.seeked(ctx, t)
				}
			}).Body(
			app.Div().Class("rv-timeline-played").Style("width", strconv.FormatFloat(played, 'f', 2, 64)+"%"),
			app.Range(marks).Slice(func(i int) app.UI {
				m := marks[i]
				cls := "rv-marker"
				if m.c.ID == pl.Selected {
					cls += " on"
				}
				label := ui.Timecode(int(*m.c.Timestamp), fps) + " · " + cmp.Or(m.c.AuthorName, "Someone") + ": " + m.c.Text
				return app.Button().Type("button").Class(cls).DataSet("id", ui.AttrText(m.c.ID)).DataSet("frame", int(*m.c.Timestamp)).
					Style("left", strconv.FormatFloat(m.pos, 'f', 3, 64)+"%").Attr("aria-label", label).Title(label).
					OnClick(func(ctx app.Context, e app.Event) {
						e.StopImmediatePropagation()
						pl.Host.selectComment(ctx, m.c)
					})
			}),
		),
		app.Div().Class("rv-transport-row").Body(
			app.Button().Type("button").ID("frame-prev").Class("rv-tool rv-tool-icon").Attr("aria-label", "Previous frame (←)").Title("Previous frame (←)").Disabled(pl.Annotating).
				OnClick(func(ctx app.Context, e app.Event) { pl.stepFrame(ctx, -1) }).Body(ui.Icon("chevron-left")),
			app.Span().ID("review-timecode").Class("rv-timecode").Attr("aria-live", "off").DataSet("frame", frame).
				Title(app.FormatString("Frame %d at %s fps (non-drop-frame timecode)", frame, strconv.FormatFloat(fps, 'f', -1, 64))).
				Text(ui.Timecode(frame, fps)),
			app.Button().Type("button").ID("frame-next").Class("rv-tool rv-tool-icon").Attr("aria-label", "Next frame (→)").Title("Next frame (→)").Disabled(pl.Annotating).
				OnClick(func(ctx app.Context, e app.Event) { pl.stepFrame(ctx, 1) }).Body(ui.Icon("chevron-right")),
		),
	)
}

func isTimed(kind string) bool { return kind == "video" || kind == "audio" }

// mediaElement is the video or audio element of the viewer.
func mediaElement() app.Value {
	return app.Window().GetElementByID("review-media")
}

// seekFrame pauses the player on a frame, at its middle, and says the time
// it went to and whether there was a player.
func seekFrame(frame int, fps float64) (float64, bool) {
	t := ui.FrameTime(max(0, frame), fps)
	m := mediaElement()
	if !m.Truthy() {
		return t, false
	}
	m.Call("pause")
	m.Set("currentTime", t)
	return t, true
}

// fps is the frame rate of the file shown. Another version of an item
// has no rate of its own in the review: it is taken to be the item's.
func (p *Page) fps() float64 {
	it, _ := p.item()
	return ui.FrameRate(it.FrameRate, it.FPS)
}

// clockText writes a frame of a file: a timecode for a video, the time
// (m:ss) for audio.
func clockText(kind string, frame int, fps float64) string {
	if kind == "video" {
		return ui.Timecode(frame, fps)
	}
	s := int(float64(frame) / fps)
	if s >= 3600 {
		return strconv.Itoa(s/3600) + ":" + ui.TwoDigits((s/60)%60) + ":" + ui.TwoDigits(s%60)
	}
	return ui.TwoDigits(s/60) + ":" + ui.TwoDigits(s%60)
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

// frames is the frame count of the file shown, 0 when unknown.
func (p *Page) frames(s reviewShown) int {
	if it, _ := p.item(); s.current && it.Frames > 0 {
		return int(it.Frames)
	}
	return 0
}
