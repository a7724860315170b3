//go:build !js

package webapp

import (
	"hash/maphash"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// gatePath is the page of an upload link (/u/{key}) or a review link
// (/r/{key}).
var gatePath = regexp.MustCompile(`^/[ur]/([0-9A-Za-z]+)$`)

// GatePages serves /u/{key} and /r/{key} (GET and HEAD). A visitor without
// the link's session cookie (cookie names it) gets the page prerendered
// with the link's gate (Options.PeekUpload, PeekReview: what the link shows
// anyone without a session: the passcode, password or name form), so they
// can type before the wasm runs; a visitor with one gets the page the app
// fills in with their session. Rendered per request, never kept.
func (w *Web) GatePages(cookie func(key string) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		path := strings.Clone(c.Path())
		m := gatePath.FindStringSubmatch(path)
		if m == nil || c.Cookies(cookie(m[1])) != "" {
			return c.Next()
		}
		key := m[1]
		lock := &w.gateLocks[maphash.String(w.seed, key)%uint64(len(w.gateLocks))]
		lock.Lock()
		w.gatePeeks.Store(key, true)
		p, err := w.prerender(path, string(c.Request().URI().QueryString()))
		w.gatePeeks.Delete(key)
		lock.Unlock()
		if err != nil {
			return err
		}
		if !p.rendered {
			return fiber.NewError(fiber.StatusNotFound, "no such page")
		}
		sendPage(c, p)
		return nil
	}
}

// gatedPeek wraps peek so it answers only for a render by GatePages (a
// visitor without a session); every other render of the page (through the
// plain go-app handler) gets nil: the app draws it.
func gatedPeek[T any](w *Web, peek func(string) *T) func(string) *T {
	if peek == nil {
		return nil
	}
	return func(key string) *T {
		if _, ok := w.gatePeeks.Load(key); !ok {
			return nil
		}
		return peek(key)
	}
}
