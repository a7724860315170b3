package links

import (
	"strconv"
	"strings"

	"github.com/ferryhq/ferry/server/assets"
)

// Renditions a link may let visitors download, smallest first.
var Renditions = []string{"thumb", "preview", "large"}

// PlayRendition is the proxy a player shows of a: the largest video proxy
// made, else the audio proxy, else "".
func PlayRendition(a assets.Asset) string {
	best, bestH := "", -1
	for _, name := range a.Renditions {
		if name == "audio" && best == "" {
			best = name
		}
		if h, err := strconv.Atoi(strings.TrimPrefix(name, "video_")); err == nil && strings.HasPrefix(name, "video_") && h > bestH {
			best, bestH = name, h
		}
	}
	return best
}
