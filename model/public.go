package model

import "time"

// PublicShare is what a share link's visitor gets (GET /api/v2/public/links/{key}).
type PublicShare struct {
	Kind             string        `json:"kind"` // "share"
	Key              string        `json:"key"`
	SiteName         string        `json:"site_name"`
	Name             string        `json:"name"`
	Title            string        `json:"title"`
	Description      string        `json:"description"`
	OwnerName        string        `json:"owner_name"`
	ExpiresAt        *time.Time    `json:"expires_at"`
	NeedsPassword    bool          `json:"needs_password"`
	AllowOriginal    bool          `json:"allow_original"`
	AllowProxies     []string      `json:"allow_proxies"`
	AllowAttachments bool          `json:"allow_attachments"`
	Watermark        bool          `json:"watermark"`
	TargetType       string        `json:"target_type"`
	Items            []PublicAsset `json:"items"`
	ZipURL           string        `json:"zip_url"`
	ZipBytes         int64         `json:"zip_bytes"`

	AllowedActions string              `json:"allowed_actions"`
	CanDownload    bool                `json:"can_download"`
	CanUpload      bool                `json:"can_upload"`
	CanModify      bool                `json:"can_modify"`
	UploadFolderID string              `json:"upload_folder_id"`
	MaxUploadBytes int64               `json:"max_upload_bytes"`
	Folders        []PublicFolder      `json:"folders"`
	Registration   *PublicRegistration `json:"registration"`
	Clickwrap      *PublicClickwrap    `json:"clickwrap"`
	Needs          []string            `json:"needs"`
	Session        string              `json:"session,omitempty"` // an invitation's session, for the browser's local storage
	// FaceSearch: visitors may search the photos by people (face strip, selfie).
	FaceSearch bool `json:"face_search,omitempty"`
}

// PublicFolder is a folder of a folder link, for navigation and upload targets.
type PublicFolder struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Path     string `json:"path"`
}

// PublicRegistration is the registration form a visitor fills in.
type PublicRegistration struct {
	Fields []FormField `json:"fields"`
}

// PublicClickwrap is the clickwrap a visitor accepts.
type PublicClickwrap struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// PublicAsset is one file of a link as a visitor sees it.
type PublicAsset struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Path       string      `json:"path"`
	Filetype   string      `json:"filetype"`
	Filesize   int64       `json:"filesize"`
	Width      int         `json:"width,omitempty"`
	Height     int         `json:"height,omitempty"`
	Properties *Properties `json:"properties,omitempty"`
	ThumbURL   string      `json:"thumb_url"`
	PreviewURL string      `json:"preview_url"`
	// MediaKind is "video" or "audio"; PlayURL the proxy the viewer plays
	// (watching is viewing, so view-only links have it too).
	MediaKind  string           `json:"media_kind,omitempty"`
	Duration   float64          `json:"duration,omitempty"`
	FPS        float64          `json:"fps,omitempty"`
	Frames     int64            `json:"frames,omitempty"`
	PlayURL    string           `json:"play_url,omitempty"`
	Downloads  []PublicDownload `json:"downloads"`
	InsertedAt time.Time        `json:"inserted_at"`

	// SpriteURL is a strip of SpriteFrames frames to skim a video on its tile.
	SpriteURL    string `json:"sprite_url,omitempty"`
	SpriteFrames int    `json:"sprite_frames,omitempty"`
}

// PublicDownload is one download a visitor may take.
type PublicDownload struct {
	Kind  string `json:"kind"` // original, thumb, preview, large, attachment
	Label string `json:"label"`
	Name  string `json:"name"`
	URL   string `json:"url"`
	Size  int64  `json:"size,omitempty"`
}

// PublicReview is what the reviewer's page gets.
type PublicReview struct {
	Kind               string             `json:"kind"`
	Key                string             `json:"key"`
	SiteName           string             `json:"site_name"`
	Name               string             `json:"name"`
	OwnerName          string             `json:"owner_name"`
	ExpiresAt          *time.Time         `json:"expires_at"`
	NeedsPassword      bool               `json:"needs_password"`
	ReviewerName       string             `json:"reviewer_name"`
	AllowApprovals     bool               `json:"allow_approvals"`
	EnableDownloading  bool               `json:"enable_downloading"`
	EnableComments     bool               `json:"enable_comments"`
	CurrentVersionOnly bool               `json:"current_version_only"`
	Items              []PublicReviewItem `json:"items"`
}

type PublicReviewItem struct {
	ID           string                 `json:"id"`
	StackID      string                 `json:"stack_id"`
	Name         string                 `json:"name"`
	Filetype     string                 `json:"filetype"`
	Filesize     int64                  `json:"filesize"`
	Width        int                    `json:"width"`
	Height       int                    `json:"height"`
	Kind         string                 `json:"kind"`
	ThumbURL     string                 `json:"thumb_url"`
	PreviewURL   string                 `json:"preview_url"`
	LargeURL     string                 `json:"large_url"`
	MediaURL     string                 `json:"media_url"` // what the player plays: the proxy if made, else the original where allowed
	DownloadURL  string                 `json:"download_url"`
	Duration     float64                `json:"duration,omitempty"`
	FPS          float64                `json:"fps,omitempty"`
	Frames       int64                  `json:"frames,omitempty"`
	FrameRate    string                 `json:"frame_rate,omitempty"` // the exact rate, e.g. "30000/1001": the reviewer's timecode
	Versions     []PublicReviewVersion  `json:"versions"`
	MyApproval   string                 `json:"my_approval"`
	Approvals    []PublicReviewApproval `json:"approvals"`
	CommentCount int                    `json:"comment_count"`
}

type PublicReviewVersion struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Index      int       `json:"index"`
	InsertedAt time.Time `json:"inserted_at"`
}

type PublicReviewApproval struct {
	ReviewerName string `json:"reviewer_name"`
	Status       string `json:"status"`
}

// VisitorAsset is an asset as a visitor sees it after changing it.
type VisitorAsset struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	ParentID string `json:"parent_id"`
	Filesize int64  `json:"filesize,omitempty"`
}
