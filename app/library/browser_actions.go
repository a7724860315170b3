package library

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/reviewlinks"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func (p *FolderPage) pickFiles(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() > 0 && p.folder.ID != "" {
		app.Window().Get("ferryUploads").Call("add", files, p.uploadOpts())
	}
	ctx.JSSrc().Set("value", "")
}

func (p *FolderPage) drop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.dragging = false
	if p.folder.ID == "" || sharing.Dragging(e) {
		return
	}
	app.Window().Get("ferryUploads").Call("addDataTransfer", e.Get("dataTransfer"), p.uploadOpts())
}

func (p *FolderPage) createFolder(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name, parent := p.folderName, p.folder.ID
	ctx.Async(func() {
		_, err := fetch.API.CreateFolder(parent, name)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.newFolder, p.folderName, p.formErr = false, "", ""
			shell.Toast(ctx, "Folder created")
			shell.Reload(ctx)
		})
	})
}

func (p *FolderPage) rename(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, name := p.renaming.ID, p.newName
	ctx.Async(func() {
		_, err := fetch.API.UpdateAsset(id, model.AssetPatch{Name: &name})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.renaming, p.formErr = nil, ""
			shell.Toast(ctx, "Renamed")
			shell.Reload(ctx)
		})
	})
}

func (p *FolderPage) startMove(ctx app.Context, a model.Asset) {
	aa := a
	p.moving, p.moveTo, p.formErr = &aa, "", ""
	projectID := p.project.ID
	ctx.Async(func() {
		fs, err := fetch.API.Folders(projectID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.folders = fs
		})
	})
}

func (p *FolderPage) move(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.moveTo == "" {
		p.formErr = "Pick a folder."
		return
	}
	id, to := p.moving.ID, p.moveTo
	ctx.Async(func() {
		_, err := fetch.API.UpdateAsset(id, model.AssetPatch{ParentID: &to})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.moving = nil
			shell.Toast(ctx, "Moved")
			shell.Reload(ctx)
		})
	})
}

func (p *FolderPage) renameProject(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, name := p.project.ID, p.newName
	ctx.Async(func() {
		_, err := fetch.API.UpdateProject(id, model.ProjectPatch{Name: &name})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.renamingP = false
			shell.Toast(ctx, "Project renamed")
			shell.Reload(ctx)
		})
	})
}

func (p *FolderPage) deleteProject(ctx app.Context, e app.Event) {
	pr := p.project
	shared := 0
	for _, n := range p.shared {
		shared += n
	}
	if !app.Window().Call("confirm", "Delete the project \""+pr.Name+"\" with all its folders, files and versions? The files are removed from the server. This cannot be undone."+sharing.LinksLostNote(shared)).Bool() {
		return
	}
	ctx.Async(func() {
		err := fetch.API.DeleteProject(pr.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, "Project deleted")
			ctx.Navigate("/projects")
		})
	})
}

func (p *FolderPage) deleteAsset(ctx app.Context, a model.Asset) {
	what := "\"" + a.Name + "\""
	if a.Type == "folder" {
		what = app.FormatString("the folder \"%s\" and everything in it (%d items at the top level)", a.Name, a.ItemCount)
	} else if a.Type == "version_stack" {
		what = app.FormatString("\"%s\" and all %d versions", a.Name, a.Versions)
	}
	id := a.ID
	sharing.ConfirmWithLinks(ctx, func() ([]model.ShareLink, error) { return fetch.API.AssetAffectedLinks(id) }, "Delete "+what+"? The files are removed from the server. This cannot be undone.", p.sharedCount(a), func(ctx app.Context) {
		p.removeAsset(ctx, a)
	})
}

func (p *FolderPage) removeAsset(ctx app.Context, a model.Asset) {
	ctx.Async(func() {
		err := fetch.API.DeleteAsset(a.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, "Deleted")
			shell.Reload(ctx)
		})
	})
}

