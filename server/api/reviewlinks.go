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
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/links"
)

// ReviewLinksAPI serves review links (Frame.io v2 shapes), comments and
// approvals, and the reviewer's side of /r/{key}.
type ReviewLinksAPI struct {
	Links    *links.Service
	Assets   *assets.Service
	Feedback *feedback.Service
	Mail     *links.Mailer

	jsonLimit int64
}

func (a *ReviewLinksAPI) list(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.ListReviews(viewer(p), c.Params("id"))
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) listAll(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.ListReviews(viewer(p), "")
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) create(c *fiber.Ctx, p *Principal) error {
	in, err := a.decodeReview(c)
	if err != nil {
		return err
	}
	v, err := a.Links.CreateReview(viewer(p), c.Params("id"), in)
	return reply(c, fiber.StatusCreated, v, err)
}

// decodeReview reads a v2 review link body. is_active is v2's switch to
// turn a link off; Ferry has no such state, so false is refused (ignoring
// it would leave a link open that its owner meant to close).
func (a *ReviewLinksAPI) decodeReview(c *fiber.Ctx) (links.ReviewInput, error) {
	var in struct {
		links.ReviewInput
		IsActive *bool `json:"is_active"`
	}
	if err := decodeV2(c, a.jsonLimit, &in, v2ReviewLinkFields); err != nil {
		return in.ReviewInput, err
	}
	if in.IsActive != nil && !*in.IsActive {
		return in.ReviewInput, errs.New(errs.Invalid, "not_supported",
			"is_active false is not supported by Ferry: to close a review link, set expires_at to now or DELETE it")
	}
	return in.ReviewInput, nil
}

