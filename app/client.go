package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
)

// api is the typed API client the pages call, over the browser's fetch
// (same origin, so the session cookie goes along).
var api = client.New(fetchTransport{})

// allPages asks a list route for everything at once.
func allPages() url.Values { return url.Values{"page_size": {"1000"}} }

// isUnauthorized reports whether err means the session is gone.
func isUnauthorized(err error) bool { return client.StatusOf(err) == 401 }

// copyText puts s on the clipboard.
func copyText(s string) {
	if app.IsClient {
		app.Window().Get("navigator").Get("clipboard").Call("writeText", s)
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func initials(name string) string {
	parts := strings.Fields(name)
	out := ""
	for _, p := range parts {
		out += strings.ToUpper(string([]rune(p)[0]))
		if len(out) == 2 {
			break
		}
	}
	if out == "" {
		return "?"
	}
	return out
}

// ptr is a pointer to v, for the optional fields of a request.
func ptr[T any](v T) *T { return &v }
