package model

import (
	"encoding/json"
	"strings"
	"time"
)

// Proxy states of a file.
const (
	ProxyNone     = "none"      // not an image: no renditions
	ProxyQueued   = "queued"    // waiting for a worker
	ProxyReady    = "ready"     // thumb, preview and large exist
	ProxyFailed   = "failed"    // the image could not be decoded
	ProxyTooLarge = "too_large" // above the pixel limit
	// ProxyUnavailable: a video or audio file on a server without ffmpeg.
	ProxyUnavailable = "unavailable"
)

// Project is a named tree of assets with a root folder.
type Project struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	RootAssetID string    `json:"root_asset_id"`
	OwnerID     string    `json:"owner_id"`
	MemberIDs   []string  `json:"member_ids"`
	InsertedAt  time.Time `json:"inserted_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Properties are what Ferry learned from a file's content.
type Properties struct {
	Width        int        `json:"width,omitempty"`
	Height       int        `json:"height,omitempty"`
	TakenAt      *time.Time `json:"taken_at,omitempty"`
	CameraMake   string     `json:"camera_make,omitempty"`
	CameraModel  string     `json:"camera_model,omitempty"`
	LensModel    string     `json:"lens_model,omitempty"`
	ISO          int        `json:"iso,omitempty"`
	ExposureTime string     `json:"exposure_time,omitempty"`
	FNumber      string     `json:"f_number,omitempty"`
	FocalLength  string     `json:"focal_length,omitempty"`

	// Video and audio, from ffprobe.
	FrameRate     string `json:"frame_rate,omitempty"` // rational, e.g. "30000/1001"
	Rotation      int    `json:"rotation,omitempty"`   // degrees; width and height are as displayed
	VideoCodec    string `json:"video_codec,omitempty"`
	AudioCodec    string `json:"audio_codec,omitempty"`
	BitRate       int64  `json:"bit_rate,omitempty"`
	AudioChannels int    `json:"audio_channels,omitempty"`
	SampleRate    int    `json:"sample_rate,omitempty"`
}

// Asset is a folder, a file or a version stack.
type Asset struct {
	ID                string      `json:"id"`
	Type              string      `json:"type"`
	Name              string      `json:"name"`
	ProjectID         string      `json:"project_id"`
	ParentID          string      `json:"parent_id"`
	Filesize          int64       `json:"filesize"`
	Filetype          string      `json:"filetype,omitempty"`
	ItemCount         int         `json:"item_count"`
	Index             int         `json:"index,omitempty"`
	Versions          int         `json:"versions,omitempty"`
	CoverAssetID      string      `json:"cover_asset_id,omitempty"`
	AttachmentOf      string      `json:"attachment_of,omitempty"`
	Attachments       int         `json:"attachments,omitempty"`
	CreatorID         string      `json:"creator_id"`
	CreatorName       string      `json:"creator_name"`
	UploadCompletedAt *time.Time  `json:"upload_completed_at,omitempty"`
	ProxyStatus       string      `json:"proxy_status,omitempty"`
	ProxyError        string      `json:"proxy_error,omitempty"`
	Properties        *Properties `json:"properties,omitempty"`
	// Duration (seconds), FPS and Frames of a video or audio file, named
	// as in the Frame.io v2 API.
	Duration float64 `json:"duration,omitempty"`
	FPS      float64 `json:"fps,omitempty"`
	Frames   int64   `json:"frames,omitempty"`
	// MediaKind is "video" or "audio" for files Ferry plays.
	MediaKind string `json:"media_kind,omitempty"`
	// Renditions are the playable proxies made so far ("video_720",
	// "audio"); TranscodeStatus and TranscodeProgress (percent) tell how
	// making them goes.
	Renditions        []string  `json:"renditions,omitempty"`
	TranscodeStatus   string    `json:"transcode_status,omitempty"`
	TranscodeProgress int       `json:"transcode_progress,omitempty"`
	TranscodeError    string    `json:"transcode_error,omitempty"`
	InsertedAt        time.Time `json:"inserted_at"`
	UpdatedAt         time.Time `json:"updated_at"`

	// SpriteFrames is how many frames the "sprite" rendition, a strip of
	// frames for scrubbing in grids, holds side by side (0: none).
	SpriteFrames int `json:"sprite_frames,omitempty"`

	// Set only in answers about uploads that have not finished.
	UploadStatus string `json:"upload_status,omitempty"`
	UploadURL    string `json:"upload_url,omitempty"`
	// UploadURLs are Frame.io v2's signed part URLs of a new upload.
	UploadURLs []string `json:"upload_urls,omitempty"`

	// Set by the API in answers: Frame.io v2's signed download URL of the
	// original, and the checksums once computed.
	Original  string     `json:"original,omitempty"`
	Checksums *Checksums `json:"-"`
}

// Checksums are an asset's checksums as Frame.io v2 names them.
type Checksums struct {
	XXHash string `json:"xx_hash"`
}

// Collection is a named set of asset references in a project.
type Collection struct {
	ID        string   `json:"id"`
	ProjectID string   `json:"project_id"`
	Name      string   `json:"name"`
	AssetIDs  []string `json:"asset_ids"`
	Hidden    bool     `json:"hidden"`
	// Personal: listed to its creator only (the collection made for a
	// share link of several items); it still opens by id for whoever
	// may reach it, so links and their pages keep working.
	Personal   bool      `json:"personal,omitempty"`
	CreatorID  string    `json:"creator_id"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Privilege is an admin's record of a member's rights on a folder,
// inherited by its subfolders until another record overrides it.
type Privilege struct {
	FolderID   string `json:"folder_id"`
	ProjectID  string `json:"project_id"`
	FolderPath string `json:"folder_path"`
	Access     string `json:"access"`
	Share      bool   `json:"share"`
}

// FolderPath is a folder and its path from the project root, for pickers.
type FolderPath struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

// MarshalJSON adds the fields Frame.io v2 clients read on every asset:
// _type (the type), is_session_watermarked (Ferry watermarks renditions
// of share links, never the originals) and checksums (null until known).
func (a Asset) MarshalJSON() ([]byte, error) {
	type plain Asset
	return json.Marshal(struct {
		plain
		FrameType   string     `json:"_type"`
		Watermarked bool       `json:"is_session_watermarked"`
		Checksums   *Checksums `json:"checksums"`
	}{plain(a), a.Type, false, a.Checksums})
}

// Playable reports whether rendition name is a playable proxy ("audio",
// "video_720") rather than a picture.
func Playable(name string) bool { return name == "audio" || strings.HasPrefix(name, "video_") }

// Sprite is the rendition holding a strip of a video's frames (JPEG).
const Sprite = "sprite"

// HasRendition reports whether rendition name of file a exists: a picture
// (thumb, preview, large) once its proxies are ready, a playable proxy
// once made.
func (a Asset) HasRendition(name string) bool {
	if name == Sprite {
		return a.SpriteFrames > 0
	}
	if Playable(name) {
		for _, r := range a.Renditions {
			if r == name {
				return true
			}
		}
		return false
	}
	return a.ProxyStatus == ProxyReady
}
