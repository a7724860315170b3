package api

import (
	"strings"

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

// Route is one row of the API table: method, path, the token scope it
// needs, who may call it, and the handler.
type Route struct {
	Method  string
	Path    string
	Scope   string
	Access  Access
	Handler func(c *fiber.Ctx, p *Principal) error
}

func coreRoutes(s *Server) []Route {
	return []Route{
		{"POST", "/api/v2/auth/login", "", Public, s.login},
		{"POST", "/api/v2/auth/logout", "", Public, s.logout},
		{"GET", "/api/v2/setup", "", Public, s.setupStatus},
		{"POST", "/api/v2/setup", "", Public, s.setupAdmin},
		{"GET", "/api/v2/me", "", Member, s.me},
		{"GET", "/api/v2/settings/media", "settings.read", Member, s.mediaSettings},
		{"GET", "/api/v2/tokens", "", Member, s.listTokens},
		{"POST", "/api/v2/tokens", "", Member, s.createToken},
		{"DELETE", "/api/v2/tokens/:id", "", Member, s.deleteToken},
		{"GET", "/api/v2/scopes", "", Member, s.listScopes},
		{"GET", "/api/v2/users", "users.read", Admin, s.listUsers},
		{"POST", "/api/v2/users", "users.create", Admin, s.createUser},
		{"GET", "/api/v2/users/:id", "users.read", Admin, s.getUser},
		{"PUT", "/api/v2/users/:id", "users.update", Admin, s.updateUser},
	}
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
