package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/uploads"
)

// Frame.io v2 clients move bytes through signed URLs that need no token:
// they PUT the parts of a new file to its upload_urls and GET its original
// from the asset's original URL. Each URL carries one asset, one action
// (and for parts one index) and one expiry, signed with the server key;
// the rights of the user it was made for are checked again when it is used.

// Signed URL paths and actions.
const (
	signedPrefix = "/api/v2/signed/"
	partsPath    = signedPrefix + "parts/"
	originalPath = signedPrefix + "original/"

	actionPart     = "upload_part"
	actionOriginal = "download_original"
)

// SignedTTL is how long signed URLs work.
const SignedTTL = 24 * time.Hour

func (a *AssetsAPI) sign(c *fiber.Ctx, path string, sg secure.Signed) string {
	sg.Expires = a.now().Add(SignedTTL)
	return c.BaseURL() + path + "?" + sg.Query(a.Secret)
}

// verify checks the signature of the request's URL for action on asset id
// (and part): 403 when it is wrong or expired.
func (a *AssetsAPI) verify(c *fiber.Ctx, action, id string, part int) (secure.Signed, error) {
	q := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	sg, err := secure.Verify(a.Secret, action, id, part, q, a.now())
	switch {
	case errors.Is(err, secure.ErrExpired):
		return sg, errs.New(errs.Forbidden, "url_expired", "this signed URL expired at %s; ask the API for a new one", sg.Expires.UTC().Format(time.RFC3339))
	case err != nil:
		return sg, errs.New(errs.Forbidden, "bad_signature", "this URL's signature is missing or does not match (it is bound to one asset, one part or action, and one expiry)")
	}
	return sg, nil
}

// uploadURLs cuts pending upload as into parts and signs their URLs.
func (a *AssetsAPI) uploadURLs(c *fiber.Ctx, as assets.Asset) ([]string, error) {
	count, err := a.Parts.Begin(as.ID, as.Filesize)
	if err != nil {
		return nil, err
	}
	urls := make([]string, count)
	for i := range urls {
		idx := strconv.Itoa(i)
		urls[i] = a.sign(c, partsPath+as.ID+"/"+idx, secure.Signed{Action: actionPart, AssetID: as.ID, Part: i})
	}
	return urls, nil
}

// frameio fills the Frame.io v2 fields of an answer about as for p: the
// signed original URL when p may download it, and the checksums once known.
func (a *AssetsAPI) frameio(c *fiber.Ctx, p *Principal, as *assets.Asset) {
	a.frameioIn(c, p, as, nil)
}

// frameioList is frameio for the items of one listing. Rights are set on
// folders, so siblings share them: the policy is asked once per parent.
func (a *AssetsAPI) frameioList(c *fiber.Ctx, p *Principal, items []assets.Asset) {
	mayDownload := map[string]bool{}
	for i := range items {
		a.frameioIn(c, p, &items[i], mayDownload)
	}
}

func (a *AssetsAPI) frameioIn(c *fiber.Ctx, p *Principal, as *assets.Asset, mayDownload map[string]bool) {
	id := as.ID
	if as.Type == assets.TypeVersionStack {
		id = as.CoverAssetID
	}
	if id == "" || as.Type == assets.TypeFolder || as.UploadStatus != "" {
		return
	}
	if as.Type == assets.TypeFile && mayDownload == nil { // a listing has them (ChildrenPage)
		if xx, ok := a.Assets.XXHash(assets.OriginalKey(id), as.Filesize); ok {
			as.Checksums = &assets.Checksums{XXHash: xx}
		}
	}
	may, known := mayDownload[as.ParentID]
	if !known {
		may = access.New(a.Assets.Store, a.Assets).Member(viewer(p), id, access.Download, "downloading originals") == nil
		if mayDownload != nil {
			mayDownload[as.ParentID] = may
		}
	}
	if !may {
		return
	}
	as.Original = a.sign(c, originalPath+id, secure.Signed{Action: actionOriginal, AssetID: id, Signer: p.User.ID})
}

// includes reports whether the request's v2 include= list names what.
// Other v2 shaping parameters (only_fields, drop_includes, ...) are
// ignored: answers always hold every field.
func includes(c *fiber.Ctx, what string) bool {
	return slices.Contains(strings.Split(c.Query("include"), ","), what)
}

