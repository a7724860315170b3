package api

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/errs"
)

// Access says who may call a route.
type Access int

// Access levels.
const (
	Public Access = iota // anyone
	Member               // any logged-in user or token
	Admin                // admins only
)

// Route is one row of the API table (table.go): method, path, the token
// scope it needs, who may call it, what it does (for the OpenAPI
// document), and the handler.
type Route struct {
	Method  string
	Path    string
	Scope   string
	Access  Access
	Summary string
	Handler func(c *fiber.Ctx, p *Principal) error
}

// mountAPI hands the handler groups the limits they need, then mounts tus
// and the route table.
func (s *Server) mountAPI(app *fiber.App) {
	h := s.Handlers
	limit := s.Config.Limits.MaxJSONBytes
	h.Assets.jsonLimit, h.Mail.jsonLimit, h.UploadLinks.jsonLimit = limit, limit, limit
	h.ReviewLinks.jsonLimit, h.ShareLinks.jsonLimit, h.Privileges.jsonLimit, h.Visitors.jsonLimit = limit, limit, limit, limit
	h.Assets.account, h.Assets.siteName, h.Assets.now = s.Account, s.Config.SiteName, s.now
	h.Assets.lists.Max, h.Assets.lists.MaxBytes, h.Assets.lists.Size = keptListMax, keptJSONMax, keptList.size
	h.ShareLinks.publics.MaxBytes, h.ShareLinks.publics.Size = keptJSONMax, (*keptJSON).size
	h.ShareLinks.looks.MaxBytes, h.ShareLinks.looks.Size = keptMax, look.size
	h.ShareLinks.account = s.Account
	h.UploadLinks.server = s
	h.Assets.Tus.Mount(app, s)
	s.mountRoutes(app, s.table())
}

// now is the server's time (Clock).
func (s *Server) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// mountRoutes registers each route behind its authentication and scope check.
func (s *Server) mountRoutes(app *fiber.App, routes []Route) {
	s.routes = append(s.routes, routes...)
	for _, r := range routes {
		r := r
		app.Add(r.Method, r.Path, func(c *fiber.Ctx) error {
			if r.Access == Public {
				if err := s.checkOriginIfPresent(c); err != nil {
					return err
				}
				return r.Handler(c, nil)
			}
			p, err := s.authenticate(c)
			if err != nil {
				return err
			}
			if !p.Can(r.Scope) {
				return errs.New(errs.Forbidden, "insufficient_scope", "this token lacks the %s scope", r.Scope)
			}
			if r.Access == Admin && !p.User.IsAdmin() {
				return errs.Forbiddenf("only admins may do this")
			}
			c.Locals("principal", p)
			return r.Handler(c, p)
		})
	}
}

// publicLinksPrefix is where link visitors' JSON routes are.
const publicLinksPrefix = "/api/v2/public/links/"

// checkOriginIfPresent refuses cross-site posts to public endpoints (login
// CSRF). Signed URLs carry their own credential and no cookie, so a web app
// on an allowed CORS origin may PUT upload_urls parts; it may also unlock a
// link, whose session it then sends in SessionHeader (cookies never cross
// origins: credentials are not allowed).
func (s *Server) checkOriginIfPresent(c *fiber.Ctx) error {
	if o := c.Get(fiber.HeaderOrigin); o != "" && c.Method() != fiber.MethodGet && !s.SameOrigin(c, o) &&
		!((strings.HasPrefix(c.Path(), signedPrefix) || strings.HasPrefix(c.Path(), publicLinksPrefix)) && s.corsAllowed(o)) {
		return errOrigin(o)
	}
	return nil
}

func errOrigin(origin string) error {
	return errs.New(errs.Forbidden, "origin_mismatch", "requests from %s may not change state here", origin)
}