func (a *ReviewLinksAPI) get(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.GetReview(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) update(c *fiber.Ctx, p *Principal) error {
	in, err := a.decodeReview(c)
	if err != nil {
		return err
	}
	v, err := a.Links.UpdateReview(viewer(p), c.Params("id"), in)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) remove(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.GetReview(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return deleted(c, v, a.Links.DeleteReview(viewer(p), c.Params("id")))
}

func (a *ReviewLinksAPI) addAssets(c *fiber.Ctx, p *Principal) error {
	var in struct {
		AssetIDs []string `json:"asset_ids"`
	}
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.AddReviewAssets(viewer(p), c.Params("id"), in.AssetIDs)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) items(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.ReviewItems(viewer(p), c.Params("id"))
	return replyPage(c, items, err)
}

func (a *ReviewLinksAPI) removeItem(c *fiber.Ctx, p *Principal) error {
	return noContent(c, a.Links.RemoveReviewItem(viewer(p), c.Params("id"), c.Params("item")))
}

func (a *ReviewLinksAPI) activity(c *fiber.Ctx, p *Principal) error {
	items, err := a.Links.ReviewItems(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	approvals, err := a.Feedback.Approvals(c.Params("id"))
	if err != nil {
		return err
	}
	comments := []feedback.Comment{}
	seen := map[string]bool{}
	for _, it := range items {
		ids := []string{it.AssetID}
		if it.Asset.Type == assets.TypeVersionStack || it.Asset.ParentID != "" {
			if kids, err := a.Assets.Children(assets.Viewer{Admin: true}, stackOf(a.Assets, it.Asset)); err == nil {
				for _, k := range kids {
					ids = append(ids, k.ID)
				}
			}
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			cs, _ := a.Feedback.List(id)
			comments = append(comments, cs...)
		}
	}
	views := []model.ReviewerViews{}
	for name, n := range a.Links.ReviewerViews(c.Params("id")) {
		views = append(views, model.ReviewerViews{ReviewerName: name, Count: n})
	}
	return c.JSON(model.ReviewLinkActivity{Approvals: approvals, Comments: comments, Views: views})
}

func (a *ReviewLinksAPI) accessLog(c *fiber.Ctx, p *Principal) error {
	entries, err := a.Links.ReviewAccessLog(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendAccessLog(c, entries)
}

// stackOf is the version stack holding a (a itself when it is one), or "".
func stackOf(as *assets.Service, a assets.Asset) string {
	if a.Type == assets.TypeVersionStack {
		return a.ID
	}
	if p, err := as.GetAsset(assets.Viewer{Admin: true}, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
		return p.ID
	}
	return "-"
}

func (a *ReviewLinksAPI) qr(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.ManageReview(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	return sendQR(c, v.ShortURL, "qr-"+v.Key)
}

// share sends the link to reviewers by email: {"recipients": "a@x, b@y"
// (or a list), "message"}.
func (a *ReviewLinksAPI) share(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.ManageReview(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	var in struct {
		Recipients json.RawMessage `json:"recipients"`
		Message    string          `json:"message"`
	}
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	var list []string
	var one string
	switch {
	case json.Unmarshal(in.Recipients, &list) == nil:
	case json.Unmarshal(in.Recipients, &one) == nil:
		list = strings.FieldsFunc(one, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	default:
		return errs.Invalidf("recipients is a comma-separated string or a list of addresses")
	}
	var clean []string
	for _, r := range list {
		if r = strings.TrimSpace(r); r != "" {
			clean = append(clean, r)
		}
	}
	sent, err := a.Mail.Invite(v, clean, in.Message)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"sent_to": sent})
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

// ReviewPublic is model.PublicReview, the JSON document.
type ReviewPublic = model.PublicReview

// reviewVersion is model.PublicReviewVersion, the JSON document.
type reviewVersion = model.PublicReviewVersion

// reviewVerdict is model.PublicReviewApproval, the JSON document.
type reviewVerdict = model.PublicReviewApproval

// reviewItem is model.PublicReviewItem, the JSON document.
type reviewItem = model.PublicReviewItem

func mediaKind(ft, name string) string {
	ft = strings.ToLower(ft)
	switch {
	case strings.HasPrefix(ft, "video/"):
		return "video"
	case strings.HasPrefix(ft, "audio/"):
		return "audio"
	case ft == "application/pdf" || strings.HasSuffix(strings.ToLower(name), ".pdf"):
		return "pdf"
	case strings.HasPrefix(ft, "image/"):
		return "image"
	}
	return "other"
}

func (a *ReviewLinksAPI) publicView(r links.ReviewLink, reviewer string, unlocked bool) (ReviewPublic, error) {
	out := ReviewPublic{Kind: "review", Key: r.Key, SiteName: a.Links.SiteName, Name: r.Name, OwnerName: r.OwnerName,
		ExpiresAt: r.ExpiresAt, NeedsPassword: !unlocked, ReviewerName: reviewer, AllowApprovals: r.AllowApprovals,
		EnableDownloading: r.EnableDownloading, EnableComments: r.EnableComments, CurrentVersionOnly: r.CurrentVersionOnly,
		Items: []reviewItem{}}
	if !unlocked {
		return out, nil
	}
	approvals, err := a.Feedback.Approvals(r.ID)
	if err != nil {
		return out, err
	}
	base := "/api/v2/public/links/" + r.Key + "/assets/"
	for _, sh := range a.Links.ReviewShown(r) {
		as := sh.Asset
		it := reviewItem{ID: as.ID, StackID: sh.StackID, Name: as.Name, Filetype: as.Filetype, Filesize: as.Filesize,
			Kind: mediaKind(as.Filetype, as.Name), Versions: []reviewVersion{}, Approvals: []reviewVerdict{}}
		if as.MediaKind != "" {
			it.Kind = as.MediaKind
		}
		// The original plays only where it may be downloaded: reviewers
		// without downloads look at the renditions made for viewing.
		if a.Links.ReviewRendition(r, as, "original", false) == nil {
			it.MediaURL = base + as.ID + "/original"
		}
		// The proxy plays for every reviewer (watching is viewing) and
		// plays where the original's codec does not.
		if play := links.PlayRendition(as); play != "" && a.Links.ReviewRendition(r, as, play, false) == nil {
			it.MediaURL = base + as.ID + "/" + play
		}
		it.Duration, it.FPS, it.Frames = as.Duration, as.FPS, as.Frames
		if as.Properties != nil {
			it.Width, it.Height = as.Properties.Width, as.Properties.Height
			it.FrameRate = as.Properties.FrameRate
		}
		if as.ProxyStatus == assets.ProxyReady {
			it.ThumbURL, it.PreviewURL, it.LargeURL = base+as.ID+"/thumb", base+as.ID+"/preview", base+as.ID+"/large"
		}
		if a.Links.ReviewRendition(r, as, "original", true) == nil {
			it.DownloadURL = base + as.ID + "/original?download=1"
		}
		for _, v := range sh.Versions {
			it.Versions = append(it.Versions, reviewVersion{ID: v.ID, Name: v.Name, Index: v.Index, InsertedAt: v.InsertedAt})
		}
		for _, ap := range approvals {
			if ap.AssetID != as.ID {
				continue
			}
			it.Approvals = append(it.Approvals, reviewVerdict{ReviewerName: ap.ReviewerName, Status: ap.Status})
			if strings.EqualFold(ap.ReviewerName, reviewer) {
				it.MyApproval = ap.Status
			}
		}
		if cs, err := a.Feedback.List(as.ID); err == nil {
			it.CommentCount = len(access.ReviewerComments(r.ID, cs))
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

// public answers GET /api/v2/public/links/{key} for a review link.
func (a *ReviewLinksAPI) public(c *fiber.Ctx) error {
	r, se, secret, err := a.Links.ReviewOpen(c.Params("key"), visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.publicView(r, se.Reviewer, r.PasswordHash == "" || se.Unlocked)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) unlock(c *fiber.Ctx) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	r, se, secret, err := a.Links.ReviewUnlock(c.Params("key"), in.Password, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.publicView(r, se.Reviewer, true)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ReviewLinksAPI) reviewer(c *fiber.Ctx, _ *Principal) error {
	if links.KindOf(a.Links.Store, c.Params("key")) != "review" {
		return errs.New(errs.NotFound, "not_found", "Share not found")
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	r, se, secret, err := a.Links.SetReviewer(c.Params("key"), in.Name, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, r.Key, secret, r.ExpiresAt)
	v, err := a.publicView(r, se.Reviewer, true)
	return reply(c, fiber.StatusOK, v, err)
}

// named resolves a reviewer who gave a name, and the file id they act on.
func (a *ReviewLinksAPI) named(c *fiber.Ctx) (links.ReviewLink, string, assets.Asset, error) {
	r, se, err := a.Links.ReviewVisitor(c.Params("key"), visitor(c))
	if err != nil {
		return r, "", assets.Asset{}, err
	}
	as, err := a.Links.ReviewFile(r, c.Params("id"))
	if err != nil {
		return r, "", as, err
	}
	return r, se.Reviewer, as, nil
}

func (a *ReviewLinksAPI) publicComments(c *fiber.Ctx, _ *Principal) error {
	r, _, as, err := a.named(c)
	if err != nil {
		return err
	}
	cs, err := a.Feedback.List(as.ID)
	return replyPage(c, access.ReviewerComments(r.ID, cs), err)
}

func (a *ReviewLinksAPI) publicComment(c *fiber.Ctx, _ *Principal) error {
	r, name, as, err := a.named(c)
	if err != nil {
		return err
	}
	if !r.EnableComments {
		return errs.New(errs.Forbidden, "comments_disabled", "this review link does not take comments")
	}
	if name == "" {
		return errs.New(errs.Unauthorized, "name_required", "enter your name first")
	}
	var in feedback.NewComment
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	cm, err := a.Feedback.Add(as.ID, feedback.Author{Name: name, ReviewLinkID: r.ID}, in)
	return reply(c, fiber.StatusCreated, cm, err)
}

func (a *ReviewLinksAPI) approval(c *fiber.Ctx, _ *Principal) error {
	r, name, as, err := a.named(c)
	if err != nil {
		return err
	}
	if !r.AllowApprovals {
		return errs.New(errs.Forbidden, "approvals_disabled", "this review link does not take approvals")
	}
	if name == "" {
		return errs.New(errs.Unauthorized, "name_required", "enter your name first")
	}
	var in struct {
		Status *string `json:"status"`
	}
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	status := ""
	if in.Status != nil {
		status = *in.Status
	}
	if err := a.Feedback.SetApproval(r.ID, as.ID, name, status); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": in.Status})
}

// file serves a file of a review link (called by ShareLinksAPI.file).
func (a *ReviewLinksAPI) file(c *fiber.Ctx) error {
	r, _, err := a.Links.ReviewVisitor(c.Params("key"), visitor(c))
	if err != nil {
		return err
	}
	as, err := a.Links.ReviewFile(r, c.Params("id"))
	if err != nil {
		return err
	}
	name := c.Params("name")
	download := c.Query("download") != ""
	if err := a.Links.ReviewRendition(r, as, name, download); err != nil {
		return err
	}
	if download && c.Method() == fiber.MethodGet {
		defer func() {
			if c.Response().StatusCode() < 300 {
				a.Links.LogReview(r.ID, visitor(c), links.Entry{Action: "download", AssetID: as.ID, AssetName: as.Name,
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
