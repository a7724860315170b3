package library

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
)

// Files.com seed 003: who may not create public links where they are sees
// "Copy link" (the file's or folder's own link in Ferry) where Share
// would be. The server refuses them a link anyway; this only spares the
// dead end.

// mayShareFrom reports whether the user may create links from the folder
// of asset id. When the answer cannot be had, Share stays: the server
// still decides.
func mayShareFrom(id string) bool {
	priv, err := fetch.API.MyPrivilege(id)
	return err != nil || priv.Share
}

// copyLinkButton stands in for Share.
func copyLinkButton(id string, onClick app.EventHandler) app.UI {
	return app.Button().Type("button").Class("btn btn-secondary").ID(id).
		Title("You may not create public links here: copy its link in Ferry for people signed in").
		OnClick(onClick).Body(ui.Icon("copy"), app.Span().Text("Copy link"))
}
