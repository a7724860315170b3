package sharing

import (
	"net/url"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// linkContents lists the files of a collection, selection or single-file
// link and adds or removes them (POST /share_links/{id}/items, which the
// access log records). The link's page under Sharing and the share dialog
// both use it.
type linkContents struct {
	app.Compo
	Link   model.ShareLink
	Inline bool // inside the share dialog, whose row already says Contents

	loadedFor string
	files     []model.Asset   // what the link shares
	pool      []model.Asset   // the project's files that can be added
	pick      map[string]bool // files ticked in the Add files picker
	picking   bool
	loaded    bool
	err       string
	saving    bool
}

// contentsEditable is whether l's files can be edited: a collection,
// selection or single-file public link that the member manages (others see
// it without its key).
func contentsEditable(l model.ShareLink) bool {
	return l.Key != "" && l.Kind != "download" && l.TargetType != "folder"
}

func (c *linkContents) OnMount(ctx app.Context) { c.load(ctx) }

func (c *linkContents) OnUpdate(ctx app.Context) {
	if c.Link.ID != c.loadedFor {
		c.load(ctx)
	}
}

// load reads the link's files and the project's files to add.
func (c *linkContents) load(ctx app.Context) {
	l := c.Link
	c.loadedFor, c.loaded, c.picking = l.ID, false, false
	ctx.Async(func() {
		ids := []string{l.TargetID}
		var err error
		if l.TargetType == "collection" {
			var col model.Collection
			if col, err = fetch.API.Collection(l.TargetID); err == nil {
				ids = col.AssetIDs
			}
		}
		var files, pool []model.Asset
		for _, id := range ids {
			if a, e := fetch.API.Asset(id); e == nil {
				files = append(files, a)
			}
		}
		if err == nil {
			pool, err = fetch.API.SearchLibrary(url.Values{"type": {"file"}, "page_size": {"500"}, "project_id": {l.ProjectID}})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if c.loadedFor != l.ID {
				return
			}
			c.loaded = true
			c.files, c.pool, c.pick, c.err = files, pool, map[string]bool{}, ""
			if err != nil {
				c.err = err.Error()
			}
		})
	})
}

// edit posts a change of the link's files; the page behind reloads, so
// counts and the access log follow.
func (c *linkContents) edit(ctx app.Context, add, remove []string) {
	if len(add)+len(remove) == 0 || c.saving {
		return
	}
	id := c.Link.ID
	c.saving, c.err = true, ""
	ctx.Async(func() {
		_, err := fetch.API.EditShareLinkItems(id, model.ShareLinkItems{Add: add, Remove: remove})
		ctx.Dispatch(func(ctx app.Context) {
			c.saving = false
			if err != nil {
				c.err = err.Error()
				return
			}
			c.picking, c.pick = false, map[string]bool{}
			gone := map[string]bool{}
			for _, id := range remove {
				gone[id] = true
			}
			files := slices.DeleteFunc(slices.Clone(c.files), func(a model.Asset) bool { return gone[a.ID] })
			for _, id := range add {
				if i := slices.IndexFunc(c.pool, func(a model.Asset) bool { return a.ID == id }); i >= 0 {
					files = append(files, c.pool[i])
				}
			}
			c.files = files
			shell.Toast(ctx, "Link contents updated")
			shell.Reload(ctx)
		})
	})
}

// addPicked adds the files ticked in the picker; a handler reads them when
// clicked, not when it was drawn.
func (c *linkContents) addPicked(ctx app.Context, e app.Event) {
	var add []string
	for _, a := range c.more() {
		if c.pick[a.ID] {
			add = append(add, a.ID)
		}
	}
	c.edit(ctx, add, nil)
}

