package access

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// ManageGroups checks that v may create, rename, fill and delete groups
// and set folder permissions: admins only (a token also needs the users
// scopes, checked before).
func ManageGroups(v assets.Viewer) error {
	if !v.Admin {
		return errs.New(errs.Forbidden, "not_admin", "only admins manage groups and folder permissions")
	}
	return nil
}
