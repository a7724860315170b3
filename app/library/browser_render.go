package library

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/reviewlinks"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func (p *FolderPage) Render() app.UI {
	title := p.project.Name
	if p.folder.ParentID != "" {
		title = p.folder.Name
	}
	if p.coll != nil {
		title = p.coll.Name
	}
	atRoot := p.folder.ParentID == "" && p.coll == nil && p.loaded
	n := p.selectedCount()
	shown := p.shared[p.folder.ID]
	if p.coll != nil {
		shown = p.shared[p.coll.ID]
	}
	return shell.Frame("projects", ui.PageState(p.loaded, p.err), []app.UI{
		&sharing.Dialogs{},
		&reviewlinks.Dialogs{},
		shell.Breadcrumbs(p.project, p.crumbs),
		sharing.PageHeaderLinked(title, shown,
			app.If(atRoot, func() app.UI {
				return app.Div().Class("project-actions").Body(
					app.Button().Type("button").Class("icon-btn").Title("Rename project").Attr("aria-label", "Rename project").
						OnClick(func(ctx app.Context, e app.Event) { p.renamingP, p.newName, p.formErr = true, p.project.Name, "" }).Body(ui.Icon("edit")),
					app.Button().Type("button").Class("icon-btn danger").Title("Delete project").Attr("aria-label", "Delete project").ID("delete-project").
						OnClick(p.deleteProject).Body(ui.Icon("trash")),
				)
			}),
			app.If(p.coll != nil && p.loaded, func() app.UI { return p.renderCollectionActions() }),
			app.If(n > 0, func() app.UI { return p.renderCollectActions(n) }),
			app.If(n > 0 && p.mayShare, func() app.UI {
				return ui.Button("Add to share", "secondary", p.addSelectionToShare).ID("add-selection-to-share")
			}),
			app.If(p.loaded && p.err == "", func() app.UI { return p.renderShare() }),
			app.If(p.loaded && p.err == "" && p.mayShare && n == 0, func() app.UI {
				return app.Button().Type("button").Class("btn btn-secondary").ID("new-share").
					Title("Collect files and folders of this project in the share drawer, then create one link for them").
					OnClick(func(ctx app.Context, e app.Event) { sharing.OpenDrawer(ctx) }).Body(ui.Icon("plus"), app.Span().Text("New share"))
			}),
			app.If(n > 0, func() app.UI { return p.renderReview() }),
			app.If(p.admin && p.coll == nil && p.loaded && p.err == "", func() app.UI {
				return ui.Button("Permissions", "secondary", func(ctx app.Context, e app.Event) { f := p.folder; p.perms = &f }).ID("folder-permissions")
			}),
			app.A().Class("btn btn-secondary").ID("project-upload-links").Href("/projects/"+p.projectID+"/upload-links").Text("Upload Links"),
			app.A().Class("btn btn-secondary").ID("project-review-links").Href("/projects/"+p.projectID+"/review-links").Text("Review Links"),
			app.A().Class("btn btn-secondary").ID("project-people").Href("/projects/"+p.projectID+"/people").Text("People"),
			app.A().Class("btn btn-secondary").ID("project-collections").Href("/projects/"+p.projectID+"/collections").Text("Collections"),
			ui.Button("New folder", "secondary", func(ctx app.Context, e app.Event) { p.newFolder, p.folderName, p.formErr = true, "", "" }).ID("new-folder"),
			app.Label().Class("btn btn-secondary").Body(ui.Icon("folder"), app.Span().Text("Upload folder"),
				ui.HiddenFileInput().ID("folder-input").Attr("webkitdirectory", true).Multiple(true).OnChange(p.pickFiles)),
			app.Label().Class("btn btn-primary").Body(ui.Icon("upload"), app.Span().Text("Upload files"),
				ui.HiddenFileInput().ID("file-input").Multiple(true).OnChange(p.pickFiles)),
		),
		ui.ErrorBox(p.err),
		p.renderCollections(),
		p.renderSharePanel(),
		app.Div().Class("toolbar").Body(
			app.Span().Class("muted small").Text(app.FormatString("%d items", len(p.items))),
			app.Div().Class("seg").Body(
				app.Button().Type("button").Class(segClass(p.view == "grid")).Attr("aria-label", "Grid").ID("view-grid").OnClick(p.setView("grid")).Body(ui.Icon("grid")),
				app.Button().Type("button").Class(segClass(p.view == "list")).Attr("aria-label", "List").ID("view-list").OnClick(p.setView("list")).Body(ui.Icon("list")),
			),
		),
		app.Div().Class(dropClass(p.dragging)).ID("drop-zone").
			On("dragover", func(ctx app.Context, e app.Event) {
				if !sharing.Dragging(e) { // a row on its way to the share drawer is no upload
					e.PreventDefault()
					p.dragging = true
				}
			}).
			On("dragleave", func(ctx app.Context, e app.Event) { p.dragging = false }).
			On("drop", p.drop).
			Body(p.renderItems()),
		app.If(p.newFolder, func() app.UI {
			return ui.Dialog("New folder", func(ctx app.Context, e app.Event) { p.newFolder = false }, []app.UI{
				app.Form().ID("new-folder-form").OnSubmit(p.createFolder).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().ID("folder-name").Required(true).AutoFocus(true).Value(p.folderName).OnInput(p.ValueTo(&p.folderName)), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.newFolder = false }),
						app.Button().Type("submit").ID("folder-create").Class("btn btn-primary").Text("Create folder"),
					),
				),
			})
		}),
		app.If(p.moving != nil, func() app.UI {
			return ui.Dialog("Move \""+p.moving.Name+"\"", func(ctx app.Context, e app.Event) { p.moving = nil }, []app.UI{
				app.Form().ID("move-form").OnSubmit(p.move).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("To folder", app.Select().ID("move-to").OnChange(p.ValueTo(&p.moveTo)).Body(
						app.Option().Value("").Text("Choose a folder…"),
						app.Range(p.folders).Slice(func(i int) app.UI {
							f := p.folders[i]
							label := p.project.Name + f.Path
							return app.Option().Value(f.ID).Disabled(f.ID == p.moving.ParentID || f.ID == p.moving.ID).Text(label)
						}),
					), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.moving = nil }),
						app.Button().Type("submit").ID("move-submit").Class("btn btn-primary").Text("Move"),
					),
				),
			})
		}),
		app.If(p.perms != nil, func() app.UI { return permissionsDialog(p.perms, p.project, func() { p.perms = nil }) }),
		app.If(p.renamingP, func() app.UI {
			return ui.Dialog("Rename project", func(ctx app.Context, e app.Event) { p.renamingP = false }, []app.UI{
				app.Form().OnSubmit(p.renameProject).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().Required(true).AutoFocus(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.renamingP = false }),
						app.Button().Type("submit").Class("btn btn-primary").Text("Rename"),
					),
				),
			})
		}),
		app.If(p.renaming != nil, func() app.UI {
			return ui.Dialog("Rename", func(ctx app.Context, e app.Event) { p.renaming = nil }, []app.UI{
				app.Form().OnSubmit(p.rename).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().Required(true).AutoFocus(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.renaming = nil }),
						app.Button().Type("submit").Class("btn btn-primary").Text("Rename"),
					),
				),
			})
		}),
		&sharing.Drawer{},
	})
}

