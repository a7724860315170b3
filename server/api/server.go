// Package api is Ferry's HTTP layer: a fiber app whose handlers decode a
// request, call a domain service and encode the answer. Routes and the
// scope each needs are declared in one table (routes.go).
package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/valyala/fasthttp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// SessionCookie is the name of the login cookie.
const SessionCookie = "ferry_session"

// Server holds what the handlers need.
type Server struct {
	Config  config.Config
	Store   *store.Store
	Auth    *auth.Service
	Log     *slog.Logger
	Metrics *Metrics
	Setup   *SetupToken
	// Web serves the web app: go-app pages, manifest, worker and /web/ files.
	Web http.Handler
	// Static serves /web/* (embedded files, precompressed wasm).
	Static fiber.Handler
	// SharePages serves the share pages /s/{key}[/embed], kept rendered
	// (webapp.SharePages); nil: Web renders them.
	SharePages fiber.Handler
	// GatePages serves the upload- and review-link pages /u/{key} and
	// /r/{key}, prerendered with their gate for a visitor without a session
	// (webapp.GatePages); nil: Web renders them.
	GatePages fiber.Handler
	// Handlers serve the routes of the table (table.go).
	Handlers Handlers
	// Video says whether video and audio can be processed here: "" when
	// ffmpeg was found, else why not.
	Video string
	// Account is the Frame.io v2 account and team this instance is (teams.go).
	Account Account
	// Clock, if set, is the time signed URLs are made and checked by
	// (serve.Options.Clock; nil: time.Now).
	Clock func() time.Time

	routes []Route // every mounted route, for the OpenAPI document
}

// App builds the fiber application.
func (s *Server) App() *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		StreamRequestBody:     true,
		// Params, headers and queries are copies that outlive the request:
		// caches, throttles and background work keep them, and fiber's
		// zero-copy strings change under them when the buffer is reused.
		Immutable:      true,
		BodyLimit:      int(s.Config.Limits.MaxJSONBytes),
		ReadBufferSize: 16 << 10,
		// Headers must arrive within header_timeout (slow-header clients
		// cannot hold connections); the body gets body_timeout from
		// HeaderReceived below, and tus extends it with every read.
		ReadTimeout: time.Duration(s.Config.Limits.HeaderTimeout),
		IdleTimeout: time.Duration(s.Config.Limits.IdleTimeout),
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return writeError(c, s.Log, err)
		},
		EnableTrustedProxyCheck: true,
		TrustedProxies:          s.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(s.Config.TrustedProxies),
		// c.IP() is then the first address in X-Forwarded-For, or the peer
		// when the header holds none (without it: the raw header, "" if absent).
		EnableIPValidation: true,
	})
	bodyTimeout := time.Duration(s.Config.Limits.BodyTimeout)
	app.Server().HeaderReceived = func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
		return fasthttp.RequestConfig{ReadTimeout: bodyTimeout}
	}
	app.Use(finishBody, s.recoverPanics, compressResponses, s.Metrics.Middleware, s.securityHeaders, s.cors)
	app.Get("/healthz", func(c *fiber.Ctx) error {
		if err := s.Store.View(func(tx *store.Tx) error { _, err := tx.Has(store.PrefixMeta + "schema"); return err }); err != nil {
			return c.Status(503).JSON(fiber.Map{"status": "unavailable", "error": err.Error()})
		}
		return c.JSON(fiber.Map{"status": "ok", "video_processing": s.videoStatus()})
	})
	app.Get("/metrics", s.metricsReader, s.Metrics.Handler(s.Store))
	app.Get("/robots.txt", s.robots)
	app.Get("/sitemap.xml", notServed)
	app.Get("/ads.txt", notServed)
	s.mountAPI(app)
	app.All("/api/*", func(c *fiber.Ctx) error {
		return notSupported(c.Method(), c.Path())
	})
	if s.Static != nil {
		app.Get("/web/*", s.Static)
	}
	if s.SharePages != nil {
		app.Get("/s/*", s.SharePages)
		app.Head("/s/*", s.SharePages)
	}
	if s.GatePages != nil {
		for _, prefix := range []string{"/u/*", "/r/*"} {
			app.Get(prefix, s.GatePages)
			app.Head(prefix, s.GatePages)
		}
	}
	if s.Web != nil {
		web := adaptor.HTTPHandler(uncachedPages(s.Web))
		app.Get("/*", web)
		app.Head("/*", web)
	}
	return app
}