// includedChildren is how many children include=children gives a folder
// or version stack, as v2 does (a few: the SDK's tree walker lists a
// folder itself when its item_count is larger).
const includedChildren = 3

// withChildren answers a listing with include=children: every asset with
// "children", the first children of folders and version stacks (with
// their v2 fields), none for files.
func (a *AssetsAPI) withChildren(c *fiber.Ctx, p *Principal, items []assets.Asset) error {
	out := make([]withKids, len(items))
	for i, it := range items {
		out[i] = withKids{Asset: it, Children: []assets.Asset{}}
		if it.Type == assets.TypeFile || it.UploadStatus != "" {
			continue
		}
		kids, _, err := a.Assets.ChildrenPage(viewer(p), it.ID, 0, includedChildren)
		if err != nil {
			return err
		}
		a.frameioList(c, p, kids)
		out[i].Children = kids
	}
	return c.JSON(out)
}

// withKids is an asset with its included children.
type withKids struct {
	assets.Asset
	Children []assets.Asset
}

// MarshalJSON is the asset's own JSON (assets.Asset has its MarshalJSON)
// with "children" added.
func (w withKids) MarshalJSON() ([]byte, error) {
	asset, err := json.Marshal(w.Asset)
	if err != nil {
		return nil, err
	}
	kids, err := json.Marshal(w.Children)
	if err != nil {
		return nil, err
	}
	return append(append(asset[:len(asset)-1], `,"children":`...), append(kids, '}')...), nil
}

func (a *AssetsAPI) putPart(c *fiber.Ctx, _ *Principal) error {
	id := c.Params("id")
	index, err := strconv.Atoi(c.Params("index"))
	if err != nil || index < 0 || index >= uploads.MaxParts {
		return errs.NotFoundf("no part %q; parts are numbered from 0", c.Params("index"))
	}
	if _, err := a.verify(c, actionPart, id, index); err != nil {
		return err
	}
	// The upload's creator must still be allowed to upload where it goes.
	if up, err := a.Assets.Pending(id); err == nil {
		if err := access.New(a.Assets.Store, a.Assets).Signed(up.CreatorID, up.ParentID, access.Upload, "uploading"); err != nil {
			return err
		}
	}
	// Never c.Body() on a streamed request: it would read the part into memory.
	var body io.Reader
	if c.Request().IsBodyStream() {
		body = c.Context().RequestBodyStream()
	} else {
		body = bytes.NewReader(c.Body())
	}
	// An idle client is cut after partIdle, whatever the server's own
	// timeouts, as tusd does for PATCH bodies.
	conn := c.Context().Conn()
	body = &idleReader{r: body, conn: conn}
	defer conn.SetReadDeadline(time.Time{})
	length := int64(c.Request().Header.ContentLength())
	if length < 0 {
		length = -1
	}
	as, err := a.Parts.Put(c.UserContext(), id, index, body, length)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"part": index, "complete": as.ID != ""})
}

func (a *AssetsAPI) signedOriginal(c *fiber.Ctx, _ *Principal) error {
	id := c.Params("id")
	sg, err := a.verify(c, actionOriginal, id, 0)
	if err != nil {
		return err
	}
	pol := access.New(a.Assets.Store, a.Assets)
	if err := pol.Signed(sg.Signer, id, access.Download, "downloading originals"); err != nil {
		return err
	}
	as, err := a.Assets.GetAsset(assets.Viewer{Admin: true}, id)
	if err != nil {
		return err
	}
	if as.Type != assets.TypeFile || as.UploadStatus != "" {
		return errs.New(errs.Conflict, "no_original", "this asset has no original to download")
	}
	return sendBlob(c, a.Assets.Blobs, Download{Key: assets.OriginalKey(as.ID), Name: as.Name, Type: as.Filetype,
		ETag: `"` + as.ID + `"`, Attach: true})
}

// partIdle is how long a part's body may send nothing before it is cut.
const partIdle = 60 * time.Second

// idleReader moves the connection's read deadline before each read.
type idleReader struct {
	r    io.Reader
	conn interface{ SetReadDeadline(time.Time) error }
}

func (b *idleReader) Read(p []byte) (int, error) {
	b.conn.SetReadDeadline(time.Now().Add(partIdle))
	return b.r.Read(p)
}
