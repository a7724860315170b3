package share

import (
	"encoding/json"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/ferryhq/ferry/server/errs"
)

// ZipEntry is one file of a "Download all" ZIP.
type ZipEntry struct {
	Name      string // path inside the archive
	AssetID   string
	Rendition string // "original" or a proxy name
	Size      int64  // of originals; 0 when unknown
}

// ZipEntries lists what "Download all" of link l holds: each file's
// original when allowed, else its largest allowed rendition; attachments
// when allowed. Names keep folder paths, are cleaned for every unzip tool
// and made unique.
func (s *Service) ZipEntries(l Link) ([]ZipEntry, error) {
	if !l.CanDownload() {
		return nil, errs.New(errs.Forbidden, "download_not_allowed", "this link does not allow downloads")
	}
	items, err := s.Items(l)
	if err != nil {
		return nil, err
	}
	return s.zipEntries(l, items, nil), nil
}

func (s *Service) zipEntries(l Link, items []Item, _ any) []ZipEntry {
	var out []ZipEntry
	used := map[string]bool{}
	add := func(name string, e ZipEntry) {
		e.Name = uniqueName(used, name)
		out = append(out, e)
	}
	l = l.visible()
	for _, it := range items {
		if !it.Download {
			continue // its creator may only look at it there
		}
		a := it.Asset
		dir := ZipPath(it.Path)
		switch {
		case l.AllowOriginal:
			add(join(dir, ZipPath(a.Name)), ZipEntry{AssetID: a.ID, Rendition: "original", Size: a.Filesize})
		default:
			// The largest allowed rendition this file has (on a
			// watermarked link, RenditionKey gives the marked copy).
			allowed := l.Grant().Proxies
			for i := len(allowed) - 1; i >= 0; i-- {
				if names := renditionsOf(a, allowed[i]); len(names) > 0 {
					r := names[len(names)-1]
					if play := PlayRendition(a); play != "" && slices.Contains(names, play) {
						r = play
					}
					add(join(dir, ZipPath(renditionName(a.Name, r))), ZipEntry{AssetID: a.ID, Rendition: r})
					break
				}
			}
		}
		if l.AllowAttachments {
			for _, at := range it.Attachments {
				base := strings.TrimSuffix(ZipPath(a.Name), path.Ext(a.Name))
				add(join(dir, base+" attachments/"+ZipPath(at.Name)), ZipEntry{AssetID: at.ID, Rendition: "original", Size: at.Filesize})
			}
		}
	}
	return out
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// ZipPath cleans a name or a slash-separated path for a ZIP entry: no
// absolute paths, no "..", no backslashes or control characters, and
// nothing Windows cannot create.
func ZipPath(p string) string {
	var parts []string
	for _, seg := range strings.Split(strings.ReplaceAll(p, "\\", "/"), "/") {
		seg = strings.Map(func(r rune) rune {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || strings.ContainsRune(`<>:"|?*`, r) {
				return '_'
			}
			return r
		}, seg)
		// Trailing dots and spaces of any kind go together, so that
		// cleaning a cleaned path changes nothing.
		seg = strings.TrimLeftFunc(seg, unicode.IsSpace)
		seg = strings.TrimRightFunc(seg, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
		if seg == "" || seg == "." || seg == ".." {
			continue
		}
		parts = append(parts, seg)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "/")
}

func uniqueName(used map[string]bool, name string) string {
	if name == "" || strings.HasSuffix(name, "/") {
		name += "file"
	}
	cand := name
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; used[strings.ToLower(cand)]; i++ {
		cand = stem + " (" + itoa(i) + ")" + ext
	}
	used[strings.ToLower(cand)] = true
	return cand
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
