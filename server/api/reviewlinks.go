package api

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/links/review"
)

// ReviewLinksAPI serves review links (Frame.io v2 shapes), comments and
// approvals, and the reviewer's side of /r/{key}.
type ReviewLinksAPI struct {
	Links    *review.Links
	Assets   *assets.Service
	Feedback *feedback.Service
	Mail     *review.Mailer
	// Reviews is the review-link work across links, assets and feedback.
	Reviews *review.Service

	jsonLimit int64
}

func (a *ReviewLinksAPI) list(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.List(viewer(p), c.Params("id"))
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) listAll(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.List(viewer(p), "")
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) create(c *fiber.Ctx, p *Principal) error {
	in, err := a.decodeReview(c)
	if err != nil {
		return err
	}
	v, err := a.Links.Create(viewer(p), c.Params("id"), in)
	return reply(c, fiber.StatusCreated, v, err)
}

// decodeReview reads a v2 review link body. is_active is v2's switch to
// turn a link off; Ferry has no such state, so false is refused (ignoring
// it would leave a link open that its owner meant to close).
func (a *ReviewLinksAPI) decodeReview(c *fiber.Ctx) (review.Input, error) {
	var in struct {
		review.Input
		IsActive *bool `json:"is_active"`
	}
	if err := decodeV2(c, a.jsonLimit, &in, v2ReviewLinkFields); err != nil {
		return in.Input, err
	}
	if in.IsActive != nil && !*in.IsActive {
		return in.Input, errs.New(errs.Invalid, "not_supported",
			"is_active false is not supported by Ferry: to close a review link, set expires_at to now or DELETE it")
	}
	return in.Input, nil
}

