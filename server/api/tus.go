package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/uploads"
)

// TusPath is where the tus endpoint lives.
const TusPath = "/api/v2/tus/"

// TusBridge hands tus requests from fiber to tusd without buffering the
// body: it builds the *http.Request itself with the fasthttp body stream
// and a ResponseWriter that supports read/write deadlines (STYLE.md).
type TusBridge struct {
	Uploads *uploads.Service
	Handler http.Handler
	// Policy decides who uploads for a request (users; links add their own).
	Policy func(c *fiber.Ctx) (uploads.Policy, error)
	// Shares answers the asset routes about the share links that show a
	// collection or an asset (assets.go). Uploads through a link are let
	// through by the link's door (public.go).
	Shares *share.Service
}

// LinkHeader names the upload or share link a tus request is made
// through; the link's cookie (LinkCookie; for share links also
// SessionHeader) holds the session that unlocking the link gave.
const LinkHeader = "Ferry-Link"

// uploadLinkSession is the session of upload link key a tus request
// carries: the link's cookie (from Ferry's own pages: Origin is checked),
// else SessionHeader, which a web app on an origin of cors.allowed_origins
// got from unlocking the link (a browser never adds a header on its own).
func (s *Server) uploadLinkSession(c *fiber.Ctx, key string) (string, error) {
	if secret := c.Cookies(LinkCookie(key)); secret != "" {
		return secret, s.checkOriginIfPresent(c)
	}
	if o := c.Get(fiber.HeaderOrigin); o != "" && !s.SameOrigin(c, o) && !s.corsAllowed(o) {
		return "", errOrigin(o)
	}
	return c.Get(SessionHeader), nil
}

// URL is the absolute tus URL of upload id for this request's host.
func (t *TusBridge) URL(c *fiber.Ctx, id string) string {
	return c.BaseURL() + TusPath + id
}

// Mount adds the tus routes.
func (t *TusBridge) Mount(app *fiber.App, s *Server) {
	doors := s.publicLinks()
	h := func(c *fiber.Ctx) error { return t.serve(c, s, doors) }
	app.All(strings.TrimSuffix(TusPath, "/"), h)
	app.All(TusPath+"*", h)
}

// userPolicy is the policy for logged-in users and tokens.
func (s *Server) userPolicy(c *fiber.Ctx) (uploads.Policy, error) {
	p, err := s.authenticate(c)
	if err != nil {
		return uploads.Policy{}, err
	}
	if !p.Can("assets.create") {
		return uploads.Policy{}, errs.New(errs.Forbidden, "insufficient_scope", "this token lacks the assets.create scope")
	}
	return uploads.Policy{Viewer: viewer(p)}, nil
}

func (t *TusBridge) serve(c *fiber.Ctx, s *Server, doors *publicLinks) error {
	// On every answer, Ferry's own refusals (401, 404) included: tus
	// clients check it before they read an error.
	c.Set("Tus-Resumable", "1.0.0")
	if c.Method() == fiber.MethodOptions {
		c.Set("Tus-Version", "1.0.0")
		c.Set("Tus-Extension", "creation,creation-with-upload,termination,expiration")
		c.Set("Tus-Max-Size", strconv.FormatInt(t.Uploads.MaxSize, 10))
		return c.SendStatus(fiber.StatusNoContent)
	}
	policy := t.Policy
	if policy == nil {
		policy = s.userPolicy
	}
	if key := c.Get(LinkHeader); key != "" {
		policy = func(c *fiber.Ctx) (uploads.Policy, error) { return doors.uploadPolicy(s, c, key) }
	}
	pol, err := policy(c)
	if err != nil {
		return err
	}
	id := strings.Trim(strings.TrimPrefix(c.Path(), strings.TrimSuffix(TusPath, "/")), "/")
	if id != "" {
		if err := t.Uploads.Authorize(pol, id); err != nil {
			return err
		}
	} else if c.Method() != fiber.MethodPost {
		return errs.New(errs.Invalid, "method_not_allowed", "%s needs an upload URL; create uploads with POST %s", c.Method(), TusPath)
	}
	if c.Method() == fiber.MethodPatch {
		s.Metrics.UploadsInFlight.Add(1)
		defer s.Metrics.UploadsInFlight.Add(-1)
	}
	// tusd watches the request's context for its end; fasthttp's never
	// ends, so without this cancel every request would leave tusd's
	// goroutines behind.
	ctx, cancel := context.WithCancel(uploads.WithPolicy(c.UserContext(), pol))
	defer cancel()
	req, err := t.request(c, ctx, pol.Stop)
	if err != nil {
		return err
	}
	w := &fastWriter{c: c, header: http.Header{}}
	t.Handler.ServeHTTP(w, req)
	w.WriteHeader(http.StatusOK) // no-op when the handler already wrote
	conn := c.Context().Conn()
	conn.SetReadDeadline(time.Time{})
	conn.SetWriteDeadline(time.Time{})
	// tusd does not implement the expiration extension; Ferry does (Sweep).
	c.Set("Tus-Extension", "creation,creation-with-upload,termination,expiration")
	upID := id
	if loc := string(c.Response().Header.Peek("Location")); loc != "" {
		upID = loc[strings.LastIndex(loc, "/")+1:]
	}
	if upID != "" && c.Response().StatusCode() < 300 {
		if exp, ok := t.Uploads.ExpiresAt(upID); ok {
			c.Set("Upload-Expires", exp.UTC().Format(http.TimeFormat))
		}
	}
	return nil
}

