// Package assets owns projects, the asset tree (folders, files, version
// stacks, attachments), collections, pending uploads and the proxy queue.
// It never imports HTTP code.
package assets

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ferryhq/ferry/model"
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
	ProxyNone     = model.ProxyNone
	ProxyQueued   = model.ProxyQueued
	ProxyReady    = model.ProxyReady
	ProxyFailed   = model.ProxyFailed
	ProxyTooLarge = model.ProxyTooLarge
	// ProxyUnavailable: a video or audio file on a server without ffmpeg.
	ProxyUnavailable = model.ProxyUnavailable
)

// Transcode states of a video or audio file's playable proxies.
const (
	TranscodeQueued     = "queued"
	TranscodeProcessing = "processing"
	TranscodeReady      = "ready"
	TranscodeFailed     = "failed"
)

// Project is model.Project, the JSON document.
type Project = model.Project

// Properties is model.Properties, the JSON document.
type Properties = model.Properties

// Asset is model.Asset, the JSON document.
type Asset = model.Asset

// Collection is model.Collection, the JSON document.
type Collection = model.Collection

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
