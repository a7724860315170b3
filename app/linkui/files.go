package linkui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// FileIcon is the icon of a file of a MIME type.
func FileIcon(filetype string) string {
	switch {
	case strings.HasPrefix(filetype, "image/"):
		return "image"
	case strings.HasPrefix(filetype, "video/"):
		return "video"
	case strings.HasPrefix(filetype, "audio/"):
		return "audio"
	case filetype == "application/pdf":
		return "pdf"
	}
	return "file"
}

// FileClass is the class (is-image, is-video ...) of a tile of a MIME type.
func FileClass(filetype string) string { return "is-" + FileIcon(filetype) }

// FileExt is the short type label of a tile: the extension, else the MIME subtype.
func FileExt(name, filetype string) string {
	if i := strings.LastIndex(name, "."); i > 0 && len(name)-i <= 6 {
		return strings.ToUpper(name[i+1:])
	}
	if i := strings.Index(filetype, "/"); i >= 0 {
		return strings.ToUpper(filetype[i+1:])
	}
	return "FILE"
}

// LockScroll stops the page behind the viewer from scrolling.
func LockScroll(on bool) {
	if !app.IsClient {
		return
	}
	cl := app.Window().Get("document").Get("documentElement").Get("classList")
	if on {
		cl.Call("add", "sv-lock")
	} else {
		cl.Call("remove", "sv-lock")
	}
}
