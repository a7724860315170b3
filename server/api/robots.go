package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/errs"
)

// robots serves robots_txt (by default: stay out of everything). go-app
// would proxy it from /web/robots.txt, which the binary does not carry.
func (s *Server) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.SendString(s.Config.RobotsTxt)
}

// noIndex reports whether path is a link page or the API: never for a
// search index, even when robots_txt lets a crawler in or a crawler
// ignores it.
func noIndex(path string) bool {
	for _, p := range []string{"/s/", "/d/", "/r/", "/u/", "/api/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// notServed answers 404 for files go-app would proxy from /web/ (a sitemap,
// ads.txt) that Ferry has none of; go-app answered 500.
func notServed(c *fiber.Ctx) error {
	return errs.NotFoundf("no %s here", c.Path())
}
