package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// Projects lists the projects the user sees.
func (c *Client) Projects(q url.Values) ([]model.Project, error) {
	var out []model.Project
	return out, c.get(withQuery(path("projects"), q), &out)
}

// CreateProject makes a project with its root folder.
func (c *Client) CreateProject(name string) (model.Project, error) {
	var out model.Project
	return out, c.post(path("projects"), model.NewProject{Name: name}, &out)
}

// Project is one project.
func (c *Client) Project(id string) (model.Project, error) {
	var out model.Project
	return out, c.get(path("projects", id), &out)
}

// UpdateProject renames a project or sets its members.
func (c *Client) UpdateProject(id string, in model.ProjectPatch) (model.Project, error) {
	var out model.Project
	return out, c.put(path("projects", id), in, &out)
}

// DeleteProject deletes a project and everything in it.
func (c *Client) DeleteProject(id string) error { return c.del(path("projects", id)) }

// Folders lists every folder of a project with its path.
func (c *Client) Folders(projectID string) ([]model.FolderPath, error) {
	var out []model.FolderPath
	return out, c.get(path("projects", projectID, "folders"), &out)
}

// Collections lists a project's collections.
func (c *Client) Collections(projectID string) ([]model.Collection, error) {
	var out []model.Collection
	return out, c.get(path("projects", projectID, "collections"), &out)
}

// CollectionsWithHidden lists a project's collections, hidden ones too.
func (c *Client) CollectionsWithHidden(projectID string) ([]model.Collection, error) {
	var out []model.Collection
	return out, c.get(withQuery(path("projects", projectID, "collections"), url.Values{"include_hidden": {"true"}}), &out)
}

// CreateCollection makes a collection in a project.
func (c *Client) CreateCollection(projectID string, in model.NewCollection) (model.Collection, error) {
	var out model.Collection
	return out, c.post(path("projects", projectID, "collections"), in, &out)
}

// Collection is one collection.
func (c *Client) Collection(id string) (model.Collection, error) {
	var out model.Collection
	return out, c.get(path("collections", id), &out)
}

// UpdateCollection renames a collection, sets its assets or hides it.
func (c *Client) UpdateCollection(id string, in model.CollectionPatch) (model.Collection, error) {
	var out model.Collection
	return out, c.put(path("collections", id), in, &out)
}

// DeleteCollection deletes a collection (not its assets).
func (c *Client) DeleteCollection(id string) error { return c.del(path("collections", id)) }

// CollectionItems lists the assets of a collection.
func (c *Client) CollectionItems(id string, q url.Values) ([]model.Asset, error) {
	var out []model.Asset
	return out, c.get(withQuery(path("collections", id, "items"), q), &out)
}

// Asset is one asset.
func (c *Client) Asset(id string) (model.Asset, error) {
	var out model.Asset
	return out, c.get(path("assets", id), &out)
}

// UpdateAsset renames or moves an asset.
func (c *Client) UpdateAsset(id string, in model.AssetPatch) (model.Asset, error) {
	var out model.Asset
	return out, c.put(path("assets", id), in, &out)
}

// DeleteAsset deletes an asset (a folder with everything in it).
func (c *Client) DeleteAsset(id string) error { return c.del(path("assets", id)) }

// Children lists what a folder or version stack holds.
func (c *Client) Children(id string, q url.Values) ([]model.Asset, error) {
	var out []model.Asset
	return out, c.get(withQuery(path("assets", id, "children"), q), &out)
}

// CreateChild makes a folder, or a file whose bytes go to its upload_url.
func (c *Client) CreateChild(parentID string, in model.NewAsset) (model.Asset, error) {
	var out model.Asset
	return out, c.post(path("assets", parentID, "children"), in, &out)
}

// CreateFolder makes a folder in parentID.
func (c *Client) CreateFolder(parentID, name string) (model.Asset, error) {
	return c.CreateChild(parentID, model.NewAsset{Type: "folder", Name: name})
}

// Ancestors lists the folders above an asset, the root first.
func (c *Client) Ancestors(id string) ([]model.Asset, error) {
	var out []model.Asset
	return out, c.get(path("assets", id, "ancestors"), &out)
}

// AddVersion puts next on top of id's version stack (making one if needed).
func (c *Client) AddVersion(id, next string) (model.Asset, error) {
	var out model.Asset
	return out, c.post(path("assets", id, "version"), model.NewVersion{NextAssetID: next}, &out)
}

// SearchLibrary finds assets by name and filters (?query=, type=, project_id=).
func (c *Client) SearchLibrary(q url.Values) ([]model.Asset, error) {
	var out []model.Asset
	return out, c.get(withQuery(path("search", "library"), q), &out)
}

// Original is the bytes of a file.
func (c *Client) Original(id string) ([]byte, error) {
	var b []byte
	return b, c.get(path("assets", id, "original"), &b)
}

// Comments lists the comments on an asset.
func (c *Client) Comments(assetID string) ([]model.Comment, error) {
	var out []model.Comment
	return out, c.get(path("assets", assetID, "comments"), &out)
}

// CreateComment comments on an asset.
func (c *Client) CreateComment(assetID string, in model.NewComment) (model.Comment, error) {
	var out model.Comment
	return out, c.post(path("assets", assetID, "comments"), in, &out)
}

// Reply answers a comment.
func (c *Client) Reply(commentID string, in model.NewComment) (model.Comment, error) {
	var out model.Comment
	return out, c.post(path("comments", commentID, "replies"), in, &out)
}

// UpdateComment edits a comment or marks it completed.
func (c *Client) UpdateComment(id string, in model.CommentPatch) (model.Comment, error) {
	var out model.Comment
	return out, c.put(path("comments", id), in, &out)
}

// DeleteComment deletes a comment.
func (c *Client) DeleteComment(id string) error { return c.del(path("comments", id)) }
