package api

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/uploads"
)

// AssetsAPI serves projects, assets, collections, downloads and tus.
type AssetsAPI struct {
	Assets  *assets.Service
	Uploads *uploads.Service
	Tus     *TusBridge
	// Parts takes Frame.io upload_urls uploads; Secret signs their URLs
	// and those of originals (frameio.go).
	Parts  *uploads.Parts
	Secret []byte

	jsonLimit int64
	account   Account // the Frame.io v2 account and team (teams.go)
	siteName  string
	now       func() time.Time     // the server's clock, for signed URLs
	lists     store.Kept[keptList] // pages of folders, see children
}

func viewer(p *Principal) assets.Viewer {
	return assets.Viewer{UserID: p.User.ID, Name: p.User.Name, Admin: p.User.IsAdmin()}
}

func (a *AssetsAPI) listProjects(c *fiber.Ctx, p *Principal) error {
	items, err := a.Assets.ListProjects(viewer(p))
	return replyPage(c, items, err)
}

func (a *AssetsAPI) createProject(c *fiber.Ctx, p *Principal) error {
	pr, err := a.newProject(c, p)
	return reply(c, fiber.StatusCreated, pr, err)
}

// newProject creates the project the request body (model.NewProject) asks for.
func (a *AssetsAPI) newProject(c *fiber.Ctx, p *Principal) (assets.Project, error) {
	var req model.NewProject
	if err := decodeV2(c, a.jsonLimit, &req, v2ProjectFields); err != nil {
		return assets.Project{}, err
	}
	return a.Assets.CreateProject(viewer(p), req.Name)
}

