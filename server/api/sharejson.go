package api

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// An open share link (no password, gates, invitations or max uses) answers
// every visitor without a session with the same JSON, as its page shows
// the same gallery (webapp.SharePages). That answer is encoded and
// compressed once per change of the database (store.Changes) and sent from
// memory until the link expires; each one sent still records the view.

// keptJSON is the encoded answer of an open link; nil in the cache means
// the link is not open to everyone alike and each visitor is answered
// anew.
type keptJSON struct {
	raw, gz []byte
}

// keptJSONMax bounds the bytes of kept JSON answers, each kind apart.
const keptJSONMax = 16 << 20

func (k *keptJSON) size() int {
	if k == nil {
		return 0
	}
	return len(k.raw) + len(k.gz)
}

// newKeptJSON keeps raw and, when it is worth it, its gzip.
func newKeptJSON(raw []byte) *keptJSON {
	k := &keptJSON{raw: raw}
	if len(raw) >= compressMin {
		k.gz = fasthttp.AppendGzipBytesLevel(nil, raw, fasthttp.CompressDefaultCompression) // once per change
	}
	return k
}

// now is the links' clock.
func (a *ShareLinksAPI) now() time.Time {
	if a.Links.Now != nil {
		return a.Links.Now()
	}
	return time.Now()
}

// openJSON is the kept answer for link key, encoding it first if the
// database changed since; nil when the link is not open to all (or gone).
func (a *ShareLinksAPI) openJSON(key string) *keptJSON {
	k, _ := a.publics.Get(a.Links.Store.Changes, key, a.now(), func() (*keptJSON, time.Time, bool, error) {
		p := a.Links.Peek(key)
		if p == nil {
			return nil, time.Time{}, true, nil
		}
		raw, err := json.Marshal(p)
		if err != nil {
			return nil, time.Time{}, false, err
		}
		var until time.Time
		if p.ExpiresAt != nil {
			until = *p.ExpiresAt
		}
		return newKeptJSON(raw), until, true, nil
	})
	return k
}

// send answers with the kept JSON, gzipped for clients that take it.
func (k *keptJSON) send(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	if k.gz != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		c.Response().SetBodyRaw(k.gz) // kept bytes are never changed
		return
	}
	c.Response().SetBodyRaw(k.raw) // compressResponses adds Vary
}
