package model

import "time"

// ReviewLink is the Frame.io v2 review link object.
type ReviewLink struct {
	ID                 string     `json:"id"`
	Type               string     `json:"_type"`
	Name               string     `json:"name"`
	ShortURL           string     `json:"short_url"`
	Key                string     `json:"key"`
	ProjectID          string     `json:"project_id"`
	OwnerID            string     `json:"owner_id"`
	OwnerName          string     `json:"owner_name"`
	IsActive           bool       `json:"is_active"`
	ItemCount          int        `json:"item_count"`
	ViewCount          int        `json:"view_count"`
	AllowApprovals     bool       `json:"allow_approvals"`
	CurrentVersionOnly bool       `json:"current_version_only"`
	EnableDownloading  bool       `json:"enable_downloading"`
	EnableComments     bool       `json:"enable_comments"`
	ExpiresAt          *time.Time `json:"expires_at"`
	HasPassword        bool       `json:"has_password"`
	Locked             bool       `json:"locked"`
	InsertedAt         time.Time  `json:"inserted_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// ReviewLinkItem joins an asset to a review link.
type ReviewLinkItem struct {
	ID           string    `json:"id"`
	Type         string    `json:"_type"`
	ReviewLinkID string    `json:"review_link_id"`
	AssetID      string    `json:"asset_id"`
	Asset        Asset     `json:"asset"`
	InsertedAt   time.Time `json:"inserted_at"`
}

// ReviewLinkInput is the create and update body; absent fields take Frame.io's
// defaults on create and stay on update.
type ReviewLinkInput struct {
	Name               *string        `json:"name,omitempty"`
	AllowApprovals     *bool          `json:"allow_approvals,omitempty"`
	CurrentVersionOnly *bool          `json:"current_version_only,omitempty"`
	EnableDownloading  *bool          `json:"enable_downloading,omitempty"`
	EnableComments     *bool          `json:"enable_comments,omitempty"`
	ExpiresAt          Opt[time.Time] `json:"expires_at,omitzero"`
	Password           *string        `json:"password,omitempty"`
	RemovePassword     bool           `json:"remove_password"`
	HasPassword        *bool          `json:"has_password,omitempty"` // read-only in Frame.io; accepted and ignored
	Locked             *bool          `json:"locked,omitempty"`
}
