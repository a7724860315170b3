package access

import "github.com/ferryhq/ferry/server/assets"

// ProjectPhotos decides whose faces member (or admin) v may see in project
// projectID: it checks v sees the project (a 404 otherwise, as for the
// project itself) and keeps the photos among ids that are in it and that v
// may look at (Preview, under v's folder privileges). The People view of
// a project, and every change to its people, act on those photos only.
func (p *Policy) ProjectPhotos(v assets.Viewer, projectID string, ids []string) ([]string, error) {
	if _, err := p.Assets.GetProject(v, projectID); err != nil {
		return nil, err
	}
	byFolder := map[string]bool{} // privileges are per folder
	out := []string{}
	for _, id := range ids {
		a, err := p.Assets.GetAsset(v, id)
		if err != nil || a.ProjectID != projectID || a.Type != assets.TypeFile {
			continue
		}
		ok, seen := byFolder[a.ParentID]
		if !seen {
			r, err := p.Assets.RightsOf(v, a)
			ok = err == nil && r.Allows(Level(Preview))
			byFolder[a.ParentID] = ok
		}
		if ok {
			out = append(out, id)
		}
	}
	return out, nil
}
