package api

import (
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// copyAsset is Frame.io v2's POST /assets/{destination_folder}/copy
// {"id": source}: a new file in the folder with the source's bytes, or for
// a folder a new folder with copies of everything in it. A copy takes the
// bytes out and puts them in, so it needs download on every file copied
// and upload at the destination (docs/security-model.md). A version stack
// is copied as its newest version.
func (a *AssetsAPI) copyAsset(c *fiber.Ctx, p *Principal) error {
	var req model.CopySource
	if err := decodeV2(c, a.jsonLimit, &req, v2AssetFields); err != nil {
		return err
	}
	if req.ID == "" {
		return errs.Invalidf("id is required: the asset to copy")
	}
	dst, plan, err := a.planCopies(p, c.Params("id"), []string{req.ID})
	if err != nil {
		return err
	}
	made, err := a.makeCopy(viewer(p), plan[0], dst)
	if err != nil {
		return err
	}
	a.frameio(c, p, &made)
	return c.JSON(made)
}

// plannedCopy is one asset to copy, checked: a file, or a folder and what
// is in it.
type plannedCopy struct {
	file   assets.Asset
	name   string
	folder bool
	inside []plannedCopy // a folder's contents, copied into the new folder
}

// MaxCopyAssets bounds the files and folders one copy request makes.
const MaxCopyAssets = 1000

// planCopies checks every copy of ids into folder dstID before any is
// made: the destination, each source (folders with all they hold), and
// the policy's rights on both. It returns the destination and the plan.
func (a *AssetsAPI) planCopies(p *Principal, dstID string, ids []string) (assets.Asset, []plannedCopy, error) {
	v := viewer(p)
	dst, err := a.Assets.GetAsset(v, dstID)
	if err != nil {
		return dst, nil, err
	}
	if dst.Type != assets.TypeFolder || dst.UploadStatus != "" {
		return dst, nil, errs.Invalidf("the destination %s is a %s; copy into a folder", dst.ID, dst.Type)
	}
	pol := access.New(a.Assets.Store, a.Assets)
	if err := pol.Member(v, dst.ID, access.Upload, "copying into a folder"); err != nil {
		return dst, nil, err
	}
	budget := MaxCopyAssets
	var plan []plannedCopy
	for _, id := range ids {
		if id == "" {
			return dst, nil, errs.Invalidf("id is required: the asset to copy")
		}
		src, err := a.Assets.GetAsset(v, id)
		if err != nil {
			return dst, nil, err
		}
		if src.UploadStatus != "" {
			return dst, nil, errs.New(errs.Conflict, "upload_pending", "asset %s has not finished uploading", src.ID)
		}
		if src.Type == assets.TypeFolder {
			if err := a.notInside(v, dst, src); err != nil {
				return dst, nil, err
			}
		}
		pc, err := a.planOne(v, pol, src, &budget)
		if err != nil {
			return dst, nil, err
		}
		if dst.ID == src.ParentID {
			ext := path.Ext(pc.name)
			if pc.folder {
				ext = ""
			}
			pc.name = strings.TrimSuffix(pc.name, ext) + " copy" + ext
		}
		plan = append(plan, pc)
	}
	return dst, plan, nil
}

// planOne plans the copy of src (complete), spending budget.
func (a *AssetsAPI) planOne(v assets.Viewer, pol *access.Policy, src assets.Asset, budget *int) (plannedCopy, error) {
	if *budget--; *budget < 0 {
		return plannedCopy{}, errs.New(errs.Invalid, "copy_too_large", "one copy makes at most %d files and folders; copy the folders inside one by one", MaxCopyAssets)
	}
	pc := plannedCopy{file: src, name: src.Name}
	switch src.Type {
	case assets.TypeFolder:
		pc.folder = true
		kids, err := a.Assets.Children(v, src.ID)
		if err != nil {
			return pc, err
		}
		for _, k := range kids {
			// What is still uploading, or hidden from the copier, stays behind.
			if k.UploadStatus != "" {
				continue
			}
			if _, err := a.Assets.GetAsset(v, k.ID); err != nil {
				continue
			}
			in, err := a.planOne(v, pol, k, budget)
			if err != nil {
				return pc, err
			}
			pc.inside = append(pc.inside, in)
		}
		return pc, nil
	case assets.TypeVersionStack:
		file, err := a.Assets.GetAsset(v, src.CoverAssetID)
		if err != nil {
			return pc, err
		}
		pc.file = file
	}
	if err := pol.Member(v, pc.file.ID, access.Download, "copying (a copy takes the original out)"); err != nil {
		return pc, err
	}
	return pc, nil
}

// notInside refuses copying folder src into itself or a folder inside it.
func (a *AssetsAPI) notInside(v assets.Viewer, dst, src assets.Asset) error {
	up, err := a.Assets.Ancestors(v, dst.ID)
	if err != nil {
		return err
	}
	for _, f := range append(up, dst) {
		if f.ID == src.ID {
			return errs.New(errs.Invalid, "copy_into_itself", "folder %q cannot be copied into itself or a folder inside it", src.Name)
		}
	}
	return nil
}

// makeCopy makes planned copy pc in folder dst: the file, or the folder
// and, inside the new folder, copies of what it held.
func (a *AssetsAPI) makeCopy(v assets.Viewer, pc plannedCopy, dst assets.Asset) (assets.Asset, error) {
	if !pc.folder {
		return a.Assets.CopyFile(v, pc.file, pc.name, dst)
	}
	made, err := a.Assets.CreateFolder(v, dst.ID, pc.name)
	if err != nil {
		return made, err
	}
	for _, in := range pc.inside {
		if _, err := a.makeCopy(v, in, made); err != nil {
			return made, err
		}
	}
	return made, nil
}

// MaxBatchCopy bounds one batch copy.
const MaxBatchCopy = 100

// batchCopy is v2's POST /batch/assets/{destination_id}/copy
// {"batch":[{"id"}...], "copy_comments":"none"}: every copy is checked
// before the first is made; the answer lists the copies.
func (a *AssetsAPI) batchCopy(c *fiber.Ctx, p *Principal) error {
	var req model.BatchCopy
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
	dst, plan, err := a.planCopies(p, c.Params("id"), ids)
	if err != nil {
		return err
	}
	out := make([]assets.Asset, 0, len(plan))
	for _, pc := range plan {
		made, err := a.makeCopy(viewer(p), pc, dst)
		if err != nil {
			return err
		}
		out = append(out, made)
	}
	a.frameioList(c, p, out)
	return c.JSON(out)
}
