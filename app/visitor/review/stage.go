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

// stage is the left of the viewer: the bar (back, title, versions,
// download, previous and next), the picture or the player with the
// annotator over it, the transport of a video, and the zoom controls or the
// pen's. It keeps the zoom and pan of the picture, and what has loaded of it.
type stage struct {
	app.Compo
	Item         model.PublicReviewItem
	Shown        reviewShown
	Index, Count int
	W, H         int // the size drawings are made on, 0 while unknown
	Annotating   bool
	Color        string
	Strokes      int               // strokes of the drawing in progress
	Overlay      *model.Annotation // the drawing on the picture
	Time         playerTime
	Comments     []model.Comment // of the file shown
	Selected     string
	Host         viewerHost

	of           string // the asset id the zoom belongs to
	zoom, tx, ty float64
	pointers     map[int][2]float64 // pointers down on the stage, by id
	gesture      [2]float64         // where the drag last was, or the pinch's last distance in [0]
	hiLoaded     string             // the original that has loaded for the close-up
	lowFailed    string             // a rendition that failed to load: show the original
}

func (s *stage) OnInit() { s.zoom, s.of = 1, s.Shown.id }

// OnUpdate forgets the zoom of the file shown before, and the pointers down
// when the pen takes them.
func (s *stage) OnUpdate(ctx app.Context) {
	if s.Shown.id != s.of {
		s.of = s.Shown.id
		s.zoom, s.tx, s.ty, s.pointers = 1, 0, 0, nil
	}
	if s.Annotating {
		s.pointers = nil
	}
}

func (s *stage) Render() app.UI {
	it, sh, n := s.Item, s.Shown, s.Count
	return app.Div().Class("rv-stage").Body(
		app.Div().Class("rv-bar").Body(
			app.Button().Type("button").ID("review-viewer-close").Class("sv-btn").Attr("aria-label", "Back to all items (Esc)").Title("Back to all items (Esc)").
				OnClick(func(ctx app.Context, e app.Event) { s.Host.closeViewer(ctx) }).Body(ui.Icon("chevron-left")),
			app.Div().Class("rv-bar-title").Body(
				app.Span().Class("sv-title").Text(sh.name),
				app.Span().Class("sv-count").Text(strconv.Itoa(s.Index+1)+" of "+strconv.Itoa(n)),
			),
			s.renderVersions(it, sh),
			app.If(sh.download != "", func() app.UI {
				return app.A().ID("review-download").Class("sv-btn rv-download").Href(ui.AttrText(sh.download)).Download(ui.AttrText(sh.name)).
					Attr("aria-label", "Download").Title("Download the original").Body(ui.Icon("download"))
			}),
			app.If(n > 1, func() app.UI {
				return app.Div().Class("rv-steps").Body(
					app.Button().Type("button").ID("review-prev").Class("sv-btn").Attr("aria-label", "Previous (←)").Title("Previous (←)").
						OnClick(func(ctx app.Context, e app.Event) { s.Host.step(ctx, -1) }).Body(ui.Icon("chevron-left")),
					app.Button().Type("button").ID("review-next").Class("sv-btn").Attr("aria-label", "Next (→)").Title("Next (→)").
						OnClick(func(ctx app.Context, e app.Event) { s.Host.step(ctx, 1) }).Body(ui.Icon("chevron-right")),
				)
			}),
		),
		s.renderMedia(sh),
		app.If(sh.kind == "video", func() app.UI {
			return &player{Time: s.Time, Comments: s.Comments, Selected: s.Selected, Annotating: s.Annotating, Host: s.Host}
		}),
		s.renderTools(sh),
	)
}

