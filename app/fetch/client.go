// Package fetch is the web app's way to the API: the typed client over
// the browser's fetch.
package fetch

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
)

// API is the typed API client the pages call, over the browser's fetch
// (same origin, so the session cookie goes along).
var API = client.New(transport{})

// AllPages asks a list route for everything at once.
func AllPages() url.Values { return url.Values{"page_size": {"1000"}} }

// IsUnauthorized reports whether err means the session is gone.
func IsUnauthorized(err error) bool { return client.StatusOf(err) == 401 }

// LoadError is the message of a page whose data did not load; an expired
// session goes to the sign-in page.
func LoadError(ctx app.Context, err error) string {
	if IsUnauthorized(err) {
		ctx.Navigate("/login")
	}
	return err.Error()
}

// Ptr is a pointer to v, for the optional fields of a request.
func Ptr[T any](v T) *T { return &v }
