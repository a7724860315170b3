package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// watermarkForm is the Watermark section: what was saved, what is typed.
type watermarkForm struct {
	saved    *model.WatermarkSettings
	edit     model.WatermarkSettings
	err      string
	saving   bool
	logoBusy bool
	shot     int64 // changes the preview's URL after each change
}

var watermarkPositions = []struct{ value, label string }{
	{"center", "Center"}, {"top-left", "Top left"}, {"top-right", "Top right"},
	{"bottom-left", "Bottom left"}, {"bottom-right", "Bottom right"}, {"tiled", "Tiled across the image"},
}

func (p *SettingsPage) loadWatermark(ctx app.Context) {
	ctx.Async(func() {
		w, err := fetch.API.Watermark()
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.wm.err = err.Error()
				return
			}
			p.setWatermark(w)
		})
	})
}

func (p *SettingsPage) setWatermark(w model.WatermarkSettings) {
	p.wm.saved, p.wm.edit, p.wm.err = &w, w, ""
	p.wm.shot = time.Now().UnixMilli()
}

func (p *SettingsPage) saveWatermark(ctx app.Context, e app.Event) {
	e.PreventDefault()
	w := p.wm.edit
	in := model.WatermarkSettings{Text: strings.TrimSpace(w.Text), Position: w.Position, Opacity: w.Opacity, Scale: w.Scale}
	p.wm.saving, p.wm.err = true, ""
	ctx.Async(func() {
		out, err := fetch.API.SetWatermark(in)
		ctx.Dispatch(func(ctx app.Context) {
			p.wm.saving = false
			if err != nil {
				p.wm.err = err.Error()
				return
			}
			p.setWatermark(out)
			shell.Toast(ctx, "Watermark saved")
		})
	})
}

// uploadLogo sends the picked PNG as it is: the browser streams the file.
func (p *SettingsPage) uploadLogo(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() == 0 {
		return
	}
	file := files.Index(0)
	ctx.JSSrc().Set("value", "")
	if file.Get("type").String() != "image/png" {
		p.wm.err = "The logo must be a PNG file; " + file.Get("name").String() + " is not."
		return
	}
	p.wm.logoBusy, p.wm.err = true, ""
	fetch.SendFile("PUT", "/api/v2/settings/watermark/logo", "image/png", file, func(w model.WatermarkSettings, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			p.wm.logoBusy = false
			if err != nil {
				p.wm.err = err.Error()
				return
			}
			text, pos, op, sc := p.wm.edit.Text, p.wm.edit.Position, p.wm.edit.Opacity, p.wm.edit.Scale
			p.setWatermark(w)
			// Keep what is typed but not saved yet.
			p.wm.edit.Text, p.wm.edit.Position, p.wm.edit.Opacity, p.wm.edit.Scale = text, pos, op, sc
			shell.Toast(ctx, "Logo uploaded")
		})
	})
}

func (p *SettingsPage) removeLogo(ctx app.Context, e app.Event) {
	if !app.Window().Call("confirm", "Remove the logo from the watermark? Shared images then carry only the text, or no watermark when there is no text.").Bool() {
		return
	}
	p.wm.logoBusy, p.wm.err = true, ""
	ctx.Async(func() {
		out, err := fetch.API.DeleteWatermarkLogo()
		ctx.Dispatch(func(ctx app.Context) {
			p.wm.logoBusy = false
			if err != nil {
				p.wm.err = err.Error()
				return
			}
			edit := p.wm.edit
			p.setWatermark(out)
			edit.HasLogo, edit.Configured = out.HasLogo, out.Configured
			p.wm.edit = edit
			shell.Toast(ctx, "Logo removed")
		})
	})
}