func (p *FolderPage) deleteCollection(ctx app.Context, e app.Event) {
	c := *p.coll
	projectID := p.project.ID
	id := c.ID
	sharing.ConfirmWithLinks(ctx, func() ([]model.ShareLink, error) { return fetch.API.CollectionAffectedLinks(id) }, "Delete the collection \""+c.Name+"\"? Its files stay in the project.", p.shared[c.ID], func(ctx app.Context) {
		p.removeCollection(ctx, c, projectID)
	})
}

func (p *FolderPage) removeCollection(ctx app.Context, c model.Collection, projectID string) {
	ctx.Async(func() {
		err := fetch.API.DeleteCollection(c.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, "Collection deleted")
			ctx.Navigate("/projects/" + projectID)
		})
	})
}

// sharedCount is how many active share links a shares; a version stack
// counts its newest version's too.
func (p *FolderPage) sharedCount(a model.Asset) int {
	n := p.shared[a.ID]
	if a.Type == "version_stack" && a.CoverAssetID != "" {
		n += p.shared[a.CoverAssetID]
	}
	return n
}

// selectedFiles are the selected files and stacks: folders cannot go into
// the collection a link of several files makes.
func (p *FolderPage) selectedFiles() []model.Asset {
	var out []model.Asset
	for _, a := range p.items {
		if p.selected[a.ID] && a.Type != "folder" {
			out = append(out, a)
		}
	}
	return out
}

func (p *FolderPage) toggleShare(which string) app.EventHandler {
	return sharing.ToggleMenu(&p.shareOpen, which)
}

func (p *FolderPage) closeShare(ctx app.Context, e app.Event) { p.shareOpen = "" }

// share opens the dialog of kind for what target answers when clicked: a
// handler must not keep what the page showed when it was made.
func (p *FolderPage) share(kind string, target func() sharing.Target) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.shareOpen = ""
		sharing.Create(ctx, kind, target())
	}
}

// selectionTarget is the selected files and folders: one file or folder,
// or several that become a collection (a share of files and folders).
func (p *FolderPage) selectionTarget() sharing.Target {
	items := p.selectedItems()
	if len(items) == 1 {
		a := items[0]
		typ := "asset"
		if a.Type == "folder" {
			typ = "folder"
		}
		return sharing.Target{Type: typ, ID: a.ID, ProjectID: p.project.ID, Name: a.Name, Assets: items}
	}
	return sharing.Target{Type: "assets", ProjectID: p.project.ID, Assets: items}
}

