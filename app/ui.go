package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The component vocabulary every page uses: buttons, cards, empty states,
// stat cards, badges, dialogs, fields, progress bars and icons. Styles live
// in embed/web/ferry.css.

func button(label, kind string, onClick app.EventHandler) app.HTMLButton {
	b := app.Button().Type("button").Class("btn btn-" + kind).Text(label)
	if onClick != nil {
		b = b.OnClick(onClick)
	}
	return b
}

func emptyState(iconName, title, text string, action app.UI) app.UI {
	return app.Div().Class("empty").Body(
		app.Div().Class("empty-icon").Body(icon(iconName)),
		app.H2().Text(title),
		app.P().Text(text),
		action,
	)
}

func statCard(label, value string, highlight bool) app.UI {
	cls := "stat"
	if highlight {
		cls += " stat-hl"
	}
	return app.Div().Class(cls).Body(
		app.Div().Class("stat-label").Text(label),
		app.Div().Class("stat-value").Text(value),
	)
}

func badge(text, kind string) app.UI {
	return app.Span().Class("badge badge-" + kind).Text(text)
}

func pageHeader(title, subtitle string, actions ...app.UI) app.UI {
	return app.Div().Class("page-head").Body(
		app.Div().Body(
			app.H1().Text(title),
			app.If(subtitle != "", func() app.UI { return app.P().Class("muted").Text(subtitle) }),
		),
		app.Div().Class("page-actions").Body(actions...),
	)
}

func field(label string, input app.UI, hint string) app.UI {
	return app.Label().Class("field").Body(
		app.Span().Class("field-label").Text(label),
		input,
		app.If(hint != "", func() app.UI { return app.Span().Class("field-hint").Text(hint) }),
	)
}

func errorBox(msg string) app.UI {
	if msg == "" {
		return nil
	}
	return app.Div().Class("alert alert-error").Attr("role", "alert").Text(msg)
}

// dialog is a modal with a title, body and footer actions. It takes the
// focus when it opens (see dialogFocus), and Esc closes it as its close
// button does.
func dialog(title string, onClose app.EventHandler, body []app.UI, footer ...app.UI) app.UI {
	return app.Div().Class("modal-backdrop").On("keydown", func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Escape" {
			onClose(ctx, e)
		}
	}).Body(
		app.Div().Class("modal").Attr("role", "dialog").Attr("aria-modal", "true").Attr("aria-label", title).Body(
			app.Div().Class("modal-head").Body(
				app.H2().Text(title),
				app.Button().Type("button").Class("icon-btn").Attr("aria-label", "Close").OnClick(onClose).Body(icon("x")),
			),
			app.Div().Class("modal-body").Body(body...),
			app.Div().Class("modal-foot").Body(footer...),
			&dialogFocus{},
		),
	)
}

func progressBar(pct float64) app.UI {
	if pct < 0 {
		pct = 0
	}
	if pct > 100 {
		pct = 100
	}
	return app.Div().Class("progress").Body(
		app.Div().Class("progress-fill").Style("width", fmtPct(pct)),
	)
}

func fmtPct(p float64) string {
	return app.FormatString("%.1f%%", p)
}

