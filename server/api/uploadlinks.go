package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/links/upload"
	"github.com/ferryhq/ferry/server/uploads"
)

// UploadLinksAPI serves upload links to their owners and their public
// side to recipients.
type UploadLinksAPI struct {
	Links *upload.Links

	jsonLimit int64
	server    *Server
}

// LinkCookie is the name of the cookie that holds the session of the link
// with key, so each link's unlock is scoped to that link.
func LinkCookie(key string) string { return "ferry_link_" + key }

// linkCookie is the cookie of a visitor's session of the link with key. On
// HTTPS it is SameSite=None, so a link embedded in another site's page
// still reaches its files after the password; it carries no account and
// the link routes that change state check Origin.
func linkCookie(c *fiber.Ctx, key, secret string, expires time.Time) *fiber.Cookie {
	ck := &fiber.Cookie{Name: LinkCookie(key), Value: secret, Path: "/", Expires: expires, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode}
	if c.Protocol() == "https" {
		ck.Secure, ck.SameSite = true, fiber.CookieSameSiteNoneMode
	}
	return ck
}

func linkFilter(c *fiber.Ctx) upload.Filter {
	return upload.Filter{ProjectID: c.Query("project_id"), Status: c.Query("status"), Query: c.Query("q")}
}

func (a *UploadLinksAPI) list(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.List(viewer(p), linkFilter(c))
	return replyPage(c, items, err)
}

func (a *UploadLinksAPI) stats(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.List(viewer(p), linkFilter(c))
	if err != nil {
		return err
	}
	return c.JSON(a.Links.Summarize(items))
}

func (a *UploadLinksAPI) create(c *fiber.Ctx, p *Principal) error {
	var req model.NewUploadLink
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.Create(viewer(p), req)
	c.Set(fiber.HeaderCacheControl, "no-store") // the answer holds the passcode
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *UploadLinksAPI) get(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Get(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *UploadLinksAPI) revoke(c *fiber.Ctx, p *Principal) error {
	return noContent(c, a.Links.Revoke(viewer(p), c.Params("id")))
}

func (a *UploadLinksAPI) resend(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Resend(viewer(p), c.Params("id"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return reply(c, fiber.StatusOK, v, err)
}

// page answers GET /api/v2/public/links/{key} for an upload link.
func (a *UploadLinksAPI) page(c *fiber.Ctx) error {
	key := c.Params("key")
	v, err := a.Links.Public(key, c.Cookies(LinkCookie(key)))
	return reply(c, fiber.StatusOK, v, err)
}

// uploadPolicy lets tus uploads through an upload link whose recipient
// unlocked it.
func (a *UploadLinksAPI) uploadPolicy(s *Server, c *fiber.Ctx, key string) (uploads.Policy, error) {
	secret, err := s.uploadLinkSession(c, key)
	if err != nil {
		return uploads.Policy{}, err
	}
	return a.Links.Policy(key, secret)
}

// unlockPasscode answers POST /api/v2/public/links/{key}/unlock for an
// upload link.
func (a *UploadLinksAPI) unlockPasscode(c *fiber.Ctx, passcode string) error {
	key := c.Params("key")
	secret, v, err := a.Links.Unlock(key, passcode, c.IP())
	if err != nil {
		return err
	}
	setVisitCookie(c, key, secret, v.ExpiresAt)
	if o := c.Get(fiber.HeaderOrigin); o != "" && !a.server.SameOrigin(c, o) && a.server.corsAllowed(o) {
		// A web app on an allowed origin (Uppy) gets no cookie: it sends
		// this session back in SessionHeader with its tus requests.
		return c.JSON(struct {
			model.PublicUploadLink
			Session string `json:"session"`
		}{v, secret})
	}
	return c.JSON(v)
}