func (a *ReviewLinksAPI) get(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Get(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) update(c *fiber.Ctx, p *Principal) error {
	in, err := a.decodeReview(c)
	if err != nil {
		return err
	}
	v, err := a.Links.Update(viewer(p), c.Params("id"), in)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) remove(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Get(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return deleted(c, v, a.Links.Delete(viewer(p), c.Params("id")))
}

func (a *ReviewLinksAPI) addAssets(c *fiber.Ctx, p *Principal) error {
	var in model.ReviewLinkAssets
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.AddAssets(viewer(p), c.Params("id"), in.AssetIDs)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) items(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.Items(viewer(p), c.Params("id"))
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) removeItem(c *fiber.Ctx, p *Principal) error {
	return noContent(c, a.Links.RemoveItem(viewer(p), c.Params("id"), c.Params("item")))
}

func (a *ReviewLinksAPI) activity(c *fiber.Ctx, p *Principal) error {
	v, err := a.Reviews.Activity(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) accessLog(c *fiber.Ctx, p *Principal) error {
	entries, err := a.Links.AccessLog(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendAccessLog(c, entries)
}

func (a *ReviewLinksAPI) qr(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Manage(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendQR(c, v.ShortURL, "qr-"+v.Key)
}

// share sends the link to reviewers by email: {"recipients": "a@x, b@y"
// (or a list), "message"}.
func (a *ReviewLinksAPI) share(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Manage(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	var in model.ReviewLinkShare
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	clean, err := review.Recipients(in.Recipients)
	if err != nil {
		return err
	}
	sent, err := a.Mail.Invite(v, clean, in.Message)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(model.ReviewLinkShareAnswer{SentTo: sent})
}

// ---- comments through the API ----------------------------------------------

func (a *ReviewLinksAPI) comments(c *fiber.Ctx, p *Principal) error {
	if _, err := a.Assets.GetAsset(viewer(p), c.Params("id")); err != nil {
		return err
	}
	cs, err := a.Feedback.List(c.Params("id"))
	return replyPage(c, cs, err)
}

func (a *ReviewLinksAPI) comment(c *fiber.Ctx, p *Principal) error {
	as, err := a.Assets.GetAsset(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	var in feedback.NewComment
	if err := decodeV2(c, a.jsonLimit, &in, v2CommentFields); err != nil {
		return err
	}
	cm, err := a.Feedback.Add(as.ID, feedback.Author{UserID: p.User.ID, Name: p.User.Name}, in)
	return reply(c, fiber.StatusCreated, cm, err)
}

// ownComment loads comment id if p may see its asset.
func (a *ReviewLinksAPI) ownComment(p *Principal, id string) (feedback.Comment, error) {
	cm, err := a.Feedback.Get(id)
	if err != nil {
		return cm, err
	}
	if _, err := a.Assets.GetAsset(viewer(p), cm.AssetID); err != nil {
		return cm, errs.NotFoundf("comment %s not found", id)
	}
	return cm, nil
}

func (a *ReviewLinksAPI) getComment(c *fiber.Ctx, p *Principal) error {
	cm, err := a.ownComment(p, c.Params("id"))
	return reply(c, fiber.StatusOK, cm, err)
}

func (a *ReviewLinksAPI) updateComment(c *fiber.Ctx, p *Principal) error {
	cm, err := a.ownComment(p, c.Params("id"))
	if err != nil {
		return err
	}
	var in feedback.CommentPatch
	if err := decodeV2(c, a.jsonLimit, &in, v2CommentFields); err != nil {
		return err
	}
	if (in.Text != nil || in.Timestamp != nil || in.Annotation != nil) && (cm.OwnerID == nil || *cm.OwnerID != p.User.ID) {
		return errs.Forbiddenf("only its author may edit a comment's text, timestamp or annotation (anyone who sees it may mark it completed)")
	}
	cm, err = a.Feedback.Update(cm.ID, in)
	return reply(c, fiber.StatusOK, cm, err)
}

func (a *ReviewLinksAPI) deleteComment(c *fiber.Ctx, p *Principal) error {
	cm, err := a.ownComment(p, c.Params("id"))
	if err != nil {
		return err
	}
	if !p.User.IsAdmin() && (cm.OwnerID == nil || *cm.OwnerID != p.User.ID) {
		if pr, err := a.Assets.GetProject(viewer(p), func() string { as, _ := a.Assets.GetAsset(viewer(p), cm.AssetID); return as.ProjectID }()); err != nil || pr.OwnerID != p.User.ID {
			return errs.Forbiddenf("only its author, the project's owner or an admin may delete a comment")
		}
	}
	return deleted(c, cm, a.Feedback.Delete(cm.ID))
}

func (a *ReviewLinksAPI) reply(c *fiber.Ctx, p *Principal) error {
	parent, err := a.ownComment(p, c.Params("id"))
	if err != nil {
		return err
	}
	var in feedback.NewComment
	if err := decodeV2(c, a.jsonLimit, &in, v2CommentFields); err != nil {
		return err
	}
	in.ParentID = parent.ID
	cm, err := a.Feedback.Add(parent.AssetID, feedback.Author{UserID: p.User.ID, Name: p.User.Name}, in)
	return reply(c, fiber.StatusCreated, cm, err)
}

// ---- the reviewer's side ---------------------------------------------------

// page answers GET /api/v2/public/links/{key} for a review link.
func (a *ReviewLinksAPI) page(c *fiber.Ctx) error {
	r, se, secret, err := a.Links.Open(c.Params("key"), visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.Reviews.Page(r, se.Reviewer, r.PasswordHash == "" || se.Unlocked)
	return reply(c, fiber.StatusOK, v, err)
}

// unlock answers POST /api/v2/public/links/{key}/unlock for a review link.
func (a *ReviewLinksAPI) unlock(c *fiber.Ctx, password string) error {
	r, se, secret, err := a.Links.Unlock(c.Params("key"), password, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.Reviews.Page(r, se.Reviewer, true)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) reviewer(c *fiber.Ctx) error {
	var in model.ReviewerName
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	r, se, secret, err := a.Links.SetReviewer(c.Params("key"), in.Name, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.Reviews.Page(r, se.Reviewer, true)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) publicComments(c *fiber.Ctx, _ *Principal) error {
	rv, err := a.Reviews.On(c.Params("key"), c.Params("id"), visitor(c))
	if err != nil {
		return err
	}
	cs, err := a.Reviews.Comments(rv)
	return replyPage(c, cs, err)
}

func (a *ReviewLinksAPI) publicComment(c *fiber.Ctx, _ *Principal) error {
	rv, err := a.Reviews.On(c.Params("key"), c.Params("id"), visitor(c))
	if err != nil {
		return err
	}
	if err := rv.MayComment(); err != nil {
		return err
	}
	var in feedback.NewComment
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	cm, err := a.Reviews.Comment(rv, in)
	return reply(c, fiber.StatusCreated, cm, err)
}

func (a *ReviewLinksAPI) approval(c *fiber.Ctx, _ *Principal) error {
	rv, err := a.Reviews.On(c.Params("key"), c.Params("id"), visitor(c))
	if err != nil {
		return err
	}
	if err := rv.MayApprove(); err != nil {
		return err
	}
	var in model.ApprovalInput
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	if err := a.Reviews.Approve(rv, in.Status); err != nil {
		return err
	}
	return c.JSON(in)
}

// file serves a file of a review link.
func (a *ReviewLinksAPI) file(c *fiber.Ctx) error {
	r, _, err := a.Links.ReviewVisitor(c.Params("key"), visitor(c))
	if err != nil {
		return err
	}
	as, err := a.Links.File(r, c.Params("id"))
	if err != nil {
		return err
	}
	name := c.Params("name")
	download := c.Query("download") != ""
	if err := a.Links.Rendition(r, as, name, download); err != nil {
		return err
	}
	if download && c.Method() == fiber.MethodGet {
		defer func() {
			if c.Response().StatusCode() < 300 {
				a.Links.LogAccess(r.ID, visitor(c), links.Entry{Action: "download", AssetID: as.ID, AssetName: as.Name,
					Rendition: name, Bytes: int64(c.Response().Header.ContentLength())})
			}
		}()
	}
	switch name {
	case "original":
		return sendBlob(c, a.Assets.Blobs, Download{Key: assets.OriginalKey(as.ID), Name: as.Name, Type: as.Filetype,
			ETag: `"` + as.ID + `"`, Attach: download})
	default: // a rendition the policy let through
		base := strings.TrimSuffix(as.Name, "."+extOf(as.Name))
		return sendBlob(c, a.Assets.Blobs, Download{Key: assets.ProxyKey(as.ID, name), Name: base + " (" + name + ")" + assets.RenditionExt(name),
			Type: assets.RenditionType(name), ETag: `"` + as.ID + "-" + name + `"`, Attach: download, Immutable: true, MaxAge: time.Hour})
	}
}