var icons = map[string]string{
	"folder":     `<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>`,
	"share":      `<circle cx="18" cy="5" r="3"/><circle cx="6" cy="12" r="3"/><circle cx="18" cy="19" r="3"/><path d="M8.6 13.5l6.8 4M15.4 6.5l-6.8 4"/>`,
	"review":     `<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>`,
	"upload":     `<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M17 8l-5-5-5 5M12 3v12"/>`,
	"download":   `<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3"/>`,
	"users":      `<path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M23 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75"/>`,
	"settings":   `<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 1 1-4 0v-.09A1.65 1.65 0 0 0 9 19.4a1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06A1.65 1.65 0 0 0 4.6 15a1.65 1.65 0 0 0-1.51-1H3a2 2 0 1 1 0-4h.09A1.65 1.65 0 0 0 4.6 9a1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06A1.65 1.65 0 0 0 9 4.6a1.65 1.65 0 0 0 1-1.51V3a2 2 0 1 1 4 0v.09a1.65 1.65 0 0 0 1 1.51 1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06A1.65 1.65 0 0 0 19.4 9a1.65 1.65 0 0 0 1.51 1H21a2 2 0 1 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1z"/>`,
	"globe":      `<circle cx="12" cy="12" r="10"/><path d="M2 12h20M12 2a15.3 15.3 0 0 1 4 10 15.3 15.3 0 0 1-4 10 15.3 15.3 0 0 1-4-10 15.3 15.3 0 0 1 4-10z"/>`,
	"key":        `<path d="M21 2l-2 2m-7.6 7.6a5.5 5.5 0 1 1-7.78 7.78 5.5 5.5 0 0 1 7.78-7.78zm0 0L15.5 7.5m0 0l3 3L22 7l-3-3m-3.5 3.5L19 4"/>`,
	"logout":     `<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>`,
	"x":          `<path d="M18 6L6 18M6 6l12 12"/>`,
	"plus":       `<path d="M12 5v14M5 12h14"/>`,
	"file":       `<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6"/>`,
	"image":      `<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="8.5" cy="8.5" r="1.5"/><path d="M21 15l-5-5L5 21"/>`,
	"video":      `<rect x="2" y="5" width="15" height="14" rx="2"/><path d="M17 9l5-3v12l-5-3z"/>`,
	"audio":      `<path d="M9 18V5l12-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="18" cy="16" r="3"/>`,
	"pdf":        `<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6M8 13h8M8 17h5"/>`,
	"grid":       `<rect x="3" y="3" width="7" height="7"/><rect x="14" y="3" width="7" height="7"/><rect x="14" y="14" width="7" height="7"/><rect x="3" y="14" width="7" height="7"/>`,
	"list":       `<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/>`,
	"trash":      `<path d="M3 6h18M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2"/>`,
	"edit":       `<path d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/>`,
	"layers":     `<path d="M12 2L2 7l10 5 10-5-10-5zM2 17l10 5 10-5M2 12l10 5 10-5"/>`,
	"pause":      `<rect x="6" y="4" width="4" height="16"/><rect x="14" y="4" width="4" height="16"/>`,
	"play":       `<path d="M5 3l14 9-14 9z"/>`,
	"paperclip":  `<path d="M21.4 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/>`,
	"move":       `<path d="M5 9l-3 3 3 3M9 5l3-3 3 3M15 19l-3 3-3-3M19 9l3 3-3 3M2 12h20M12 2v20"/>`,
	"collection": `<path d="M4 6h16M4 10h16M4 14h10M4 18h7"/>`,
	"check":      `<path d="M20 6L9 17l-5-5"/>`,
	"eye-off":    `<path d="M17.94 17.94A10 10 0 0 1 12 20c-7 0-11-8-11-8a18 18 0 0 1 5.06-5.94M9.9 4.24A9 9 0 0 1 12 4c7 0 11 8 11 8a18 18 0 0 1-2.16 3.19M14.12 14.12a3 3 0 1 1-4.24-4.24M1 1l22 22"/>`,
}

func icon(name string) app.UI {
	p, ok := icons[name]
	if !ok {
		p = icons["file"]
	}
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + p + `</svg>`)
}

func logo() app.UI {
	return app.Raw(`<svg class="logo" viewBox="0 0 100 100" aria-hidden="true"><rect width="100" height="100" rx="22" fill="#2563eb"/><path d="M38 40h24v12H38z" fill="#fff"/><path d="M22 52h56l-9.6 12H31.6z" fill="#fff"/><path d="M18 76c8-5 16 5 24 0s16 5 24 0 12 3 16 1" stroke="#bfdbfe" stroke-width="4.5" fill="none" stroke-linecap="round"/></svg>`)
}

// decorativeImg is an image that repeats what the text beside it says.
// go-app drops attributes whose value is empty, so alt="" never reaches the
// page; role="presentation" tells screen readers (and axe) the same.
func decorativeImg() app.HTMLImg { return app.Img().Attr("role", "presentation") }

// thumbImg is a file's thumbnail: a grid tile's ("lg") stands for the file
// and says its name; a list row's sits beside the name and is decorative.
func thumbImg(size, name string) app.HTMLImg {
	img := decorativeImg()
	if size == "lg" {
		img = app.Img().Alt(name)
	}
	return img.Class("thumb thumb-" + size)
}

// srTh is a table header shown only to screen readers: the column of
// checkboxes or of row actions needs a name, not a visible label.
func srTh(label string) app.HTMLTh {
	return app.Th().Body(app.Span().Class("sr-only").Text(label))
}

// appReady is the marker only the wasm renders (#app-ready): proof for the
// browser tests that the app took over from the prerendered page. It is
// hidden from screen readers, for whom it is noise.
func appReady(ready bool) app.UI {
	if !ready {
		return nil
	}
	return app.Span().ID("app-ready").Class("sr-only").Attr("aria-hidden", "true").Text("ready")
}

