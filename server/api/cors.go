package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CORS lets web apps on the origins of cors.allowed_origins call the API
// and the tus endpoint with a bearer token (Uppy, tus-js-client). Origins
// are echoed one by one, never "*", and credentials are never allowed:
// cookies stay same-origin (cookie-authenticated changes also check
// Origin), so another site can act only with a token its user gave it.
const (
	corsMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
	corsHeaders = "Authorization, Content-Type, Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, " +
		"Upload-Defer-Length, Upload-Concat, X-HTTP-Method-Override, X-Requested-With, " + LinkHeader + ", " + SessionHeader
	corsExpose = "Location, Upload-Offset, Upload-Length, Upload-Metadata, Tus-Resumable, Tus-Version, Tus-Max-Size, " +
		"Tus-Extension, Upload-Expires, Ferry-Asset-Id, page-number, per-page, total, total-pages, link"
)

func (s *Server) cors(c *fiber.Ctx) error {
	if len(s.Config.CORS.AllowedOrigins) == 0 || !strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	c.Vary(fiber.HeaderOrigin)
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || !s.corsAllowed(origin) {
		return c.Next()
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	if c.Method() == fiber.MethodOptions && c.Get(fiber.HeaderAccessControlRequestMethod) != "" {
		c.Set(fiber.HeaderAccessControlAllowMethods, corsMethods)
		c.Set(fiber.HeaderAccessControlAllowHeaders, corsHeaders)
		c.Set(fiber.HeaderAccessControlMaxAge, "600")
		if strings.HasPrefix(c.Path(), strings.TrimSuffix(TusPath, "/")) {
			return c.Next() // the tus endpoint answers OPTIONS with its Tus-* headers
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	c.Set(fiber.HeaderAccessControlExposeHeaders, corsExpose)
	return c.Next()
}

func (s *Server) corsAllowed(origin string) bool {
	for _, o := range s.Config.CORS.AllowedOrigins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}
