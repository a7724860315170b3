package app

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// SharePage is what a visitor of a share link sees at /s/{key}: who shared
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
type SharePage struct {
	app.Compo
	peek   func(key string) *model.PublicShare // Options.PeekShare: nil in the browser
	key    string
	embed  bool
	share  *model.PublicShare
	items  []model.PublicAsset // in display order: grouped by folder path
	groups []shareGroup

	closedT, closed string // why the link cannot be used
	closedID        string // share-missing or share-closed
	failed          bool   // the server could not be reached: offer a retry

	password    string
	err         string
	busy        bool
	open        int     // index into items of the file in the viewer, -1 when closed
	touchX      float64 // where a swipe on the viewer started
	loaded      string  // the viewer's preview that has loaded (absolute URL)
	prerendered bool    // rendered on the server from peek
	ready       bool
	fetched     bool // this browser has had the link's answer (data-state)
	keys        app.Func

	mounted *app.Context // the page's own context: a dialog's dies with the dialog
	invite  string       // ?invite= of the address, sent once with the first load
	reg     registrationForm
	files   visitorFiles   // folder navigation, selection and changes (visitor_files.go)
	up      visitorUploads // the visitor's uploads (visitor.go)
	faces   visitorFaces   // search by people (faces.go)
}

// shareGroup is the files of one folder of a folder link.
type shareGroup struct {
	path  string
	items []int // indexes into SharePage.items
}

func (p *SharePage) OnInit() {
	p.open = -1
	if !app.IsClient {
		return
	}
	p.route(app.Window().URL().Path)
	// The prerendered page is still in the document: take its data so the
	// first render matches it instead of flashing "Loading…".
	el := app.Window().GetElementByID("share-data")
	if !el.Truthy() {
		return
	}
	var s model.PublicShare
	b, err := base64.StdEncoding.DecodeString(el.Call("getAttribute", "data-share").String())
	if err == nil && json.Unmarshal(b, &s) == nil && s.Key == p.key {
		p.use(&s)
	}
}

func (p *SharePage) OnPreRender(ctx app.Context) {
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

func (p *SharePage) OnNav(ctx app.Context) {
	if p.route(ctx.Page().URL().Path) {
		p.share, p.items, p.groups, p.open = nil, nil, nil, -1
		p.closedT, p.err, p.password, p.fetched = "", "", "", false
		p.reg, p.files = registrationForm{}, visitorFiles{}
	}
	if !app.IsClient {
		return
	}
	p.invite = ctx.Page().URL().Query().Get("invite")
	p.ready = true
	p.load(ctx)
}

func (p *SharePage) OnMount(ctx app.Context) {
	if !app.IsClient {
		return
	}
	p.mounted = &ctx
	p.keys = app.FuncOf(func(this app.Value, args []app.Value) any {
		key := args[0].Get("key").String()
		ctx.Dispatch(func(ctx app.Context) { p.onKey(ctx, key) })
		return nil
	})
	app.Window().Call("addEventListener", "keydown", p.keys)
	p.up.listen(ctx, p)
}

func (p *SharePage) OnDismount() {
	if p.keys != nil {
		app.Window().Call("removeEventListener", "keydown", p.keys)
		p.keys.Release()
		p.keys = nil
	}
	p.up.stop()
	p.mounted = nil
	galleryLockScroll(false)
}

// route reads the key and the embed flag from the path and reports whether
// the key changed.
func (p *SharePage) route(path string) bool {
	p.embed = strings.HasSuffix(path, "/embed")
	key := strings.TrimSuffix(strings.TrimPrefix(path, "/s/"), "/embed")
	changed := p.key != "" && key != p.key
	p.key = key
	return changed
}

func (p *SharePage) load(ctx app.Context) {
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
			p.closedT, p.failed = "", false
			p.use(&s)
			p.setTitle(ctx)
			if s.FaceSearch && !p.faces.loaded {
				p.loadPeople(ctx)
			}
		})
	})
}

func (p *SharePage) retry(ctx app.Context, e app.Event) {
	p.closedT, p.failed = "", false
	p.load(ctx)
}

