// Package app holds Ferry's web app: go-app components compiled into the
// wasm and into the server, which prerenders the same routes.
package app

import (
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/admin"
	"github.com/ferryhq/ferry/app/auth"
	"github.com/ferryhq/ferry/app/library"
	"github.com/ferryhq/ferry/app/reviewlinks"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/uploadlinks"
	"github.com/ferryhq/ferry/app/visitor/review"
	"github.com/ferryhq/ferry/app/visitor/share"
	"github.com/ferryhq/ferry/app/visitor/upload"
	"github.com/ferryhq/ferry/model"
)

// Options are what the server gives the pages it prerenders; the wasm
// passes none.
type Options struct {
	// PeekShare gives the prerendered share page its data without side
	// effects (no visit counted, no session). It answers nil when the page
	// must load in the browser (passwords, max uses, errors).
	PeekShare func(key string) *model.PublicShare
	// PeekUpload gives the prerendered upload-link page its data as a
	// visitor without a session sees it (the passcode gate), so the
	// passcode can be typed before the wasm runs. Nil answers (and a nil
	// PeekUpload) prerender "Loading…".
	PeekUpload func(key string) *model.PublicUploadLink
	// PeekReview gives the prerendered review page its gate (password or
	// the reviewer's name) as a reviewer without a session sees it: the
	// header of the link, no items.
	PeekReview func(key string) *model.PublicReview
}

// options are what the last Routes call gave. go-app's route table is
// process-wide, so a page reads them when it is made: a server started
// after another in the same process (the tests) prerenders with its own.
var options atomic.Pointer[Options]

// Routes registers every page. Both the wasm and the server call it.
func Routes(o Options) {
	options.Store(&o)
	sharePage := func() app.Composer { return share.New(options.Load().PeekShare) }
	app.Route("/", app.NewZeroComponentFactory(&auth.HomePage{}))
	app.Route("/login", app.NewZeroComponentFactory(&auth.LoginPage{}))
	app.Route("/setup", app.NewZeroComponentFactory(&auth.SetupPage{}))
	app.Route("/projects", app.NewZeroComponentFactory(&library.ProjectsPage{}))
	app.RouteWithRegexp("^/projects/[^/]+(/folders/[^/]+)?$", app.NewZeroComponentFactory(&library.FolderPage{}))
	app.RouteWithRegexp("^/projects/[^/]+/upload-links$", app.NewZeroComponentFactory(&uploadlinks.Page{}))
	app.RouteWithRegexp(library.PeopleRoute, app.NewZeroComponentFactory(&library.PeoplePage{}))
	app.RouteWithRegexp(library.CollectionsRoute, app.NewZeroComponentFactory(&library.CollectionsPage{}))
	app.RouteWithRegexp("^/assets/[^/]+$", app.NewZeroComponentFactory(&library.AssetPage{}))
	app.RouteWithRegexp("^/u/[0-9A-Za-z]+$", func() app.Composer { return upload.New(options.Load().PeekUpload) })
	app.RouteWithRegexp("^/s/[0-9A-Za-z]+$", sharePage)
	app.RouteWithRegexp("^/s/[0-9A-Za-z]+/embed$", sharePage)
	app.RouteWithRegexp("^/r/[0-9A-Za-z]+$", func() app.Composer { return review.New(options.Load().PeekReview) })
	app.Route("/users", app.NewZeroComponentFactory(&admin.UsersPage{}))
	app.Route("/account/tokens", app.NewZeroComponentFactory(&admin.TokensPage{}))
	app.Route("/links/share", app.NewZeroComponentFactory(&sharing.LinksPage{}))
	app.Route("/links/review", app.NewZeroComponentFactory(&reviewlinks.Page{}))
	app.RouteWithRegexp("^/projects/[^/]+/review-links$", app.NewZeroComponentFactory(&reviewlinks.Page{}))
	app.RouteWithRegexp("^/review-links/[^/]+$", app.NewZeroComponentFactory(&reviewlinks.LinkPage{}))
	app.Route("/links/upload", app.NewZeroComponentFactory(&uploadlinks.Page{}))
	app.RouteWithRegexp("^/sharing(/(forms|clickwraps|settings)|/links/[^/]+)?$", app.NewZeroComponentFactory(&sharing.Page{}))
	app.Route("/settings", app.NewZeroComponentFactory(&admin.SettingsPage{}))
	app.Route("/settings/api", app.NewZeroComponentFactory(&admin.APIDocsPage{}))
	app.Route("/settings/groups", app.NewZeroComponentFactory(&admin.GroupsPage{}))
}
