package share

import (
	"cmp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Rendering.

func (p *Page) Render() app.UI {
	var body app.UI
	switch {
	case p.closed.IsClosed():
		body = p.closed.UI("share", p.retry)
	case p.share == nil:
		body = app.Div().Class("gal-loading").Body(ui.Spinner(), app.Span().Class("sr-only").Text("Loading…"))
	case p.share.NeedsPassword || shareGate(p.share) == "password":
		body = p.renderPassword()
	case shareGate(p.share) == "invite":
		body = p.renderInviteRequired()
	case shareGate(p.share) == "registration" || shareGate(p.share) == "clickwrap":
		body = &registration{Key: p.key, Share: p.share, OnDone: p.registered, OnClosed: p.setClosed}
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
	top := app.Header().Class("pub-top gal-top").Body(ui.Logo(), app.Span().Text(site))
	main := app.Main().Class("gal-main").Body(body)
	if viewing {
		// The viewer is modal: the page behind takes no focus and is not read out.
		top, main = top.Attr("inert", "inert"), main.Attr("inert", "inert")
	}
	// Ready once this browser's own fetch of the link has been drawn (the
	// prerendered share may be there before it).
	return app.Div().Class(cls).DataSet("state", ui.PageState(p.fetched, "")).Body(
		app.If(!p.embed, func() app.UI { return top }),
		main,
		app.If(viewing, func() app.UI {
			return &viewer{Items: p.items, Index: p.open, CanDownload: p.share.CanDownload, OnClose: p.closeViewer, OnStep: p.step}
		}),
		// The gallery's data for the wasm's first render; a password gate
		// has none: the app loads the link with the visitor's cookie.
		app.If(app.IsServer && p.prerendered && len(p.share.Needs) == 0, func() app.UI { return ui.PageDataUI("share-data", p.share) }),
		app.If(p.files.dialog != nil, func() app.UI {
			return &filesDialog{Key: p.key, Action: *p.files.dialog, Folders: p.files.folders, Path: p.files.path, ParentID: p.files.currentID(),
				OnClose: func(ctx app.Context) { p.files.dialog = nil }, OnDone: p.dialogDone, OnReload: p.load, OnClosed: p.dialogClosed}
		}),
		ui.AppReady(p.ready),
		&shell.Toaster{},
	)
}

func (p *Page) renderPassword() app.UI {
	s := p.share
	foot := ""
	if s.ExpiresAt != nil {
		foot = "Available until " + ui.DayDate(*s.ExpiresAt)
	}
	return linkui.PasswordGate{Kind: "share", Title: shareName(s), Lead: p.lockText(), Submit: "View files", Foot: foot,
		Password: p.password, Busy: p.busy, Err: p.err, OnInput: p.ValueTo(&p.password), OnSubmit: p.unlock}.UI()
}

func (p *Page) lockText() string {
	if p.share.OwnerName != "" {
		return p.share.OwnerName + " protected these files with a password. Enter it to see them."
	}
	return "These files are protected with a password. Enter it to see them."
}

func (p *Page) renderGallery() app.UI {
	s := p.share
	return app.Div().Class("gal-page").Body(
		p.renderHead(),
		app.If(s.FaceSearch && (!p.files.browsing() || mixed(s)), func() app.UI {
			return &faceStrip{Key: p.key, Person: p.faces.person, Selfie: p.faces.selfie, Matches: len(p.faces.matches),
				OnMatch: p.matched, OnClear: p.clearFaces}
		}),
		app.If(p.up.inboxOpen, p.renderInbox),
		app.If(p.browsingNow(), p.renderBrowser).ElseIf(len(p.items) == 0, func() app.UI {
			return app.Div().Class("card gal-empty").Body(ui.EmptyState("image", "Nothing here yet", "The files of this link were removed, or none have been added yet.", nil))
		}).Else(func() app.UI {
			var manage func(id, name string, tile app.UI) app.UI
			if s.CanModify {
				manage = p.manage
			}
			return &galleryGrid{Items: p.items, Groups: p.groups, Title: s.Title, Manage: manage, OnOpen: p.show}
		}),
		app.If(p.embed, func() app.UI {
			site := cmp.Or(s.SiteName, "Ferry")
			return app.Footer().Class("gal-embed-foot").Body(
				app.A().Href(ui.AttrText("/s/"+p.key)).Target("_blank").Rel("noopener").Body(
					ui.Logo(), app.Span().Text("Open on "+site),
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
			app.Span().Class("avatar sm").Text(ui.Initials(s.OwnerName)),
			app.Span().Text("Shared by "+s.OwnerName),
		))
	}
	if s.ExpiresAt != nil {
		facts = append(facts, app.Span().Class("gal-fact gal-expiry").Body(
			ui.Icon("clock"), app.Span().Text(untilLabel+" "+ui.DayDate(*s.ExpiresAt)),
		))
	}
	return facts
}

func (p *Page) renderHead() app.UI {
	s := p.share
	var total int64
	for _, it := range s.Items {
		total += it.Filesize
	}
	facts := shareFacts(s, "Available until")
	facts = append(facts, app.Span().Class("gal-fact gal-count").Body(
		ui.Icon("image"), app.Span().Text(ui.Plural(len(s.Items), "file", "files")+" · "+ui.HumanBytes(total)),
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
				return app.P().Class("pub-eyebrow gal-eyebrow").Body(ui.Icon("folder"), app.Span().Text(eyebrow))
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
						Href(ui.AttrText(s.ZipURL)).Download(ui.AttrText(galleryZipName(shareName(s)))).
						Body(ui.Icon("download"), app.Span().Text("Download all"), app.Span().Class("gal-zip-size").Text(ui.HumanBytes(s.ZipBytes)))
				}),
			)
		}),
	)
}
