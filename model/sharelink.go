package model

import "time"

// ShareLink is a link as its owner sees it.
type ShareLink struct {
	ID               string     `json:"id"`
	Key              string     `json:"key"`
	Kind             string     `json:"kind"`
	URL              string     `json:"url"`
	EmbedURL         string     `json:"embed_url,omitempty"`
	EmbedCode        string     `json:"embed_code,omitempty"`
	ProjectID        string     `json:"project_id"`
	TargetType       string     `json:"target_type"`
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
	Status           string     `json:"status"`
	OwnerID          string     `json:"owner_id"`
	OwnerName        string     `json:"owner_name"`
	Views            int        `json:"views"`
	Downloads        int        `json:"downloads"`
	InsertedAt       time.Time  `json:"inserted_at"`
	UpdatedAt        time.Time  `json:"updated_at"`

	AllowedActions      string `json:"allowed_actions"`
	InboxFolderID       string `json:"inbox_folder_id"`
	MaxUploadMB         *int64 `json:"max_upload_mb"`
	UploadEnabled       bool   `json:"upload_enabled"`
	Note                string `json:"note"`
	RequireRegistration bool   `json:"require_registration"`
	FormID              string `json:"form_id"`
	ClickwrapID         string `json:"clickwrap_id"`
	AccessControl       string `json:"access_control"`
	Registrations       int    `json:"registrations"`
	Recipients          int    `json:"recipients"`
	AllowFaceSearch     bool   `json:"allow_face_search"` // visitors may search the photos by people
	ShowPersonNames     bool   `json:"show_person_names"` // the face strip shows the names members gave

	// FollowsLatestVersion: when a file of the link gains a version,
	// visitors see the newest (share links always do; review links say
	// so with current_version_only).
	FollowsLatestVersion bool `json:"follows_latest_version"`
	// ShownVersion is the version visitors see of a single-file link
	// whose file has versions (nil otherwise).
	ShownVersion *ShownVersion `json:"shown_version,omitempty"`
}

// ShownVersion is the version of a stack a link's visitors see.
type ShownVersion struct {
	AssetID  string `json:"asset_id"`
	Number   int    `json:"number"`   // 1 is the first version
	Versions int    `json:"versions"` // in the stack
}

// NewShareLink is the create request.
type NewShareLink struct {
	Kind             string         `json:"kind"`
	AssetIDs         []string       `json:"asset_ids"`
	CollectionID     string         `json:"collection_id"`
	FolderID         string         `json:"folder_id"`
	CollectionName   string         `json:"collection_name"`
	Name             string         `json:"name"`
	Description      string         `json:"description"`
	AllowOriginal    *bool          `json:"allow_original,omitempty"`    // absent: the default for the link's kind
	AllowProxies     []string       `json:"allow_proxies"`               // absent (nil): likewise
	AllowAttachments *bool          `json:"allow_attachments,omitempty"` // absent: likewise
	ExpiresAt        Opt[time.Time] `json:"expires_at,omitzero"`         // absent: the site's default expiry
	Password         string         `json:"password"`
	MaxUses          *int           `json:"max_uses,omitempty"`
	Watermark        bool           `json:"watermark"`

	Key                 string     `json:"key"` // a custom URL key, when the site allows them
	AllowedActions      string     `json:"allowed_actions"`
	InboxFolderID       string     `json:"inbox_folder_id"`
	MaxUploadMB         Opt[int64] `json:"max_upload_mb,omitzero"`
	Note                string     `json:"note"`
	RequireRegistration bool       `json:"require_registration"`
	FormID              string     `json:"form_id"`
	ClickwrapID         string     `json:"clickwrap_id"`
	AccessControl       string     `json:"access_control"`
	AllowFaceSearch     *bool      `json:"allow_face_search,omitempty"` // absent: off
	ShowPersonNames     *bool      `json:"show_person_names,omitempty"` // absent: off
}

// ShareLinkPatch changes a link; nil fields stay.
type ShareLinkPatch struct {
	Name             *string        `json:"name,omitempty"`
	Description      *string        `json:"description,omitempty"`
	AllowOriginal    *bool          `json:"allow_original,omitempty"`
	AllowProxies     *[]string      `json:"allow_proxies,omitempty"`
	AllowAttachments *bool          `json:"allow_attachments,omitempty"`
	ExpiresAt        Opt[time.Time] `json:"expires_at,omitzero"`
	Password         *string        `json:"password,omitempty"` // "" keeps the password
	RemovePassword   bool           `json:"remove_password"`
	MaxUses          Opt[int]       `json:"max_uses,omitzero"`
	Watermark        *bool          `json:"watermark,omitempty"`
	Locked           *bool          `json:"locked,omitempty"` // only false: the owner unlocks

	Key                 *string    `json:"key,omitempty"`
	AllowedActions      *string    `json:"allowed_actions,omitempty"`
	InboxFolderID       *string    `json:"inbox_folder_id,omitempty"`
	MaxUploadMB         Opt[int64] `json:"max_upload_mb,omitzero"`
	Note                *string    `json:"note,omitempty"`
	RequireRegistration *bool      `json:"require_registration,omitempty"`
	FormID              *string    `json:"form_id,omitempty"`
	ClickwrapID         *string    `json:"clickwrap_id,omitempty"`
	AccessControl       *string    `json:"access_control,omitempty"`
	AllowFaceSearch     *bool      `json:"allow_face_search,omitempty"`
	ShowPersonNames     *bool      `json:"show_person_names,omitempty"`
}

// ShareRecipient is a recipient a share link was emailed to. Each mail carries a
// code of its own; with access control "emailed" the first browser that
// opens a code is bound to it.
type ShareRecipient struct {
	ID         string     `json:"id"`
	LinkID     string     `json:"link_id"`
	Email      string     `json:"email"`
	Company    string     `json:"company"`
	Note       string     `json:"note"`
	SentAt     time.Time  `json:"sent_at"`
	OpenedAt   *time.Time `json:"opened_at"`
	Bound      bool       `json:"bound"`
	Sends      int        `json:"sends"`
	ReissuedAt *time.Time `json:"reissued_at,omitempty"`
	InsertedAt time.Time  `json:"inserted_at"`
}

// AccessLogEntry is one line of a link's access log.
type AccessLogEntry struct {
	Time      time.Time `json:"time"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
	Action    string    `json:"action"` // view, download, zip, failed_password, contents_changed
	AssetID   string    `json:"asset_id,omitempty"`
	AssetName string    `json:"asset_name,omitempty"`
	Rendition string    `json:"rendition,omitempty"`
	Bytes     int64     `json:"bytes,omitempty"`
	By        string    `json:"by,omitempty"`     // the member who changed the link (contents_changed)
	Detail    string    `json:"detail,omitempty"` // what changed: "+2 −1"
}
