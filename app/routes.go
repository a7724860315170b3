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
	app.Route("/users", app.NewZeroComponentFactory(&UsersPage{}))
	app.Route("/account/tokens", app.NewZeroComponentFactory(&TokensPage{}))
	app.Route("/links/share", newComing("share", "share", "Share links",
		"Public and direct-download links to assets, collections and folders.",
		"Share links are not part of this build yet. When they land, every link you create appears here with its views and downloads."))
	app.Route("/links/review", newComing("review", "review", "Review links",
		"Links where clients approve and comment on your work.",
		"Review links are not part of this build yet. When they land, each review with its approvals and comments is listed here."))
	app.Route("/links/upload", app.NewZeroComponentFactory(&UploadLinksPage{}))
	app.Route("/sharing", newComing("sharing", "globe", "Sharing",
		"Site-wide rules for links: default expiry, custom URL keys, forms and terms.",
		"Sharing settings are not part of this build yet."))
	app.Route("/settings", app.NewZeroComponentFactory(&SettingsPage{}))
}
