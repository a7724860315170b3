package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// The public routes serve link visitors: no account, the link's key in the
// path, and a session cookie (or a Ferry-Session header, see With) once
// the link is unlocked.

// PublicShare is what a share link's visitor sees; q may carry the
// ?invite= code of an emailed invitation.
func (c *Client) PublicShare(key string, q url.Values) (model.PublicShare, error) {
	var out model.PublicShare
	return out, c.get(withQuery(path("public", "links", key), q), &out)
}

// PublicReview is what a review link's visitor sees.
func (c *Client) PublicReview(key string) (model.PublicReview, error) {
	var out model.PublicReview
	return out, c.get(path("public", "links", key), &out)
}

// PublicUpload is what an upload link's recipient sees.
func (c *Client) PublicUpload(key string) (model.PublicUploadLink, error) {
	var out model.PublicUploadLink
	return out, c.get(path("public", "links", key), &out)
}

// UnlockShare opens a share link with its password.
func (c *Client) UnlockShare(key, password string) (model.PublicShare, error) {
	var out model.PublicShare
	return out, c.post(path("public", "links", key, "unlock"), model.Unlock{Password: password}, &out)
}

// UnlockReview opens a review link with its password.
func (c *Client) UnlockReview(key, password string) (model.PublicReview, error) {
	var out model.PublicReview
	return out, c.post(path("public", "links", key, "unlock"), model.Unlock{Password: password}, &out)
}

// UnlockUpload opens an upload link with its passcode.
func (c *Client) UnlockUpload(key, passcode string) (model.PublicUploadLink, error) {
	var out model.PublicUploadLink
	return out, c.post(path("public", "links", key, "unlock"), model.Unlock{Passcode: passcode}, &out)
}

// Register gives a share link's registration form and clickwrap.
func (c *Client) Register(key string, in model.RegisterRequest) (model.PublicShare, error) {
	var out model.PublicShare
	return out, c.post(path("public", "links", key, "register"), in, &out)
}

// SetReviewer names the visitor of a review link.
func (c *Client) SetReviewer(key, name string) (model.PublicReview, error) {
	var out model.PublicReview
	return out, c.post(path("public", "links", key, "reviewer"), model.ReviewerName{Name: name}, &out)
}

// PublicComments lists the comments a reviewer sees on a file of a review link.
func (c *Client) PublicComments(key, assetID string) ([]model.Comment, error) {
	var out []model.Comment
	return out, c.get(path("public", "links", key, "assets", assetID, "comments"), &out)
}

// PublicComment comments on a file of a review link as its named reviewer.
func (c *Client) PublicComment(key, assetID string, in model.NewComment) (model.Comment, error) {
	var out model.Comment
	return out, c.post(path("public", "links", key, "assets", assetID, "comments"), in, &out)
}

// SetApproval gives (or with nil withdraws) the reviewer's verdict on a file.
func (c *Client) SetApproval(key, assetID string, status *string) error {
	return c.put(path("public", "links", key, "assets", assetID, "approval"), model.ApprovalInput{Status: status}, nil)
}

// CreatePublicFolder makes a folder through a share link that lets its
// visitors change files.
func (c *Client) CreatePublicFolder(key string, in model.NewPublicFolder) (model.VisitorAsset, error) {
	var out model.VisitorAsset
	return out, c.post(path("public", "links", key, "folders"), in, &out)
}

// UpdatePublicAsset renames or moves a file or folder through a share link.
func (c *Client) UpdatePublicAsset(key, id string, in model.AssetPatch) (model.VisitorAsset, error) {
	var out model.VisitorAsset
	return out, c.put(path("public", "links", key, "assets", id), in, &out)
}

// CopyPublicAsset copies a file or folder through a share link.
func (c *Client) CopyPublicAsset(key, id string, in model.CopyTo) (model.VisitorAsset, error) {
	var out model.VisitorAsset
	return out, c.post(path("public", "links", key, "assets", id, "copy"), in, &out)
}

// DeletePublicAsset deletes a file or folder through a share link.
func (c *Client) DeletePublicAsset(key, id string) error {
	return c.del(path("public", "links", key, "assets", id))
}