func segClass(on bool) string {
	if on {
		return "seg-btn on"
	}
	return "seg-btn"
}

func dropClass(dragging bool) string {
	if dragging {
		return "drop dragging"
	}
	return "drop"
}

// itemActions are the buttons of an item. Their handlers are scoped to the
// item: go-app keeps a handler while its code is the same, so a tile that
// now shows another item would act on the one it showed before.
func (p *FolderPage) itemActions(a model.Asset) app.UI {
	scope := app.EventScope(app.FormatString("%s/%s/%d/%d", a.ID, a.Name, a.ItemCount, a.Versions))
	return app.Div().Class("item-actions").Body(
		app.Button().Type("button").Class("icon-btn").Attr("aria-label", "Rename "+a.Name).
			OnClick(func(ctx app.Context, e app.Event) {
				e.PreventDefault()
				aa := a
				p.renaming, p.newName, p.formErr = &aa, a.Name, ""
			}, scope).Body(ui.Icon("edit")),
		app.If(a.AttachmentOf == "", func() app.UI {
			return app.Button().Type("button").Class("icon-btn").Attr("aria-label", "Move "+a.Name).Title("Move").
				OnClick(func(ctx app.Context, e app.Event) { e.PreventDefault(); p.startMove(ctx, a) }, scope).Body(ui.Icon("move"))
		}),
		app.If(p.admin && a.Type == "folder", func() app.UI {
			return app.Button().Type("button").Class("icon-btn item-permissions").Attr("aria-label", "Permissions of "+a.Name).Title("Permissions").
				OnClick(func(ctx app.Context, e app.Event) {
					// Stopped here: go-app's window handler would follow the tile's link.
					e.PreventDefault()
					e.Call("stopPropagation")
					aa := a
					p.perms = &aa
				}, scope).Body(ui.Icon("users"))
		}),
		app.Button().Type("button").Class("icon-btn danger").Attr("aria-label", "Delete "+a.Name).
			OnClick(func(ctx app.Context, e app.Event) { e.PreventDefault(); p.deleteAsset(ctx, a) }, scope).Body(ui.Icon("trash")),
	)
}

func (p *FolderPage) check(a model.Asset) app.UI {
	return app.Input().Type("checkbox").Class("item-check").Attr("aria-label", "Select "+a.Name).Checked(p.selected[a.ID]).
		OnClick(func(ctx app.Context, e app.Event) { e.Call("stopPropagation") }).
		OnChange(func(ctx app.Context, e app.Event) { p.selected[a.ID] = ctx.JSSrc().Get("checked").Bool() }, app.EventScope(a.ID))
}

