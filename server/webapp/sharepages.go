//go:build !js

package webapp

import (
	"bytes"
	"compress/gzip"
	"hash/maphash"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/store"
)

// SharePages says how share pages are kept: a page whose gallery was
// prerendered (Options.PeekShare gave its data: an open link without
// password, gates or max uses) is rendered and compressed once and served
// from memory while the database's Changes count stays, until the link
// expires by Now. Any commit that changes what a page could show (the link,
// its files, its creator's rights, the site's settings) moves the count, so
// the next visitor gets a new render; a revoked, expired or password-gated
// link is never served from the kept page. Pages without a gallery (gates,
// closed links) are rendered per request and never kept.
type SharePages struct {
	// Changes is store.Store.Changes.
	Changes func() uint64
	// Now is the clock that expires links (serve.Options.Clock).
	Now func() time.Time
	// Viewed records a view of link key by a visitor, for each gallery
	// sent: the page's app then does not fetch the link again. Nil: none.
	Viewed func(key, addr, userAgent string)
	// MaxPages bounds the pages kept (0: 64, about 10 MiB for galleries of
	// 100 files).
	MaxPages int
	// MaxBytes bounds the bytes of the pages kept, plain and gzipped (0:
	// 16 MiB).
	MaxBytes int
}

// sharePath is a share page's address: /s/{key} or /s/{key}/embed.
var sharePath = regexp.MustCompile(`^/s/([0-9A-Za-z]+)(/embed)?$`)

// sharePages is SharePages at work.
type sharePages struct {
	SharePages
	web   *Web
	seed  maphash.Seed
	locks [64]sync.Mutex        // renders of one key, one at a time (see recordPeeks)
	pages store.Kept[*keptPage] // by path
}

// keptPage is one rendered share page.
type keptPage struct {
	until    time.Time // the link's expiry (zero: none)
	ctype    string
	raw, gz  []byte
	gallery  bool // the gallery was prerendered: a view to record
	rendered bool // status 200
}

// SharePages serves /s/{key} and /s/{key}/embed (GET and HEAD) by the rules
// of cfg; other paths under /s/ go to the next handler.
func (w *Web) SharePages(cfg SharePages) fiber.Handler {
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 64
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 16 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	sp := &sharePages{SharePages: cfg, web: w, seed: maphash.MakeSeed()}
	sp.pages.Max, sp.pages.MaxBytes, sp.pages.Size = cfg.MaxPages, cfg.MaxBytes, (*keptPage).size
	return sp.serve
}

func (sp *sharePages) serve(c *fiber.Ctx) error {
	path := c.Path()
	m := sharePath.FindStringSubmatch(path)
	if m == nil {
		return c.Next()
	}
	key, query := strings.Clone(m[1]), string(c.Request().URI().QueryString())
	var p *keptPage
	var err error
	if query == "" && c.Method() == fiber.MethodGet {
		p, err = sp.pages.Get(sp.Changes, path, sp.Now(), func() (*keptPage, time.Time, bool, error) {
			p, err := sp.render(key, path, query)
			if err != nil {
				return nil, time.Time{}, false, err
			}
			return p, p.until, p.gallery && p.rendered, nil
		})
	} else {
		p, err = sp.render(key, path, query)
	}
	if err != nil {
		return err
	}
	return sp.send(c, key, p)
}

func (p *keptPage) size() int { return len(p.raw) + len(p.gz) }

// render makes the page of path through go-app, noting what the page's
// PeekShare answered (the gallery's data and the link's expiry).
func (sp *sharePages) render(key, path, query string) (*keptPage, error) {
	lock := &sp.locks[maphash.String(sp.seed, key)%uint64(len(sp.locks))]
	lock.Lock()
	defer lock.Unlock()
	rec := &peekRecord{}
	sp.web.peeks.Store(key, rec)
	defer sp.web.peeks.Delete(key)
	p, err := sp.web.prerender(path, query)
	if err != nil {
		return nil, err
	}
	rec.mu.Lock()
	share, calls := rec.share, rec.calls
	rec.mu.Unlock()
	if calls == 1 && share != nil && share.Key == key && len(share.Needs) == 0 { // a password gate is neither kept nor a view
		p.gallery = true
		if share.ExpiresAt != nil {
			p.until = *share.ExpiresAt
		}
	}
	return p, nil
}

// prerender makes the page of path through go-app, gzipped beside.
func (w *Web) prerender(path, query string) (*keptPage, error) {
	pw := &pageWriter{header: http.Header{}}
	r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{},
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, RequestURI: path}
	w.Handler.ServeHTTP(pw, r)
	p := &keptPage{ctype: pw.header.Get("Content-Type"), raw: pw.body.Bytes(),
		rendered: pw.status == 0 || pw.status == http.StatusOK}
	if p.rendered && len(p.raw) >= 1024 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression) // once per change: worth more than level 1
		if _, err := zw.Write(p.raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		p.gz = b.Bytes()
	}
	return p, nil
}

// send writes page p for a request of link key.
func (sp *sharePages) send(c *fiber.Ctx, key string, p *keptPage) error {
	if !p.rendered {
		return fiber.NewError(fiber.StatusNotFound, "no such page")
	}
	if p.gallery && sp.Viewed != nil && c.Method() == fiber.MethodGet && c.Query("invite") == "" &&
		!linkPreviewer.MatchString(c.Get(fiber.HeaderUserAgent)) {
		sp.Viewed(key, c.IP(), c.Get(fiber.HeaderUserAgent))
	}
	sendPage(c, p)
	return nil
}

// sendPage writes a rendered page, gzipped when the client takes it.
func sendPage(c *fiber.Ctx, p *keptPage) {
	c.Set(fiber.HeaderContentType, p.ctype)
	// The page changes whenever the link does (revoked, expired): the
	// browser asks again each time.
	c.Set(fiber.HeaderCacheControl, "no-store")
	body := p.raw
	if p.gz != nil && c.Get(fiber.HeaderAcceptEncoding) != "" && c.AcceptsEncodings("gzip") == "gzip" {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		body = p.gz
	}
	c.Response().SetBodyRaw(body) // kept pages are never changed; HEAD sends none
}

// linkPreviewer matches the user agents of crawlers and of the chat and
// social apps that fetch a pasted link to draw its preview: their fetch is
// not a visit (go-app does not start the app for the same robots).
var linkPreviewer = regexp.MustCompile(`(?i)bot\b|bot/|crawl|spider|slurp|facebookexternalhit|whatsapp|embedly|skypeuripreview|preview`)

// peekRecord is what PeekShare answered during one render.
type peekRecord struct {
	mu    sync.Mutex
	share *model.PublicShare
	calls int
}

// recordPeeks wraps peek so a render by sharePages learns its answer.
// Renders of one key take turns (sharePages.locks), so the record of a
// key belongs to the render under way.
func (w *Web) recordPeeks(peek func(string) *model.PublicShare) func(string) *model.PublicShare {
	if peek == nil {
		return nil
	}
	return func(key string) *model.PublicShare {
		s := peek(key)
		if v, ok := w.peeks.Load(key); ok {
			rec := v.(*peekRecord)
			rec.mu.Lock()
			rec.share, rec.calls = s, rec.calls+1
			rec.mu.Unlock()
		}
		return s
	}
}

// pageWriter keeps what go-app writes.
type pageWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *pageWriter) Header() http.Header { return w.header }
func (w *pageWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *pageWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
