package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

// ThumbID is the file whose proxies represent a (the newest version of a stack).
func ThumbID(a model.Asset) string {
	if a.Type == "version_stack" && a.CoverAssetID != "" {
		return a.CoverAssetID
	}
	return a.ID
}

// KindIcon is the icon of an asset's kind.
func KindIcon(a model.Asset) string {
	switch {
	case a.Type == "folder":
		return "folder"
	case strings.HasPrefix(a.Filetype, "image/"):
		return "image"
	case strings.HasPrefix(a.Filetype, "video/"):
		return "video"
	case strings.HasPrefix(a.Filetype, "audio/"):
		return "audio"
	case a.Filetype == "application/pdf":
		return "pdf"
	}
	return "file"
}

// KindLabel names an asset's kind.
func KindLabel(a model.Asset) string {
	switch a.Type {
	case "folder":
		return "Folder"
	case "version_stack":
		return app.FormatString("Version stack (%d)", a.Versions)
	}
	if i := strings.LastIndex(a.Name, "."); i > 0 && len(a.Name)-i <= 6 {
		return strings.ToUpper(a.Name[i+1:])
	}
	return a.Filetype
}
