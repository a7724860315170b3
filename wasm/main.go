//go:build js && wasm

// Command wasm is the Ferry web app as it runs in the browser.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ferryapp "github.com/ferryhq/ferry/app"
)

func main() {
	ferryapp.Routes(ferryapp.Options{})
	app.RunWhenOnBrowser()
}