// metricsReader lets only admins read /metrics here (a session, or a
// token with settings.read): route names, counts and database sizes are
// the site's business. metrics_listen serves them without login on an
// address of their own, for a scraper.
func (s *Server) metricsReader(c *fiber.Ctx) error {
	p, err := s.authenticate(c)
	if err != nil {
		return err
	}
	if !p.Can("settings.read") {
		return errs.New(errs.Forbidden, "insufficient_scope", "this token lacks the settings.read scope")
	}
	if !p.User.IsAdmin() {
		return errs.Forbiddenf("only admins may read metrics")
	}
	return c.Next()
}

func proxyHeader(trusted []string) string {
	if len(trusted) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("panic", slog.Any("panic", r), slog.String("path", c.Path()))
			err = writeError(c, s.Log, errs.New(errs.Internal, "internal", "internal error"))
		}
	}()
	return c.Next()
}

var embedPath = regexp.MustCompile(`^/s/[0-9A-Za-z]+/embed$`)

// csp allows the wasm to compile and nothing the app does not need.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	if embedPath.MatchString(c.Path()) {
		// A share link's embed page is the one page other sites may frame.
		c.Set("Content-Security-Policy", strings.Replace(csp, "frame-ancestors 'none'", "frame-ancestors *", 1))
	} else {
		c.Set("Content-Security-Policy", csp)
		c.Set("X-Frame-Options", "DENY")
	}
	if s.Config.TLS() {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	if noIndex(c.Path()) {
		c.Set("X-Robots-Tag", "noindex, nofollow")
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		// Private JSON: never reuse an answer from a cache (downloads set their own).
		c.Set("Cache-Control", "no-store")
	}
	return c.Next()
}

// Principal is who makes a request: a user through a session or a token.
type Principal struct {
	User  auth.User
	Token *auth.APIToken // nil for a browser session
}

// Can reports whether the principal's token (if any) carries scope.
func (p *Principal) Can(scope string) bool {
	return p.Token == nil || access.TokenMay(p.Token.Scopes, scope)
}

func principal(c *fiber.Ctx) *Principal {
	p, _ := c.Locals("principal").(*Principal)
	return p
}

// authenticate resolves the bearer token or session cookie. Cookie-carried
// requests that change state must come from our own origin.
func (s *Server) authenticate(c *fiber.Ctx) (*Principal, error) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, errs.New(errs.Unauthorized, "unauthorized", "Authorization must be Bearer <token>")
		}
		u, t, err := s.Auth.TokenUser(strings.TrimSpace(secret))
		if err != nil {
			return nil, err
		}
		return &Principal{User: u, Token: &t}, nil
	}
	cookie := c.Cookies(SessionCookie)
	if cookie == "" {
		return nil, auth.ErrUnauthorized
	}
	if err := s.checkOrigin(c); err != nil {
		return nil, err
	}
	u, err := s.Auth.SessionUser(cookie)
	if err != nil {
		return nil, err
	}
	return &Principal{User: u}, nil
}

// checkOrigin refuses state-changing requests whose Origin is not ours.
func (s *Server) checkOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return nil
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return errs.New(errs.Forbidden, "origin_required", "cookie-authenticated requests that change state need an Origin header")
	}
	if !s.SameOrigin(c, origin) {
		return errOrigin(origin)
	}
	return nil
}

// SameOrigin reports whether origin is this server (as requested or as public_url).
func (s *Server) SameOrigin(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Scheme+"://"+u.Host, strings.TrimRight(s.Config.PublicURL, "/")) {
		return true
	}
	return strings.EqualFold(u.Host, c.Hostname()) && u.Scheme == c.Protocol()
}

func (s *Server) setSessionCookie(c *fiber.Ctx, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name:     SessionCookie,
		Value:    value,
		Path:     "/",
		Expires:  expires,
		HTTPOnly: true,
		Secure:   c.Protocol() == "https",
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// videoStatus is the line Settings and /healthz show about video.
func (s *Server) videoStatus() string {
	if s.Video != "" {
		return "Video processing: not available (ffmpeg not found)"
	}
	return "Video processing: available"
}

// mediaSettings answers GET /api/v2/settings/media: whether video and
// audio are processed here, and how.
func (s *Server) mediaSettings(c *fiber.Ctx, _ *Principal) error {
	return c.JSON(model.MediaStatus{VideoProcessing: s.Video == "", Status: s.videoStatus(), Reason: s.Video,
		VideoProxies: s.Config.Media.VideoProxies, VideoWorkers: s.Config.Media.VideoWorkers})
}