// use shows s, keeping the viewer on the same file if it is still shared.
func (p *SharePage) use(s *model.PublicShare) {
	openID := ""
	if p.open >= 0 && p.open < len(p.items) {
		openID = p.items[p.open].ID
	}
	p.share = s
	p.files.use(s)
	if p.files.browsing() {
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
		galleryLockScroll(false)
	}
}

func (p *SharePage) setTitle(ctx app.Context) {
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

func (p *SharePage) setClosed(err error) {
	p.closedID, p.failed = "share-closed", false
	e, ok := err.(*client.Error)
	switch {
	case ok && e.Status == 404:
		p.closedID = "share-missing"
		p.closedT, p.closed = "Share not found", "This link does not exist or its owner has revoked it. Check the address you were given."
	case ok && e.Code == "link_expired":
		p.closedT, p.closed = "This link has expired", "Ask the person who shared it for a new link."
	case ok && e.Code == "link_used_up":
		p.closedT, p.closed = "This link has reached its maximum number of uses", "Ask the person who shared it for a new link."
	case ok && e.Code == "link_locked":
		p.closedT, p.closed = "This link is locked", cmp.Or(sentence(e.Detail), "Too many wrong passwords were tried. Ask the person who shared it to unlock it.")
	case ok && e.Code == "invitation_used":
		p.closedID = "share-invite-used"
		p.closedT, p.closed = "This invitation has already been used", cmp.Or(sentence(e.Detail),
			"It was opened in another browser. A new link is on its way to the address it was sent to.")
	case ok && e.Code == "invitation_invalid":
		p.closedID = "share-invite-invalid"
		p.closedT, p.closed = "This invitation is not valid", cmp.Or(sentence(e.Detail),
			"Check that you opened the whole address from your email, or ask the sender for a new invitation.")
	case ok && e.Code == "invitation_required":
		p.closedID = "share-invite-required"
		p.closedT, p.closed = "This link opens only from the invitation emailed to you",
			"Open it with the link in your email, in the browser you first used. If it was forwarded to you, ask the sender for an invitation of your own."
	case ok && e.Status == 410:
		p.closedT, p.closed = "This link is no longer active", cmp.Or(sentence(e.Detail), "Ask the person who shared it for a new link.")
	case ok:
		p.closedT, p.closed = "Something went wrong", sentence(err.Error())
	default:
		p.closedT, p.closed, p.failed = "Cannot reach the server", sentence(err.Error()), true
	}
}

func (p *SharePage) unlock(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	if p.password == "" {
		p.err = "Enter the password you were given with the link."
		return
	}
	p.busy, p.err = true, ""
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
				p.err = sentence(err.Error())
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
			focusAfterRender("#share-title")
		})
	})
}

// The viewer.

