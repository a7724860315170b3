package access

import "github.com/ferryhq/ferry/server/assets"

// MaxDepth is how many folders up Inside looks for a shared folder; the
// tree is never deeper than that where links reach.
const MaxDepth = 64

// Inside decides whether a file a link visitor asked for is inside what the
// link shares. A link lists entries (listed): its one file or folder, or
// the files and folders of its collection (a share of files and folders
// together). self are the ids that stand for the file: the file, its
// version stack and the stack's versions, so a file listed before it was
// stacked stays reachable as the stack's newest version. up returns an
// asset's parent (false at the top or when it is gone).
//
// The file is inside when one of self is listed, or when a folder above it
// is: a listed file never reaches its siblings, a listed folder reaches
// everything under it and nothing beside or above it. Ids come from the
// store, never from the request path, so "..", a sibling's id or another
// project's id reach nothing.
func Inside(listed func(id string) bool, self []string, start assets.Asset, up func(assets.Asset) (assets.Asset, bool)) bool {
	for _, id := range self {
		if listed(id) {
			return true
		}
	}
	cur := start
	for depth := 0; depth < MaxDepth; depth++ {
		parent, ok := up(cur)
		if !ok {
			return false
		}
		if parent.Type == assets.TypeFolder && listed(parent.ID) {
			return true
		}
		cur = parent
	}
	return false
}
