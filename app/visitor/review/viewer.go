package review

import (
	"cmp"
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The viewer.

func (p *Page) renderViewer() app.UI {
	it, _ := p.item()
	s := p.shown()
	n := len(p.review.Items)
	return app.Div().ID("review-viewer").Class("sv rv-viewer").Attr("role", "dialog").Attr("aria-modal", "true").
		Attr("aria-label", ui.AttrText(s.name)).DataSet("id", ui.AttrText(s.id)).Body(
		app.Div().Class("rv-stage").Body(
			app.Div().Class("rv-bar").Body(
				app.Button().Type("button").ID("review-viewer-close").Class("sv-btn").Attr("aria-label", "Back to all items (Esc)").Title("Back to all items (Esc)").
					OnClick(func(ctx app.Context, e app.Event) { p.closeViewer(ctx) }).Body(ui.Icon("chevron-left")),
				app.Div().Class("rv-bar-title").Body(
					app.Span().Class("sv-title").Text(s.name),
					app.Span().Class("sv-count").Text(strconv.Itoa(p.open+1)+" of "+strconv.Itoa(n)),
				),
				p.renderVersions(it, s),
				app.If(s.download != "", func() app.UI {
					return app.A().ID("review-download").Class("sv-btn rv-download").Href(ui.AttrText(s.download)).Download(ui.AttrText(s.name)).
						Attr("aria-label", "Download").Title("Download the original").Body(ui.Icon("download"))
				}),
				app.If(n > 1, func() app.UI {
					return app.Div().Class("rv-steps").Body(
						app.Button().Type("button").ID("review-prev").Class("sv-btn").Attr("aria-label", "Previous (←)").Title("Previous (←)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, -1) }).Body(ui.Icon("chevron-left")),
						app.Button().Type("button").ID("review-next").Class("sv-btn").Attr("aria-label", "Next (→)").Title("Next (→)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, 1) }).Body(ui.Icon("chevron-right")),
					)
				}),
			),
			p.renderStage(s),
			p.renderTransport(s),
			p.renderTools(s),
		),
		p.renderPanel(it, s),
	)
}

func (p *Page) renderVersions(it model.PublicReviewItem, s reviewShown) app.UI {
	if len(it.Versions) < 2 {
		return nil
	}
	return app.Label().Class("rv-version").Body(
		app.Span().Class("sr-only").Text("Version"),
		app.Select().ID("version-select").OnChange(p.pickVersion).Body(
			app.Range(it.Versions).Slice(func(i int) app.UI {
				v := it.Versions[i]
				label := "V" + strconv.Itoa(cmp.Or(v.Index, len(it.Versions)-i))
				if i == 0 {
					label += " · newest"
				}
				return app.Option().Value(ui.AttrText(v.ID)).Selected(v.ID == s.id).Text(label)
			}),
		),
	)
}

func (p *Page) renderStage(s reviewShown) app.UI {
	switch s.kind {
	case "image":
		src := cmp.Or(s.large, s.preview, s.media)
		if p.stage.lowFailed == src && s.media != "" {
			src = s.media
		}
		if src == "" {
			break
		}
		return p.renderFit(s,
			app.Img().ID("review-img").Class("rv-img").Src(ui.AttrText(src)).Alt(ui.AttrText(s.name)).Draggable(false).
				OnLoad(func(ctx app.Context, e app.Event) {
					p.natural(ctx, s.id, ctx.JSSrc().Get("naturalWidth").Int(), ctx.JSSrc().Get("naturalHeight").Int())
				}).
				On("error", func(ctx app.Context, e app.Event) {
					if src != s.media {
						p.stage.lowFailed = src // no rendition of this version: the original
					}
				}),
			// The original, for the close-up, once zoomed in.
			app.If(p.stage.zoom > 1.3 && s.media != "" && src != s.media && browserImage(s.filetype), func() app.UI {
				cls := "rv-img rv-img-hi"
				if p.stage.hiLoaded == s.media {
					cls += " is-loaded"
				}
				return ui.DecorativeImg().Class(cls).Src(ui.AttrText(s.media)).Draggable(false).
					OnLoad(func(ctx app.Context, e app.Event) { p.stage.hiLoaded = s.media })
			}),
		)
	case "video":
		return p.renderFit(s,
			app.Video().ID("review-media").Class("rv-video").Src(ui.AttrText(s.media)).Poster(ui.AttrText(s.preview)).
				Controls(!p.annotating).Attr("playsinline", true).Attr("preload", "metadata").
				On("loadedmetadata", func(ctx app.Context, e app.Event) {
					p.natural(ctx, s.id, ctx.JSSrc().Get("videoWidth").Int(), ctx.JSSrc().Get("videoHeight").Int())
				}).
				On("timeupdate", p.onTime).
				On("seeked", p.onTime).
				On("durationchange", p.onTime).
				On("play", func(ctx app.Context, e app.Event) {
					if p.selected != "" {
						p.selected = "" // the drawing was of the paused frame
						p.repaint(ctx)
					}
				}),
		)
	case "audio":
		return app.Div().Class("rv-area").Body(
			app.Div().Class("rv-audio").Body(
				app.Div().Class("sv-file-icon is-audio").Body(ui.Icon("audio"), app.Span().Class("gallery-ext").Text(linkui.FileExt(s.name, s.filetype))),
				app.Audio().ID("review-media").Class("rv-audio-player").Src(ui.AttrText(s.media)).Controls(true).Attr("preload", "metadata").
					On("timeupdate", p.onTime).On("seeked", p.onTime),
			),
		)
	case "pdf":
		return app.Div().Class("rv-area rv-area-pdf").Body(
			app.IFrame().ID("review-pdf").Class("rv-pdf").Src(ui.AttrText(s.media)).Title(ui.AttrText(s.name)),
		)
	}
	msg := "No preview for this file."
	if s.download != "" {
		msg = "No preview for this file. Download it to open it."
	}
	return app.Div().Class("rv-area").Body(
		app.Div().Class("sv-file "+linkui.FileClass(s.filetype)).Body(
			app.Div().Class("sv-file-icon").Body(ui.Icon(linkui.FileIcon(s.filetype)), app.Span().Class("gallery-ext").Text(linkui.FileExt(s.name, s.filetype))),
			app.P().Text(msg),
		),
	)
}

// drawTarget names what a drawing is made on.
func drawTarget(kind string) string {
	if kind == "video" {
		return "frame"
	}
	return "picture"
}

func browserImage(filetype string) bool {
	switch filetype {
	case "image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "image/svg+xml":
		return true
	}
	return false
}

func (p *Page) onTime(ctx app.Context, e app.Event) {
	t := ctx.JSSrc().Get("currentTime").Float()
	fps := p.fps()
	changed := ui.FrameAt(t, fps) != ui.FrameAt(p.curTime, fps)
	p.curTime = t
	if d := ctx.JSSrc().Get("duration"); d.Truthy() && d.Float() != p.mediaDur {
		p.mediaDur, changed = d.Float(), true
	}
	if !changed {
		ctx.PreventUpdate() // the timecode shows frames
	}
}

// renderTransport is under a video: the timeline with a marker at each
// timed comment, then a frame back, the timecode and a frame on.
func (p *Page) renderTransport(s reviewShown) app.UI {
	if s.kind != "video" {
		return nil
	}
	fps := p.fps()
	frame := ui.FrameAt(p.curTime, fps)
	dur := p.duration()
	type mark struct {
		c   model.Comment
		pos float64
	}
	var marks []mark
	if dur > 0 && p.commentsOf == s.id {
		for _, c := range p.comments {
			if c.Timestamp != nil && (c.ParentID == nil || *c.ParentID == "") {
				marks = append(marks, mark{c, math.Min(100, math.Max(0, ui.FrameTime(int(*c.Timestamp), fps)/dur*100))})
			}
		}
	}
	played := 0.0
	if dur > 0 {
		played = math.Min(100, p.curTime/dur*100)
	}
	return app.Div().Class("rv-transport").Body(
		app.Div().ID("review-timeline").Class("rv-timeline").Title("Comments on the timeline").
			OnClick(func(ctx app.Context, e app.Event) {
				r := ctx.JSSrc().Call("getBoundingClientRect")
				if w := r.Get("width").Float(); w > 0 && dur > 0 {
					x := (e.Get("clientX").Float() - r.Get("left").Float()) / w
					p.selected = ""
					p.seekFrame(ui.FrameAt(math.Max(0, math.Min(1, x))*dur, fps))
					p.repaint(ctx)
				}
			}).Body(
			app.Div().Class("rv-timeline-played").Style("width", strconv.FormatFloat(played, 'f', 2, 64)+"%"),
			app.Range(marks).Slice(func(i int) app.UI {
				m := marks[i]
				cls := "rv-marker"
				if m.c.ID == p.selected {
					cls += " on"
				}
				label := ui.Timecode(int(*m.c.Timestamp), fps) + " · " + cmp.Or(m.c.AuthorName, "Someone") + ": " + m.c.Text
				return app.Button().Type("button").Class(cls).DataSet("id", ui.AttrText(m.c.ID)).DataSet("frame", int(*m.c.Timestamp)).
					Style("left", strconv.FormatFloat(m.pos, 'f', 3, 64)+"%").Attr("aria-label", label).Title(label).
					OnClick(func(ctx app.Context, e app.Event) {
						e.StopImmediatePropagation()
						p.selectComment(ctx, m.c)
					})
			}),
		),
		app.Div().Class("rv-transport-row").Body(
			app.Button().Type("button").ID("frame-prev").Class("rv-tool rv-tool-icon").Attr("aria-label", "Previous frame (←)").Title("Previous frame (←)").Disabled(p.annotating).
				OnClick(func(ctx app.Context, e app.Event) { p.stepFrame(ctx, -1) }).Body(ui.Icon("chevron-left")),
			app.Span().ID("review-timecode").Class("rv-timecode").Attr("aria-live", "off").DataSet("frame", frame).
				Title(app.FormatString("Frame %d at %s fps (non-drop-frame timecode)", frame, strconv.FormatFloat(fps, 'f', -1, 64))).
				Text(ui.Timecode(frame, fps)),
			app.Button().Type("button").ID("frame-next").Class("rv-tool rv-tool-icon").Attr("aria-label", "Next frame (→)").Title("Next frame (→)").Disabled(p.annotating).
				OnClick(func(ctx app.Context, e app.Event) { p.stepFrame(ctx, 1) }).Body(ui.Icon("chevron-right")),
		),
	)
}

// renderFit puts media in a box of the picture's proportions that fits the
// stage, with the drawing canvas over it; zoom and pan move the box.
func (p *Page) renderFit(s reviewShown, media ...app.UI) app.UI {
	w, h := p.dims(s)
	fit := app.Div().ID("review-fit").Class("rv-fit")
	if w > 0 && h > 0 {
		ratio := strconv.FormatFloat(float64(w)/float64(h), 'f', 5, 64)
		fit = fit.Style("aspect-ratio", strconv.Itoa(w)+" / "+strconv.Itoa(h)).
			Style("width", "min(100cqw, calc(100cqh * "+ratio+"))")
	} else {
		fit = fit.Class("rv-fit-free")
	}
	if p.stage.zoom != 1 || p.stage.tx != 0 || p.stage.ty != 0 {
		fit = fit.Style("transform", "translate("+px(p.stage.tx)+", "+px(p.stage.ty)+") scale("+strconv.FormatFloat(p.stage.zoom, 'f', 4, 64)+")")
	}
	cls := "rv-area"
	switch {
	case p.annotating:
		cls += " is-drawing"
	case p.stage.zoom > 1:
		cls += " is-zoomed"
	}
	cw, ch := reviewCanvasSize(w, h)
	canvasCls := "rv-canvas"
	if p.annotating {
		canvasCls += " is-active"
	}
	body := append(media, app.If(cw > 0, func() app.UI {
		return app.Canvas().ID("review-canvas").Class(canvasCls).Width(cw).Height(ch).
			On("pointerdown", p.drawStart).
			On("pointermove", p.drawMove).
			On("pointerup", p.drawEnd).
			On("pointercancel", p.drawEnd)
	}))
	return app.Div().Class(cls).
		On("wheel", p.onWheel).
		On("dblclick", p.onDoubleClick).
		On("pointerdown", p.onPointerDown).
		On("pointermove", p.onPointerMove).
		On("pointerup", p.onPointerUp).
		On("pointercancel", p.onPointerUp).
		Body(fit.Body(body...))
}

// reviewCanvasSize is the canvas's own resolution: the picture's, at most
// 1600 px on the long side.
func reviewCanvasSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	k := math.Min(1, 1600/float64(max(w, h)))
	return max(1, int(float64(w)*k)), max(1, int(float64(h)*k))
}

func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "px" }

// renderTools is the zoom controls of a picture, and the pen's while drawing.
func (p *Page) renderTools(s reviewShown) app.UI {
	if p.annotating {
		return app.Div().Class("rv-tools rv-pen").Body(
			app.Span().Class("rv-tools-hint").Text("Draw on the "+drawTarget(s.kind)),
			app.Div().Class("rv-swatches").Attr("role", "radiogroup").Attr("aria-label", "Colour").Body(
				app.Range(reviewColors).Slice(func(i int) app.UI {
					c := reviewColors[i]
					cls := "rv-swatch"
					if c == p.color {
						cls += " on"
					}
					return app.Button().Type("button").Class(cls).Style("--swatch", c).Attr("role", "radio").
						Attr("aria-checked", strconv.FormatBool(c == p.color)).Attr("aria-label", "Colour "+c).
						OnClick(func(ctx app.Context, e app.Event) { p.color = c })
				}),
			),
			app.Button().Type("button").ID("annotate-undo").Class("rv-tool").Disabled(len(p.shapes) == 0).Text("Undo").OnClick(p.undo),
			app.Button().Type("button").ID("annotate-clear").Class("rv-tool").Disabled(len(p.shapes) == 0).Text("Clear").OnClick(p.clearDrawing),
			app.Button().Type("button").ID("annotate-done").Class("rv-tool rv-tool-done").Text("Done").OnClick(p.toggleAnnotate),
		)
	}
	if s.kind != "image" {
		return nil
	}
	return app.Div().Class("rv-tools rv-zoom").Body(
		app.Button().Type("button").ID("zoom-out").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom out").Title("Zoom out").
			Disabled(p.stage.zoom <= reviewMinZoom).OnClick(p.zoomButton(1/1.5)).Body(app.Span().Text("−")),
		app.Button().Type("button").ID("zoom-reset").Class("rv-tool rv-zoom-level").Title("Fit to the screen").
			OnClick(p.zoomButton(0)).Text(strconv.Itoa(int(math.Round(p.stage.zoom*100)))+"%"),
		app.Button().Type("button").ID("zoom-in").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom in").Title("Zoom in").
			Disabled(p.stage.zoom >= reviewMaxZoom).OnClick(p.zoomButton(1.5)).Body(app.Span().Text("+")),
	)
}
