package model

// ProjectPerson is one person of a project's People view
// (GET /api/v2/projects/{id}/people): who appears in the project's photos
// the caller may see, with a cover crop and what members named or hid.
type ProjectPerson struct {
	ID        string `json:"id"`
	ProjectID string `json:"project_id"`
	Name      string `json:"name"`
	Hidden    bool   `json:"hidden"`
	Photos    int    `json:"photos"` // photos of the project this person is in
	Faces     int    `json:"faces"`
	CoverURL  string `json:"cover_url"` // a face crop: /api/v2/projects/{id}/faces/{face}
}

// PersonFace is one face of a person, for the People view's "not this
// person" (split).
type PersonFace struct {
	ID       string `json:"id"` // <asset id>.<n>
	AssetID  string `json:"asset_id"`
	ThumbURL string `json:"thumb_url"`
}

// PersonDetail is GET /api/v2/projects/{id}/people/{person}: the person,
// their faces and the photos they are in.
type PersonDetail struct {
	Person   ProjectPerson `json:"person"`
	Faces    []PersonFace  `json:"faces"`
	AssetIDs []string      `json:"asset_ids"`
}

// PersonPatch is PUT /api/v2/projects/{id}/people/{person}: a name ("" to
// clear it) or hidden; absent fields stay.
type PersonPatch struct {
	Name   *string `json:"name,omitempty"`
	Hidden *bool   `json:"hidden,omitempty"`
}

// PersonMerge is POST /api/v2/projects/{id}/people/{person}/merge: the
// person merged into the one in the URL.
type PersonMerge struct {
	PersonID string `json:"person_id"`
}