// hiddenFileInput is a file input hidden inside a label styled as a button
// (the CSS draws its focus ring on the label). It opens the picker on
// Enter as well as Space: people press Enter on buttons, and Chromium
// opens a file input's picker only on Space.
func hiddenFileInput() app.HTMLInput {
	return app.Input().Type("file").Class("sr-only").On("keydown", func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Enter" {
			e.PreventDefault()
			ctx.JSSrc().Call("click")
		}
	})
}

// focusAfterRender moves the keyboard focus, once it is drawn (within
// about two seconds), to the first element matching the first of the CSS
// selectors that matches one: when a step replaces what had the focus, the
// focus goes to the new content instead of falling to the page body. It
// waits for the element frame by frame rather than with ctx.Defer, which
// skips its function when the element that started the step (a form that
// is replaced) is gone.
func focusAfterRender(sels ...string) {
	if !app.IsClient {
		return
	}
	frames := 0
	var next app.Func
	next = app.FuncOf(func(this app.Value, args []app.Value) any {
		for _, sel := range sels {
			if el := app.Window().Get("document").Call("querySelector", sel); el.Truthy() {
				el.Call("focus")
				next.Release()
				return nil
			}
		}
		if frames++; frames < 120 {
			app.Window().Call("requestAnimationFrame", next)
		} else {
			next.Release()
		}
		return nil
	})
	app.Window().Call("requestAnimationFrame", next)
}

// dialogFocus moves the focus into the dialog it is drawn in when the
// dialog opens: to its autofocus element, else its first field, else its
// first action, else its close button.
type dialogFocus struct{ app.Compo }

func (d *dialogFocus) OnMount(ctx app.Context) {
	focusAfterRender(".modal [autofocus]",
		".modal-body input:not([type=hidden]):not(:disabled), .modal-body select:not(:disabled), .modal-body textarea:not(:disabled)",
		".modal-foot button:not(:disabled)", ".modal .icon-btn")
}

func (d *dialogFocus) Render() app.UI { return app.Span().Class("dialog-focus") }

// menuKeys works a menu by keyboard: the arrows, Home and End move between
// its items; Esc closes it and gives the focus back to its button (the
// menu's wrapper holds the button with aria-haspopup).
func menuKeys(closeMenu app.EventHandler) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		menu := e.Get("currentTarget")
		items := menu.Call("querySelectorAll", "[role=menuitem]:not(:disabled)")
		n := items.Length()
		at := app.Window().Get("Array").Get("prototype").Get("indexOf").
			Call("call", items, app.Window().Get("document").Get("activeElement")).Int()
		next := -1
		switch e.Get("key").String() {
		case "Escape":
			e.PreventDefault()
			if wrap := menu.Call("closest", ".sl-menu-wrap"); wrap.Truthy() {
				if b := wrap.Call("querySelector", "[aria-haspopup=menu]"); b.Truthy() {
					b.Call("focus")
				}
			}
			closeMenu(ctx, e)
			return
		case "ArrowDown":
			next = at + 1
		case "ArrowUp":
			next = at - 1
			if at < 0 {
				next = n - 1
			}
		case "Home":
			next = 0
		case "End":
			next = n - 1
		default:
			return
		}
		e.PreventDefault()
		if n > 0 {
			items.Index((next%n + n) % n).Call("focus")
		}
	}
}

// enterOpener opens a viewer from one of its links (a tile) with Enter on
// the key's release. A link acts on Enter's keydown, but the keypress and
// keyup that follow reach whatever has the focus by then: on a slow
// machine the viewer is drawn in between and its close button, which takes
// the focus, took that keypress as a click, so the viewer closed as it
// opened. On the release the press is over.
type enterOpener struct {
	down string // the link Enter went down on
}

// on makes the link id open with Enter.
func (k *enterOpener) on(a app.HTMLA, id string, open func(ctx app.Context)) app.HTMLA {
	return a.OnKeyDown(func(ctx app.Context, e app.Event) {
		if e.Get("key").String() != "Enter" || e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() ||
			e.Get("shiftKey").Bool() || e.Get("altKey").Bool() {
			return
		}
		e.PreventDefault() // no click from the link on the keydown
		k.down = id
	}).OnKeyUp(func(ctx app.Context, e app.Event) {
		if e.Get("key").String() != "Enter" || k.down != id {
			return
		}
		k.down = ""
		open(ctx)
	})
}
