package client

import "github.com/ferryhq/ferry/model"

// FaceSettings is whether face search is on, its indexing progress and
// what it stores.
func (c *Client) FaceSettings() (model.FaceSettings, error) {
	var out model.FaceSettings
	return out, c.get(path("settings", "faces"), &out)
}

// SetFaceSearch switches face search on or off (admins).
func (c *Client) SetFaceSearch(enabled bool) (model.FaceSettings, error) {
	var out model.FaceSettings
	return out, c.put(path("settings", "faces"), model.FaceSearchSwitch{Enabled: &enabled}, &out)
}

// PurgeFaces deletes every face, face crop and person and switches face
// search off (admins).
func (c *Client) PurgeFaces() (model.FaceSettings, error) {
	var out model.FaceSettings
	return out, c.post(path("settings", "faces", "purge"), nil, &out)
}

// PublicPeople is the face strip of a share link that allows search by people.
func (c *Client) PublicPeople(key string) (model.PeopleStrip, error) {
	var out model.PeopleStrip
	return out, c.get(path("public", "links", key, "people"), &out)
}

// PublicPersonPhotos lists the photos of a share link that show one person.
func (c *Client) PublicPersonPhotos(key, person string) (model.PeoplePhotos, error) {
	var out model.PeoplePhotos
	return out, c.get(path("public", "links", key, "people", person), &out)
}
