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
	AllowFaceSearch  bool       `json:"allow_face_search"`
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

	AllowedActions      string `json:"allowed_actions"` // preview, download, upload, upload_download, full
	InboxFolderID       string `json:"inbox_folder_id"`
	MaxUploadMB         *int64 `json:"max_upload_mb"`
	UploadEnabled       bool   `json:"upload_enabled"`
	Note                string `json:"note"`
	RequireRegistration bool   `json:"require_registration"`
	FormID              string `json:"form_id"`
	ClickwrapID         string `json:"clickwrap_id"`
	AccessControl       string `json:"access_control"` // anyone or emailed
	Registrations       int    `json:"registrations"`
	Recipients          int    `json:"recipients"`
}

// SharingSettings are the site's rules for share links (/api/v2/settings/sharing).
type SharingSettings struct {
	AllowCustomURLs       bool `json:"allow_custom_urls"`
	RequirePassword       bool `json:"require_password"`
	DefaultExpirationDays *int `json:"default_expiration_days"`
}

// ShareFormField is a question of a custom registration form.
type ShareFormField struct {
	ID          string   `json:"id,omitempty"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Type        string   `json:"type"` // short, paragraph, choice or dropdown
	Options     []string `json:"options"`
	Required    bool     `json:"required"`
}

// ShareForm is a custom registration form (/api/v2/share_forms).
type ShareForm struct {
	ID             string           `json:"id,omitempty"`
	Title          string           `json:"title"`
	StandardFields []string         `json:"standard_fields"` // the kept subset of name, company, email
	Fields         []ShareFormField `json:"fields"`
	InsertedAt     time.Time        `json:"inserted_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

// Clickwrap is terms visitors accept before a link opens (/api/v2/clickwraps).
type Clickwrap struct {
	ID         string    `json:"id,omitempty"`
	Name       string    `json:"name"`
	Body       string    `json:"body"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Registration is what a visitor gave before opening a link.
type Registration struct {
	ID                string               `json:"id"`
	Name              string               `json:"name"`
	Company           string               `json:"company"`
	Email             string               `json:"email"`
	Answers           []RegistrationAnswer `json:"answers"`
	ClickwrapAccepted bool                 `json:"clickwrap_accepted"`
	Address           string               `json:"address"`
	UserAgent         string               `json:"user_agent"`
	InsertedAt        time.Time            `json:"inserted_at"`
}

// RegistrationAnswer is the answer to one question of a custom form.
type RegistrationAnswer struct {
	FieldID string `json:"field_id"`
	Label   string `json:"label"`
	Value   string `json:"value"`
}

// ShareRecipient is someone a link was emailed to.
type ShareRecipient struct {
	ID       string     `json:"id"`
	Email    string     `json:"email"`
	Company  string     `json:"company"`
	Note     string     `json:"note"`
	SentAt   time.Time  `json:"sent_at"`
	OpenedAt *time.Time `json:"opened_at"`
	Bound    bool       `json:"bound"`
	Sends    int        `json:"sends"`
}

// Privilege is what a member may do in a folder and below it.
type Privilege struct {
	FolderID   string `json:"folder_id,omitempty"`
	ProjectID  string `json:"project_id,omitempty"`
	FolderPath string `json:"folder_path,omitempty"`
	Access     string `json:"access"` // preview, download, upload or full
	Share      bool   `json:"share"`
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

	AllowedActions string `json:"allowed_actions"` // preview, download, upload, upload_download, full
	CanDownload    bool   `json:"can_download"`
	CanUpload      bool   `json:"can_upload"` // through the mode or an associated inbox
	CanModify      bool   `json:"can_modify"`
	UploadFolderID string `json:"upload_folder_id"` // where uploads land by default
	MaxUploadBytes int64  `json:"max_upload_bytes"` // per file; 0: the site limit
	// Folders is the link's folder tree in upload_download and full modes.
	Folders      []PublicFolder      `json:"folders"`
	Registration *PublicRegistration `json:"registration"`
	Clickwrap    *PublicClickwrap    `json:"clickwrap"`
	// Needs is what stands between the visitor and the content, in order:
	// password, invite, registration, clickwrap.
	Needs []string `json:"needs"`
	// Session is set once, when an invitation binds to this browser: the
	// app keeps it and sends it back as Ferry-Session.
	Session string `json:"session,omitempty"`
	// FaceSearch: the link lets visitors find photos by the people in them.
	FaceSearch bool `json:"face_search,omitempty"`
}

// PublicFolder is one folder of a folder link's tree.
type PublicFolder struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Path     string `json:"path"` // as PublicAsset.Path: "" for the link's own folder
}

// PublicRegistration is the form a visitor fills in before access.
type PublicRegistration struct {
	Fields []PublicFormField `json:"fields"`
}

// PublicFormField is one question of the registration form; the standard
// fields have the ids name, company and email.
type PublicFormField struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Type        string   `json:"type"` // short, paragraph, choice, dropdown
	Options     []string `json:"options"`
	Required    bool     `json:"required"`
}

// PublicClickwrap is the terms a visitor accepts before access.
type PublicClickwrap struct {
	Name string `json:"name"`
	Body string `json:"body"`
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
	ThumbURL   string           `json:"thumb_url"`            // empty when the file has no image proxies
	PreviewURL string           `json:"preview_url"`          // the viewer's image
	MediaKind  string           `json:"media_kind,omitempty"` // video, audio
	PlayURL    string           `json:"play_url,omitempty"`   // the proxy the viewer plays (watching is viewing)
	Duration   float64          `json:"duration,omitempty"`
	FPS        float64          `json:"fps,omitempty"`
	Downloads  []PublicDownload `json:"downloads"` // what this link lets a visitor download of it
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
