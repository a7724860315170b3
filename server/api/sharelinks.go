package api

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/store"
)

// ShareLinksAPI serves share links to their owners, the public link
// endpoints (share and upload links share the key space and the routes),
// the direct-download route and the site watermark settings.
type ShareLinksAPI struct {
	Links  *share.Service
	Assets *assets.Service

	jsonLimit int64
	account   Account               // for the v2 audit log (audit.go)
	looks     store.Kept[look]      // see file
	publics   store.Kept[*keptJSON] // see openJSON
}

func (a *ShareLinksAPI) list(c *fiber.Ctx, p *Principal) error {
	f := share.Filter{ProjectID: c.Query("project_id"), TargetID: c.Query("target_id")}
	switch c.Query("view") {
	case "":
	case "sharing":
		f.Sharing = true
	default:
		return errs.Invalidf("view must be sharing or absent")
	}
	items, err := a.Links.List(viewer(p), f)
	return replyPage(c, items, err)
}

func (a *ShareLinksAPI) create(c *fiber.Ctx, p *Principal) error {
	var req share.NewLink
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.Create(viewer(p), req)
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *ShareLinksAPI) get(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Get(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) update(c *fiber.Ctx, p *Principal) error {
	var req share.Patch
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.Update(viewer(p), c.Params("id"), req)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) editItems(c *fiber.Ctx, p *Principal) error {
	var req share.Contents
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.EditItems(viewer(p), c.Params("id"), req, share.Visitor{Addr: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)})
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) remove(c *fiber.Ctx, p *Principal) error {
	return noContent(c, a.Links.Delete(viewer(p), c.Params("id")))
}