func (st *stage) renderVersions(it model.PublicReviewItem, s reviewShown) app.UI {
	if len(it.Versions) < 2 {
		return nil
	}
	return app.Label().Class("rv-version").Body(
		app.Span().Class("sr-only").Text("Version"),
		app.Select().ID("version-select").OnChange(func(ctx app.Context, e app.Event) {
			st.Host.pickVersion(ctx, ctx.JSSrc().Get("value").String())
		}).Body(
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

func (st *stage) renderMedia(s reviewShown) app.UI {
	switch s.kind {
	case "image":
		src := cmp.Or(s.large, s.preview, s.media)
		if st.lowFailed == src && s.media != "" {
			src = s.media
		}
		if src == "" {
			break
		}
		return st.renderFit(s,
			app.Img().ID("review-img").Class("rv-img").Src(ui.AttrText(src)).Alt(ui.AttrText(s.name)).Draggable(false).
				OnLoad(func(ctx app.Context, e app.Event) {
					st.Host.loaded(ctx, s.id, ctx.JSSrc().Get("naturalWidth").Int(), ctx.JSSrc().Get("naturalHeight").Int())
				}).
				On("error", func(ctx app.Context, e app.Event) {
					if src != s.media {
						st.lowFailed = src // no rendition of this version: the original
					}
				}),
			// The original, for the close-up, once zoomed in.
			app.If(st.zoom > 1.3 && s.media != "" && src != s.media && browserImage(s.filetype), func() app.UI {
				cls := "rv-img rv-img-hi"
				if st.hiLoaded == s.media {
					cls += " is-loaded"
				}
				return ui.DecorativeImg().Class(cls).Src(ui.AttrText(s.media)).Draggable(false).
					OnLoad(func(ctx app.Context, e app.Event) { st.hiLoaded = s.media })
			}),
		)
	case "video":
		return st.renderFit(s,
			app.Video().ID("review-media").Class("rv-video").Src(ui.AttrText(s.media)).Poster(ui.AttrText(s.preview)).
				Controls(!st.Annotating).Attr("playsinline", true).Attr("preload", "metadata").
				On("loadedmetadata", func(ctx app.Context, e app.Event) {
					st.Host.loaded(ctx, s.id, ctx.JSSrc().Get("videoWidth").Int(), ctx.JSSrc().Get("videoHeight").Int())
				}).
				On("timeupdate", st.onTime).
				On("seeked", st.onTime).
				On("durationchange", st.onTime).
				On("play", func(ctx app.Context, e app.Event) {
					if st.Selected == "" {
						ctx.PreventUpdate()
						return
					}
					st.Host.played(ctx) // the drawing was of the paused frame
				}),
		)
	case "audio":
		return app.Div().Class("rv-area").Body(
			app.Div().Class("rv-audio").Body(
				app.Div().Class("sv-file-icon is-audio").Body(ui.Icon("audio"), app.Span().Class("gallery-ext").Text(linkui.FileExt(s.name, s.filetype))),
				app.Audio().ID("review-media").Class("rv-audio-player").Src(ui.AttrText(s.media)).Controls(true).Attr("preload", "metadata").
					On("timeupdate", st.onTime).On("seeked", st.onTime),
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

// onTime tells the page the player's time.
func (st *stage) onTime(ctx app.Context, e app.Event) {
	dur := 0.0
	if d := ctx.JSSrc().Get("duration"); d.Truthy() {
		dur = d.Float()
	}
	if !st.Host.timeChanged(ctx, ctx.JSSrc().Get("currentTime").Float(), dur) {
		ctx.PreventUpdate() // the timecode shows frames
	}
}

// renderFit puts media in a box of the picture's proportions that fits the
// stage, with the drawing canvas over it; zoom and pan move the box.
func (st *stage) renderFit(s reviewShown, media ...app.UI) app.UI {
	w, h := st.W, st.H
	fit := app.Div().ID("review-fit").Class("rv-fit")
	if w > 0 && h > 0 {
		ratio := strconv.FormatFloat(float64(w)/float64(h), 'f', 5, 64)
		fit = fit.Style("aspect-ratio", strconv.Itoa(w)+" / "+strconv.Itoa(h)).
			Style("width", "min(100cqw, calc(100cqh * "+ratio+"))")
	} else {
		fit = fit.Class("rv-fit-free")
	}
	if st.zoom != 1 || st.tx != 0 || st.ty != 0 {
		fit = fit.Style("transform", "translate("+px(st.tx)+", "+px(st.ty)+") scale("+strconv.FormatFloat(st.zoom, 'f', 4, 64)+")")
	}
	cls := "rv-area"
	switch {
	case st.Annotating:
		cls += " is-drawing"
	case st.zoom > 1:
		cls += " is-zoomed"
	}
	body := append(media, app.If(w > 0 && h > 0, func() app.UI {
		return &annotator{W: w, H: h, Active: st.Annotating, Color: st.Color, Overlay: st.Overlay, Host: st.Host}
	}))
	return app.Div().Class(cls).
		On("wheel", st.onWheel).
		On("dblclick", st.onDoubleClick).
		On("pointerdown", st.onPointerDown).
		On("pointermove", st.onPointerMove).
		On("pointerup", st.onPointerUp).
		On("pointercancel", st.onPointerUp).
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
func (st *stage) renderTools(s reviewShown) app.UI {
	if st.Annotating {
		return app.Div().Class("rv-tools rv-pen").Body(
			app.Span().Class("rv-tools-hint").Text("Draw on the "+drawTarget(s.kind)),
			app.Div().Class("rv-swatches").Attr("role", "radiogroup").Attr("aria-label", "Colour").Body(
				app.Range(reviewColors).Slice(func(i int) app.UI {
					c := reviewColors[i]
					cls := "rv-swatch"
					if c == st.Color {
						cls += " on"
					}
					return app.Button().Type("button").Class(cls).Style("--swatch", c).Attr("role", "radio").
						Attr("aria-checked", strconv.FormatBool(c == st.Color)).Attr("aria-label", "Colour "+c).
						OnClick(func(ctx app.Context, e app.Event) { st.Host.setColor(ctx, c) })
				}),
			),
			app.Button().Type("button").ID("annotate-undo").Class("rv-tool").Disabled(st.Strokes == 0).Text("Undo").
				OnClick(func(ctx app.Context, e app.Event) { st.Host.undo(ctx) }),
			app.Button().Type("button").ID("annotate-clear").Class("rv-tool").Disabled(st.Strokes == 0).Text("Clear").
				OnClick(func(ctx app.Context, e app.Event) { st.Host.clearDrawing(ctx) }),
			app.Button().Type("button").ID("annotate-done").Class("rv-tool rv-tool-done").Text("Done").
				OnClick(func(ctx app.Context, e app.Event) { st.Host.toggleAnnotate(ctx) }),
		)
	}
	if s.kind != "image" {
		return nil
	}
	return app.Div().Class("rv-tools rv-zoom").Body(
		app.Button().Type("button").ID("zoom-out").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom out").Title("Zoom out").
			Disabled(st.zoom <= reviewMinZoom).OnClick(st.zoomButton(1/1.5)).Body(app.Span().Text("−")),
		app.Button().Type("button").ID("zoom-reset").Class("rv-tool rv-zoom-level").Title("Fit to the screen").
			OnClick(st.zoomButton(0)).Text(strconv.Itoa(int(math.Round(st.zoom*100)))+"%"),
		app.Button().Type("button").ID("zoom-in").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom in").Title("Zoom in").
			Disabled(st.zoom >= reviewMaxZoom).OnClick(st.zoomButton(1.5)).Body(app.Span().Text("+")),
	)
}