func (t *TusBridge) request(c *fiber.Ctx, ctx context.Context, stop <-chan struct{}) (*http.Request, error) {
	u, err := url.ParseRequestURI(string(c.Request().RequestURI()))
	if err != nil {
		return nil, errs.Invalidf("bad request URI")
	}
	u.Scheme, u.Host = c.Protocol(), c.Hostname()
	hdr := http.Header{}
	c.Request().Header.VisitAll(func(k, v []byte) { hdr.Add(string(k), string(v)) })
	cl := int64(c.Request().Header.ContentLength())
	var body io.Reader = http.NoBody
	switch {
	case c.Request().IsBodyStream():
		body = c.Context().RequestBodyStream()
	case len(c.Body()) > 0:
		body = bytes.NewReader(c.Body())
	}
	if cl < 0 {
		cl = -1
	}
	req, err := http.NewRequestWithContext(ctx, c.Method(), u.String(), &exactBody{r: body, want: cl, stop: stop})
	if err != nil {
		return nil, err
	}
	req.Header = hdr
	req.ContentLength = cl
	req.Host = c.Hostname()
	req.RemoteAddr = c.Context().RemoteAddr().String()
	if u.Scheme == "https" {
		// tusd builds upload URLs with https only when r.TLS is set; the
		// scheme comes from fiber (TLS, or a trusted proxy's X-Forwarded-Proto).
		req.TLS = c.Context().TLSConnectionState()
		if req.TLS == nil {
			req.TLS = &tls.ConnectionState{}
		}
	}
	req.RequestURI = u.RequestURI()
	return req, nil
}

// exactBody turns an early EOF into io.ErrUnexpectedEOF: fasthttp's body
// stream ends with plain EOF when a client dies mid-PATCH, and tusd would
// otherwise take the cut body as complete. It also ends the body when stop
// closes (the upload link was revoked).
type exactBody struct {
	r    io.Reader
	want int64
	got  int64
	stop <-chan struct{}
}

func (b *exactBody) Read(p []byte) (int, error) {
	if b.stop != nil {
		select {
		case <-b.stop:
			return 0, uploads.ErrStopped
		default:
		}
	}
	n, err := b.r.Read(p)
	b.got += int64(n)
	if errors.Is(err, io.EOF) && b.want >= 0 && b.got < b.want {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func (b *exactBody) Close() error { return nil }

// fastWriter is the http.ResponseWriter tusd writes to; it supports the
// deadline methods http.ResponseController uses.
type fastWriter struct {
	c       *fiber.Ctx
	header  http.Header
	written bool
}

func (w *fastWriter) Header() http.Header { return w.header }

func (w *fastWriter) WriteHeader(code int) {
	if w.written {
		return
	}
	w.written = true
	for k, vs := range w.header {
		for i, v := range vs {
			if i == 0 {
				w.c.Response().Header.Set(k, v)
			} else {
				w.c.Response().Header.Add(k, v)
			}
		}
	}
	w.c.Status(code)
}

func (w *fastWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.c.Write(b)
}

func (w *fastWriter) SetReadDeadline(t time.Time) error {
	return w.c.Context().Conn().SetReadDeadline(t)
}
func (w *fastWriter) SetWriteDeadline(t time.Time) error {
	return w.c.Context().Conn().SetWriteDeadline(t)
}
func (w *fastWriter) Flush() {}