func (a *ShareLinksAPI) shared(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Shared(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) accessLog(c *fiber.Ctx, p *Principal) error {
	entries, err := a.Links.AccessLog(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendAccessLog(c, entries)
}

// sendAccessLog answers an access log as JSON, or CSV with ?format=csv.
func sendAccessLog(c *fiber.Ctx, entries []share.Entry) error {
	switch c.Query("format") {
	case "", "json":
		return replyPage(c, entries, nil)
	case "csv":
	default:
		return errs.Invalidf("format must be json or csv")
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, ContentDisposition("attachment", "access-log-"+c.Params("id")+".csv"))
	w := csv.NewWriter(c.Response().BodyWriter())
	w.Write([]string{"time", "address", "user_agent", "action", "asset_id", "asset_name", "rendition", "bytes", "by", "detail"})
	for _, e := range entries {
		w.Write([]string{e.Time.Format(time.RFC3339), e.Address, csvSafe(e.UserAgent), e.Action, e.AssetID,
			csvSafe(e.AssetName), e.Rendition, strconv.FormatInt(e.Bytes, 10), csvSafe(e.By), csvSafe(e.Detail)})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a visitor-controlled cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (a *ShareLinksAPI) qr(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Manage(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendQR(c, v.URL, "qr-"+v.Key)
}

// sendQR answers a QR code of url as qr.png or qr.svg (the :format
// parameter), inline or, with ?download=1, as a file named name.
func sendQR(c *fiber.Ctx, url, name string) error {
	code, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return err
	}
	kind := "inline"
	if c.Query("download") != "" {
		kind = "attachment"
	}
	switch c.Params("format") {
	case "png":
		b, err := code.PNG(512)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "image/png")
		c.Set(fiber.HeaderContentDisposition, ContentDisposition(kind, name+".png"))
		return c.Send(b)
	case "svg":
		c.Set(fiber.HeaderContentType, "image/svg+xml")
		c.Set(fiber.HeaderContentDisposition, ContentDisposition(kind, name+".svg"))
		return c.SendString(qrSVG(code.Bitmap()))
	}
	return errs.NotFoundf("QR codes come as qr.png or qr.svg")
}

// qrSVG draws a QR bitmap (quiet zone included) as one SVG path.
func qrSVG(bits [][]bool) string {
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

func (a *ShareLinksAPI) watermark(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.WatermarkSettings()
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) setWatermark(c *fiber.Ctx, p *Principal) error {
	var req model.WatermarkSettings // has_logo and configured, sent back by forms that PUT what they got, are ignored
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.SetWatermark(share.WatermarkSettings{Text: req.Text, Position: req.Position, Opacity: req.Opacity, Scale: req.Scale})
	return reply(c, fiber.StatusOK, v, err)
}

const maxLogoBytes = 4 << 20

func (a *ShareLinksAPI) setLogo(c *fiber.Ctx, p *Principal) error {
	if ct := strings.ToLower(c.Get(fiber.HeaderContentType)); !strings.HasPrefix(ct, "image/png") {
		return errs.New(errs.Unsupported, "not_png", "send the logo as image/png")
	}
	var body []byte
	if c.Request().IsBodyStream() {
		b, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), maxLogoBytes+1))
		if err != nil {
			return errs.Invalidf("reading the logo: %v", err)
		}
		body = b
	} else {
		body = c.Body()
	}
	if len(body) > maxLogoBytes {
		return errs.New(errs.TooLarge, "logo_too_large", "the logo is larger than %d bytes", maxLogoBytes)
	}
	v, err := a.Links.SetWatermarkLogo(append([]byte(nil), body...))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) deleteLogo(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.SetWatermarkLogo(nil)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) watermarkPreview(c *fiber.Ctx, p *Principal) error {
	w, ok, err := share.LoadWatermark(a.Links.Store)
	if err != nil {
		return err
	}
	if !ok {
		return errs.NotFoundf("no watermark is configured")
	}
	b, err := media.WatermarkSample(w, 640, 400)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}

// ---- public side ---------------------------------------------------------

func visitor(c *fiber.Ctx) share.Visitor { return shareVisitor(c, c.Params("key")) }

// SessionHeader carries a link session the browser keeps in local storage
// (email-bound share links), for when the cookie is gone.
const SessionHeader = "Ferry-Session"

// shareVisitor is who asks about link key: their session comes from the
// link's cookie, or else from SessionHeader.
func shareVisitor(c *fiber.Ctx, key string) share.Visitor {
	secret := c.Cookies(LinkCookie(key))
	if secret == "" {
		secret = c.Get(SessionHeader)
	}
	return share.Visitor{Session: secret, Addr: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}
}

func setVisitCookie(c *fiber.Ctx, key, secret string, expires *time.Time) {
	if secret == "" {
		return
	}
	until := time.Now().Add(30 * 24 * time.Hour)
	if expires != nil && expires.Before(until) {
		until = *expires
	}
	c.Cookie(linkCookie(c, key, secret, until))
}

// page answers GET /api/v2/public/links/{key} for a share link.
func (a *ShareLinksAPI) page(c *fiber.Ctx) error {
	key := c.Params("key")
	vis := visitor(c)
	vis.Invite = c.Query("invite")
	if vis.Session == "" && vis.Invite == "" && c.Method() == fiber.MethodGet {
		if k := a.openJSON(key); k != nil {
			a.Links.LogView(key, vis)
			k.send(c)
			return nil
		}
	}
	v, secret, err := a.Links.Public(key, vis)
	if err != nil {
		return err
	}
	setVisitCookie(c, key, secret, v.ExpiresAt)
	return c.JSON(v)
}

// unlock answers POST /api/v2/public/links/{key}/unlock for a share link.
func (a *ShareLinksAPI) unlock(c *fiber.Ctx, password string) error {
	key := c.Params("key")
	v, secret, err := a.Links.Unlock(key, password, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, key, secret, v.ExpiresAt)
	return c.JSON(v)
}

// file serves a file of a share link: a rendition to look at, or a download.
func (a *ShareLinksAPI) file(c *fiber.Ctx) error {
	vis := visitor(c)
	name := c.Params("name")
	download := c.Query("download") != ""
	if !download && vis.Session == "" {
		// Looking without a session (an open link's gallery) is the same
		// for every visitor: decided once per change of the database, until
		// the link expires (store.Kept), instead of a dozen reads per
		// thumbnail. Looking is not logged, or every frame of a gallery
		// would be a line.
		lookKey := c.Params("key") + "/" + c.Params("id") + "/" + name
		k, err := a.looks.Get(a.Links.Store.Changes, lookKey, a.now(), func() (look, time.Time, bool, error) {
			l, d, _, err := a.decide(c, vis, name, false)
			if err != nil {
				return look{}, time.Time{}, false, err
			}
			k := look{d: d}
			if name != "original" {
				k.f, _ = readKept(a.Assets.Blobs, d.Key, keptEach)
			}
			var until time.Time
			if l.ExpiresAt != nil {
				until = *l.ExpiresAt
			}
			return k, until, true, nil
		})
		if err != nil {
			return err
		}
		if k.f != nil {
			return sendKept(c, k.d, k.f)
		}
		return sendBlob(c, a.Assets.Blobs, k.d)
	}
	l, d, as, err := a.decide(c, vis, name, download)
	if err != nil {
		return err
	}
	if err := sendBlob(c, a.Assets.Blobs, d); err != nil {
		return err
	}
	if download && c.Method() == fiber.MethodGet && c.Response().StatusCode() < 300 {
		a.Links.LogAccess(l, vis, share.Entry{Action: "download", AssetID: as.ID, AssetName: as.Name, Rendition: name,
			Bytes: int64(c.Response().Header.ContentLength())})
	}
	return nil
}

// decide checks that vis may have rendition name of the link's file (the
// request's key and id) and says which bytes answer.
func (a *ShareLinksAPI) decide(c *fiber.Ctx, vis share.Visitor, name string, download bool) (share.Link, Download, assets.Asset, error) {
	l, err := a.Links.Access(c.Params("key"), vis)
	if err != nil {
		return share.Link{}, Download{}, assets.Asset{}, err
	}
	as, attachment, err := a.Links.Item(l, c.Params("id"))
	if err != nil {
		return share.Link{}, Download{}, assets.Asset{}, err
	}
	if err := a.Links.Rendition(l, as, attachment, name, download); err != nil {
		return share.Link{}, Download{}, assets.Asset{}, err
	}
	if name == "original" {
		return l, Download{Key: assets.OriginalKey(as.ID), Name: as.Name, Type: as.Filetype, ETag: `"` + as.ID + `"`, Attach: download}, as, nil
	}
	key, tag, err := a.Links.RenditionKey(l, as, name)
	if err != nil {
		return share.Link{}, Download{}, assets.Asset{}, err
	}
	base := strings.TrimSuffix(as.Name, "."+extOf(as.Name))
	return l, Download{Key: key, Name: base + " (" + name + ")" + assets.RenditionExt(name), Type: assets.RenditionType(name),
		ETag: `"` + tag + `"`, Attach: download, Immutable: true, MaxAge: time.Hour}, as, nil
}

// direct answers a direct-download link with the original itself.
func (a *ShareLinksAPI) direct(c *fiber.Ctx, _ *Principal) error {
	vis := visitor(c)
	l, as, secret, err := a.Links.DirectVisit(c.Params("key"), vis)
	if err != nil {
		return err
	}
	setVisitCookie(c, c.Params("key"), secret, l.ExpiresAt)
	if err := sendBlob(c, a.Assets.Blobs, Download{Key: assets.OriginalKey(as.ID), Name: as.Name, Type: as.Filetype,
		ETag: `"` + as.ID + `"`, Attach: true}); err != nil {
		return err
	}
	if c.Method() == fiber.MethodGet && c.Response().StatusCode() < 300 {
		a.Links.LogAccess(l, vis, share.Entry{Action: "download", AssetID: as.ID, AssetName: as.Name, Rendition: "original",
			Bytes: int64(c.Response().Header.ContentLength())})
	}
	return nil
}

// zip streams "Download all": a ZIP built on the fly, entries stored (media
// is already compressed), no temp file, with a Content-Length (see
// zipStream).
func (a *ShareLinksAPI) zip(c *fiber.Ctx, _ *Principal) error {
	vis := visitor(c)
	l, err := a.Links.Access(c.Params("key"), vis)
	if err != nil {
		return err
	}
	if g := l.Grant(); !g.Original && len(g.Proxies) == 0 && !g.Attachments {
		return errs.New(errs.Forbidden, "download_not_allowed", "this link is for viewing only")
	}
	entries, err := a.Links.ZipEntries(l)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return errs.New(errs.NotFound, "nothing_to_download", "this link has no files to download")
	}
	// Resolve every entry's blob, size and CRC before the first byte: errors
	// still get a status, and the length is known.
	blobs := a.Assets.Blobs
	parts := make([]zipPart, 0, len(entries))
	for _, e := range entries {
		as, err := a.Assets.GetAsset(assets.Viewer{Admin: true}, e.AssetID)
		if err != nil {
			continue // deleted meanwhile
		}
		key := assets.OriginalKey(as.ID)
		if e.Rendition != "original" {
			if key, _, err = a.Links.RenditionKey(l, as, e.Rendition); errs.Is(err, errs.Unavailable) {
				return err // a watermarked video is being made: the ZIP waits for it
			} else if err != nil {
				continue
			}
		}
		st, err := blobs.Stat(key)
		if err != nil {
			continue // no bytes (yet): leave it out rather than fail the ZIP
		}
		when := as.InsertedAt
		if as.UploadCompletedAt != nil {
			when = *as.UploadCompletedAt
		}
		p := zipPart{name: e.Name, key: key, when: when, size: st.Size()}
		p.crc, p.hasCRC = a.Assets.CachedCRC(key, st.Size(), st.ModTime())
		parts = append(parts, p)
	}
	z := newZipStream(parts, blobs)
	if z.size < 0 {
		return errs.Invalidf("these files cannot be put in one ZIP")
	}
	z.saveCRC = func(key string, size int64, mod time.Time, crc uint32) { a.Assets.SaveCRC(key, size, mod, crc) }
	svc := a.Links
	z.done = func(sent int64) { svc.LogAccess(l, vis, share.Entry{Action: "zip", Bytes: sent}) }
	name := share.ZipPath(l.Name)
	if name == "" {
		name = "download"
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, ContentDisposition("attachment", name+".zip"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().SetBodyStream(z, int(z.size))
	return nil
}
