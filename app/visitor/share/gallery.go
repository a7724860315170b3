// Package share is the visitor's page of a share link (/s/{key}): its
// gates, the gallery and viewer, registration, and the files and uploads
// of a full-access link.
package share

import (
	"cmp"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// New is the share page; peek gives the server's prerender its data
// (Options.PeekShare), nil in the browser.
func New(peek func(key string) *model.PublicShare) *Page { return &Page{peek: peek} }

// Page is what a visitor of a share link sees at /s/{key}: who shared
// what and until when, a gallery of the files, a viewer with each file's
// properties and downloads, and Download all. At /s/{key}/embed the same
// gallery comes compact and without the site header, for an iframe.
//
// Before the content come the link's gates, in the order the server lists
// them in needs: password, invitation, registration, clickwrap. What the
// visitor may do then depends on the link's allowed actions: an upload page
// only (upload), a folder browser with uploads (upload_download) and with
// rename, move, copy and delete (full); see visitor.go.
//
// The server prerenders it from Options.PeekShare and leaves that data in the
// page (#share-data) so the wasm's first render is the same page; the wasm
// then fetches the link itself, which counts the visit and sends the
// password cookie.
type Page struct {
	app.Compo
	peek   func(key string) *model.PublicShare // Options.PeekShare: nil in the browser
	key    string
	embed  bool
	share  *model.PublicShare
	items  []model.PublicAsset // in display order: grouped by folder path
	groups []shareGroup

	closed linkui.Closed // why the link cannot be used

	password    string
	err         string
	busy        bool
	open        int  // index into items of the file in the viewer, -1 when closed
	prerendered bool // rendered on the server from peek
	fromPage    bool // the wasm took the server's data: no fetch (OnNav)
	ready       bool
	fetched     bool     // this browser has had the link's answer (data-state)
	owner       ui.Owner // the page's own context: children's answers outlive them
	keys        app.Func
	enter       ui.EnterOpener // the tiles open on Enter's release

	invite string         // ?invite= of the address, sent once with the first load
	files  visitorFiles   // folder navigation, selection and changes (visitor_files.go)
	up     visitorUploads // the visitor's uploads (visitor.go)
	faces  visitorFaces   // search by people (faces.go)
}

// shareGroup is the files of one folder of a folder link.
type shareGroup struct {
	path  string
	items []int // indexes into SharePage.items
}

func (p *Page) OnInit() {
	p.open = -1
	if !app.IsClient {
		return
	}
	p.route(app.Window().URL().Path)
	// The prerendered page is still in the document: take its data so the
	// first render matches it instead of flashing "Loading…".
	var s model.PublicShare
	if ui.PageData("share-data", &s) && s.Key == p.key {
		p.use(&s)
		p.fromPage = true
	}
}

func (p *Page) OnPreRender(ctx app.Context) {
	p.route(ctx.Page().URL().Path)
	if p.peek == nil {
		return
	}
	if s := p.peek(p.key); s != nil && s.Kind == "share" {
		p.use(s)
		p.prerendered = true
		p.setTitle(ctx)
	}
}

func (p *Page) OnNav(ctx app.Context) {
	if p.route(ctx.Page().URL().Path) {
		p.share, p.items, p.groups, p.open = nil, nil, nil, -1
		p.closed, p.err, p.password, p.fetched, p.fromPage = linkui.Closed{}, "", "", false, false
		p.files = visitorFiles{}
	}
	if !app.IsClient {
		return
	}
	p.invite = ctx.Page().URL().Query().Get("invite")
	p.ready = true
	if p.fromPage && p.invite == "" {
		// The server sent this data and counted the visit
		// (webapp.SharePages): no second download of it.
		p.fromPage, p.fetched = false, true
		p.takeEarlyViewer(ctx)
		p.setTitle(ctx)
		return
	}
	p.load(ctx)
}

// takeEarlyViewer opens the app's viewer on the file the visitor opened
// before the app ran (visitor.js's light viewer, which it removes).
func (p *Page) takeEarlyViewer(ctx app.Context) {
	early := app.Window().Get("ferryEarly")
	if !early.Truthy() {
		return
	}
	id := early.Call("handOver").String()
	for i, it := range p.items {
		if id != "" && it.ID == id {
			p.show(ctx, i)
			return
		}
	}
	if id != "" {
		linkui.LockScroll(false) // the file is gone from the link
	}
}

func (p *Page) OnMount(ctx app.Context) {
	if !app.IsClient {
		return
	}
	p.owner.Set(ctx)
	p.keys = app.FuncOf(func(this app.Value, args []app.Value) any {
		key := args[0].Get("key").String()
		ctx.Dispatch(func(ctx app.Context) { p.onKey(ctx, key) })
		return nil
	})
	app.Window().Call("addEventListener", "keydown", p.keys)
	p.up.Listen(ctx, p)
}

func (p *Page) OnDismount() {
	if p.keys != nil {
		app.Window().Call("removeEventListener", "keydown", p.keys)
		p.keys.Release()
		p.keys = nil
	}
	p.up.Stop()
	linkui.LockScroll(false)
}

// route reads the key and the embed flag from the path and reports whether
// the key changed.
func (p *Page) route(path string) bool {
	p.embed = strings.HasSuffix(path, "/embed")
	key := strings.TrimSuffix(strings.TrimPrefix(path, "/s/"), "/embed")
	changed := p.key != "" && key != p.key
	p.key = key
	return changed
}

func (p *Page) load(ctx app.Context) {
	ctx = p.owner.Ctx(ctx) // a dialog that asked for it may be gone
	key, invite := p.key, p.invite
	ctx.Async(func() {
		var q url.Values
		if invite != "" {
			q = url.Values{"invite": {invite}}
		}
		s, err := publicAPI(key).PublicShare(key, q)
		ctx.Dispatch(func(ctx app.Context) {
			p.fetched = true
			if invite != "" {
				p.invited(s.Session, err)
			}
			if err == nil && s.Kind != "share" {
				err = &client.Error{Status: 404}
			}
			if err != nil {
				if _, ok := err.(*client.Error); !ok && p.share != nil {
					return // keep the prerendered gallery on a network hiccup
				}
				p.setClosed(err)
				return
			}
			p.closed = linkui.Closed{}
			p.use(&s)
			p.setTitle(ctx)
		})
	})
}

func (p *Page) retry(ctx app.Context, e app.Event) {
	p.closed = linkui.Closed{}
	p.load(ctx)
}

// use shows s, keeping the viewer on the same file if it is still shared.
func (p *Page) use(s *model.PublicShare) {
	openID := ""
	if p.open >= 0 && p.open < len(p.items) {
		openID = p.items[p.open].ID
	}
	p.share = s
	p.files.use(s)
	if p.browsingNow() {
		p.items, p.groups = p.files.current(s.Items)
	} else {
		p.items, p.groups = galleryGroups(p.faces.filter(s.Items))
	}
	p.up.use(s)
	p.open = -1
	for i, it := range p.items {
		if it.ID == openID {
			p.open = i
		}
	}
	if p.open < 0 {
		linkui.LockScroll(false)
	}
}

func (p *Page) setTitle(ctx app.Context) {
	title := shareName(p.share)
	desc := p.share.Description
	if app.IsServer {
		// go-app writes og:title and the description into attributes with
		// strconv.Quote, where a `"` would end the attribute.
		title = strings.ReplaceAll(title, `"`, "”")
		desc = strings.ReplaceAll(desc, `"`, "”")
	}
	ctx.Page().SetTitle("%s", title)
	if desc != "" {
		ctx.Page().SetDescription("%s", desc)
	}
}

func (p *Page) setClosed(err error) {
	e, _ := err.(*client.Error)
	switch {
	case e != nil && e.Code == "invitation_used":
		p.closed = linkui.Closed{ID: "share-invite-used", Title: "This invitation has already been used", Text: cmp.Or(ui.Sentence(e.Detail),
			"It was opened in another browser. A new link is on its way to the address it was sent to.")}
	case e != nil && e.Code == "invitation_invalid":
		p.closed = linkui.Closed{ID: "share-invite-invalid", Title: "This invitation is not valid", Text: cmp.Or(ui.Sentence(e.Detail),
			"Check that you opened the whole address from your email, or ask the sender for a new invitation.")}
	case e != nil && e.Code == "invitation_required":
		p.closed = inviteRequired()
	default:
		p.closed = linkui.ClosedBy(err, "share", "shared it")
	}
}

func (p *Page) unlock(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if !ui.Begin(&p.busy, &p.err, p.password, "Enter the password you were given with the link.") {
		return
	}
	key, pw := p.key, p.password
	ctx.Async(func() {
		s, err := publicAPI(key).UnlockShare(key, pw)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if e, ok := err.(*client.Error); ok && (e.Status == 404 || e.Status == 410 || e.Code == "link_locked") {
				p.setClosed(err) // the server's reason, on a page without the form
				return
			}
			if err == nil && s.NeedsPassword {
				err = &client.Error{Detail: "the server did not accept the password"}
			}
			if err != nil {
				p.err = ui.Sentence(err.Error())
				p.password = ""
				if in := app.Window().GetElementByID("share-password"); in.Truthy() {
					in.Set("value", "")
					in.Call("focus")
				}
				return
			}
			p.password = ""
			p.use(&s)
			p.setTitle(ctx)
			ui.FocusAfterRender("#share-title")
		})
	})
}