// more are the project's files the link does not hold yet.
func (c *linkContents) more() []model.Asset {
	in := map[string]bool{}
	for _, a := range c.files {
		in[a.ID] = true
	}
	var out []model.Asset
	for _, a := range c.pool {
		if !in[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

func (c *linkContents) Render() app.UI {
	if !c.loaded {
		return app.Div().Class("link-contents").Body(ui.Loading())
	}
	more := c.more()
	ticked := 0
	for _, a := range more {
		if c.pick[a.ID] {
			ticked++
		}
	}
	return app.Div().Class("link-contents").ID("sharing-contents").Body(
		app.Div().Class("sharing-pane-head").Body(
			app.If(!c.Inline, func() app.UI { return app.H2().Text("Contents") }),
			ui.Button("Add files", "secondary", func(ctx app.Context, e app.Event) { c.picking = !c.picking }).
				Class("btn btn-secondary btn-sm").ID("sharing-add-files").Disabled(c.saving),
		),
		app.P().Class("muted small").Text("The files and folders visitors of this link see (a folder with everything in it). Changes apply at once and are written in the access log."),
		ui.ErrorBox(c.err),
		app.If(len(c.files) == 0, func() app.UI {
			return app.P().Class("muted small").ID("sharing-files-empty").Text("No files.")
		}),
		app.Ul().Class("sharing-files").ID("sharing-files").Body(app.Range(c.files).Slice(func(i int) app.UI {
			a := c.files[i]
			return app.Li().Class("sharing-file").DataSet("id", a.ID).DataSet("type", a.Type).Body(
				app.Span().Class("sharing-file-name").Title(a.Name).Body(ui.Icon(ui.KindIcon(a)), app.Text(" "+a.Name)),
				app.Button().Type("button").Class("icon-btn danger sharing-file-remove").Title("Remove from the link").
					Attr("aria-label", "Remove "+a.Name).Disabled(c.saving).
					OnClick(func(ctx app.Context, e app.Event) { c.edit(ctx, nil, []string{a.ID}) }, app.EventScope(a.ID)).Body(ui.Icon("trash")),
			)
		})),
		app.If(c.picking, func() app.UI {
			return app.Div().Class("sharing-picker").ID("sharing-picker").Body(
				app.H3().Text("Add files of the project"),
				app.If(len(more) == 0, func() app.UI {
					return app.P().Class("muted small").Text("Every file you can see is already in the link.")
				}),
				app.Ul().Class("sharing-files").Body(app.Range(more).Slice(func(i int) app.UI {
					a := more[i]
					return app.Li().Class("sharing-file").Body(app.Label().Class("check").Body(
						app.Input().Type("checkbox").Class("sharing-pick").Value(a.ID).Checked(c.pick[a.ID]).
							OnChange(func(ctx app.Context, e app.Event) { c.pick[a.ID] = ctx.JSSrc().Get("checked").Bool() }, app.EventScope(a.ID)),
						app.Span().Class("sharing-file-name").Text(a.Name),
					))
				})),
				app.Div().Class("actions").Body(
					ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { c.picking = false }),
					ui.Button(app.FormatString("Add %d", ticked), "primary", c.addPicked).
						ID("sharing-add-confirm").Disabled(c.saving || ticked == 0),
				),
			)
		}),
	)
}

// renderContents is the Contents row of the edit dialog: Edit opens the
// same editor as the link's page.
func (d *Dialogs) renderContents() app.UI {
	f := d.form
	if f.link == nil || !contentsEditable(*f.link) {
		return nil
	}
	label := map[bool]string{true: "Done", false: "Edit"}[f.contents]
	return app.Div().Class("field sl-contents").ID("sl-contents").Body(
		app.Div().Class("sl-contents-head").Body(
			app.Span().Class("field-label").Text("Contents"),
			ui.Button(label, "secondary", func(ctx app.Context, e app.Event) { f.contents = !f.contents }).
				Class("btn btn-secondary btn-sm").ID("sl-contents-edit").Attr("aria-expanded", f.contents),
		),
		app.If(f.contents, func() app.UI {
			return &linkContents{Link: *f.link, Inline: true}
		}).Else(func() app.UI {
			return app.P().Class("field-hint").Text("Add or remove files of this link; changes apply at once and are written in the access log.")
		}),
	)
}
