package share

import (
	"cmp"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// mixed: a share of files and folders together (a collection link with
// folders among its entries). Visitors browse it as a folder link, with
// the link's top level holding the shared files and folders, but upload
// nothing into it.
func mixed(s *model.PublicShare) bool { return s.TargetType == "collection" && len(s.Folders) > 0 }

// sharedFolders is the folder tree of a mixed share: its top level (no
// folder of the project, id "") first, then each shared folder and its
// subfolders by the server's paths ("Day 1", "Day 1 (2)", "Day 1/Selects").
func sharedFolders(s *model.PublicShare) []visFolder {
	out := []visFolder{{Name: cmp.Or(s.Title, shareName(s))}}
	for _, d := range s.Folders {
		if p := strings.Trim(d.Path, "/"); p != "" {
			out = append(out, visFolder{ID: d.ID, ParentID: d.ParentID, Name: d.Name, Path: p, Depth: strings.Count(p, "/") + 1})
		}
	}
	sort.SliceStable(out[1:], func(i, j int) bool { return galleryPathLess(out[1+i].Path, out[1+j].Path) })
	return out
}

// browsingNow: the folder browser is shown. A search by people on a mixed
// share shows its matches from every folder as a gallery grouped by
// folder instead (folder links with uploads keep their browser and no
// face strip, as before).
func (p *Page) browsingNow() bool {
	return p.files.browsing() && !(mixed(p.share) && p.faces.active())
}