// The viewer.

func (p *Page) show(ctx app.Context, i int) {
	if i < 0 || i >= len(p.items) {
		return
	}
	p.open = i
	linkui.LockScroll(true)
	ctx.Defer(func(ctx app.Context) {
		if b := app.Window().GetElementByID("share-viewer-close"); b.Truthy() {
			b.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *Page) closeViewer(ctx app.Context) {
	if p.open < 0 {
		return
	}
	id := p.items[p.open].ID
	p.open = -1
	linkui.LockScroll(false)
	ctx = p.owner.Ctx(ctx) // the focus moves after the viewer that asked is gone
	ctx.Defer(func(ctx app.Context) {
		tile := app.Window().Get("document").Call("querySelector", `.gallery-tile[data-id="`+ui.CSSString(id)+`"]`)
		if tile.Truthy() {
			tile.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *Page) step(ctx app.Context, d int) {
	if p.open < 0 || len(p.items) == 0 {
		return
	}
	p.open = (p.open + d + len(p.items)) % len(p.items)
}

func (p *Page) onKey(ctx app.Context, key string) {
	if key == "Escape" && (p.files.dialog != nil || p.files.menu != "") {
		p.closeDialog(ctx)
		p.files.menu = ""
		return
	}
	if p.open < 0 {
		return
	}
	switch key {
	case "Escape":
		p.closeViewer(ctx)
	case "ArrowLeft":
		p.step(ctx, -1)
	case "ArrowRight":
		p.step(ctx, 1)
	}
}
