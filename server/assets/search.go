package assets

import (
	"bytes"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// SearchQuery selects assets by name among what a viewer sees.
type SearchQuery struct {
	Text      string // a case-insensitive part of the name ("" for all, within one project)
	ProjectID string // one project, or "" for every project the viewer sees
	Type      string // TypeFile, TypeFolder, TypeVersionStack or "" for all
}

// MaxSearchText bounds a search's text.
const MaxSearchText = 200

// Search lists the files, folders and version stacks whose name contains
// q.Text in the projects v sees, by name. Project roots, the versions
// inside a stack (the stack stands for them) and attachments are left out.
func (s *Service) Search(v Viewer, q SearchQuery) ([]Asset, error) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	switch {
	case text == "" && q.ProjectID == "":
		return nil, errs.Invalidf("query is required (a part of the names to find), unless a project_id narrows the search")
	case len(text) > MaxSearchText:
		return nil, errs.Invalidf("query is longer than %d bytes", MaxSearchText)
	}
	switch q.Type {
	case "", TypeFile, TypeFolder, TypeVersionStack:
	default:
		return nil, errs.Invalidf("type %q: file, folder or version_stack", q.Type)
	}
	// Names are stored as JSON; a plain query can be looked for in the
	// raw record before decoding it.
	plain := strings.Trim(text, "abcdefghijklmnopqrstuvwxyz0123456789 ._-") == ""
	out := []Asset{}
	err := s.Store.View(func(tx *store.Tx) error {
		projects := map[string]bool{}
		if q.ProjectID != "" {
			if _, err := projectFor(tx, v, q.ProjectID); err != nil {
				return err
			}
			projects[q.ProjectID] = true
		} else if err := tx.Scan(store.PrefixProject, func(_ string, b []byte) error {
			var p Project
			if err := unmarshal(b, &p); err != nil {
				return err
			}
			projects[p.ID] = v.sees(p)
			return nil
		}); err != nil {
			return err
		}
		stacks := map[string]bool{} // parent id → is a version stack
		return tx.Scan(store.PrefixAsset, func(_ string, b []byte) error {
			if plain && !bytes.Contains(bytes.ToLower(b), []byte(text)) {
				return nil
			}
			var a Asset
			if err := unmarshal(b, &a); err != nil {
				return err
			}
			if !projects[a.ProjectID] || a.ParentID == "" || a.AttachmentOf != "" ||
				(q.Type != "" && a.Type != q.Type) || !strings.Contains(strings.ToLower(a.Name), text) {
				return nil
			}
			inStack, known := stacks[a.ParentID]
			if !known {
				parent, err := getAsset(tx, a.ParentID)
				inStack = err == nil && parent.Type == TypeVersionStack
				stacks[a.ParentID] = inStack
			}
			if !inStack {
				out = append(out, a)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		ni, nj := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if ni != nj {
			return ni < nj
		}
		return out[i].ID < out[j].ID
	})
	return out, err
}
