// Package assets owns projects, the asset tree (folders, files, version
// stacks, attachments), collections, pending uploads and the proxy queue.
// It never imports HTTP code.
package assets

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ferryhq/ferry/server/errs"
)

// Asset types, as in the Frame.io v2 API.
const (
	TypeFolder       = "folder"
	TypeFile         = "file"
	TypeVersionStack = "version_stack"
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

// Transcode states of a video or audio file's playable proxies.
const (
	TranscodeQueued     = "queued"
	TranscodeProcessing = "processing"
	TranscodeReady      = "ready"
	TranscodeFailed     = "failed"
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

// Collection is a named set of asset references in a project.
type Collection struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"project_id"`
	Name       string    `json:"name"`
	AssetIDs   []string  `json:"asset_ids"`
	Hidden     bool      `json:"hidden"`
	CreatorID  string    `json:"creator_id"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Viewer is who asks: members see projects they own or belong to, admins all.
type Viewer struct {
	UserID string
	Name   string
	Admin  bool
	// ProjectID, when set, is the one project a link's visitor acts in
	// (an upload link recipient uploading into it).
	ProjectID string
}

// CleanText checks user-given text (a link name, a message): trimmed,
// UTF-8 without NUL, at most max characters, and on one line when oneLine.
func CleanText(what, s string, max int, oneLine bool) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || oneLine && strings.ContainsAny(s, "\r\n") {
		if oneLine {
			return "", errs.Invalidf("%s must be text on one line", what)
		}
		return "", errs.Invalidf("%s must be text", what)
	}
	if utf8.RuneCountInString(s) > max {
		return "", errs.Invalidf("%s is longer than %d characters", what, max)
	}
	return s, nil
}

// CleanName checks a user-given name for a project, folder or file. Names
// are never paths: no slashes, NUL or control characters, not "." or "..",
// at most 255 bytes.
func CleanName(what, name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errs.Invalidf("%s name must not be empty", what)
	case !utf8.ValidString(name):
		return "", errs.Invalidf("%s name must be valid UTF-8", what)
	case len(name) > 255:
		return "", errs.Invalidf("%s name is %d bytes; the limit is 255", what, len(name))
	case name == "." || name == "..":
		return "", errs.Invalidf("%s name %q is not allowed", what, name)
	case strings.ContainsAny(name, `/\`):
		return "", errs.Invalidf("%s name %q must not contain / or \\ (names are not paths)", what, name)
	}
	for _, r := range name {
		if r == 0 || unicode.IsControl(r) {
			return "", errs.Invalidf("%s name must not contain control characters or NUL", what)
		}
		if IsBidiControl(r) {
			return "", errs.Invalidf("%s name must not contain bidirectional control characters (U+%04X): they make a name show as something else, e.g. a\u202egnp.exe as aexe.png", what, r)
		}
	}
	return name, nil
}

// IsBidiControl reports whether r reorders the text around it (the
// Unicode bidirectional formatting characters), which lets a name show as
// another: "a\u202egnp.exe" displays as "aexe.png".
func IsBidiControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
