package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

// playRendition is the proxy a player plays of a: the largest video
// proxy, else the audio proxy, else "".
func playRendition(a model.Asset) string {
	best, bestH := "", -1
	for _, r := range a.Renditions {
		if r == "audio" && best == "" {
			best = r
		}
		if h, err := strconv.Atoi(strings.TrimPrefix(r, "video_")); err == nil && strings.HasPrefix(r, "video_") && h > bestH {
			best, bestH = r, h
		}
	}
	return best
}

// processing says whether the server is still working on a's renditions.
func processing(a model.Asset) bool {
	return a.ProxyStatus == "queued" || a.TranscodeStatus == "queued" || a.TranscodeStatus == "processing"
}

// processingText is "Processing 43 %" while a video's proxies are made.
func processingText(a model.Asset) string {
	if a.TranscodeStatus == "processing" && a.TranscodeProgress > 0 {
		return app.FormatString("Processing %d %%", a.TranscodeProgress)
	}
	return "Processing…"
}

// clockTime prints seconds as 1:02:03 or 2:03.
func clockTime(sec float64) string {
	s := int(sec + 0.5)
	if s >= 3600 {
		return app.FormatString("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return app.FormatString("%d:%02d", s/60, s%60)
}

// thumbID is the file whose proxies represent a (the newest version of a stack).
func thumbID(a model.Asset) string {
	if a.Type == "version_stack" && a.CoverAssetID != "" {
		return a.CoverAssetID
	}
	return a.ID
}

func kindIcon(a model.Asset) string {
	switch {
	case a.Type == "folder":
		return "folder"
	case strings.HasPrefix(a.Filetype, "image/"):
		return "image"
	case strings.HasPrefix(a.Filetype, "video/"):
		return "video"
	case strings.HasPrefix(a.Filetype, "audio/"):
		return "audio"
	case a.Filetype == "application/pdf":
		return "pdf"
	}
	return "file"
}

func kindLabel(a model.Asset) string {
	switch a.Type {
	case "folder":
		return "Folder"
	case "version_stack":
		return app.FormatString("Version stack (%d)", a.Versions)
	}
	if i := strings.LastIndex(a.Name, "."); i > 0 && len(a.Name)-i <= 6 {
		return strings.ToUpper(a.Name[i+1:])
	}
	return a.Filetype
}

// FolderPage browses a project folder: breadcrumbs, grid or list, folders,
// uploads by drag and drop or picker, selection into collections.
type FolderPage struct {
	app.Compo
	projectID, folderID string
	project             model.Project
	crumbs              []model.Asset
	folder              model.Asset
	items               []model.Asset
	loaded              bool
	err                 string
	view                string
	selected            map[string]bool
	dragging            bool

	newFolder  bool
	folderName string
	renaming   *model.Asset
	newName    string
	formErr    string

	moving     *model.Asset
	folders    []model.FolderPath
	moveTo     string
	collection string
	coll       *model.Collection
	colls      []model.Collection // hidden ones too: the strip filters
	showHidden bool               // the strip lists hidden collections
	renamingP  bool

	shared    map[string]int    // active share links per asset, collection and folder
	links     []model.ShareLink // the share links of the folder or collection shown
	shareOpen string            // the open share menu: "folder" or "selection"

	uploads uploadListener
	poll    bool

	admin    bool         // the user is an admin: folders offer Permissions
	mayShare bool         // the user may create links from this folder
	perms    *model.Asset // the folder whose Permissions dialog is open
}

func (p *FolderPage) OnNav(ctx app.Context) {
	parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/")
	p.projectID, p.folderID = parts[1], ""
	if len(parts) >= 4 {
		p.folderID = parts[3]
	}
	if p.view == "" {
		p.view = "grid"
		var v string
		ctx.LocalStorage().Get("ferry.view", &v)
		if v == "list" {
			p.view = v
		}
	}
	p.collection = ctx.Page().URL().Query().Get("collection")
	ctx.LocalStorage().Get(showHiddenKey, &p.showHidden)
	p.selected = map[string]bool{}
	p.loaded, p.shareOpen, p.links = false, "", nil
	p.load(ctx)
}

func (p *FolderPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
	p.uploads.listen(ctx, p.load)
	ctx.Async(func() {
		if me, err := api.Me(); err == nil {
			ctx.Dispatch(func(ctx app.Context) { p.admin = me.Role == "admin" })
		}
	})
}

func (p *FolderPage) OnDismount() { p.uploads.stop() }

func (p *FolderPage) load(ctx app.Context) {
	projectID, folderID, collection := p.projectID, p.folderID, p.collection
	ctx.Async(func() {
		var folder model.Asset
		var crumbs, items []model.Asset
		var colls []model.Collection
		var coll *model.Collection
		pr, err := api.Project(projectID)
		if err == nil && folderID == "" {
			folderID = pr.RootAssetID
		}
		if err == nil {
			folder, err = api.Asset(folderID)
		}
		if err == nil {
			crumbs, err = api.Ancestors(folderID)
		}
		if err == nil && collection != "" {
			var c model.Collection
			if c, err = api.Collection(collection); err == nil {
				coll = &c
				items, err = api.CollectionItems(collection, allPages())
			}
		} else if err == nil {
			items, err = api.Children(folderID, allPages())
		}
		if err == nil {
			colls, err = api.CollectionsWithHidden(projectID)
		}
		// What is shared is extra: without it the page still browses.
		var shared map[string]int
		var links []model.ShareLink
		mayShare := true
		if err == nil {
			mayShare = mayShareFrom(folder.ID)
			shared, _ = api.Shared(projectID)
			target := folder.ID
			if coll != nil {
				target = coll.ID
			}
			links, _ = api.ShareLinks(url.Values{"target_id": {target}})
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			p.project, p.folder, p.crumbs, p.items, p.err = pr, folder, crumbs, items, ""
			p.colls, p.coll = colls, coll
			p.shared, p.links, p.mayShare = shared, links, mayShare
			p.schedulePoll(ctx)
		})
	})
}

// schedulePoll refreshes while thumbnails are being made.
func (p *FolderPage) schedulePoll(ctx app.Context) {
	waiting := false
	for _, a := range p.items {
		if processing(a) {
			waiting = true
		}
	}
	if waiting && !p.poll {
		p.poll = true
		ctx.After(1500*time.Millisecond, func(ctx app.Context) {
			p.poll = false
			reload(ctx)
		})
	}
}

func (p *FolderPage) uploadOpts() map[string]any {
	return map[string]any{"parentId": p.folder.ID}
}

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
	if p.folder.ID == "" {
		return
	}
	app.Window().Get("ferryUploads").Call("addDataTransfer", e.Get("dataTransfer"), p.uploadOpts())
}

