//go:build !js

package webapp

import (
	"hash/maphash"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
)

// uploadPath is an upload link's page: /u/{key}.
var uploadPath = regexp.MustCompile(`^/u/([0-9A-Za-z]+)$`)

// UploadPages serves /u/{key} (GET and HEAD). A visitor without the link's
// session cookie (cookie names it) gets the page prerendered with the
// passcode gate (Options.PeekUpload: what the public JSON answers anyone
// without a session), so they can type the passcode before the wasm runs;
// a visitor with one gets the page the app fills in with their session.
// Rendered per request, never kept.
func (w *Web) UploadPages(cookie func(key string) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		path := strings.Clone(c.Path())
		m := uploadPath.FindStringSubmatch(path)
		if m == nil || c.Cookies(cookie(m[1])) != "" {
			return c.Next()
		}
		key := m[1]
		lock := &w.uploadLocks[maphash.String(w.seed, key)%uint64(len(w.uploadLocks))]
		lock.Lock()
		w.uploadPeeks.Store(key, true)
		p, err := w.prerender(path, string(c.Request().URI().QueryString()))
		w.uploadPeeks.Delete(key)
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

// gatedUploadPeeks wraps peek so it answers only for the render of a
// visitor without a session (UploadPages); every other render of /u/
// (through the plain go-app handler) gets nil: "Loading…".
func (w *Web) gatedUploadPeeks(peek func(string) *model.PublicUploadLink) func(string) *model.PublicUploadLink {
	if peek == nil {
		return nil
	}
	return func(key string) *model.PublicUploadLink {
		if _, ok := w.uploadPeeks.Load(key); !ok {
			return nil
		}
		return peek(key)
	}
}