func (a *AssetsAPI) getProject(c *fiber.Ctx, p *Principal) error {
	v, err := a.Assets.GetProject(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) updateProject(c *fiber.Ctx, p *Principal) error {
	var req assets.ProjectPatch
	if err := decodeV2(c, a.jsonLimit, &req, v2ProjectFields); err != nil {
		return err
	}
	v, err := a.Assets.UpdateProject(viewer(p), c.Params("id"), req)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) deleteProject(c *fiber.Ctx, p *Principal) error {
	pr, err := a.Assets.GetProject(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return deleted(c, pr, a.Assets.DeleteProject(viewer(p), pr.ID))
}

func (a *AssetsAPI) listFolders(c *fiber.Ctx, p *Principal) error {
	v, err := a.Assets.Folders(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) listCollections(c *fiber.Ctx, p *Principal) error {
	items, err := a.Assets.ListCollections(viewer(p), c.Params("id"), c.Query("include_hidden") == "true")
	return replyPage(c, items, err)
}

func (a *AssetsAPI) createCollection(c *fiber.Ctx, p *Principal) error {
	var req assets.NewCollection
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Assets.CreateCollection(viewer(p), c.Params("id"), req)
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *AssetsAPI) getCollection(c *fiber.Ctx, p *Principal) error {
	v, err := a.Assets.GetCollection(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) updateCollection(c *fiber.Ctx, p *Principal) error {
	var req assets.CollectionPatch
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	if req.AssetIDs != nil && a.Tus != nil && a.Tus.Shares != nil {
		// A collection a link shows is that link's content: the policy
		// decides who may change it (see share.CheckCollectionEdit).
		if err := a.Tus.Shares.CheckCollectionEdit(viewer(p), c.Params("id"), *req.AssetIDs); err != nil {
			return err
		}
	}
	v, err := a.Assets.UpdateCollection(viewer(p), c.Params("id"), req)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) deleteCollection(c *fiber.Ctx, p *Principal) error {
	if a.Tus != nil && a.Tus.Shares != nil {
		if err := a.Tus.Shares.CheckCollectionEdit(viewer(p), c.Params("id"), nil); err != nil {
			return err
		}
	}
	return noContent(c, a.Assets.DeleteCollection(viewer(p), c.Params("id")))
}

func (a *AssetsAPI) collectionItems(c *fiber.Ctx, p *Principal) error {
	items, err := a.Assets.CollectionItems(viewer(p), c.Params("id"))
	return replyPage(c, items, err)
}

func (a *AssetsAPI) getAsset(c *fiber.Ctx, p *Principal) error {
	as, err := a.Assets.GetAsset(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	if as.UploadStatus != "" {
		as.UploadURL = a.Tus.URL(c, as.ID)
	}
	a.frameio(c, p, &as)
	return c.JSON(as)
}

func (a *AssetsAPI) updateAsset(c *fiber.Ctx, p *Principal) error {
	var req assets.AssetPatch
	if err := decodeV2(c, a.jsonLimit, &req, v2AssetFields); err != nil {
		return err
	}
	v, err := a.Assets.UpdateAsset(viewer(p), c.Params("id"), req)
	if err == nil {
		a.frameio(c, p, &v)
	}
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) deleteAsset(c *fiber.Ctx, p *Principal) error {
	as, err := a.Assets.GetAsset(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	// The answer names the share links the delete leaves without a
	// target (for whoever may read links), as the confirmation did.
	var affected []share.View
	if a.Tus != nil && a.Tus.Shares != nil && p.Can("share_links.read") {
		if affected, err = a.Tus.Shares.Affected(viewer(p), as.ID, ""); err != nil {
			return err
		}
	}
	if err := a.Assets.DeleteAsset(viewer(p), as.ID); err != nil {
		return err
	}
	if affected == nil {
		return deleted(c, as, nil)
	}
	b, err := json.Marshal(as)
	if err != nil {
		return err
	}
	out := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	if out["affected_links"], err = json.Marshal(affected); err != nil {
		return err
	}
	return c.JSON(out)
}

// affectedLinks answers which share links deleting the asset or
// collection :id would leave without a target (the delete confirmation).
func (a *AssetsAPI) affectedLinks(c *fiber.Ctx, p *Principal) error {
	assetID, collID := c.Params("id"), ""
	if strings.HasPrefix(c.Path(), "/api/v2/collections/") {
		assetID, collID = "", c.Params("id")
	}
	v, err := a.Tus.Shares.Affected(viewer(p), assetID, collID)
	return replyPage(c, v, err)
}

func (a *AssetsAPI) ancestors(c *fiber.Ctx, p *Principal) error {
	v, err := a.Assets.Ancestors(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *AssetsAPI) createChild(c *fiber.Ctx, p *Principal) error {
	var req model.NewAsset
	if err := decodeV2(c, a.jsonLimit, &req, v2AssetFields); err != nil {
		return err
	}
	v := viewer(p)
	switch req.Type {
	case assets.TypeFolder:
		f, err := a.Assets.CreateFolder(v, c.Params("id"), req.Name)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(f)
	case assets.TypeFile:
		if req.Filesize == nil {
			return errs.Invalidf("filesize is required for a file")
		}
		up, err := a.Assets.PrepareUpload(v, assets.UploadRequest{Name: req.Name, Filetype: req.Filetype,
			Size: *req.Filesize, ParentID: c.Params("id")}, a.Uploads.MaxSize)
		if err != nil {
			return err
		}
		as, err := a.Uploads.Create(c.UserContext(), up)
		if err != nil {
			return err
		}
		if as.UploadStatus != "" {
			as.UploadURL = a.Tus.URL(c, as.ID)
			if as.UploadURLs, err = a.uploadURLs(c, as); err != nil {
				return err
			}
		} else {
			a.frameio(c, p, &as)
		}
		return c.Status(fiber.StatusCreated).JSON(as)
	default:
		return errs.Invalidf(`type must be "folder" or "file"`)
	}
}

func (a *AssetsAPI) addVersion(c *fiber.Ctx, p *Principal) error {
	var req model.NewVersion
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	if req.NextAssetID == "" {
		return errs.Invalidf("next_asset_id is required")
	}
	st, err := a.Assets.AddVersion(viewer(p), c.Params("id"), req.NextAssetID)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (a *AssetsAPI) original(c *fiber.Ctx, p *Principal) error {
	as, err := a.Assets.GetAsset(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	if as.Type == assets.TypeVersionStack {
		if as, err = a.Assets.GetAsset(viewer(p), as.CoverAssetID); err != nil {
			return err
		}
	}
	if as.Type != assets.TypeFile || as.UploadStatus != "" {
		return errs.New(errs.Conflict, "no_original", "this %s has no original to download", strings.ReplaceAll(as.Type, "_", " "))
	}
	if err := access.New(a.Assets.Store, a.Assets).Member(viewer(p), as.ID, access.Download, "downloading originals"); err != nil {
		return err
	}
	return sendBlob(c, a.Assets.Blobs, Download{Key: assets.OriginalKey(as.ID), Name: as.Name, Type: as.Filetype,
		ETag: `"` + as.ID + `"`, Attach: c.Query("download") != ""})
}

func (a *AssetsAPI) proxy(c *fiber.Ctx, p *Principal) error {
	as, err := a.Assets.GetAsset(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	if as.Type == assets.TypeVersionStack {
		if as, err = a.Assets.GetAsset(viewer(p), as.CoverAssetID); err != nil {
			return err
		}
	}
	name := c.Params("name")
	switch {
	case name == "thumb", name == "preview", name == "large":
		if as.ProxyStatus != assets.ProxyReady {
			return errs.New(errs.NotFound, "proxy_not_ready", "no %s for this asset (proxy status: %s)", name, orNone(as.ProxyStatus))
		}
	case assets.Playable(name) || name == assets.Sprite:
		if !as.HasRendition(name) {
			return errs.New(errs.NotFound, "proxy_not_ready", "no %s for this asset (made: %s; transcode status: %s)",
				name, strings.Join(as.Renditions, ", "), orNone(as.TranscodeStatus))
		}
		if c.Query("download") != "" {
			if err := access.New(a.Assets.Store, a.Assets).Member(viewer(p), as.ID, access.Download, "downloading proxies"); err != nil {
				return err
			}
		}
	default:
		return errs.NotFoundf("no rendition %q; there are thumb, preview, large, sprite, video_<height> and audio", name)
	}
	base := strings.TrimSuffix(as.Name, "."+extOf(as.Name))
	return sendBlob(c, a.Assets.Blobs, Download{Key: assets.ProxyKey(as.ID, name), Name: base + "-" + name + assets.RenditionExt(name),
		Type: assets.RenditionType(name), ETag: `"` + as.ID + "-" + name + `"`, Attach: c.Query("download") != "",
		Immutable: true, MaxAge: 24 * time.Hour})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func extOf(name string) string {
	if i := strings.LastIndex(name, "."); i > 0 {
		return name[i+1:]
	}
	return ""
}

// reply writes v with status, or the error.
func reply[T any](c *fiber.Ctx, status int, v T, err error) error {
	if err != nil {
		return err
	}
	return c.Status(status).JSON(v)
}

// replyPage writes one page of items with the pagination headers, or the error.
func replyPage[T any](c *fiber.Ctx, items []T, err error) error {
	if err != nil {
		return err
	}
	page, err := paginate(c, items)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// deleted answers a DELETE as Frame.io v2 does: 200 with the deleted
// object (the v2 SDKs read the body), or the error.
func deleted[T any](c *fiber.Ctx, v T, err error) error { return reply(c, fiber.StatusOK, v, err) }

// noContent answers 204, or the error.
func noContent(c *fiber.Ctx, err error) error {
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
