// Package library is the members' pages of what Ferry keeps: projects, the
// Files view of a folder, an asset with its versions, collections and the
// collections feed, people, and folder permissions.
package library

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
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

	uploads shell.UploadListener
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
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
	p.uploads.Listen(ctx, p.load)
	ctx.Async(func() {
		if me, err := fetch.API.Me(); err == nil {
			ctx.Dispatch(func(ctx app.Context) { p.admin = me.Role == "admin" })
		}
	})
}

func (p *FolderPage) OnDismount() { p.uploads.Stop() }

func (p *FolderPage) load(ctx app.Context) {
	projectID, folderID, collection := p.projectID, p.folderID, p.collection
	ctx.Async(func() {
		var folder model.Asset
		var crumbs, items []model.Asset
		var colls []model.Collection
		var coll *model.Collection
		pr, err := fetch.API.Project(projectID)
		if err == nil && folderID == "" {
			folderID = pr.RootAssetID
		}
		if err == nil {
			folder, err = fetch.API.Asset(folderID)
		}
		if err == nil {
			crumbs, err = fetch.API.Ancestors(folderID)
		}
		if err == nil && collection != "" {
			var c model.Collection
			if c, err = fetch.API.Collection(collection); err == nil {
				coll = &c
				items, err = fetch.API.CollectionItems(collection, fetch.AllPages())
			}
		} else if err == nil {
			items, err = fetch.API.Children(folderID, fetch.AllPages())
		}
		if err == nil {
			colls, err = fetch.API.CollectionsWithHidden(projectID)
		}
		// What is shared is extra: without it the page still browses.
		var shared map[string]int
		var links []model.ShareLink
		mayShare := true
		if err == nil {
			mayShare = mayShareFrom(folder.ID)
			shared, _ = fetch.API.Shared(projectID)
			target := folder.ID
			if coll != nil {
				target = coll.ID
			}
			links, _ = fetch.API.ShareLinks(url.Values{"target_id": {target}})
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = fetch.LoadError(ctx, err)
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
			shell.Reload(ctx)
		})
	}
}

func (p *FolderPage) uploadOpts() map[string]any {
	return map[string]any{"parentId": p.folder.ID}
}