// selectedItems are the selected files and folders in page order.
func (p *FolderPage) selectedItems() []model.Asset {
	var out []model.Asset
	for _, a := range p.items {
		if p.selected[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

// addSelectionToShare puts the selected files and folders in the share drawer.
func (p *FolderPage) addSelectionToShare(ctx app.Context, e app.Event) {
	sharing.AddToDrawer(ctx, p.selectedItems()...)
	p.selected = map[string]bool{}
}

func (p *FolderPage) collectionTarget() sharing.Target {
	c := p.coll
	return sharing.Target{Type: "collection", ID: c.ID, ProjectID: p.project.ID, Name: c.Name, Assets: p.items}
}

// folderTarget is the folder shown, as a link shares it. Its children tell
// the dialog what the files offer.
func (p *FolderPage) folderTarget() sharing.Target {
	name := p.folder.Name
	if p.folder.ParentID == "" {
		name = p.project.Name
	}
	return sharing.Target{Type: "folder", ID: p.folder.ID, ProjectID: p.project.ID, Name: name, Assets: p.items}
}

// copyLink copies the app's own link of the selected file or of the folder.
func (p *FolderPage) copyLink(ctx app.Context, e app.Event) {
	p.shareOpen = ""
	path := "/projects/" + p.project.ID
	if files := p.selectedFiles(); p.selectedCount() > 0 && len(files) == 1 {
		path = "/assets/" + files[0].ID
	} else if p.coll != nil {
		path += "?collection=" + p.coll.ID
	} else if p.folder.ParentID != "" {
		path += "/folders/" + p.folder.ID
	}
	sharing.CopyInternal(ctx, path)
}

// renderShare is the Share button of the header: of the selection when
// files are selected, else of the collection or the folder shown.
func (p *FolderPage) renderShare() app.UI {
	if !p.mayShare {
		return copyLinkButton("copy-link", p.copyLink)
	}
	if n := p.selectedCount(); n > 0 {
		files := p.selectedFiles()
		label := app.FormatString("Share %d", n)
		if len(files) != 1 || n != 1 {
			return app.Button().Type("button").Class("btn btn-secondary sl-share-btn").ID("share-selection").
				OnClick(p.share("public", p.selectionTarget)).Body(ui.Icon("share"), app.Span().Text(label))
		}
		return app.Div().Class("sl-menu-wrap sl-menu-right").Body(
			sharing.Button("share-selection", label, "secondary", p.shareOpen == "selection", p.toggleShare("selection")),
			app.If(p.shareOpen == "selection", func() app.UI {
				return sharing.Menu(p.closeShare,
					sharing.MenuItem("share-create-download", "download", "Create download link", sharing.DownloadReason(files[0]), p.share("download", p.selectionTarget)),
					sharing.MenuItem("share-create-public", "chain", "Create public link", "", p.share("public", p.selectionTarget)),
					sharing.MenuItem("share-copy-internal", "copy", "Copy link", "", p.copyLink),
				)
			}),
		)
	}
	if p.coll != nil {
		return app.Button().Type("button").Class("btn btn-secondary sl-share-btn").ID("share-collection").
			OnClick(p.share("public", p.collectionTarget)).Body(ui.Icon("share"), app.Span().Text("Share"))
	}
	return app.Div().Class("sl-menu-wrap sl-menu-right").Body(
		sharing.Button("share-folder", "Share", "secondary", p.shareOpen == "folder", p.toggleShare("folder")),
		app.If(p.shareOpen == "folder", func() app.UI {
			return sharing.Menu(p.closeShare,
				sharing.MenuItem("share-create-download", "download", "Create download link", "Only for a single file", nil),
				sharing.MenuItem("share-create-public", "chain", "Create public link", "", p.share("public", p.folderTarget)),
				sharing.MenuItem("share-copy-internal", "copy", "Copy link", "", p.copyLink),
			)
		}),
	)
}

// renderSharePanel lists the share links of the folder or collection shown.
func (p *FolderPage) renderSharePanel() app.UI {
	if len(p.links) == 0 {
		return nil
	}
	what := "this folder"
	if p.coll != nil {
		what = "this collection"
	} else if p.folder.ParentID == "" {
		what = "this project"
	}
	return app.Div().Class("card share-panel").ID("share-panel").Body(
		app.Div().Class("share-panel-head").Body(
			ui.Icon("chain"),
			app.H2().Text(ui.Plural(len(p.links), "link shares ", "links share ")+what),
		),
		sharing.LinkList(p.links, ""),
	)
}

// renderReview is Create review link for the selected files; folders
// cannot go into a review link.
func (p *FolderPage) renderReview() app.UI {
	files := p.selectedFiles()
	title := "Create review link: clients comment on and approve the selected files"
	if len(files) < p.selectedCount() {
		title = "Folders cannot go into a review link; only the selected files do."
	}
	return app.Button().Type("button").Class("btn btn-secondary rl-review-btn").ID("review-selection").Title(title).
		Disabled(len(files) == 0).OnClick(p.review).
		Body(ui.Icon("review"), app.Span().Text(app.FormatString("Review %d", len(files))))
}

// review opens the create dialog for what is selected when clicked.
func (p *FolderPage) review(ctx app.Context, e app.Event) {
	reviewlinks.OpenCreate(ctx, p.project.ID, p.selectedFiles())
}

func (p *FolderPage) setView(v string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.view = v
		ctx.LocalStorage().Set("ferry.view", v)
	}
}

func (p *FolderPage) href(a model.Asset) string {
	if a.Type == "folder" {
		return "/projects/" + p.project.ID + "/folders/" + a.ID
	}
	return "/assets/" + a.ID
}

func (p *FolderPage) selectedCount() int {
	n := 0
	for _, v := range p.selected {
		if v {
			n++
		}
	}
	return n
}