func (p *FolderPage) createFolder(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name, parent := p.folderName, p.folder.ID
	ctx.Async(func() {
		_, err := api.CreateFolder(parent, name)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.newFolder, p.folderName, p.formErr = false, "", ""
			toast(ctx, "Folder created")
			reload(ctx)
		})
	})
}

func (p *FolderPage) rename(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, name := p.renaming.ID, p.newName
	ctx.Async(func() {
		_, err := api.UpdateAsset(id, model.AssetPatch{Name: &name})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.renaming, p.formErr = nil, ""
			toast(ctx, "Renamed")
			reload(ctx)
		})
	})
}

func (p *FolderPage) startMove(ctx app.Context, a model.Asset) {
	aa := a
	p.moving, p.moveTo, p.formErr = &aa, "", ""
	projectID := p.project.ID
	ctx.Async(func() {
		fs, err := api.Folders(projectID)
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
		_, err := api.UpdateAsset(id, model.AssetPatch{ParentID: &to})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.moving = nil
			toast(ctx, "Moved")
			reload(ctx)
		})
	})
}

func (p *FolderPage) renameProject(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, name := p.project.ID, p.newName
	ctx.Async(func() {
		_, err := api.UpdateProject(id, model.ProjectPatch{Name: &name})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.renamingP = false
			toast(ctx, "Project renamed")
			reload(ctx)
		})
	})
}

