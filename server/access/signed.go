package access

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
)

// Signed checks a signed URL when it is used: the user it was made for
// (its signer) must still exist, be enabled and may still do act on asset
// id. A URL outlives nobody's rights: it works until it expires or until
// its signer loses access, whichever comes first.
func (p *Policy) Signed(signerID, id string, act Action, what string) error {
	u, err := auth.LookupUser(p.Store, signerID)
	if err != nil || u.Disabled || signerID == "" {
		return errs.New(errs.Forbidden, "signer_gone", "the account this URL was made for no longer exists or is disabled")
	}
	return p.Member(assets.Viewer{UserID: u.ID, Name: u.Name, Admin: u.IsAdmin()}, id, act, what)
}
