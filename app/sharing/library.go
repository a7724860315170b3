package sharing

import (
	"sort"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
)

// library is what the Custom forms and Clickwraps tabs share: the things
// admins keep for share links (T), listed by name, loaded when the tab
// mounts and again on shell.ReloadAction (the editors and dialogs go away
// when they finish, and with them their contexts' right to update the tab),
// saved and deleted one at a time.
type library[T any] struct {
	items  []T
	loaded bool
	err    string

	formErr  string
	saving   bool
	deleting *T
}

// mount loads the items through list, sorted by name.
func (l *library[T]) mount(ctx app.Context, list func() ([]T, error), name func(T) string) {
	load := func(ctx app.Context) {
		linkui.Fetch(ctx, list, &l.loaded, &l.err, func(items []T) {
			sort.SliceStable(items, func(i, j int) bool { return strings.ToLower(name(items[i])) < strings.ToLower(name(items[j])) })
			l.items = items
		})
	}
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { load(ctx) })
	load(ctx)
}

// send saves or deletes through send; when it is done, done runs, okMsg is
// toasted and the tab reloads.
func (l *library[T]) send(ctx app.Context, send func() error, okMsg string, done func()) {
	linkui.Send(ctx, &l.saving, &l.formErr, send, func(ctx app.Context) {
		done()
		shell.Toast(ctx, okMsg)
		shell.Reload(ctx)
	})
}

// drop deletes the item waiting for it through del. When share links
// still use it the server answers code, and hint says what to do.
func (l *library[T]) drop(ctx app.Context, del func(T) error, code, hint, okMsg string) {
	item := *l.deleting
	l.send(ctx, func() error { return inUse(del(item), code, hint) }, okMsg, func() { l.deleting = nil })
}

// inUse puts hint before err when the server refused with code: share
// links still use what was to be deleted.
func inUse(err error, code, hint string) error {
	if e, ok := err.(*client.Error); ok && e.Code == code {
		return &client.Error{Status: e.Status, Code: e.Code, Title: e.Title, Detail: hint + " (" + e.Error() + ")"}
	}
	return err
}

// libraryTab is a tab's frame: what it holds and the button that makes a
// new one, the load error, the list and the dialogs.
func libraryTab(class, text, newLabel, newID string, onNew app.EventHandler, err string, list app.UI, dialogs ...app.UI) app.UI {
	return app.Div().Class(class).Body(append([]app.UI{
		app.Div().Class("sharing-pane-head sharing-section-head").Body(
			app.P().Class("muted").Text(text),
			ui.Button(newLabel, "primary", onNew).ID(newID),
		),
		ui.ErrorBox(err),
		list,
	}, dialogs...)...)
}

// list is the table of the items (tableID), one row each, or empty.
func (l *library[T]) list(empty linkui.Empty, tableID, nameHead, excerptHead string, row func(T) app.UI) app.UI {
	return linkui.ListState{Loaded: l.loaded, Err: l.err, Held: len(l.items), Shown: len(l.items)}.UI(empty, empty, func() app.UI {
		return app.Div().Class("card table-card").Body(app.Table().Class("table sharing-simple stack-phone").ID(tableID).Body(
			app.THead().Body(app.Tr().Body(app.Th().Text(nameHead), app.Th().Text(excerptHead), app.Th().Text("Updated"), ui.SrTh("Actions"))),
			app.TBody().Body(app.Range(l.items).Slice(func(i int) app.UI { return row(l.items[i]) })),
		))
	})
}

// libraryRow is an item of the table: its name, an excerpt of what it
// holds, when it changed, and its Edit and Delete buttons (classes
// <prefix>-row, <prefix>-edit, <prefix>-delete).
func libraryRow(prefix, id, nameHead, name, excerptHead, text string, updated time.Time, edit, del app.EventHandler) app.UI {
	return app.Tr().Class(prefix+"-row").DataSet("id", id).Body(
		app.Td().DataSet("label", nameHead).Body(app.Strong().Text(name)),
		app.Td().Class("muted small sharing-excerpt").DataSet("label", excerptHead).Text(excerpt(text, 140)),
		app.Td().Class("nowrap muted").DataSet("label", "Updated").Text(updated.Local().Format("2 Jan 2006")),
		app.Td().Class("row-actions").Body(
			ui.Button("Edit", "ghost", edit).Class("btn btn-ghost "+prefix+"-edit"),
			ui.Button("Delete", "danger-ghost", del).Class("btn btn-danger-ghost "+prefix+"-delete"),
		),
	)
}

// closer closes the tab's dialogs, unless a request is under way; clear
// says what else closes.
func (l *library[T]) closer(clear func()) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if !l.saving {
			l.deleting = nil
			clear()
		}
	}
}

// deleteDialog asks before deleting an item (name gives its name); text
// says what stays, the button (id) deletes.
func (l *library[T]) deleteDialog(name func(T) string, text, label, id string, closeIt, remove app.EventHandler) app.UI {
	if l.deleting == nil {
		return nil
	}
	return linkui.Confirm{
		Title: "Delete \"" + name(*l.deleting) + "\"?", Err: l.formErr, Body: []app.UI{app.P().Text(text)},
		Label: label, Kind: "danger", ID: id, Running: l.saving, OnCancel: closeIt, OnConfirm: remove,
	}.UI()
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
