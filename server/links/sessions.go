package links

import (
	"encoding/json"
	"time"

	"github.com/ferryhq/ferry/server/store"
)

// Session is a visitor of a link, kept under the hash of the secret in the
// link's cookie (store.PutLinkSession): for a share link one use, and
// whether the password was given; for an upload link the passcode was.
type Session struct {
	LinkID    string    `json:"link_id"`
	Share     bool      `json:"share"` // a share or review link session (not an upload link's)
	Unlocked  bool      `json:"unlocked"`
	Reviewer  string    `json:"reviewer,omitempty"` // the name a review link's visitor gave
	CreatedAt time.Time `json:"created_at"`

	Registered bool   `json:"registered,omitempty"` // gave the registration form
	Accepted   bool   `json:"accepted,omitempty"`   // accepted the clickwrap
	InviteID   string `json:"invite_id,omitempty"`  // came through this emailed invitation
	Who        string `json:"who,omitempty"`        // the name and address they registered with
}

// Visitor is who asks on a public route.
type Visitor struct {
	Session   string // the link cookie's value
	Invite    string // the invitation code in the URL, if any
	Addr      string
	UserAgent string
}

// GetSession reads the session with secret of link linkID; false when
// there is none or it belongs to another link.
func GetSession(tx *store.Tx, linkID, secret string) (Session, bool) {
	var se Session
	if !tx.GetLinkSession(secret, &se) || se.LinkID != linkID {
		return Session{}, false
	}
	return se, true
}

// EndSessions ends every visitor session of link id: after a password
// change, who unlocked with the old one must give the new one.
func EndSessions(tx *store.Tx, linkID string) error {
	var stale []string
	err := tx.Scan(store.PrefixLinkSession, func(k string, b []byte) error {
		var se Session
		if json.Unmarshal(b, &se) == nil && se.LinkID == linkID {
			stale = append(stale, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
