package links

import (
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/store"
)

// VisitorSession, which Unlock and every share and review route read a
// visitor's session with, gives a session only to the link it was made
// for, and never an upload link recipient's session to a password link.
func TestVisitorSessionBelongsToOneLink(t *testing.T) {
	st := openStore(t)
	now := time.Now()
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.PutLinkSession("visitor-of-a", Session{LinkID: "a", Share: true, Unlocked: true, CreatedAt: now}, nil, now); err != nil {
			return err
		}
		return tx.PutLinkSession("recipient-of-b", Session{LinkID: "b", CreatedAt: now}, nil, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what, link, secret string
		want               bool
	}{
		{"its own link", "a", "visitor-of-a", true},
		{"another link", "b", "visitor-of-a", false},
		{"an upload link recipient's session", "b", "recipient-of-b", false},
		{"a made-up secret", "a", "made-up", false},
		{"no secret", "a", "", false},
	} {
		st.View(func(tx *store.Tx) error {
			se, ok := VisitorSession(tx, tc.link, tc.secret)
			if ok != tc.want || ok && (se.LinkID != tc.link || !se.Unlocked) {
				t.Errorf("%s: %+v %v, want a session: %v", tc.what, se, ok, tc.want)
			}
			return nil
		})
	}
}
