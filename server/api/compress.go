package api

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// compressMin is the smallest body worth compressing: below it the
// headers and the encoder's work cost more than the bytes saved.
const compressMin = 1024

// compressLevel is gzip's level for bodies compressed per request. Level 1
// measured here on a 141 KB share page: 22 KB in 2.2 ms; level 6: 20 KB in
// 4.1 ms; brotli (pure Go) level 2: 21 KB in 4.4 ms, level 5: 18 KB in
// 17 ms. Per request, fast gzip wins; static files carry brotli made at
// build time (scripts/precompress).
const compressLevel = 1

// compressible are the content types compressed per request: pages and
// JSON (and static text when the build left no precompressed copy).
var compressible = []string{"text/html", "application/json", "text/css", "text/javascript",
	"application/javascript", "application/manifest+json", "image/svg+xml"}

// compressResponses gzips whole (not streamed) 200 answers of compressible
// types above compressMin for clients that accept gzip, and tells caches
// the answer varies by Accept-Encoding. Downloads (streamed, ranged or of
// other types) pass as they are.
func compressResponses(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	res := c.Response()
	if res.StatusCode() != fiber.StatusOK || res.IsBodyStream() || len(res.Header.ContentEncoding()) > 0 ||
		len(res.Body()) < compressMin || !isCompressible(res.Header.ContentType()) {
		return nil
	}
	res.Header.Add(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if !acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		return nil
	}
	body := fasthttp.AppendGzipBytesLevel(nil, res.Body(), compressLevel)
	res.SetBodyRaw(body)
	res.Header.SetContentEncoding("gzip")
	if etag := res.Header.Peek(fiber.HeaderETag); len(etag) > 1 && etag[len(etag)-1] == '"' {
		// Another representation: another strong validator.
		res.Header.Set(fiber.HeaderETag, string(etag[:len(etag)-1])+`-gzip"`)
	}
	return nil
}

func isCompressible(ct []byte) bool {
	for _, t := range compressible {
		if bytes.HasPrefix(ct, []byte(t)) {
			return true
		}
	}
	return false
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return !strings.HasPrefix(q, "q=0") || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") != ""
	}
	return false
}
