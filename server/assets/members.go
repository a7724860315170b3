package assets

import (
	"slices"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// SetMember adds userID to project id's members (member true) or removes
// it, in one transaction so concurrent changes are not lost. Only the
// project's owner and admins change members; the owner is not a member
// to add or remove.
func (s *Service) SetMember(v Viewer, id, userID string, member bool) (Project, error) {
	var p Project
	err := s.Store.Update(func(tx *store.Tx) (err error) {
		if p, err = projectFor(tx, v, id); err != nil {
			return err
		}
		if !v.Admin && p.OwnerID != v.UserID {
			return errs.Forbiddenf("only the project owner or an admin may change its members")
		}
		if userID == p.OwnerID {
			return errs.Invalidf("the project's owner is always a collaborator")
		}
		has := slices.Contains(p.MemberIDs, userID)
		switch {
		case member && !has:
			p.MemberIDs = append(slices.Clone(p.MemberIDs), userID)
		case !member && has:
			p.MemberIDs = slices.DeleteFunc(slices.Clone(p.MemberIDs), func(m string) bool { return m == userID })
		default:
			return nil
		}
		p.UpdatedAt = s.now()
		return tx.Put(store.PrefixProject+id, p)
	})
	return p, err
}
