package app

import "time"

// ShareLink is a share link as its owner sees it (/api/v2/share_links).
type ShareLink struct {
	ID               string     `json:"id"`
	Key              string     `json:"key"`
	Kind             string     `json:"kind"` // "public" or "download"
	URL              string     `json:"url"`  // {public_url}/s/{key} or /d/{key}
	EmbedURL         string     `json:"embed_url"`
	EmbedCode        string     `json:"embed_code"`
	ProjectID        string     `json:"project_id"`
	TargetType       string     `json:"target_type"` // asset, collection or folder
	TargetID         string     `json:"target_id"`
	TargetName       string     `json:"target_name"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	AllowOriginal    bool       `json:"allow_original"`
	AllowProxies     []string   `json:"allow_proxies"`
	AllowAttachments bool       `json:"allow_attachments"`
	ExpiresAt        *time.Time `json:"expires_at"`
	HasPassword      bool       `json:"has_password"`
	MaxUses          *int       `json:"max_uses"`
	Uses             int        `json:"uses"`
	Watermark        bool       `json:"watermark"`
	Locked           bool       `json:"locked"`
	Status           string     `json:"status"` // active, expired, used_up, locked
	OwnerID          string     `json:"owner_id"`
	OwnerName        string     `json:"owner_name"`
	Views            int        `json:"views"`
	Downloads        int        `json:"downloads"`
	InsertedAt       time.Time  `json:"inserted_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// PublicShare is what /api/v2/public/links/{key} answers for a share link.
type PublicShare struct {
	Kind             string        `json:"kind"` // "share"
	Key              string        `json:"key"`
	SiteName         string        `json:"site_name"`
	Name             string        `json:"name"`
	Title            string        `json:"title"` // the shared asset, collection or folder
	Description      string        `json:"description"`
	OwnerName        string        `json:"owner_name"`
	ExpiresAt        *time.Time    `json:"expires_at"`
	NeedsPassword    bool          `json:"needs_password"` // then Items is empty
	AllowOriginal    bool          `json:"allow_original"`
	AllowProxies     []string      `json:"allow_proxies"`
	AllowAttachments bool          `json:"allow_attachments"`
	Watermark        bool          `json:"watermark"`
	TargetType       string        `json:"target_type"`
	Items            []PublicAsset `json:"items"`
	ZipURL           string        `json:"zip_url"` // empty when nothing may be downloaded
	ZipBytes         int64         `json:"zip_bytes"`
}

// PublicAsset is one file of a share link.
type PublicAsset struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Path       string           `json:"path"` // folder path inside a folder link, "" at its top
	Filetype   string           `json:"filetype"`
	Filesize   int64            `json:"filesize"`
	Width      int              `json:"width,omitempty"`
	Height     int              `json:"height,omitempty"`
	Properties map[string]any   `json:"properties,omitempty"`
	ThumbURL   string           `json:"thumb_url"`   // empty when the file has no image proxies
	PreviewURL string           `json:"preview_url"` // the viewer's image
	Downloads  []PublicDownload `json:"downloads"`   // what this link lets a visitor download of it
	InsertedAt time.Time        `json:"inserted_at"`
}

// PublicDownload is one download a visitor may take of a file.
type PublicDownload struct {
	Kind  string `json:"kind"` // original, thumb, preview, large, attachment
	Label string `json:"label"`
	Name  string `json:"name"` // file name the download saves as
	URL   string `json:"url"`
	Size  int64  `json:"size,omitempty"`
}

// LoadPublicShare, set by the server, gives the prerendered share page its
// data without side effects (no visit counted, no session). It answers nil
// when the page must load on the client (passwords, max uses, errors).
var LoadPublicShare func(key string) *PublicShare
