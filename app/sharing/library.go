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
// admins keep for share links, loaded when the tab mounts and again on
// shell.ReloadAction (the editors and dialogs go away when they finish,
// and with them their contexts' right to update the tab), saved and
// deleted one at a time. The tab keeps the items themselves.
type library struct {
	loaded  bool
	err     string
	formErr string
	saving  bool
}

// mount loads the tab: get fetches the items, keep takes them.
func (l *library) mount(ctx app.Context, get func() error, keep func()) {
	load := func(ctx app.Context) { linkui.Fetch(ctx, get, &l.loaded, &l.err, keep) }
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { load(ctx) })
	load(ctx)
}

// mountByName mounts l with the items get fetches, sorted by name (case
// aside), for keep.
func mountByName[T any](ctx app.Context, l *library, get func() ([]T, error), name func(T) string, keep func([]T)) {
	var items []T
	l.mount(ctx, func() (err error) { items, err = get(); return err }, func() {
		sort.SliceStable(items, func(i, j int) bool { return strings.ToLower(name(items[i])) < strings.ToLower(name(items[j])) })
		keep(items)
	})
}

// send saves or deletes through send; when it is done, done runs, okMsg is
// toasted and the tab reloads.
func (l *library) send(ctx app.Context, send func() error, okMsg string, done func()) {
	linkui.Send(ctx, &l.saving, &l.formErr, send, func(ctx app.Context) {
		done()
		shell.Toast(ctx, okMsg)
		shell.Reload(ctx)
	})
}

// drop deletes an item through del. When share links still use it the
// server answers code, and hint says what to do.
func (l *library) drop(ctx app.Context, del func() error, code, hint, okMsg string, done func()) {
	l.send(ctx, func() error { return inUse(del(), code, hint) }, okMsg, done)
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

// list is the table of the items (tableID), n rows, or empty.
func (l *library) list(empty linkui.Empty, tableID, nameHead, excerptHead string, n int, row func(i int) app.UI) app.UI {
	return linkui.ListState{Loaded: l.loaded, Err: l.err, Held: n, Shown: n}.UI(empty, empty, func() app.UI {
		rows := make([]app.UI, n)
		for i := range rows {
			rows[i] = row(i)
		}
		return app.Div().Class("card table-card").Body(app.Table().Class("table sharing-simple stack-phone").ID(tableID).Body(
			app.THead().Body(app.Tr().Body(app.Th().Text(nameHead), app.Th().Text(excerptHead), app.Th().Text("Updated"), ui.SrTh("Actions"))),
			app.TBody().Body(rows...),
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

// closer closes the tab's dialogs (clear says how), unless a request is
// under way.
func (l *library) closer(clear func()) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if !l.saving {
			clear()
		}
	}
}

// deleteDialog asks before deleting the item named name, when open; text
// says what stays, the button (id) deletes.
func (l *library) deleteDialog(open bool, name, text, label, id string, closeIt, remove app.EventHandler) app.UI {
	if !open {
		return nil
	}
	return linkui.Confirm{
		Title: "Delete \"" + name + "\"?", Err: l.formErr, Body: []app.UI{app.P().Text(text)},
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