func (p *SettingsPage) renderWatermark() app.UI {
	f := &p.wm
	if f.saved == nil {
		if f.err == "" {
			return nil
		}
		return app.Section().Class("settings-section").ID("watermark").Body(
			app.Div().Class("section-head").Body(app.H2().Text("Watermark")),
			ui.ErrorBox(f.err),
		)
	}
	w := &f.edit
	state := ui.Badge("Configured", "green")
	if !f.saved.Configured {
		state = ui.Badge("Not configured", "amber")
	}
	pct := func(v float64) string { return strconv.Itoa(int(v*100+0.5)) + " %" }
	rangeInput := func(id string, v *float64) app.UI {
		return app.Input().Type("range").ID(id).Min(0.05).Max(1).Step(0.05).Value(strconv.FormatFloat(*v, 'f', 2, 64)).
			OnInput(func(ctx app.Context, e app.Event) {
				if n, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64); err == nil {
					*v = n
				}
			})
	}
	return app.Section().Class("settings-section").ID("watermark").Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Watermark"),
			app.P().Class("muted").Text("Share links with Show watermark put this mark on previews and image proxies. Originals are never changed."),
		),
		app.Div().Class("card wm-card").Body(
			app.Form().Class("email-pane wm-pane").ID("wm-form").OnSubmit(p.saveWatermark).Body(
				app.Div().Class("pane-title").Body(app.H3().Text("Mark"), state),
				ui.ErrorBox(f.err),
				ui.Field("Text", app.Input().ID("wm-text").MaxLength(200).Placeholder("© Studio Name").
					Value(w.Text).OnInput(p.ValueTo(&w.Text)), "Shown when there is no logo."),
				app.Div().Class("field").Body(
					app.Span().Class("field-label").Text("Logo"),
					app.Div().Class("wm-logo-row").Body(
						app.Span().Class("wm-logo-state").ID("wm-logo-state").Text(map[bool]string{true: "PNG logo uploaded", false: "No logo"}[f.saved.HasLogo]),
						app.Label().Class("btn btn-secondary btn-sm").Body(ui.Icon("upload"),
							app.Span().Text(map[bool]string{true: "Uploading…", false: map[bool]string{true: "Replace", false: "Upload PNG"}[f.saved.HasLogo]}[f.logoBusy]),
							ui.HiddenFileInput().ID("wm-logo-input").Accept("image/png").Disabled(f.logoBusy).OnChange(p.uploadLogo)),
						app.If(f.saved.HasLogo, func() app.UI {
							return ui.Button("Remove", "danger-ghost", p.removeLogo).ID("wm-logo-remove").Disabled(f.logoBusy)
						}),
					),
					app.Span().Class("field-hint").Text("A PNG with a transparent background works best. A logo takes the place of the text."),
				),
				ui.Field("Position", app.Select().ID("wm-position").OnChange(p.ValueTo(&w.Position)).Body(
					app.Range(watermarkPositions).Slice(func(i int) app.UI {
						o := watermarkPositions[i]
						return app.Option().Value(o.value).Selected(w.Position == o.value).Text(o.label)
					}),
				), ""),
				app.Div().Class("ul-row").Body(
					app.Label().Class("field wm-range").Body(
						app.Span().Class("field-label").Body(app.Text("Opacity "), app.Span().Class("muted").Text(pct(w.Opacity))),
						rangeInput("wm-opacity", &w.Opacity),
					),
					app.Label().Class("field wm-range").Body(
						app.Span().Class("field-label").Body(app.Text("Size "), app.Span().Class("muted").Text(pct(w.Scale))),
						rangeInput("wm-scale", &w.Scale),
						app.Span().Class("field-hint").Text("Of the image width."),
					),
				),
				app.Div().Class("form-actions").Body(
					app.Button().Type("submit").ID("wm-save").Class("btn btn-primary").Disabled(f.saving).
						Text(map[bool]string{true: "Saving…", false: "Save watermark"}[f.saving]),
				),
			),
			app.Div().Class("email-pane email-test wm-preview-pane").Body(
				app.Div().Class("pane-title").Body(app.H3().Text("Preview")),
				app.If(f.saved.Configured, func() app.UI {
					return app.Img().Class("wm-preview").ID("wm-preview").Alt("A sample image with the saved watermark").
						Src(app.FormatString("/api/v2/settings/watermark/preview.jpg?ts=%d", f.shot))
				}).Else(func() app.UI {
					return app.Div().Class("wm-preview wm-preview-empty").ID("wm-preview").Body(
						ui.Icon("image"), app.P().Class("muted small").Text("Add a text or a logo and save: a sample image with the mark shows here."),
					)
				}),
				app.P().Class("field-hint").Text("Shows what is saved; save to see changes."),
			),
		),
	)
}