func (p *SharePage) show(ctx app.Context, i int) {
	if i < 0 || i >= len(p.items) {
		return
	}
	p.open = i
	galleryLockScroll(true)
	ctx.Defer(func(ctx app.Context) {
		if b := app.Window().GetElementByID("share-viewer-close"); b.Truthy() {
			b.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *SharePage) closeViewer(ctx app.Context) {
	if p.open < 0 {
		return
	}
	id := p.items[p.open].ID
	p.open = -1
	galleryLockScroll(false)
	ctx.Defer(func(ctx app.Context) {
		tile := app.Window().Get("document").Call("querySelector", `.gallery-tile[data-id="`+cssString(id)+`"]`)
		if tile.Truthy() {
			tile.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *SharePage) step(ctx app.Context, d int) {
	if p.open < 0 || len(p.items) == 0 {
		return
	}
	p.open = (p.open + d + len(p.items)) % len(p.items)
}

func (p *SharePage) onKey(ctx app.Context, key string) {
	if key == "Escape" && (p.files.dialog != nil || p.files.menu != "") {
		p.closeDialog(ctx, app.Event{})
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

// galleryLockScroll stops the page behind the viewer from scrolling.
func galleryLockScroll(on bool) {
	if !app.IsClient {
		return
	}
	cl := app.Window().Get("document").Get("documentElement").Get("classList")
	if on {
		cl.Call("add", "sv-lock")
	} else {
		cl.Call("remove", "sv-lock")
	}
}

// Rendering.

func (p *SharePage) Render() app.UI {
	var body app.UI
	switch {
	case p.closedT != "":
		body = p.renderClosed()
	case p.share == nil:
		body = app.Div().Class("gal-loading").Body(app.Div().Class("spinner"), app.Span().Class("sr-only").Text("Loading…"))
	case p.share.NeedsPassword || shareGate(p.share) == "password":
		body = p.renderPassword()
	case shareGate(p.share) == "invite":
		body = p.renderInviteRequired()
	case shareGate(p.share) == "registration" || shareGate(p.share) == "clickwrap":
		body = p.renderRegistration()
	case uploadOnly(p.share):
		body = p.renderUploadOnly()
	default:
		body = p.renderGallery()
	}
	cls := "pub gal"
	if p.embed {
		cls += " gal-embed"
	}
	site := "Ferry"
	if p.share != nil && p.share.SiteName != "" {
		site = p.share.SiteName
	}
	viewing := p.open >= 0 && p.open < len(p.items)
	top := app.Header().Class("pub-top gal-top").Body(logo(), app.Span().Text(site))
	main := app.Main().Class("gal-main").Body(body)
	if viewing {
		// The viewer is modal: the page behind takes no focus and is not read out.
		top, main = top.Attr("inert", "inert"), main.Attr("inert", "inert")
	}
	// Ready once this browser's own fetch of the link has been drawn (the
	// prerendered share may be there before it).
	return app.Div().Class(cls).DataSet("state", pageState(p.fetched, "")).Body(
		app.If(!p.embed, func() app.UI { return top }),
		main,
		app.If(viewing, p.renderViewer),
		app.If(app.IsServer && p.prerendered, p.renderData),
		app.If(p.files.dialog != nil, p.renderFilesDialog),
		appReady(p.ready),
		&toaster{},
	)
}

// renderData leaves the prerendered share in the page for the wasm's first
// render (see OnInit), in base64: go-app writes attributes with
// strconv.Quote, which would double the JSON's backslashes.
func (p *SharePage) renderData() app.UI {
	b, err := json.Marshal(p.share)
	if err != nil {
		return nil
	}
	return app.Div().ID("share-data").Hidden(true).DataSet("share", base64.StdEncoding.EncodeToString(b))
}

func (p *SharePage) renderClosed() app.UI {
	iconName := "share"
	if p.closedID != "share-missing" && !p.failed {
		iconName = "lock"
	}
	return app.Div().Class("pub-closed gal-closed").ID(p.closedID).Body(
		app.Div().Class("pub-closed-icon").Body(galleryIcon(iconName)),
		app.H1().Text(p.closedT),
		app.P().Class("muted").Text(p.closed),
		app.If(p.failed, func() app.UI {
			return app.Div().Class("gal-closed-actions").Body(button("Try again", "secondary", p.retry))
		}),
	)
}

func (p *SharePage) renderPassword() app.UI {
	s := p.share
	label := "View files"
	if p.busy {
		label = "Checking…"
	}
	return app.Div().Class("pub-card gal-lockcard").Body(
		app.Div().Class("gal-lock").Body(galleryIcon("lock")),
		app.H1().Text(shareName(s)),
		app.P().Class("muted").Text(p.lockText()),
		app.Form().Class("gal-password").ID("share-password-form").OnSubmit(p.unlock).Body(
			app.Label().For("share-password").Class("field-label").Text("Password"),
			app.Input().Type("password").ID("share-password").Name("password").
				Attr("autocomplete", "current-password").Required(true).AutoFocus(true).
				Value(p.password).OnInput(p.ValueTo(&p.password)),
			errorBox(p.err),
			app.Button().Type("submit").ID("share-password-submit").Class("btn btn-primary btn-block").Disabled(p.busy).Text(label),
		),
		app.If(s.ExpiresAt != nil, func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text("Available until " + galleryDate(*s.ExpiresAt))
		}),
	)
}

func (p *SharePage) lockText() string {
	if p.share.OwnerName != "" {
		return p.share.OwnerName + " protected these files with a password. Enter it to see them."
	}
	return "These files are protected with a password. Enter it to see them."
}

func (p *SharePage) renderGallery() app.UI {
	s := p.share
	return app.Div().Class("gal-page").Body(
		p.renderHead(),
		app.If(s.FaceSearch && !p.files.browsing(), p.renderFaces),
		app.If(p.up.inboxOpen, p.renderInbox),
		app.If(p.files.browsing(), p.renderBrowser).ElseIf(len(p.items) == 0, func() app.UI {
			return app.Div().Class("card gal-empty").Body(emptyState("image", "Nothing here yet", "The files of this link were removed, or none have been added yet.", nil))
		}).Else(func() app.UI {
			return app.Div().Class("gal-groups").Body(
				app.Range(p.groups).Slice(func(g int) app.UI { return p.renderGroup(p.groups[g]) }),
			)
		}),
		app.If(p.embed, func() app.UI {
			site := cmp.Or(s.SiteName, "Ferry")
			return app.Footer().Class("gal-embed-foot").Body(
				app.A().Href(attrText("/s/"+p.key)).Target("_blank").Rel("noopener").Body(
					logo(), app.Span().Text("Open on "+site),
				),
			)
		}),
	)
}

// shareFacts are the first facts under a share page's title: who shared
// it and until when (untilLabel) it is open.
func shareFacts(s *model.PublicShare, untilLabel string) []app.UI {
	var facts []app.UI
	if s.OwnerName != "" {
		facts = append(facts, app.Span().Class("gal-fact gal-owner").Body(
			app.Span().Class("avatar sm").Text(initials(s.OwnerName)),
			app.Span().Text("Shared by "+s.OwnerName),
		))
	}
	if s.ExpiresAt != nil {
		facts = append(facts, app.Span().Class("gal-fact gal-expiry").Body(
			galleryIcon("clock"), app.Span().Text(untilLabel+" "+galleryDate(*s.ExpiresAt)),
		))
	}
	return facts
}

func (p *SharePage) renderHead() app.UI {
	s := p.share
	var total int64
	for _, it := range s.Items {
		total += it.Filesize
	}
	facts := shareFacts(s, "Available until")
	facts = append(facts, app.Span().Class("gal-fact gal-count").Body(
		galleryIcon("image"), app.Span().Text(plural(len(s.Items), "file", "files")+" · "+humanBytes(total)),
	))
	// A folder's name says where the files come from; a collection made for
	// the link ("New collection from …") or the one shared file says nothing
	// the page does not show already.
	var eyebrow string
	if s.TargetType == "folder" && s.Title != "" && s.Title != shareName(s) {
		eyebrow = s.Title
	}
	return app.Header().Class("gal-head").Body(
		app.Div().Class("gal-head-text").Body(
			app.If(eyebrow != "", func() app.UI {
				return app.P().Class("pub-eyebrow gal-eyebrow").Body(galleryIcon("folder"), app.Span().Text(eyebrow))
			}),
			app.H1().ID("share-title").TabIndex(-1).Text(shareName(s)),
			app.If(s.Description != "", func() app.UI {
				lines := strings.Split(s.Description, "\n")
				return app.Div().Class("gal-desc").Body(
					app.Range(lines).Slice(func(i int) app.UI { return app.P().Text(lines[i]) }),
				)
			}),
			app.Div().Class("gal-facts").Body(facts...),
		),
		app.If(s.ZipURL != "" || inbox(s), func() app.UI {
			return app.Div().Class("gal-actions").Body(
				app.If(inbox(s), p.renderInboxButton),
				app.If(s.ZipURL != "", func() app.UI {
					return app.A().ID("download-all").Class("btn btn-primary gal-zip").
						Href(attrText(s.ZipURL)).Download(attrText(galleryZipName(shareName(s)))).
						Body(galleryIcon("download"), app.Span().Text("Download all"), app.Span().Class("gal-zip-size").Text(humanBytes(s.ZipBytes)))
				}),
			)
		}),
	)
}

func (p *SharePage) renderGroup(g shareGroup) app.UI {
	showLabel := !p.files.browsing() && (len(p.groups) > 1 || g.path != "")
	label := g.path
	if label == "" {
		label = cmp.Or(p.share.Title, "Top level")
	}
	parts := strings.Split(label, "/")
	return app.Section().Class("gal-group").DataSet("path", attrText(g.path)).Body(
		app.If(showLabel, func() app.UI {
			return app.H2().Class("gal-path").Body(
				galleryIcon("folder"),
				app.Range(parts).Slice(func(i int) app.UI {
					if i == len(parts)-1 {
						return app.Span().Class("gal-path-last").Text(parts[i])
					}
					return app.Span().Class("gal-path-part").Body(app.Span().Text(parts[i]), app.Span().Class("gal-path-sep").Text("/"))
				}),
				app.Span().Class("gal-path-count").Text(strconv.Itoa(len(g.items))),
			)
		}),
		app.Div().Class("gallery-grid").Body(
			app.Range(g.items).Slice(func(i int) app.UI { return p.renderTile(g.items[i]) }),
		),
	)
}

func (p *SharePage) renderTile(i int) app.UI {
	it := p.items[i]
	href := it.PreviewURL
	if href == "" {
		href = "#" + it.ID
	}
	var media app.UI
	if it.ThumbURL != "" {
		media = app.Img().Class("gallery-thumb").Src(attrText(it.ThumbURL)).Alt(attrText(it.Name)).Loading("lazy").Attr("decoding", "async").Draggable(false)
	} else {
		media = app.Div().Class("gallery-file").Body(
			galleryIcon(galleryFileIcon(it.Filetype)),
			app.Span().Class("gallery-ext").Text(galleryExt(it.Name, it.Filetype)),
		)
	}
	tile := app.A().Class("gallery-tile "+galleryFileClass(it.Filetype)).DataSet("id", attrText(it.ID)).
		Href(attrText(href)).Title(attrText(it.Name)).
		OnClick(func(ctx app.Context, e app.Event) {
			if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
				return // the browser opens the preview in a new tab or window
			}
			e.PreventDefault()
			e.StopImmediatePropagation() // go-app would follow the href
			p.show(ctx, i)
		}).
		Body(
			app.Div().Class("gallery-media").Body(media, scrubStrip(it.SpriteURL, it.SpriteFrames),
				app.If(it.PlayURL != "" && it.Duration > 0, func() app.UI {
					return app.Span().Class("thumb-badge").Body(galleryIcon("play"), app.Text(" "+clockTime(it.Duration)))
				})),
			app.Div().Class("gallery-caption").Body(
				app.Span().Class("gallery-name").Text(it.Name),
				app.Span().Class("gallery-sub").Text(galleryExt(it.Name, it.Filetype)+" · "+humanBytes(it.Filesize)),
			),
		)
	if p.share.CanModify {
		return p.files.renderManaged(p, it.ID, it.Name, false, tile)
	}
	return tile
}

func (p *SharePage) renderViewer() app.UI {
	it := p.items[p.open]
	n := len(p.items)
	return app.Div().ID("share-viewer").Class("sv").Attr("role", "dialog").Attr("aria-modal", "true").Attr("aria-label", attrText(it.Name)).DataSet("id", attrText(it.ID)).Body(
		app.Div().Class("sv-stage").
			On("touchstart", func(ctx app.Context, e app.Event) {
				p.touchX = e.Get("changedTouches").Index(0).Get("clientX").Float()
			}).
			On("touchend", func(ctx app.Context, e app.Event) {
				// A horizontal swipe on the picture goes to the next or previous file.
				switch dx := e.Get("changedTouches").Index(0).Get("clientX").Float() - p.touchX; {
				case dx > 60:
					p.step(ctx, -1)
				case dx < -60:
					p.step(ctx, 1)
				}
			}).
			Body(
				app.Div().Class("sv-bar").Body(
					app.Span().Class("sv-count").Text(strconv.Itoa(p.open+1)+" / "+strconv.Itoa(n)),
					app.Span().Class("sv-title").Text(it.Name),
					app.Button().Type("button").ID("share-viewer-close").Class("sv-btn sv-close").Attr("aria-label", "Close (Esc)").Title("Close (Esc)").
						OnClick(func(ctx app.Context, e app.Event) { p.closeViewer(ctx) }).Body(galleryIcon("x")),
				),
				p.renderStage(it),
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-navs").Body(
						app.Button().Type("button").ID("share-viewer-prev").Class("sv-btn sv-nav sv-prev").Attr("aria-label", "Previous (←)").Title("Previous (←)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, -1) }).Body(galleryIcon("chevron-left")),
						app.Button().Type("button").ID("share-viewer-next").Class("sv-btn sv-nav sv-next").Attr("aria-label", "Next (→)").Title("Next (→)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, 1) }).Body(galleryIcon("chevron-right")),
					)
				}),
				// The neighbours' previews load while this one is looked at.
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-preload").Attr("aria-hidden", "true").Body(
						galleryPreload(p.items[(p.open+1)%n].PreviewURL),
						galleryPreload(p.items[(p.open-1+n)%n].PreviewURL),
					)
				}),
			),
		app.Aside().Class("sv-panel").Body(
			app.Div().Class("sv-head").Body(
				app.H2().Class("sv-name").Text(it.Name),
				app.If(it.Path != "", func() app.UI {
					return app.P().Class("sv-path muted small").Body(galleryIcon("folder"), app.Span().Text(it.Path))
				}),
			),
			p.renderDownloads(it),
			app.Div().Class("sv-section").Body(
				app.H3().Text("Details"),
				app.Dl().Class("meta sv-meta").Body(assetDetails(it)...),
			),
		),
	)
}

func galleryPreload(src string) app.UI {
	if src == "" {
		return nil
	}
	return decorativeImg().Src(attrText(src))
}

func (p *SharePage) renderStage(it model.PublicAsset) app.UI {
	switch {
	case it.PlayURL != "" && it.MediaKind == "audio":
		return app.Div().Class("sv-file").Body(
			app.Div().Class("sv-file-icon").Body(galleryIcon(galleryFileIcon(it.Filetype))),
			app.Audio().ID("share-viewer-player").Controls(true).Preload("metadata").Src(attrText(it.PlayURL)),
		)
	case it.PlayURL != "":
		// The proxy plays (poster first) on every link that shows the file,
		// view-only ones too: watching is viewing.
		return app.Div().Class("sv-frame").Body(
			app.Video().ID("share-viewer-player").Class("sv-img sv-video").Controls(true).Preload("metadata").
				Attr("playsinline", true).Poster(attrText(it.PreviewURL)).Src(attrText(it.PlayURL)).
				// A watermarked proxy may still be being made (503): the poster shows and the player tries again.
				On("error", func(ctx app.Context, e app.Event) {
					v := ctx.JSSrc()
					ctx.After(3*time.Second, func(app.Context) { v.Call("load") })
				}),
		)
	}
	if it.PreviewURL != "" {
		// Going to the next file changes the src of the same img: until the
		// new preview has loaded, the old one must not show under the new name.
		previewCls := "sv-img"
		if !strings.HasSuffix(p.loaded, it.PreviewURL) {
			previewCls += " is-loading"
		}
		return app.Div().Class("sv-frame").Body(
			// The thumbnail is already loaded: it fills the frame until the
			// large preview arrives on top of it.
			app.If(it.ThumbURL != "", func() app.UI {
				return decorativeImg().Class("sv-img sv-img-low").Src(attrText(it.ThumbURL))
			}),
			app.Img().ID("share-viewer-img").Class(previewCls).Src(attrText(it.PreviewURL)).Alt(attrText(it.Name)).
				OnLoad(func(ctx app.Context, e app.Event) { p.loaded = ctx.JSSrc().Get("src").String() }),
		)
	}
	msg := "No preview for this file."
	if len(it.Downloads) > 0 {
		msg = "No preview for this file. Download it to open it."
	}
	return app.Div().Class("sv-file "+galleryFileClass(it.Filetype)).Body(
		app.Div().Class("sv-file-icon").Body(galleryIcon(galleryFileIcon(it.Filetype)), app.Span().Class("gallery-ext").Text(galleryExt(it.Name, it.Filetype))),
		app.P().Text(msg),
	)
}

func (p *SharePage) renderDownloads(it model.PublicAsset) app.UI {
	if len(it.Downloads) == 0 {
		msg := "The person who shared this link allows previews only: files cannot be downloaded."
		if p.share.CanDownload {
			msg = "This link offers no download of this file."
		}
		return app.P().Class("sv-nodl muted small").Text(msg)
	}
	return app.Div().Class("sv-downloads").Body(
		app.Range(it.Downloads).Slice(func(i int) app.UI {
			d := it.Downloads[i]
			cls := "btn btn-secondary share-download"
			if i == 0 {
				cls = "btn btn-primary share-download"
			}
			label := cmp.Or(d.Label, d.Kind)
			return app.A().Class(cls).DataSet("kind", attrText(d.Kind)).Href(attrText(d.URL)).Download(attrText(cmp.Or(d.Name, it.Name))).Body(
				galleryIcon("download"),
				app.Span().Class("share-download-label").Text(label),
				app.If(d.Size > 0, func() app.UI { return app.Span().Class("share-download-size").Text(humanBytes(d.Size)) }),
			)
		}),
	)
}

// Helpers on the JSON types.

func shareName(s *model.PublicShare) string {
	return cmp.Or(strings.TrimSpace(s.Name), cmp.Or(s.Title, "Shared files"))
}

// assetDetails are the viewer's property rows: type, size, dimensions, then what
// the camera recorded, then any other property the server sent.
func assetDetails(a model.PublicAsset) []app.UI {
	var rows []app.UI
	add := func(k, v string) { rows = append(rows, metaRow(k, v)...) }
	pr := propMap(a.Properties)
	str := func(k string) string { return galleryProp(pr[k]) }
	add("Type", cmp.Or(a.Filetype, galleryExt(a.Name, "")))
	add("Size", humanBytes(a.Filesize))
	if a.Duration > 0 {
		add("Duration", clockTime(a.Duration))
	}
	if a.FPS > 0 {
		add("Frame rate", strconv.FormatFloat(a.FPS, 'f', -1, 64)+" fps")
	}
	w, h := a.Width, a.Height
	if w == 0 {
		w, _ = strconv.Atoi(str("width"))
		h, _ = strconv.Atoi(str("height"))
	}
	if w > 0 && h > 0 {
		add("Dimensions", strconv.Itoa(w)+" × "+strconv.Itoa(h)+" px")
	}
	if t, err := time.Parse(time.RFC3339, str("taken_at")); err == nil {
		add("Taken", t.Format("2 Jan 2006, 15:04"))
	} else {
		add("Taken", str("taken_at"))
	}
	maker, model := str("camera_make"), str("camera_model")
	if maker != "" && strings.HasPrefix(strings.ToLower(model), strings.ToLower(maker)) {
		maker = "" // "Canon" + "Canon EOS R5"
	}
	add("Camera", strings.TrimSpace(maker+" "+model))
	add("Lens", str("lens_model"))
	var exp []string
	if f := str("f_number"); f != "" {
		exp = append(exp, "f/"+strings.TrimPrefix(f, "f/"))
	}
	if t := str("exposure_time"); t != "" {
		exp = append(exp, strings.TrimSuffix(t, " s")+" s")
	}
	if iso := str("iso"); iso != "" && iso != "0" {
		exp = append(exp, "ISO "+iso)
	}
	if fl := str("focal_length"); fl != "" {
		exp = append(exp, fl)
	}
	for i := range exp {
		exp[i] = strings.ReplaceAll(exp[i], " ", "\u00a0") // "1/250 s" stays on one line
	}
	add("Exposure", strings.Join(exp, " · "))
	var codecs []string
	if v := str("video_codec"); v != "" {
		codecs = append(codecs, v)
	}
	if au := str("audio_codec"); au != "" {
		if ch := str("audio_channels"); ch != "" && ch != "0" {
			au += ", " + ch + " ch"
		}
		codecs = append(codecs, au)
	}
	add("Codecs", strings.Join(codecs, " · "))
	if br, err := strconv.ParseFloat(str("bit_rate"), 64); err == nil && br > 0 {
		add("Bit rate", strconv.FormatFloat(br/1e6, 'f', 1, 64)+" Mbit/s")
	}
	var other []string
	for k := range pr {
		if !galleryKnownProps[k] {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	for _, k := range other {
		add(galleryPropLabel(k), str(k))
	}
	return rows
}

// propMap is p as its JSON object: the rows read each property by the
// name the API gives it.
func propMap(p *model.Properties) map[string]any {
	m := map[string]any{}
	if p != nil {
		b, _ := json.Marshal(p)
		_ = json.Unmarshal(b, &m)
	}
	return m
}

var galleryKnownProps = map[string]bool{
	"width": true, "height": true, "taken_at": true, "camera_make": true, "camera_model": true,
	"lens_model": true, "iso": true, "exposure_time": true, "f_number": true, "focal_length": true,
	"frame_rate": true, "video_codec": true, "audio_codec": true, "bit_rate": true, "audio_channels": true,
	"sample_rate": true, "rotation": true,
}

// galleryProp writes a property's JSON value; nested values are left out.
func galleryProp(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "Yes"
		}
		return "No"
	}
	return ""
}

// galleryPropLabel turns "color_space" into "Color space".
func galleryPropLabel(k string) string {
	k = strings.ReplaceAll(k, "_", " ")
	if k == "" {
		return k
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// galleryGroups orders a share's files folder by folder, the link's top level
// first, keeping the server's order inside a folder.
func galleryGroups(items []model.PublicAsset) ([]model.PublicAsset, []shareGroup) {
	ordered := append([]model.PublicAsset(nil), items...)
	sort.SliceStable(ordered, func(i, j int) bool { return galleryPathLess(ordered[i].Path, ordered[j].Path) })
	var groups []shareGroup
	for i, it := range ordered {
		if len(groups) == 0 || groups[len(groups)-1].path != it.Path {
			groups = append(groups, shareGroup{path: it.Path})
		}
		g := &groups[len(groups)-1]
		g.items = append(g.items, i)
	}
	return ordered, groups
}

// galleryPathLess compares folder paths segment by segment, so a folder's
// subfolders follow it.
func galleryPathLess(a, b string) bool {
	if a == "" || b == "" {
		return a == "" && b != ""
	}
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if x, y := strings.ToLower(as[i]), strings.ToLower(bs[i]); x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

func galleryFileIcon(filetype string) string {
	switch {
	case strings.HasPrefix(filetype, "image/"):
		return "image"
	case strings.HasPrefix(filetype, "video/"):
		return "video"
	case strings.HasPrefix(filetype, "audio/"):
		return "audio"
	case filetype == "application/pdf":
		return "pdf"
	}
	return "file"
}

func galleryFileClass(filetype string) string { return "is-" + galleryFileIcon(filetype) }

// galleryExt is the short type label of a tile: the extension, else the MIME subtype.
func galleryExt(name, filetype string) string {
	if i := strings.LastIndex(name, "."); i > 0 && len(name)-i <= 6 {
		return strings.ToUpper(name[i+1:])
	}
	if i := strings.Index(filetype, "/"); i >= 0 {
		return strings.ToUpper(filetype[i+1:])
	}
	return "FILE"
}

// galleryZipName is the suggested name of the Download all archive (the server's
// Content-Disposition wins where it names one).
func galleryZipName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '"' || r < ' ':
			b.WriteRune('-')
		default:
			b.WriteRune(r)
		}
	}
	return cmp.Or(strings.TrimSpace(b.String()), "files") + ".zip"
}

// galleryDate writes a date the same on the server and in every browser, so
// the prerendered page and the app agree.
func galleryDate(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// attrText makes a value safe for an attribute of a prerendered page:
// go-app v10.1.11 writes attribute values with strconv.Quote, where a `"`
// ends the attribute (a file name could add attributes of its own). The
// browser decodes the entities, so the page reads the same as the app's.
func attrText(s string) string {
	if app.IsServer {
		return html.EscapeString(s)
	}
	return s
}

// cssString escapes s for a double-quoted CSS string in a selector.
func cssString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

var galleryIcons = map[string]string{
	"lock":          `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"clock":         `<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`,
	"chevron-left":  `<path d="M15 18l-6-6 6-6"/>`,
	"chevron-right": `<path d="M9 18l6-6-6-6"/>`,
}

// galleryIcon is icon with the few glyphs only the public pages use.
func galleryIcon(name string) app.UI {
	p, ok := galleryIcons[name]
	if !ok {
		return icon(name)
	}
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + p + `</svg>`)
}
