package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/uploads"
)

// ShareVisitorAPI serves what visitors of a share link may change: folders
// (upload_download and full links), rename, move, copy and delete (full).
// Uploads go through tus with LinkHeader (sharePolicy).
type ShareVisitorAPI struct {
	Links *share.Service

	jsonLimit int64
}

// access is the one gate of these routes: the link's own policy for this visitor.
func (a *ShareVisitorAPI) access(c *fiber.Ctx) (share.Link, share.Visitor, error) {
	vis := visitor(c)
	l, err := a.Links.Access(c.Params("key"), vis)
	return l, vis, err
}

func (a *ShareVisitorAPI) mkdir(c *fiber.Ctx, _ *Principal) error {
	var req model.NewPublicFolder
	l, vis, err := a.access(c)
	if err != nil {
		return err
	}
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.VisitorMkdir(l, vis, req.ParentID, req.Name)
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *ShareVisitorAPI) update(c *fiber.Ctx, _ *Principal) error {
	var req assets.AssetPatch
	l, vis, err := a.access(c)
	if err != nil {
		return err
	}
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	v, err := a.Links.VisitorUpdate(l, vis, c.Params("id"), req)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareVisitorAPI) copy(c *fiber.Ctx, _ *Principal) error {
	var req model.CopyTo
	l, vis, err := a.access(c)
	if err != nil {
		return err
	}
	if len(c.Request().Header.ContentType()) > 0 { // the body is optional: {} copies beside the original
		if err := decode(c, a.jsonLimit, &req); err != nil {
			return err
		}
	}
	v, err := a.Links.VisitorCopy(l, vis, c.Params("id"), req.ParentID)
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *ShareVisitorAPI) remove(c *fiber.Ctx, _ *Principal) error {
	l, vis, err := a.access(c)
	if err != nil {
		return err
	}
	return noContent(c, a.Links.VisitorDelete(l, vis, c.Params("id")))
}

// sharePolicy is the tus policy of a visitor of share link key: the
// link's gate first, then what its mode or inbox lets them upload.
// uploadPolicy lets tus uploads through a share link that allows them.
func (a *ShareLinksAPI) uploadPolicy(s *Server, c *fiber.Ctx, key string) (uploads.Policy, error) {
	if err := s.checkOriginIfPresent(c); err != nil {
		return uploads.Policy{}, err
	}
	return sharePolicy(a.Links, c, key)
}

func sharePolicy(shares *share.Service, c *fiber.Ctx, key string) (uploads.Policy, error) {
	vis := shareVisitor(c, key)
	l, err := shares.Access(key, vis)
	if err != nil {
		return uploads.Policy{}, err
	}
	r, err := shares.UploadRights(l, vis)
	if err != nil {
		return uploads.Policy{}, err
	}
	return uploads.Policy{Viewer: r.Viewer, LinkID: r.LinkID, MaxSize: r.MaxSize, Target: r.Target}, nil
}
