package share

import (
	"path"
	"strings"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/links"
)

// renditionName is the file name a rendition downloads as: "beach (large).jpg",
// "cut (video_720).mp4".
func renditionName(name, r string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	return base + " (" + r + ")" + assets.RenditionExt(r)
}

// renditionsOf lists the renditions of a that grant entry r (a name, or
// the group "video" or "audio") covers and that exist.
func renditionsOf(a assets.Asset, r string) []string {
	switch r {
	case access.GroupVideo, access.GroupAudio:
		var out []string
		for _, name := range a.Renditions {
			if (r == access.GroupAudio) == (name == "audio") {
				out = append(out, name)
			}
		}
		return out
	}
	if a.HasRendition(r) {
		return []string{r}
	}
	return nil
}

// PlayRendition is links.PlayRendition: the proxy a player shows of a.
func PlayRendition(a assets.Asset) string { return links.PlayRendition(a) }

// proxyLabel names a playable proxy for people: "Video (720p)", "Audio (AAC)".
func proxyLabel(name string) string {
	if name == "audio" {
		return "Audio (AAC)"
	}
	return "Video (" + strings.TrimPrefix(name, "video_") + "p)"
}
