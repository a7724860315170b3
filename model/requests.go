package model

type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type NewToken struct {
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

type SetupRequest struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

type NewAsset struct {
	Type     string `json:"type"`
	Name     string `json:"name"`
	Filesize *int64 `json:"filesize,omitempty"`
	Filetype string `json:"filetype"`
}

// NewCollection is what creating a collection needs.
type NewCollection struct {
	Name     string   `json:"name"`
	AssetIDs []string `json:"asset_ids"`
	Hidden   bool     `json:"hidden"`
	Personal bool     `json:"personal,omitempty"` // listed to its creator only
}

// CollectionPatch changes a collection; nil fields stay.
type CollectionPatch struct {
	Name     *string   `json:"name,omitempty"`
	AssetIDs *[]string `json:"asset_ids,omitempty"`
	Hidden   *bool     `json:"hidden,omitempty"`
}

// ProjectPatch changes a project; nil fields stay.
type ProjectPatch struct {
	Name      *string   `json:"name,omitempty"`
	MemberIDs *[]string `json:"member_ids,omitempty"`
}

// AssetPatch renames or moves an asset; nil fields stay.
type AssetPatch struct {
	Name     *string `json:"name,omitempty"`
	ParentID *string `json:"parent_id,omitempty"`
}

// NewUser is what creating a user needs.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// UserPatch changes some fields of a user; nil fields are left alone.
type UserPatch struct {
	Name     *string `json:"name,omitempty"`
	Role     *string `json:"role,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
	Password *string `json:"password,omitempty"`
}

// NewComment is what a client sends. Timestamp is Frame.io v2's: frames
// from 0 as a number that may have a fraction (v2 documents a double);
// Ferry keeps the frame it falls in (12.5 → 12).
type NewComment struct {
	Text       string   `json:"text"`
	Timestamp  *float64 `json:"timestamp,omitempty"`
	Duration   *int64   `json:"duration,omitempty"`
	Private    bool     `json:"private,omitempty"`
	Annotation *string  `json:"annotation,omitempty"`
	Page       *int     `json:"page,omitempty"`
	ParentID   string   `json:"parent_id,omitempty"`
}

// CommentPatch is a v2 updateComment: nil fields are left alone.
type CommentPatch struct {
	Text       *string  `json:"text,omitempty"`
	Timestamp  *float64 `json:"timestamp,omitempty"`
	Annotation *string  `json:"annotation,omitempty"`
	Completed  *bool    `json:"completed,omitempty"`
}

// ShareEmail is "Share via email".
type ShareEmail struct {
	To      string `json:"to"`
	Message string `json:"message"`
	Company string `json:"company"`
	Note    string `json:"note"`
}

// RegisterRequest is a visitor's registration and clickwrap acceptance.
type RegisterRequest struct {
	Answers         map[string]string `json:"answers"`
	AcceptClickwrap bool              `json:"accept_clickwrap"`
}

// NewTokenAnswer is the answer to POST /api/v2/tokens: the token, and its
// secret, shown this once.
type NewTokenAnswer struct {
	Token
	Secret string `json:"token"`
}

// ShareLinkItems is a change of what a link shares: asset ids to add and to
// remove ("Contents → Edit").
type ShareLinkItems struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// EmailSettings are the SMTP server and From address set in Settings > Email.
// They apply when the config file and environment leave smtp.url empty.
type EmailSettings struct {
	SMTPURL string `json:"smtp_url"`
	From    string `json:"from"`
}

// RevokeShareLinks is POST /api/v2/share_links/revoke.
type RevokeShareLinks struct {
	IDs []string `json:"ids"`
}

// RevokeAnswer counts the links a revoke ended and those it was not allowed to.
type RevokeAnswer struct {
	Revoked int `json:"revoked"`
	Skipped int `json:"skipped"`
}

// ReviewLinkShare is POST /api/v2/review_links/{id}/share: the addresses
// to mail the link to (comma-separated or a list) and a message.
type ReviewLinkShare struct {
	Recipients any    `json:"recipients"`
	Message    string `json:"message"`
}

// ReviewLinkShareAnswer lists the addresses a review link was mailed to.
type ReviewLinkShareAnswer struct {
	SentTo []string `json:"sent_to"`
}

// SetupStatus is GET /api/v2/setup: whether the first admin is still to be made.
type SetupStatus struct {
	Needed bool `json:"needed"`
}

// NewVersion is POST /api/v2/assets/{id}/version.
type NewVersion struct {
	NextAssetID string `json:"next_asset_id"`
}

// ReviewLinkAssets is POST /api/v2/review_links/{id}/assets (Frame.io v2).
type ReviewLinkAssets struct {
	AssetIDs []string `json:"asset_ids"`
}

// Unlock is POST /api/v2/public/links/{key}/unlock: a share or review
// link's password, or an upload link's passcode.
type Unlock struct {
	Password string `json:"password,omitempty"`
	Passcode string `json:"passcode,omitempty"`
}

// ReviewerName is the name a review link's visitor gives before commenting.
type ReviewerName struct {
	Name string `json:"name"`
}

// ApprovalInput is a reviewer's verdict on a file (nil status: withdrawn).
type ApprovalInput struct {
	Status *string `json:"status"`
}

// TestEmail is POST /api/v2/settings/email/test.
type TestEmail struct {
	To string `json:"to"`
}

// NewProject is POST /api/v2/projects.
type NewProject struct {
	Name string `json:"name"`
}

// NewPublicFolder is POST /api/v2/public/links/{key}/folders.
type NewPublicFolder struct {
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
}

// CopyTo is POST .../assets/{id}/copy: the folder to copy into ("" beside the original).
type CopyTo struct {
	ParentID string `json:"parent_id"`
}

// CopySource is Frame.io v2's POST /api/v2/assets/{folder}/copy: the asset
// to copy into the folder in the path.
type CopySource struct {
	ID string `json:"id"`
}

// BatchCopy is Frame.io v2's POST /api/v2/batch/assets/{folder}/copy.
// CopyComments may only be "none" (or absent): copies start without comments.
type BatchCopy struct {
	Batch        []CopySource `json:"batch"`
	CopyComments string       `json:"copy_comments,omitempty"`
}

// NewCollaborator is Frame.io v2's POST /api/v2/projects/{id}/collaborators:
// the address of the Ferry user who becomes a member.
type NewCollaborator struct {
	Email string `json:"email"`
}

// PrivilegeInput is PUT .../privileges/{folder_id}: what a user or group may
// do in a folder and below it. Share absent means on, as without a record.
type PrivilegeInput struct {
	Access string `json:"access"`
	Share  *bool  `json:"share,omitempty"`
	// Sent back by forms that PUT the Privilege they got; ignored.
	FolderID   string `json:"folder_id,omitempty"`
	ProjectID  string `json:"project_id,omitempty"`
	FolderPath string `json:"folder_path,omitempty"`
}

// SearchFilter is one condition of a Frame.io v2 search: {"op":"eq","value"}.
type SearchFilter struct {
	Op    string `json:"op"`
	Value string `json:"value"`
}

// SearchRequest is Frame.io v2's POST /api/v2/search/library. Ferry searches
// names (Q or Query) within the projects the caller sees; Include is
// accepted and assets are answered as listed.
type SearchRequest struct {
	Q         string                  `json:"q,omitempty"`
	Query     string                  `json:"query,omitempty"`
	AccountID string                  `json:"account_id,omitempty"`
	TeamID    string                  `json:"team_id,omitempty"`
	Page      *int                    `json:"page,omitempty"`
	PageSize  *int                    `json:"page_size,omitempty"`
	Sort      string                  `json:"sort,omitempty"`
	Include   string                  `json:"include,omitempty"`
	Filter    map[string]SearchFilter `json:"filter,omitempty"`
}