func (p *FolderPage) deleteProject(ctx app.Context, e app.Event) {
	pr := p.project
	shared := 0
	for _, n := range p.shared {
		shared += n
	}
	if !app.Window().Call("confirm", "Delete the project \""+pr.Name+"\" with all its folders, files and versions? The files are removed from the server. This cannot be undone."+linksLostNote(shared)).Bool() {
		return
	}
	ctx.Async(func() {
		err := api.DeleteProject(pr.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			toast(ctx, "Project deleted")
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
	confirmWithLinks(ctx, func() ([]model.ShareLink, error) { return api.AssetAffectedLinks(id) }, "Delete "+what+"? The files are removed from the server. This cannot be undone.", p.sharedCount(a), func(ctx app.Context) {
		p.removeAsset(ctx, a)
	})
}

func (p *FolderPage) removeAsset(ctx app.Context, a model.Asset) {
	ctx.Async(func() {
		err := api.DeleteAsset(a.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			toast(ctx, "Deleted")
			reload(ctx)
		})
	})
}

func (p *FolderPage) deleteCollection(ctx app.Context, e app.Event) {
	c := *p.coll
	projectID := p.project.ID
	id := c.ID
	confirmWithLinks(ctx, func() ([]model.ShareLink, error) { return api.CollectionAffectedLinks(id) }, "Delete the collection \""+c.Name+"\"? Its files stay in the project.", p.shared[c.ID], func(ctx app.Context) {
		p.removeCollection(ctx, c, projectID)
	})
}

func (p *FolderPage) removeCollection(ctx app.Context, c model.Collection, projectID string) {
	ctx.Async(func() {
		err := api.DeleteCollection(c.ID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			toast(ctx, "Collection deleted")
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
	return func(ctx app.Context, e app.Event) {
		if p.shareOpen == which {
			p.shareOpen = ""
		} else {
			p.shareOpen = which
			focusAfterRender(firstMenuItem)
		}
	}
}

func (p *FolderPage) closeShare(ctx app.Context, e app.Event) { p.shareOpen = "" }

// share opens the dialog of kind for what target answers when clicked: a
// handler must not keep what the page showed when it was made.
func (p *FolderPage) share(kind string, target func() shareTarget) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.shareOpen = ""
		openShare(ctx, shareRequest{op: "create", kind: kind, target: target()})
	}
}

// selectionTarget is the selected files: one file, or several that become
// a collection.
func (p *FolderPage) selectionTarget() shareTarget {
	files := p.selectedFiles()
	if len(files) == 1 {
		a := files[0]
		return shareTarget{Type: "asset", ID: a.ID, ProjectID: p.project.ID, Name: a.Name, Assets: files}
	}
	return shareTarget{Type: "assets", ProjectID: p.project.ID, Assets: files}
}

func (p *FolderPage) collectionTarget() shareTarget {
	c := p.coll
	return shareTarget{Type: "collection", ID: c.ID, ProjectID: p.project.ID, Name: c.Name, Assets: p.items}
}

// folderTarget is the folder shown, as a link shares it. Its children tell
// the dialog what the files offer.
func (p *FolderPage) folderTarget() shareTarget {
	name := p.folder.Name
	if p.folder.ParentID == "" {
		name = p.project.Name
	}
	return shareTarget{Type: "folder", ID: p.folder.ID, ProjectID: p.project.ID, Name: name, Assets: p.items}
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
	copyInternal(ctx, path)
}

// renderShare is the Share button of the header: of the selection when
// files are selected, else of the collection or the folder shown.
func (p *FolderPage) renderShare() app.UI {
	if !p.mayShare {
		return copyLinkButton("copy-link", p.copyLink)
	}
	if n := p.selectedCount(); n > 0 {
		files := p.selectedFiles()
		label := app.FormatString("Share %d", len(files))
		title := ""
		if len(files) < n {
			label = app.FormatString("Share %d/%d", len(files), n)
			title = "Folders cannot be shared with files; share a folder from its own page."
		}
		if len(files) != 1 {
			return app.Button().Type("button").Class("btn btn-secondary sl-share-btn").ID("share-selection").Title(title).
				Disabled(len(files) == 0).OnClick(p.share("public", p.selectionTarget)).Body(icon("share"), app.Span().Text(label))
		}
		return app.Div().Class("sl-menu-wrap sl-menu-right").Body(
			shareButton("share-selection", label, "secondary", p.shareOpen == "selection", p.toggleShare("selection")).Title(title),
			app.If(p.shareOpen == "selection", func() app.UI {
				return shareMenu(p.closeShare,
					shareMenuItem("share-create-download", "download", "Create download link", downloadReason(files[0]), p.share("download", p.selectionTarget)),
					shareMenuItem("share-create-public", "chain", "Create public link", "", p.share("public", p.selectionTarget)),
					shareMenuItem("share-copy-internal", "copy", "Copy link", "", p.copyLink),
				)
			}),
		)
	}
	if p.coll != nil {
		return app.Button().Type("button").Class("btn btn-secondary sl-share-btn").ID("share-collection").
			OnClick(p.share("public", p.collectionTarget)).Body(icon("share"), app.Span().Text("Share"))
	}
	return app.Div().Class("sl-menu-wrap sl-menu-right").Body(
		shareButton("share-folder", "Share", "secondary", p.shareOpen == "folder", p.toggleShare("folder")),
		app.If(p.shareOpen == "folder", func() app.UI {
			return shareMenu(p.closeShare,
				shareMenuItem("share-create-download", "download", "Create download link", "Only for a single file", nil),
				shareMenuItem("share-create-public", "chain", "Create public link", "", p.share("public", p.folderTarget)),
				shareMenuItem("share-copy-internal", "copy", "Copy link", "", p.copyLink),
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
			shareIcon("chain"),
			app.H2().Text(plural(len(p.links), "link shares ", "links share ")+what),
		),
		shareLinkList(p.links, ""),
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
		Body(icon("review"), app.Span().Text(app.FormatString("Review %d", len(files))))
}

// review opens the create dialog for what is selected when clicked.
func (p *FolderPage) review(ctx app.Context, e app.Event) {
	openReviewLink(ctx, reviewLinkRequest{op: "create", projectID: p.project.ID, assets: p.selectedFiles()})
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
	return frame("projects", pageState(p.loaded, p.err), []app.UI{
		&shareDialogs{},
		&reviewLinkDialogs{},
		breadcrumbs(p.project, p.crumbs),
		pageHeaderLinked(title, shown,
			app.If(atRoot, func() app.UI {
				return app.Div().Class("project-actions").Body(
					app.Button().Type("button").Class("icon-btn").Title("Rename project").Attr("aria-label", "Rename project").
						OnClick(func(ctx app.Context, e app.Event) { p.renamingP, p.newName, p.formErr = true, p.project.Name, "" }).Body(icon("edit")),
					app.Button().Type("button").Class("icon-btn danger").Title("Delete project").Attr("aria-label", "Delete project").ID("delete-project").
						OnClick(p.deleteProject).Body(icon("trash")),
				)
			}),
			app.If(p.coll != nil && p.loaded, func() app.UI { return p.renderCollectionActions() }),
			app.If(n > 0, func() app.UI { return p.renderCollectActions(n) }),
			app.If(p.loaded && p.err == "", func() app.UI { return p.renderShare() }),
			app.If(n > 0, func() app.UI { return p.renderReview() }),
			app.If(p.admin && p.coll == nil && p.loaded && p.err == "", func() app.UI {
				return button("Permissions", "secondary", func(ctx app.Context, e app.Event) { f := p.folder; p.perms = &f }).ID("folder-permissions")
			}),
			app.A().Class("btn btn-secondary").ID("project-upload-links").Href("/projects/"+p.projectID+"/upload-links").Text("Upload Links"),
			app.A().Class("btn btn-secondary").ID("project-review-links").Href("/projects/"+p.projectID+"/review-links").Text("Review Links"),
			button("New folder", "secondary", func(ctx app.Context, e app.Event) { p.newFolder, p.folderName, p.formErr = true, "", "" }).ID("new-folder"),
			app.Label().Class("btn btn-secondary").Body(icon("folder"), app.Span().Text("Upload folder"),
				hiddenFileInput().ID("folder-input").Attr("webkitdirectory", true).Multiple(true).OnChange(p.pickFiles)),
			app.Label().Class("btn btn-primary").Body(icon("upload"), app.Span().Text("Upload files"),
				hiddenFileInput().ID("file-input").Multiple(true).OnChange(p.pickFiles)),
		),
		errorBox(p.err),
		p.renderCollections(),
		p.renderSharePanel(),
		app.Div().Class("toolbar").Body(
			app.Span().Class("muted small").Text(app.FormatString("%d items", len(p.items))),
			app.Div().Class("seg").Body(
				app.Button().Type("button").Class(segClass(p.view == "grid")).Attr("aria-label", "Grid").ID("view-grid").OnClick(p.setView("grid")).Body(icon("grid")),
				app.Button().Type("button").Class(segClass(p.view == "list")).Attr("aria-label", "List").ID("view-list").OnClick(p.setView("list")).Body(icon("list")),
			),
		),
		app.Div().Class(dropClass(p.dragging)).ID("drop-zone").
			On("dragover", func(ctx app.Context, e app.Event) { e.PreventDefault(); p.dragging = true }).
			On("dragleave", func(ctx app.Context, e app.Event) { p.dragging = false }).
			On("drop", p.drop).
			Body(p.renderItems()),
		app.If(p.newFolder, func() app.UI {
			return dialog("New folder", func(ctx app.Context, e app.Event) { p.newFolder = false }, []app.UI{
				app.Form().ID("new-folder-form").OnSubmit(p.createFolder).Body(
					errorBox(p.formErr),
					field("Name", app.Input().ID("folder-name").Required(true).AutoFocus(true).Value(p.folderName).OnInput(p.ValueTo(&p.folderName)), ""),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.newFolder = false }),
						app.Button().Type("submit").ID("folder-create").Class("btn btn-primary").Text("Create folder"),
					),
				),
			})
		}),
		app.If(p.moving != nil, func() app.UI {
			return dialog("Move \""+p.moving.Name+"\"", func(ctx app.Context, e app.Event) { p.moving = nil }, []app.UI{
				app.Form().ID("move-form").OnSubmit(p.move).Body(
					errorBox(p.formErr),
					field("To folder", app.Select().ID("move-to").OnChange(p.ValueTo(&p.moveTo)).Body(
						app.Option().Value("").Text("Choose a folder…"),
						app.Range(p.folders).Slice(func(i int) app.UI {
							f := p.folders[i]
							label := p.project.Name + f.Path
							return app.Option().Value(f.ID).Disabled(f.ID == p.moving.ParentID || f.ID == p.moving.ID).Text(label)
						}),
					), ""),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.moving = nil }),
						app.Button().Type("submit").ID("move-submit").Class("btn btn-primary").Text("Move"),
					),
				),
			})
		}),
		app.If(p.perms != nil, func() app.UI { return permissionsDialog(p.perms, p.project, func() { p.perms = nil }) }),
		app.If(p.renamingP, func() app.UI {
			return dialog("Rename project", func(ctx app.Context, e app.Event) { p.renamingP = false }, []app.UI{
				app.Form().OnSubmit(p.renameProject).Body(
					errorBox(p.formErr),
					field("Name", app.Input().Required(true).AutoFocus(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.renamingP = false }),
						app.Button().Type("submit").Class("btn btn-primary").Text("Rename"),
					),
				),
			})
		}),
		app.If(p.renaming != nil, func() app.UI {
			return dialog("Rename", func(ctx app.Context, e app.Event) { p.renaming = nil }, []app.UI{
				app.Form().OnSubmit(p.rename).Body(
					errorBox(p.formErr),
					field("Name", app.Input().Required(true).AutoFocus(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.renaming = nil }),
						app.Button().Type("submit").Class("btn btn-primary").Text("Rename"),
					),
				),
			})
		}),
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
			}, scope).Body(icon("edit")),
		app.If(a.AttachmentOf == "", func() app.UI {
			return app.Button().Type("button").Class("icon-btn").Attr("aria-label", "Move "+a.Name).Title("Move").
				OnClick(func(ctx app.Context, e app.Event) { e.PreventDefault(); p.startMove(ctx, a) }, scope).Body(icon("move"))
		}),
		app.If(p.admin && a.Type == "folder", func() app.UI {
			return app.Button().Type("button").Class("icon-btn item-permissions").Attr("aria-label", "Permissions of "+a.Name).Title("Permissions").
				OnClick(func(ctx app.Context, e app.Event) {
					// Stopped here: go-app's window handler would follow the tile's link.
					e.PreventDefault()
					e.Call("stopPropagation")
					aa := a
					p.perms = &aa
				}, scope).Body(icon("users"))
		}),
		app.Button().Type("button").Class("icon-btn danger").Attr("aria-label", "Delete "+a.Name).
			OnClick(func(ctx app.Context, e app.Event) { e.PreventDefault(); p.deleteAsset(ctx, a) }, scope).Body(icon("trash")),
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
		return app.Div().Class("empty").Body(app.Div().Class("spinner"))
	}
	if len(p.items) == 0 {
		return app.Div().Class("empty").ID("folder-empty").Body(
			app.Div().Class("empty-icon").Body(icon("upload")),
			app.H2().Text("Drop files or folders here"),
			app.P().Text("Or use Upload files. Uploads resume where they stopped, even after closing the tab."),
		)
	}
	if p.view == "list" {
		return app.Div().Class("card table-card").Body(app.Table().Class("table").ID("asset-table").Body(
			app.THead().Body(app.Tr().Body(srTh("Select"), app.Th().Text("Name"), app.Th().Text("Type"), app.Th().Text("Size"),
				app.Th().Text("Date"), app.Th().Text("Uploader"), srTh("Actions"))),
			app.TBody().Body(app.Range(p.items).Slice(func(i int) app.UI {
				a := p.items[i]
				size := humanBytes(a.Filesize)
				if a.Type == "folder" {
					size = app.FormatString("%d items", a.ItemCount)
				}
				return app.Tr().Body(
					app.Td().Body(p.check(a)),
					app.Td().Body(app.A().Class("row-name").Href(p.href(a)).DataSet("id", a.ID).Body(p.thumb(a, "sm"), app.Span().Text(a.Name), chainIcon(p.sharedCount(a)))),
					app.Td().Class("muted").Text(kindLabel(a)),
					app.Td().Class("muted").Text(size),
					app.Td().Class("muted").Text(a.InsertedAt.Local().Format("2 Jan 2006 15:04")),
					app.Td().Class("muted").Text(a.CreatorName),
					app.Td().Class("row-actions").Body(p.itemActions(a)),
				)
			})),
		))
	}
	return app.Div().Class("asset-grid").ID("asset-grid").Body(app.Range(p.items).Slice(func(i int) app.UI {
		a := p.items[i]
		meta := humanBytes(a.Filesize)
		if a.Type == "folder" {
			meta = app.FormatString("%d items", a.ItemCount)
		}
		return app.A().Class("tile").Href(p.href(a)).Attr("data-id", a.ID).Body(
			app.Div().Class("tile-media").Body(p.thumb(a, "lg"), p.scrub(a), thumbBadge(a),
				app.If(a.Type == "version_stack", func() app.UI { return app.Span().Class("vbadge").Text(app.FormatString("V%d", a.Versions)) }),
				p.check(a),
			),
			app.Div().Class("tile-body").Body(
				app.Div().Class("tile-name").Title(a.Name).Body(chainIcon(p.sharedCount(a)), app.Text(a.Name)),
				app.Div().Class("tile-meta").Body(app.Span().Text(meta), p.itemActions(a)),
			),
		)
	}))
}

