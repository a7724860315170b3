package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// FocusAfterRender moves the keyboard focus, once it is drawn (within
// about two seconds), to the first element matching the first of the CSS
// selectors that matches one: when a step replaces what had the focus, the
// focus goes to the new content instead of falling to the page body. It
// waits for the element frame by frame rather than with ctx.Defer, which
// skips its function when the element that started the step (a form that
// is replaced) is gone.
func FocusAfterRender(sels ...string) {
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
// When the dialog closes and nothing else took the focus, it goes back to
// what had it before the dialog opened (the button that opened it, or the
// button of the menu whose item did).
type dialogFocus struct {
	app.Compo
	opener app.Value
}

func (d *dialogFocus) OnMount(ctx app.Context) {
	d.opener = lastFocus
	FocusAfterRender(".modal [autofocus]",
		".modal-body input:not([type=hidden]):not(:disabled), .modal-body select:not(:disabled), .modal-body textarea:not(:disabled)",
		".modal-foot Button:not(:disabled)", ".modal .icon-btn")
}

func (d *dialogFocus) Render() app.UI { return app.Span().Class("dialog-focus") }

func (d *dialogFocus) OnDismount() {
	opener := d.opener
	if opener == nil || !opener.Truthy() {
		return
	}
	var back app.Func
	back = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer back.Release()
		doc := app.Window().Get("document")
		body, active := doc.Get("body"), doc.Get("activeElement")
		if (!active.Truthy() || active.Equal(body)) && !opener.Equal(body) && opener.Get("isConnected").Bool() {
			opener.Call("focus")
		}
		return nil
	})
	app.Window().Call("requestAnimationFrame", back)
}

// focusable is what Tab reaches in a dialog.
const focusable = `a[href], button:not(:disabled), input:not(:disabled):not([type=hidden]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])`

// trapTab keeps Tab and Shift+Tab inside the dialog of the keydown e: past
// its last control the focus goes to its first, and back.
func trapTab(e app.Event) {
	modal := e.Get("currentTarget").Call("querySelector", ".modal")
	if !modal.Truthy() {
		return
	}
	list := modal.Call("querySelectorAll", focusable)
	n := list.Length()
	if n == 0 {
		return
	}
	first, last := list.Index(0), list.Index(n-1)
	active := app.Window().Get("document").Get("activeElement")
	inside := active.Truthy() && modal.Call("contains", active).Bool()
	switch {
	case e.Get("shiftKey").Bool() && (!inside || active.Equal(first)):
		e.PreventDefault()
		last.Call("focus")
	case !e.Get("shiftKey").Bool() && (!inside || active.Equal(last)):
		e.PreventDefault()
		first.Call("focus")
	}
}

// MenuKeys works a menu by keyboard: the arrows, Home and End move between
// its items; Esc closes it and gives the focus back to its button (the
// menu's wrapper holds the button with aria-haspopup).
func MenuKeys(closeMenu app.EventHandler) app.EventHandler {
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

// EnterOpener opens a viewer from one of its links (a tile) with Enter on
// the key's release. A link acts on Enter's keydown, but the keypress and
// keyup that follow reach whatever has the focus by then: on a slow
// machine the viewer is drawn in between and its close button, which takes
// the focus, took that keypress as a click, so the viewer closed as it
// opened. On the release the press is over.
type EnterOpener struct {
	down string // the link Enter went down on
}

// On makes the link id open with Enter.
func (k *EnterOpener) On(a app.HTMLA, id string, open func(ctx app.Context)) app.HTMLA {
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

// lastFocus is the control that last had the focus outside a dialog; for
// an item of a menu, the menu's button (the item goes with the menu).
var lastFocus app.Value

func init() {
	if !app.IsClient {
		return
	}
	app.Window().Get("document").Call("addEventListener", "focusin", app.FuncOf(func(this app.Value, args []app.Value) any {
		el := args[0].Get("target")
		if !el.Truthy() || el.Get("closest").IsUndefined() || el.Call("closest", ".modal").Truthy() {
			return nil
		}
		if wrap := el.Call("closest", ".sl-menu-wrap"); wrap.Truthy() {
			if b := wrap.Call("querySelector", "[aria-haspopup=menu]"); b.Truthy() {
				el = b
			}
		}
		lastFocus = el
		return nil
	}))
}
