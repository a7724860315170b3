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
	plan, err := a.planCopies(p, c.Params("id"), []string{req.ID})
	if err != nil {
		return err
	}
	made, err := a.Assets.CopyFile(viewer(p), plan[0].file, plan[0].name, plan[0].dst)
	if err != nil {
		return err
	}
	a.frameio(c, p, &made)
	return c.JSON(made)
}

// plannedCopy is one file to copy, checked.
type plannedCopy struct {
	file, dst assets.Asset
	name      string
}

// planCopies checks every copy of ids into folder dstID before any is
// made: the destination, each source, and the policy's rights on both.
func (a *AssetsAPI) planCopies(p *Principal, dstID string, ids []string) ([]plannedCopy, error) {
	v := viewer(p)
	dst, err := a.Assets.GetAsset(v, dstID)
	if err != nil {
		return nil, err
	}
	if dst.Type != assets.TypeFolder || dst.UploadStatus != "" {
		return nil, errs.Invalidf("the destination %s is a %s; copy into a folder", dst.ID, dst.Type)
	}
	pol := access.New(a.Assets.Store, a.Assets)
	if err := pol.Member(v, dst.ID, access.Upload, "copying into a folder"); err != nil {
		return nil, err
	}
	var plan []plannedCopy
	for _, id := range ids {
		if id == "" {
			return nil, errs.Invalidf("id is required: the asset to copy")
		}
		src, err := a.Assets.GetAsset(v, id)
		if err != nil {
			return nil, err
		}
		file, name := src, src.Name
		switch {
		case src.UploadStatus != "":
			return nil, errs.New(errs.Conflict, "upload_pending", "asset %s has not finished uploading", src.ID)
		case src.Type == assets.TypeFolder:
			return nil, errs.New(errs.Invalid, "folder_copy_unsupported", "folders cannot be copied by Ferry; make a folder and copy the files inside it")
		case src.Type == assets.TypeVersionStack:
			if file, err = a.Assets.GetAsset(v, src.CoverAssetID); err != nil {
				return nil, err
			}
		}
		if err := pol.Member(v, file.ID, access.Download, "copying (a copy takes the original out)"); err != nil {
			return nil, err
		}
		if dst.ID == src.ParentID {
			ext := path.Ext(name)
			name = strings.TrimSuffix(name, ext) + " copy" + ext
		}
		plan = append(plan, plannedCopy{file: file, dst: dst, name: name})
	}
	return plan, nil
}

// MaxBatchCopy bounds one batch copy.
const MaxBatchCopy = 100

// batchCopy is v2's POST /batch/assets/{destination_id}/copy
// {"batch":[{"id"}...], "copy_comments":"none"}: every copy is checked
// before the first is made; the answer lists the copies.
func (a *AssetsAPI) batchCopy(c *fiber.Ctx, p *Principal) error {
	var req struct {
		Batch []struct {
			ID string `json:"id"`
		} `json:"batch"`
		CopyComments string `json:"copy_comments"`
	}
	if err := decodeV2(c, a.jsonLimit, &req, v2AssetFields); err != nil {
		return err
	}
	switch {
	case len(req.Batch) == 0:
		return errs.Invalidf(`batch is required: [{"id": asset to copy}, ...]`)
	case len(req.Batch) > MaxBatchCopy:
		return errs.Invalidf("a batch copies at most %d assets, not %d", MaxBatchCopy, len(req.Batch))
	case req.CopyComments != "" && req.CopyComments != "none":
		return errs.New(errs.Invalid, "not_supported", "copy_comments %q is not supported by Ferry: copies start without comments (send \"none\")", req.CopyComments)
	}
	ids := make([]string, len(req.Batch))
	for i, b := range req.Batch {
		ids[i] = b.ID
	}
	plan, err := a.planCopies(p, c.Params("id"), ids)
	if err != nil {
		return err
	}
	out := make([]assets.Asset, 0, len(plan))
	for _, pc := range plan {
		made, err := a.Assets.CopyFile(viewer(p), pc.file, pc.name, pc.dst)
		if err != nil {
			return err
		}
		out = append(out, made)
	}
	a.frameioList(c, p, out)
	return c.JSON(out)
}
