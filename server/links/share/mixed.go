package share

import (
	"path"
	"strconv"
	"strings"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// A share holds any number of files and folders together (Files.com):
// several asset_ids become the link's personal collection, and an entry of
// a collection that is a folder shares everything under it, read live as
// a folder link is. Visitors browse such folders by path ("Day 1/Selects"),
// and Download all keeps them as folders in the ZIP.

// lists is what link l names directly: its one file or folder, or the
// entries of its collection (coll).
func (l Link) lists(coll map[string]bool) func(string) bool {
	return func(id string) bool {
		if l.TargetType == "collection" {
			return coll[id]
		}
		return id == l.TargetID
	}
}

// sameFile are the ids that stand for file member: itself and, for a
// stack, its versions.
func sameFile(member assets.Asset, versions []assets.Asset) []string {
	out := []string{member.ID}
	for _, v := range versions {
		out = append(out, v.ID)
	}
	return out
}

// parentFor walks up for access.Inside. A link to one file reaches nothing
// above it, so its files are never looked up further.
func (s *Service) parentFor(l Link) func(assets.Asset) (assets.Asset, bool) {
	return func(a assets.Asset) (assets.Asset, bool) {
		if l.TargetType == "asset" || a.ParentID == "" {
			return assets.Asset{}, false
		}
		p, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, a.ParentID)
		return p, err == nil
	}
}

// walkFiles calls add for every file and stack under folder id with its
// path (prefix, then the subfolders' names), down to access.MaxDepth.
func (s *Service) walkFiles(id, prefix string, depth int, add func(assets.Asset, string)) error {
	kids, err := s.Assets.Children(assets.Viewer{Admin: true}, id)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.Type != assets.TypeFolder {
			add(k, prefix)
			continue
		}
		if depth < access.MaxDepth {
			if err := s.walkFiles(k.ID, path.Join(prefix, k.Name), depth+1, add); err != nil {
				return err
			}
		}
	}
	return nil
}

// sharedFolderPaths names the folders among a collection's entries as
// visitors see them at the top of the link: their names, with "(2)",
// "(3)" added when two shared folders have one name.
func sharedFolderPaths(entries []assets.Asset) map[string]string {
	out, used := map[string]string{}, map[string]bool{}
	for _, a := range entries {
		if a.Type != assets.TypeFolder || out[a.ID] != "" {
			continue
		}
		name := a.Name
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = a.Name + " (" + strconv.Itoa(n) + ")"
		}
		used[strings.ToLower(name)], out[a.ID] = true, name
	}
	return out
}

// collectionFiles adds the files of collection link l's entries: files as
// they are, folders with everything under them (by their shared path).
// Folders its creator may not share (any more) show nothing.
func (s *Service) collectionFiles(entries []assets.Asset, creator *access.Creator, add func(assets.Asset, string)) error {
	paths := sharedFolderPaths(entries)
	for _, a := range entries {
		if a.Type != assets.TypeFolder {
			add(a, "")
			continue
		}
		if !creator.Visible(a) {
			continue
		}
		if err := s.walkFiles(a.ID, paths[a.ID], 0, add); err != nil {
			return err
		}
	}
	return nil
}

// collectionFolders lists the folder trees a collection link shares, each
// shared folder at the top (no parent, its shared path), for the visitors'
// folder browser; none when the collection holds files only.
func (s *Service) collectionFolders(l Link) ([]PublicFolder, error) {
	entries, err := s.Assets.CollectionItems(assets.Viewer{Admin: true}, l.TargetID)
	if err != nil {
		return nil, errNotFound()
	}
	creator := s.Policy().Creator(l.OwnerID)
	paths := sharedFolderPaths(entries)
	out := []PublicFolder{}
	for _, a := range entries {
		if a.Type != assets.TypeFolder || !creator.Visible(a) {
			continue
		}
		out = append(out, PublicFolder{ID: a.ID, Name: a.Name, Path: paths[a.ID]})
		if err := s.subfolders(a.ID, paths[a.ID], 0, creator, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// subfolders appends the folders under id (paths below p) that creator
// may share, at most 10 000 in all.
func (s *Service) subfolders(id, p string, depth int, creator *access.Creator, out *[]PublicFolder) error {
	kids, err := s.Assets.Children(assets.Viewer{Admin: true}, id)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.Type != assets.TypeFolder || depth >= access.MaxDepth || len(*out) >= 10_000 || !creator.Visible(k) {
			continue
		}
		kp := path.Join(p, k.Name)
		*out = append(*out, PublicFolder{ID: k.ID, ParentID: id, Name: k.Name, Path: kp})
		if err := s.subfolders(k.ID, kp, depth+1, creator, out); err != nil {
			return err
		}
	}
	return nil
}

// checkShareable refuses what cannot be an entry of a share of several
// items: attachments (they come with their file), unfinished uploads, and
// assets of another project than the first.
func (s *Service) checkShareable(v assets.Viewer, ids []string) error {
	project := ""
	for _, id := range ids {
		a, err := s.Assets.GetAsset(v, id)
		if err != nil {
			return errs.Invalidf("asset %s: %s", id, detail(err))
		}
		switch {
		case a.AttachmentOf != "":
			return errs.New(errs.Invalid, "not_shareable", "%s is an attachment: it is shared with its file", a.Name)
		case a.Type != assets.TypeFile && a.Type != assets.TypeVersionStack && a.Type != assets.TypeFolder:
			return errs.New(errs.Invalid, "not_shareable", "%s cannot be shared on its own", a.Name)
		case a.UploadStatus != "":
			return errs.Invalidf("%s has not finished uploading", a.Name)
		case a.Type == assets.TypeFolder && a.ParentID == "":
			return errs.New(errs.Invalid, "not_shareable", "%s is a project's top folder: share the project folder on its own", a.Name)
		case project != "" && a.ProjectID != project:
			return errs.Invalidf("asset %s belongs to another project: a link shares files of one project", id)
		}
		project = a.ProjectID
	}
	return nil
}

// inboxOutside refuses entries ids of a share of files and folders when
// one of them is, or holds, the link's inbox: visitors would see what
// others upload.
func (s *Service) inboxOutside(l Link, ids []string) error {
	if l.InboxFolderID == "" {
		return nil
	}
	for _, id := range ids {
		inside, err := s.inFolder(id, l.InboxFolderID)
		if err != nil {
			return err
		}
		if inside {
			return errs.New(errs.Invalid, "inbox_inside_link", "the link's inbox is inside a folder it shares, so visitors would see what others upload; choose an inbox outside the shared folders")
		}
	}
	return nil
}
