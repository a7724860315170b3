package api

import (
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// copyAsset is Frame.io v2's POST /assets/{destination_folder}/copy
// {"id": source}: a new file in the folder with the source's bytes. A copy
// takes the bytes out and puts them in, so it needs download on the source
// and upload at the destination (docs/security-model.md). A version stack
// is copied as its newest version; folders are not copied (a deep copy of
// a tree of any size is not one request's work): copy the files inside.
func (a *AssetsAPI) copyAsset(c *fiber.Ctx, p *Principal) error {
	var req struct {
		ID string `json:"id"`
	}
	if err := decodeV2(c, a.jsonLimit, &req, v2AssetFields); err != nil {
		return err
	}
	if req.ID == "" {
		return errs.Invalidf("id is required: the asset to copy")
	}
	v := viewer(p)
	dst, err := a.Assets.GetAsset(v, c.Params("id"))
	if err != nil {
		return err
	}
	if dst.Type != assets.TypeFolder || dst.UploadStatus != "" {
		return errs.Invalidf("the destination %s is a %s; copy into a folder", dst.ID, dst.Type)
	}
	src, err := a.Assets.GetAsset(v, req.ID)
	if err != nil {
		return err
	}
	file, name := src, src.Name
	switch {
	case src.UploadStatus != "":
		return errs.New(errs.Conflict, "upload_pending", "asset %s has not finished uploading", src.ID)
	case src.Type == assets.TypeFolder:
		return errs.New(errs.Invalid, "folder_copy_unsupported", "folders cannot be copied by Ferry; make a folder and copy the files inside it")
	case src.Type == assets.TypeVersionStack:
		if file, err = a.Assets.GetAsset(v, src.CoverAssetID); err != nil {
			return err
		}
	}
	pol := access.New(a.Assets.Store, a.Assets)
	if err := pol.Member(v, file.ID, access.Download, "copying (a copy takes the original out)"); err != nil {
		return err
	}
	if err := pol.Member(v, dst.ID, access.Upload, "copying into a folder"); err != nil {
		return err
	}
	if dst.ID == src.ParentID {
		ext := path.Ext(name)
		name = strings.TrimSuffix(name, ext) + " copy" + ext
	}
	made, err := a.Assets.CopyFile(v, file, name, dst)
	if err != nil {
		return err
	}
	a.frameio(c, p, &made)
	return c.JSON(made)
}
