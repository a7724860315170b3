//go:build !(js && wasm)

package app

import (
	"context"
	"errors"

	"github.com/ferryhq/ferry/client"
)

// fetchTransport outside the browser (the server prerendering a page)
// answers at once: pages load their data in the browser.
type fetchTransport struct{}

func (fetchTransport) Do(context.Context, client.Request) (client.Response, error) {
	return client.Response{}, errors.New("the web app calls the API from the browser only")
}
