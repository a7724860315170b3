package model

import "time"

// UploadLink is a link as its owner sees it.
type UploadLink struct {
	ID             string     `json:"id"`
	Key            string     `json:"key"`
	URL            string     `json:"url"`
	ProjectID      string     `json:"project_id"`
	ProjectName    string     `json:"project_name"`
	FolderID       string     `json:"folder_id"`
	FolderName     string     `json:"folder_name"`
	Name           string     `json:"name"`
	RecipientEmail string     `json:"recipient_email"`
	RecipientName  string     `json:"recipient_name"`
	Message        string     `json:"message"`
	OwnerID        string     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	ExpiresAt      *time.Time `json:"expires_at"`
	MaxFiles       *int       `json:"max_files"`
	MaxFileMB      *int64     `json:"max_file_mb"`
	MaxTotalMB     *int64     `json:"max_total_mb"`
	Status         string     `json:"status"`
	SetupComplete  bool       `json:"setup_complete"`
	InviteEmail    string     `json:"invite_email_status"`
	PasscodeEmail  string     `json:"passcode_email_status"`
	// MailError is why the link's mails are not delivered yet (the SMTP
	// server's refusal or the connection's error), while they are not.
	MailError     string     `json:"mail_error,omitempty"`
	Locked        bool       `json:"locked"`
	FilesReceived int        `json:"files_received"`
	BytesReceived int64      `json:"bytes_received"`
	UploadsActive int        `json:"uploads_in_progress"`
	RevokedAt     *time.Time `json:"revoked_at"`
	InsertedAt    time.Time  `json:"inserted_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	// Passcode is set only in the answers to create and resend.
	Passcode string `json:"passcode,omitempty"`
}

// NewUploadLink is the create request.
type NewUploadLink struct {
	ProjectID      string     `json:"project_id"`
	FolderID       string     `json:"folder_id"`
	Name           string     `json:"name"`
	RecipientEmail string     `json:"recipient_email"`
	RecipientName  string     `json:"recipient_name"`
	ExpiresInDays  *int       `json:"expires_in_days,omitempty"`
	ExpiresAt      *time.Time `json:"expires_at,omitempty"`
	Message        string     `json:"message"`
	MaxFiles       *int       `json:"max_files,omitempty"`
	MaxFileMB      *int64     `json:"max_file_mb,omitempty"`
	MaxTotalMB     *int64     `json:"max_total_mb,omitempty"`
}

// UploadLinkStats are the four cards of the Upload Links page.
type UploadLinkStats struct {
	TotalLinks    int   `json:"total_links"`
	FilesReceived int   `json:"files_received"`
	BytesReceived int64 `json:"bytes_received"`
	ExpiringSoon  int   `json:"expiring_soon"`
}

// UploadReceived is a file that arrived through a link, as its recipient sees it.
type UploadReceived struct {
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	InsertedAt time.Time `json:"inserted_at"`
}

// PublicUploadLink is what the recipient's page gets.
type PublicUploadLink struct {
	Kind          string           `json:"kind"` // "upload"
	Key           string           `json:"key"`
	SiteName      string           `json:"site_name"`
	Name          string           `json:"name"`
	ProjectName   string           `json:"project_name"`
	SenderName    string           `json:"sender_name"`
	RecipientName string           `json:"recipient_name"`
	Message       string           `json:"message"`
	ExpiresAt     *time.Time       `json:"expires_at"`
	Unlocked      bool             `json:"unlocked"`
	MaxFiles      *int             `json:"max_files"`
	MaxFileBytes  *int64           `json:"max_file_bytes"`
	MaxTotalBytes *int64           `json:"max_total_bytes"`
	FilesReceived int              `json:"files_received"`
	BytesReceived int64            `json:"bytes_received"`
	Files         []UploadReceived `json:"files"` // only once unlocked
}