func (p *FolderPage) renderItems() app.UI {
	// Until the folder itself is known (the prerendered page, the first
	// frames of the app), say nothing about its contents: an "empty" folder
	// shown too early also took files before there was a folder for them.
	if !p.loaded || p.folder.ID == "" {
		if p.err != "" {
			return app.Div() // the error box above says why
		}
		return ui.Loading()
	}
	if len(p.items) == 0 {
		return app.Div().Class("empty").ID("folder-empty").Body(
			app.Div().Class("empty-icon").Body(ui.Icon("upload")),
			app.H2().Text("Drop files or folders here"),
			app.P().Text("Or use Upload files. Uploads resume where they stopped, even after closing the tab."),
		)
	}
	if p.view == "list" {
		return app.Div().Class("card table-card").Body(app.Table().Class("table").ID("asset-table").Body(
			app.THead().Body(app.Tr().Body(ui.SrTh("Select"), app.Th().Text("Name"), app.Th().Text("Type"), app.Th().Text("Size"),
				app.Th().Text("Date"), app.Th().Text("Uploader"), ui.SrTh("Actions"))),
			app.TBody().Body(app.Range(p.items).Slice(func(i int) app.UI {
				a := p.items[i]
				size := ui.HumanBytes(a.Filesize)
				if a.Type == "folder" {
					size = ui.Plural(a.ItemCount, "item", "items")
				}
				return app.Tr().DataSet("id", a.ID).Draggable(p.mayShare).On("dragstart", sharing.DragAsset(a), app.EventScope(a.ID)).Body(
					app.Td().Body(p.check(a)),
					app.Td().Body(app.A().Class("row-name").Href(p.href(a)).DataSet("id", a.ID).Body(p.thumb(a, "sm"), app.Span().Text(a.Name), sharing.ChainIcon(p.sharedCount(a)))),
					app.Td().Class("muted").Text(ui.KindLabel(a)),
					app.Td().Class("muted").Text(size),
					app.Td().Class("muted").Text(a.InsertedAt.Local().Format("2 Jan 2006 15:04")),
					app.Td().Class("muted").Text(a.CreatorName),
					app.Td().Class("row-actions").Body(p.shareRowButton(a), p.itemActions(a)),
				)
			})),
		))
	}
	return app.Div().Class("asset-grid").ID("asset-grid").Body(app.Range(p.items).Slice(func(i int) app.UI {
		a := p.items[i]
		meta := ui.HumanBytes(a.Filesize)
		if a.Type == "folder" {
			meta = ui.Plural(a.ItemCount, "item", "items")
		}
		return app.A().Class("tile").Href(p.href(a)).Attr("data-id", a.ID).Draggable(p.mayShare).On("dragstart", sharing.DragAsset(a), app.EventScope(a.ID)).Body(
			app.Div().Class("tile-media").Body(p.thumb(a, "lg"), p.scrub(a), thumbBadge(a),
				app.If(a.Type == "version_stack", func() app.UI { return app.Span().Class("vbadge").Text(app.FormatString("V%d", a.Versions)) }),
				p.check(a), p.shareRowButton(a),
			),
			app.Div().Class("tile-body").Body(
				app.Div().Class("tile-name").Title(a.Name).Body(sharing.ChainIcon(p.sharedCount(a)), app.Text(a.Name)),
				app.Div().Class("tile-meta").Body(app.Span().Text(meta), p.itemActions(a)),
			),
		)
	}))
}

func (p *FolderPage) thumb(a model.Asset, size string) app.UI {
	if a.Type != "folder" && a.ProxyStatus == "ready" {
		return ui.ThumbImg(size, a.Name).Loading("lazy").Src("/api/v2/assets/" + ui.ThumbID(a) + "/proxies/thumb")
	}
	cls := "thumb thumb-" + size + " thumb-icon"
	if a.Type == "folder" {
		cls += " is-folder"
	}
	if a.ProxyStatus == "queued" {
		cls += " is-pending"
	}
	return app.Div().Class(cls).Body(ui.Icon(ui.KindIcon(a)))
}

// scrub is the strip of frames a video's tile shows under the pointer.
func (p *FolderPage) scrub(a model.Asset) app.UI {
	if a.Type == "folder" || a.SpriteFrames == 0 {
		return nil
	}
	return ui.ScrubStrip("/api/v2/assets/"+ui.ThumbID(a)+"/proxies/sprite", a.SpriteFrames)
}

// thumbBadge marks a video or audio tile: "Processing 43 %" while its
// proxy is made, else its length.
func thumbBadge(a model.Asset) app.UI {
	switch {
	case a.MediaKind == "":
		return app.Span()
	case processing(a):
		return app.Span().Class("thumb-badge").Text(processingText(a))
	case a.Duration > 0:
		return app.Span().Class("thumb-badge").Body(ui.Icon("play"), app.Text(" "+ui.ClockTime(a.Duration)))
	}
	return app.Span()
}

// shareRowButton is a row's "Add to share" (chain link), for those who may share.
func (p *FolderPage) shareRowButton(a model.Asset) app.UI {
	if !p.mayShare || a.AttachmentOf != "" {
		return nil
	}
	return sharing.AddShareButton(a, app.EventScope(a.ID))
}
