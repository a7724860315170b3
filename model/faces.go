package model

// FaceSettings is GET /api/v2/settings/faces: whether face search is on,
// the indexing progress and what is stored.
type FaceSettings struct {
	Enabled     bool   `json:"enabled"`
	Available   bool   `json:"available"`
	Unavailable string `json:"unavailable,omitempty"`
	Queued      int    `json:"queued"`
	Busy        bool   `json:"busy"` // photos are being indexed or people regrouped
	Indexed     int    `json:"indexed"`
	Faces       int    `json:"faces"`
	People      int    `json:"people"`
	Stored      string `json:"stored"`
}

// FaceSearchSwitch is PUT /api/v2/settings/faces: {"enabled": true} or false.
type FaceSearchSwitch struct {
	Enabled *bool `json:"enabled"`
}

// PeopleStrip is the face strip of a share link
// (GET /api/v2/public/links/{key}/people).
type PeopleStrip struct {
	People []PersonTile `json:"people"`
}

// PersonTile is one person of the strip with the URL of a face crop.
type PersonTile struct {
	ID       string `json:"id"`
	Photos   int    `json:"photos"`
	ThumbURL string `json:"thumb_url"`
	Name     string `json:"name,omitempty"` // only when the link shows people's names
}

// PeoplePhotos lists the photos of a link that matched a person or a selfie.
type PeoplePhotos struct {
	AssetIDs []string `json:"asset_ids"`
}
