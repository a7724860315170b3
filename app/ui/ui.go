// Package ui is the web app's component vocabulary: buttons, cards, empty
// states, stat cards, badges, dialogs, fields, tabs, menus, progress bars,
// the one icon set, and the formatting of sizes and dates. Styles live in
// embed/web/ferry.css.
package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Button is a button of a kind (primary, secondary, ghost, danger ...).
func Button(label, kind string, onClick app.EventHandler) app.HTMLButton {
	b := app.Button().Type("button").Class("btn btn-" + kind).Text(label)
	if onClick != nil {
		b = b.OnClick(onClick)
	}
	return b
}

// EmptyState is what a page shows when it has nothing yet: an icon, a
// title, a sentence and an optional action.
func EmptyState(iconName, title, text string, action app.UI) app.UI {
	return app.Div().Class("empty").Body(
		app.Div().Class("empty-icon").Body(Icon(iconName)),
		app.H2().Text(title),
		app.P().Text(text),
		action,
	)
}

// StatCard is one figure with its label; highlight draws attention to it.
func StatCard(label, value string, highlight bool) app.UI {
	cls := "stat"
	if highlight {
		cls += " stat-hl"
	}
	return app.Div().Class(cls).Body(
		app.Div().Class("stat-label").Text(label),
		app.Div().Class("stat-value").Text(value),
	)
}

// Badge is a short coloured label of a kind (green, red, amber, gray ...).
func Badge(text, kind string) app.UI {
	return app.Span().Class("badge Badge-" + kind).Text(text)
}

// PageHeader is a page's title, subtitle and actions.
func PageHeader(title, subtitle string, actions ...app.UI) app.UI {
	return app.Div().Class("page-head").Body(
		app.Div().Body(
			app.H1().Text(title),
			app.If(subtitle != "", func() app.UI { return app.P().Class("muted").Text(subtitle) }),
		),
		app.Div().Class("page-actions").Body(actions...),
	)
}

// Field is a labelled input with an optional hint under it.
func Field(label string, input app.UI, hint string) app.UI {
	return app.Label().Class("field").Body(
		app.Span().Class("field-label").Text(label),
		input,
		app.If(hint != "", func() app.UI { return app.Span().Class("field-hint").Text(hint) }),
	)
}

// ErrorBox is an alert with msg, or nothing when msg is empty.
func ErrorBox(msg string) app.UI {
	if msg == "" {
		return nil
	}
	return app.Div().Class("alert alert-error").Attr("role", "alert").Text(msg)
}

// Dialog is a modal with a title, body and footer actions. It takes the
// focus when it opens and gives it back when it closes (see dialogFocus),
// Tab stays inside it, and Esc closes it as its close Button does.
func Dialog(title string, onClose app.EventHandler, body []app.UI, footer ...app.UI) app.UI {
	return app.Div().Class("modal-backdrop").On("keydown", func(ctx app.Context, e app.Event) {
		switch e.Get("key").String() {
		case "Escape":
			onClose(ctx, e)
		case "Tab":
			trapTab(e)
		}
	}).Body(
		app.Div().Class("modal").Attr("role", "dialog").Attr("aria-modal", "true").Attr("aria-label", title).Body(
			app.Div().Class("modal-head").Body(
				app.H2().Text(title),
				app.Button().Type("button").Class("icon-btn").Attr("aria-label", "Close").OnClick(onClose).Body(Icon("x")),
			),
			app.Div().Class("modal-body").Body(body...),
			app.Div().Class("modal-foot").Body(footer...),
			&dialogFocus{},
		),
	)
}

// ProgressBar is a bar filled to pct percent (clamped to 0..100).
func ProgressBar(pct float64) app.UI {
	if pct < 0 {
		pct = 0
	}
	if pct > 100 {
		pct = 100
	}
	return app.Div().Class("progress").Body(
		app.Div().Class("progress-fill").Style("width", Pct(pct)),
	)
}

// Pct is p as a percentage with one decimal, for a CSS width.
func Pct(p float64) string {
	return app.FormatString("%.1f%%", p)
}

// DecorativeImg is an image that repeats what the text beside it says.
// go-app drops attributes whose value is empty, so alt="" never reaches the
// page; role="presentation" tells screen readers (and axe) the same.
func DecorativeImg() app.HTMLImg { return app.Img().Attr("role", "presentation") }

// ThumbImg is a file's thumbnail: a grid tile's ("lg") stands for the file
// and says its name; a list row's sits beside the name and is decorative.
func ThumbImg(size, name string) app.HTMLImg {
	img := DecorativeImg()
	if size == "lg" {
		img = app.Img().Alt(name)
	}
	return img.Class("thumb thumb-" + size)
}

