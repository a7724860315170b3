// Package app holds Ferry's web app: go-app components compiled into the
// wasm and into the server, which prerenders the same routes.
package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Routes registers every page. Both the wasm and the server call it.
func Routes() {
	app.Route("/", app.NewZeroComponentFactory(&HomePage{}))
	app.Route("/login", app.NewZeroComponentFactory(&LoginPage{}))
	app.Route("/setup", app.NewZeroComponentFactory(&SetupPage{}))
	app.Route("/projects", app.NewZeroComponentFactory(&ProjectsPage{}))
	app.RouteWithRegexp("^/projects/[^/]+(/folders/[^/]+)?$", app.NewZeroComponentFactory(&FolderPage{}))
	app.RouteWithRegexp("^/projects/[^/]+/upload-links$", app.NewZeroComponentFactory(&UploadLinksPage{}))
	app.RouteWithRegexp("^/assets/[^/]+$", app.NewZeroComponentFactory(&AssetPage{}))
	app.RouteWithRegexp("^/u/[0-9A-Za-z]+$", app.NewZeroComponentFactory(&UploadLinkPage{}))
	app.RouteWithRegexp("^/s/[0-9A-Za-z]+$", app.NewZeroComponentFactory(&SharePage{}))
	app.RouteWithRegexp("^/s/[0-9A-Za-z]+/embed$", app.NewZeroComponentFactory(&SharePage{}))
	app.RouteWithRegexp("^/r/[0-9A-Za-z]+$", app.NewZeroComponentFactory(&ReviewerPage{}))
	app.Route("/users", app.NewZeroComponentFactory(&UsersPage{}))
	app.Route("/account/tokens", app.NewZeroComponentFactory(&TokensPage{}))
	app.Route("/links/share", app.NewZeroComponentFactory(&ShareLinksPage{}))
	app.Route("/links/review", app.NewZeroComponentFactory(&ReviewLinksPage{}))
	app.RouteWithRegexp("^/projects/[^/]+/review-links$", app.NewZeroComponentFactory(&ReviewLinksPage{}))
	app.RouteWithRegexp("^/review-links/[^/]+$", app.NewZeroComponentFactory(&ReviewLinkPage{}))
	app.Route("/links/upload", app.NewZeroComponentFactory(&UploadLinksPage{}))
	app.RouteWithRegexp("^/sharing(/(forms|clickwraps|settings)|/links/[^/]+)?$", app.NewZeroComponentFactory(&SharingPage{}))
	app.Route("/settings", app.NewZeroComponentFactory(&SettingsPage{}))
	app.Route("/settings/api", app.NewZeroComponentFactory(&APIDocsPage{}))
}
