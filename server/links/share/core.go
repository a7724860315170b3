package share

import (
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// Session is links.Session, a visitor's session.
type Session = links.Session

// Visitor is links.Visitor, who asks on a public route.
type Visitor = links.Visitor

// SharingSettings is links.SharingSettings, the site's sharing settings.
type SharingSettings = links.SharingSettings

// ShareKind is the kind of share links in the key space.
const ShareKind = links.ShareKind

// hash and claimKey are the core's password hashing and key claiming
// under the names create.go calls them by.
func (s *Service) hash(pw string) (string, error) { return s.HashPassword(pw) }

func claimKey(tx *store.Tx, set SharingSettings, key, kind, id string) error {
	return links.ClaimKey(tx, set, key, kind, id)
}
