package links

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Visible reads the link with id under prefix (GetByID) when v sees the
// project it belongs to (projectOf); else it is not found, the same 404
// as a link that does not exist.
func Visible[T any](tx *store.Tx, as *assets.Service, v assets.Viewer, prefix, id, what string, projectOf func(T) string) (T, error) {
	l, err := GetByID[T](tx, prefix, id, what)
	if err != nil {
		return l, err
	}
	if _, err := as.GetProject(v, projectOf(l)); err != nil {
		return l, errs.NotFoundf("%s %s not found", what, id)
	}
	return l, nil
}

// SeenProjects is the set of the projects v sees, for listing their links.
func SeenProjects(as *assets.Service, v assets.Viewer) (map[string]bool, error) {
	projects, err := as.ListProjects(v)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(projects))
	for _, p := range projects {
		seen[p.ID] = true
	}
	return seen, nil
}
