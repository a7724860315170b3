//go:build !(js && wasm)

package fetch

import (
	"context"
	"errors"

	"github.com/ferryhq/ferry/client"
)

// transport outside the browser (the server prerendering a page)
// answers at once: pages load their data in the browser.
type transport struct{}

func (transport) Do(context.Context, client.Request) (client.Response, error) {
	return client.Response{}, errors.New("the web app calls the API from the browser only")
}