func (p *FolderPage) thumb(a model.Asset, size string) app.UI {
	if a.Type != "folder" && a.ProxyStatus == "ready" {
		return thumbImg(size, a.Name).Loading("lazy").Src("/api/v2/assets/" + thumbID(a) + "/proxies/thumb")
	}
	cls := "thumb thumb-" + size + " thumb-icon"
	if a.Type == "folder" {
		cls += " is-folder"
	}
	if a.ProxyStatus == "queued" {
		cls += " is-pending"
	}
	return app.Div().Class(cls).Body(icon(kindIcon(a)))
}

// scrub is the strip of frames a video's tile shows under the pointer.
func (p *FolderPage) scrub(a model.Asset) app.UI {
	if a.Type == "folder" || a.SpriteFrames == 0 {
		return nil
	}
	return scrubStrip("/api/v2/assets/"+thumbID(a)+"/proxies/sprite", a.SpriteFrames)
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
		return app.Span().Class("thumb-badge").Body(icon("play"), app.Text(" "+clockTime(a.Duration)))
	}
	return app.Span()
}

// breadcrumbs links Projects, the project and the folders down to a page.
func breadcrumbs(project model.Project, crumbs []model.Asset) app.UI {
	return app.Nav().Class("crumbs").Attr("aria-label", "Breadcrumbs").Body(
		app.A().Href("/projects").Text("Projects"),
		app.Range(crumbs).Slice(func(i int) app.UI {
			c := crumbs[i]
			name, href := c.Name, "/projects/"+project.ID+"/folders/"+c.ID
			if c.ParentID == "" {
				name, href = project.Name, "/projects/"+project.ID
			}
			return app.Span().Body(app.Span().Class("crumb-sep").Text("/"), app.A().Href(href).Text(name))
		}),
	)
}
