package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// ProjectPeople lists the people in a project's photos the caller sees,
// most photos first (up to 1000); withHidden adds those members hid.
func (c *Client) ProjectPeople(projectID string, withHidden bool) ([]model.ProjectPerson, error) {
	q := url.Values{"page_size": {"1000"}}
	if withHidden {
		q.Set("hidden", "true")
	}
	var out []model.ProjectPerson
	return out, c.get(withQuery(path("projects", projectID, "people"), q), &out)
}

// ProjectPerson is one person of a project: their faces and photos.
func (c *Client) ProjectPerson(projectID, personID string) (model.PersonDetail, error) {
	var out model.PersonDetail
	return out, c.get(path("projects", projectID, "people", personID), &out)
}

// UpdatePerson names or hides a person of a project.
func (c *Client) UpdatePerson(projectID, personID string, patch model.PersonPatch) (model.ProjectPerson, error) {
	var out model.ProjectPerson
	return out, c.put(path("projects", projectID, "people", personID), patch, &out)
}

// MergePeople merges person from into person into, in one project.
func (c *Client) MergePeople(projectID, into, from string) (model.ProjectPerson, error) {
	var out model.ProjectPerson
	return out, c.post(path("projects", projectID, "people", into, "merge"), model.PersonMerge{PersonID: from}, &out)
}

// SplitFace moves a face out of its person to a new person, and returns it.
func (c *Client) SplitFace(projectID, faceID string) (model.ProjectPerson, error) {
	var out model.ProjectPerson
	return out, c.post(path("projects", projectID, "faces", faceID, "split"), nil, &out)
}
