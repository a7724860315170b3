package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// ShareLinks lists share links (?target_id=, view=sharing, ...).
func (c *Client) ShareLinks(q url.Values) ([]model.ShareLink, error) {
	var out []model.ShareLink
	return out, c.get(withQuery(path("share_links"), q), &out)
}

// CreateShareLink makes a share link.
func (c *Client) CreateShareLink(in model.NewShareLink) (model.ShareLink, error) {
	var out model.ShareLink
	return out, c.post(path("share_links"), in, &out)
}

// ShareLink is one share link.
func (c *Client) ShareLink(id string) (model.ShareLink, error) {
	var out model.ShareLink
	return out, c.get(path("share_links", id), &out)
}

// UpdateShareLink changes a share link.
func (c *Client) UpdateShareLink(id string, in model.ShareLinkPatch) (model.ShareLink, error) {
	var out model.ShareLink
	return out, c.put(path("share_links", id), in, &out)
}

// DeleteShareLink revokes a share link.
func (c *Client) DeleteShareLink(id string) error { return c.del(path("share_links", id)) }

// EditShareLinkItems adds assets to a link and removes others.
func (c *Client) EditShareLinkItems(id string, in model.ShareLinkItems) (model.ShareLink, error) {
	var out model.ShareLink
	return out, c.post(path("share_links", id, "items"), in, &out)
}

// RevokeShareLinks revokes several links at once.
func (c *Client) RevokeShareLinks(ids []string) (model.RevokeAnswer, error) {
	var out model.RevokeAnswer
	return out, c.post(path("share_links", "revoke"), model.RevokeShareLinks{IDs: ids}, &out)
}

// ShareLinkAccessLog lists the visits, downloads and changes of a link.
func (c *Client) ShareLinkAccessLog(id string) ([]model.AccessLogEntry, error) {
	var out []model.AccessLogEntry
	return out, c.get(path("share_links", id, "access_log"), &out)
}

// ShareLinkRecipients lists whom a link was emailed to.
func (c *Client) ShareLinkRecipients(id string) ([]model.ShareRecipient, error) {
	var out []model.ShareRecipient
	return out, c.get(path("share_links", id, "emails"), &out)
}

// EmailShareLink mails a link to recipients.
func (c *Client) EmailShareLink(id string, in model.ShareEmail) ([]model.ShareRecipient, error) {
	var out []model.ShareRecipient
	return out, c.post(path("share_links", id, "emails"), in, &out)
}

// ShareLinkRegistrations lists what visitors gave before opening a link.
func (c *Client) ShareLinkRegistrations(id string) ([]model.Registration, error) {
	var out []model.Registration
	return out, c.get(path("share_links", id, "registrations"), &out)
}

// Shared counts the share links of each asset of a project.
func (c *Client) Shared(projectID string) (map[string]int, error) {
	var out map[string]int
	return out, c.get(path("projects", projectID, "shared"), &out)
}

// ReviewLinks lists a project's review links, or every review link the
// user sees when projectID is "".
func (c *Client) ReviewLinks(projectID string, q url.Values) ([]model.ReviewLink, error) {
	p := path("review_links")
	if projectID != "" {
		p = path("projects", projectID, "review_links")
	}
	var out []model.ReviewLink
	return out, c.get(withQuery(p, q), &out)
}

// CreateReviewLink makes a review link in a project.
func (c *Client) CreateReviewLink(projectID string, in model.ReviewLinkInput) (model.ReviewLink, error) {
	var out model.ReviewLink
	return out, c.post(path("projects", projectID, "review_links"), in, &out)
}

// ReviewLink is one review link.
func (c *Client) ReviewLink(id string) (model.ReviewLink, error) {
	var out model.ReviewLink
	return out, c.get(path("review_links", id), &out)
}

// UpdateReviewLink changes a review link.
func (c *Client) UpdateReviewLink(id string, in model.ReviewLinkInput) (model.ReviewLink, error) {
	var out model.ReviewLink
	return out, c.put(path("review_links", id), in, &out)
}

// DeleteReviewLink deletes a review link.
func (c *Client) DeleteReviewLink(id string) error { return c.del(path("review_links", id)) }

// AddReviewAssets puts assets into a review link.
func (c *Client) AddReviewAssets(id string, assetIDs []string) (model.ReviewLink, error) {
	var out model.ReviewLink
	return out, c.post(path("review_links", id, "assets"), model.ReviewLinkAssets{AssetIDs: assetIDs}, &out)
}

// ReviewItems lists the assets of a review link.
func (c *Client) ReviewItems(id string, q url.Values) ([]model.ReviewLinkItem, error) {
	var out []model.ReviewLinkItem
	return out, c.get(withQuery(path("review_links", id, "items"), q), &out)
}

// RemoveReviewItem takes an asset out of a review link.
func (c *Client) RemoveReviewItem(id, itemID string) error {
	return c.del(path("review_links", id, "items", itemID))
}

// ReviewActivity is what reviewers did through a link.
func (c *Client) ReviewActivity(id string) (model.ReviewLinkActivity, error) {
	var out model.ReviewLinkActivity
	return out, c.get(path("review_links", id, "activity"), &out)
}

// ShareReviewLink mails a review link to recipients.
func (c *Client) ShareReviewLink(id string, in model.ReviewLinkShare) (model.ReviewLinkShareAnswer, error) {
	var out model.ReviewLinkShareAnswer
	return out, c.post(path("review_links", id, "share"), in, &out)
}

// UploadLinks lists upload links (?status=, project_id=, ...).
func (c *Client) UploadLinks(q url.Values) ([]model.UploadLink, error) {
	var out []model.UploadLink
	return out, c.get(withQuery(path("upload_links"), q), &out)
}

// CreateUploadLink makes an upload link; the answer holds its passcode this once.
func (c *Client) CreateUploadLink(in model.NewUploadLink) (model.UploadLink, error) {
	var out model.UploadLink
	return out, c.post(path("upload_links"), in, &out)
}

// UploadLink is one upload link.
func (c *Client) UploadLink(id string) (model.UploadLink, error) {
	var out model.UploadLink
	return out, c.get(path("upload_links", id), &out)
}

// DeleteUploadLink revokes an upload link.
func (c *Client) DeleteUploadLink(id string) error { return c.del(path("upload_links", id)) }

// ResendUploadLink mails an upload link again with a new passcode.
func (c *Client) ResendUploadLink(id string) (model.UploadLink, error) {
	var out model.UploadLink
	return out, c.post(path("upload_links", id, "resend"), nil, &out)
}

// UploadLinkStats sums up upload links (same filters as UploadLinks).
func (c *Client) UploadLinkStats(q url.Values) (model.UploadLinkStats, error) {
	var out model.UploadLinkStats
	return out, c.get(withQuery(path("upload_links", "stats"), q), &out)
}

// AssetAffectedLinks lists the share links that deleting an asset would
// leave without a target.
func (c *Client) AssetAffectedLinks(id string) ([]model.ShareLink, error) {
	var out []model.ShareLink
	return out, c.get(path("assets", id, "affected_links"), &out)
}

// CollectionAffectedLinks lists the share links that deleting a collection
// would leave without a target.
func (c *Client) CollectionAffectedLinks(id string) ([]model.ShareLink, error) {
	var out []model.ShareLink
	return out, c.get(path("collections", id, "affected_links"), &out)
}
