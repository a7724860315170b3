package model

// SharingSettings are the site's rules for share links (Sharing > Settings).
type SharingSettings struct {
	AllowCustomURLs bool `json:"allow_custom_urls"`
	RequirePassword bool `json:"require_password"`
	// DefaultExpirationDays is how long a new link lives unless its creator
	// says otherwise; nil: links never expire by default.
	DefaultExpirationDays *int `json:"default_expiration_days"`
}

// WatermarkSettings is the site watermark as Settings shows it (the logo
// itself is not sent back, only whether there is one).
type WatermarkSettings struct {
	Text       string  `json:"text"`
	Position   string  `json:"position"`
	Opacity    float64 `json:"opacity"`
	Scale      float64 `json:"scale"`
	HasLogo    bool    `json:"has_logo"`
	Configured bool    `json:"configured"`
}

// MediaStatus is GET /api/v2/settings/media: whether video and audio are
// processed on this server, and how.
type MediaStatus struct {
	Reason          string `json:"reason"`
	Status          string `json:"status"` // "Video processing: available", "... not available (ffmpeg not found)"
	VideoProcessing bool   `json:"video_processing"`
	VideoProxies    []int  `json:"video_proxies"`
	VideoWorkers    int    `json:"video_workers"`
}