// SrTh is a table header shown only to screen readers: the column of
// checkboxes or of row actions needs a name, not a visible label.
func SrTh(label string) app.HTMLTh {
	return app.Th().Body(app.Span().Class("sr-only").Text(label))
}

// AppReady is the marker only the wasm renders (#app-ready): proof for the
// browser tests that the app took over from the prerendered page. It is
// hidden from screen readers, for whom it is noise.
func AppReady(ready bool) app.UI {
	if !ready {
		return nil
	}
	return app.Span().ID("app-ready").Class("sr-only").Attr("aria-hidden", "true").Text("ready")
}

// SubmitButton is a form's full-width primary submit button, disabled while
// busy. A prerendered page has it enabled: go-app writes Disabled(false) as
// disabled="false", which a browser reads as disabled, so the attribute is
// set only when busy.
func SubmitButton(id, label string, busy bool) app.HTMLButton {
	b := app.Button().Type("submit").ID(id).Class("btn btn-primary btn-block").Text(label)
	if busy {
		b = b.Disabled(true)
	}
	return b
}

// HiddenFileInput is a file input hidden inside a label styled as a button
// (the CSS draws its focus ring on the label). It opens the picker on
// Enter as well as Space: people press Enter on buttons, and Chromium
// opens a file input's picker only on Space.
func HiddenFileInput() app.HTMLInput {
	return app.Input().Type("file").Class("sr-only").On("keydown", func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Enter" {
			e.PreventDefault()
			ctx.JSSrc().Call("click")
		}
	})
}

// Spinner is the busy indicator.
func Spinner() app.UI { return app.Div().Class("spinner") }

// Loading is a spinner in an empty-state box, for a part still loading.
func Loading() app.UI { return app.Div().Class("empty").Body(Spinner()) }

// LoadingCard is Loading in a card, for a page's main list still loading.
func LoadingCard() app.UI { return app.Div().Class("card").Body(Loading()) }

// KeyedStatCard is a StatCard that tests and scripts find by its key
// (data-stat).
func KeyedStatCard(key, label, value string, highlight bool) app.UI {
	return app.Div().Class("stat-card").DataSet("stat", key).Body(StatCard(label, value, highlight))
}

// Switch is an on/off toggle (a checkbox with role switch) with a hint
// under its label.
func Switch(id, label, hint string, on bool, onChange app.EventHandler) app.UI {
	return app.Label().Class("sl-switch rl-switch").Body(
		app.Input().Type("checkbox").ID(id).Attr("role", "switch").Checked(on).OnChange(onChange),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(hint != "", func() app.UI { return app.Span().Class("sl-check-hint").Text(hint) }),
		),
	)
}

// CopyText puts s on the clipboard.
func CopyText(s string) {
	if app.IsClient {
		app.Window().Get("navigator").Get("clipboard").Call("writeText", s)
	}
}

// ClosestData is the data-<key> of the nearest element around the event's
// source that has one. go-app keeps an element's handler when the new one
// comes from the same function literal, so handlers made per row read what
// they act on from the element instead of capturing it.
func ClosestData(ctx app.Context, key string) string {
	el := ctx.JSSrc().Call("closest", "[data-"+key+"]")
	if el.IsNull() || el.IsUndefined() {
		return ""
	}
	return el.Get("dataset").Get(key).String()
}

// PageState is what a page's root says in data-state: "loading" until its
// data has arrived, then "ready", or "error" when loading failed. The
// attribute changes in the same render as the content, so whoever sees
// "ready" (the browser tests) sees the data drawn.
func PageState(loaded bool, err string) string {
	switch {
	case !loaded:
		return "loading"
	case err != "":
		return "error"
	}
	return "ready"
}

// MetaRow is a term and its value for a <dl>, or nothing when v is empty.
func MetaRow(k, v string) []app.UI {
	if v == "" {
		return nil
	}
	return []app.UI{app.Dt().Text(k), app.Dd().Text(v)}
}

// ReasonSwitch is an on/off toggle that is greyed out, with the reason
// shown, when reason is not empty.
func ReasonSwitch(id, label string, on bool, reason string, set func(bool)) app.UI {
	cls := "sl-switch"
	if reason != "" {
		cls += " is-off"
	}
	return app.Label().Class(cls).Body(
		app.Input().Type("checkbox").ID(id).Attr("role", "switch").Checked(on).Disabled(reason != "").
			OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("checked").Bool()) }),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(reason != "", func() app.UI { return app.Span().Class("sl-check-hint sl-reason").Text(reason) }),
		),
	)
}
