package app

import (
	"net/url"

	"github.com/ferryhq/ferry/client"
)

// api is the typed API client the pages call, over the browser's fetch
// (same origin, so the session cookie goes along).
var api = client.New(fetchTransport{})

// allPages asks a list route for everything at once.
func allPages() url.Values { return url.Values{"page_size": {"1000"}} }

// isUnauthorized reports whether err means the session is gone.
func isUnauthorized(err error) bool { return client.StatusOf(err) == 401 }

// ptr is a pointer to v, for the optional fields of a request.
func ptr[T any](v T) *T { return &v }
