package share

import (
	"encoding/json"
	"errors"
	"net/mail"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	fmail "github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Invite is model.ShareRecipient, the JSON document.
type Invite = model.ShareRecipient

type inviteRecord struct {
	Invite
	Message    string   `json:"message,omitempty"`
	SenderName string   `json:"sender_name,omitempty"`
	Codes      []string `json:"codes,omitempty"` // hashes of the codes mailed, for revoking
}

// inviteCode is what a code opens: a recipient of a link, and the session
// of the browser bound to it ("" until one opens it).
type inviteCode struct {
	LinkID   string `json:"link_id"`
	InviteID string `json:"invite_id"`
	Bound    string `json:"bound,omitempty"` // hash of the bound session's secret
}

// ReissueEvery is how often a recipient whose invitation is opened in
// another browser gets a fresh one, at most.
const ReissueEvery = 5 * time.Minute

func getInvite(tx *store.Tx, linkID, id string) (inviteRecord, error) {
	var r inviteRecord
	err := tx.Get(store.PrefixShareInvite+linkID+"/"+id, &r)
	if errors.Is(err, store.ErrNotFound) {
		return r, errs.NotFoundf("invitation not found")
	}
	return r, err
}

func putInvite(tx *store.Tx, r inviteRecord) error {
	return tx.Put(store.PrefixShareInvite+r.LinkID+"/"+r.ID, r)
}

// ParseRecipients splits "a@x.com, b@y.com" (commas, semicolons, spaces or
// new lines) into addresses, refusing the whole list if one is invalid.
func ParseRecipients(to string) ([]string, error) {
	var out, bad []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(to, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		a, err := mail.ParseAddress(f)
		if err != nil || a.Address != f || !strings.Contains(f, ".") || len(f) > 254 {
			bad = append(bad, f)
			continue
		}
		if k := strings.ToLower(f); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	if len(bad) > 0 {
		return nil, errs.New(errs.Invalid, "invalid_email", "not an email address: %s", strings.Join(bad, ", "))
	}
	if len(out) == 0 || len(out) > 50 {
		return nil, errs.Invalidf("send to 1 to 50 addresses, separated by commas")
	}
	return out, nil
}

// EmailRequest is model.ShareEmail, the JSON document.
type EmailRequest = model.ShareEmail

// SendInvites emails link id to each recipient, each with a code of their own.
func (s *Service) SendInvites(v assets.Viewer, id string, r EmailRequest) ([]Invite, error) {
	to, err := ParseRecipients(r.To)
	if err != nil {
		return nil, err
	}
	msg, err := assets.CleanText("message", r.Message, 5000, false)
	if err != nil {
		return nil, err
	}
	company, err := assets.CleanText("company", r.Company, 200, true)
	if err != nil {
		return nil, err
	}
	note, err := assets.CleanText("note", r.Note, 1000, false)
	if err != nil {
		return nil, err
	}
	if s.Outbox == nil {
		return nil, errs.New(errs.Invalid, "mail_unavailable", "this server cannot send mail")
	}
	var out []Invite
	err = s.Store.Update(func(tx *store.Tx) error {
		out = nil
		l, err := s.managed(tx, v, id)
		if err != nil {
			return err
		}
		if l.Kind != KindPublic {
			return errs.Invalidf("direct download links are not sent by email; make a public link")
		}
		if err := l.open(s.now(), true); err != nil {
			return err
		}
		now := s.now()
		for _, addr := range to {
			r := inviteRecord{Invite: Invite{ID: uuid.NewString(), LinkID: l.ID, Email: addr, Company: company, Note: note,
				SentAt: now, InsertedAt: now}, Message: msg, SenderName: v.Name}
			if err := s.mailInvite(tx, l, &r, false); err != nil {
				return err
			}
			out = append(out, r.Invite)
		}
		return nil
	})
	return out, err
}

// mailInvite makes a new code for recipient r and queues its mail.
func (s *Service) mailInvite(tx *store.Tx, l Link, r *inviteRecord, reissued bool) error {
	code := secure.Base62(22)
	h := secure.HashToken(code)
	if err := tx.Put(store.PrefixInviteCode+h, inviteCode{LinkID: l.ID, InviteID: r.ID}); err != nil {
		return err
	}
	r.Codes = append(r.Codes, h)
	r.Sends++
	m, err := s.Templates.Message(fmail.KindShareLinkInvite, []fmail.Address{{Email: r.Email}}, fmail.ShareLinkInvite{
		SenderName: r.SenderName, LinkName: l.Name, Path: "/s/" + l.Key + "?invite=" + code, Message: r.Message,
		Reissued: reissued, Bound: l.AccessControl == AccessEmailed, HasPassword: l.PasswordHash != "", ExpiresAt: l.ExpiresAt})
	if err != nil {
		return err
	}
	m.Ref = l.ID
	m.Sensitive = l.AccessControl == AccessEmailed // the code is a key to the link
	if _, err := s.Outbox.Enqueue(tx, m); err != nil {
		return err
	}
	return putInvite(tx, *r)
}

// Recipients lists who link id was emailed to, newest first.
func (s *Service) Recipients(v assets.Viewer, id string) ([]Invite, error) {
	out := []Invite{}
	err := s.Store.View(func(tx *store.Tx) error {
		if _, err := s.managed(tx, v, id); err != nil {
			return err
		}
		return tx.Scan(store.PrefixShareInvite+id+"/", func(_ string, b []byte) error {
			var r inviteRecord
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			out = append(out, r.Invite)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// usedInvite is an invitation opened by a browser other than the one bound to it.
type usedInvite struct{ inviteID string }

// claimInvite handles a visitor who came with an invitation code. On a
// link with access control "emailed", the first browser binds the code:
// its session (started here when it has none; a use of the link) carries
// the invitation. Another browser gets a usedInvite back. On other links
// the code only records that the recipient opened it.
func (s *Service) claimInvite(tx *store.Tx, l *Link, se *Session, ok *bool, newSecret *string, vis Visitor) (*usedInvite, error) {
	var c inviteCode
	key := store.PrefixInviteCode + secure.HashToken(vis.Invite)
	err := tx.Get(key, &c)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.LinkID != l.ID {
		if l.AccessControl == AccessEmailed {
			return nil, errs.New(errs.Forbidden, "invitation_invalid", "this invitation is not valid for this link")
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := getInvite(tx, l.ID, c.InviteID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if r.OpenedAt == nil {
		r.OpenedAt = &now
	}
	if l.AccessControl != AccessEmailed {
		return nil, putInvite(tx, r)
	}
	switch {
	case *ok && c.Bound == secure.HashToken(vis.Session):
		return nil, putInvite(tx, r) // the bound browser again
	case c.Bound != "":
		return &usedInvite{inviteID: r.ID}, nil
	}
	secret := vis.Session
	if !*ok {
		if secret, err = s.startVisit(tx, l, now, false); err != nil {
			return nil, err
		}
		*newSecret = secret
		*se = Session{LinkID: l.ID, Share: true, CreatedAt: now}
	}
	se.InviteID, *ok = r.ID, true
	if err := s.putSession(tx, *l, secret, *se); err != nil {
		return nil, err
	}
	c.Bound = secure.HashToken(secret)
	r.Bound = true
	if err := tx.Put(key, c); err != nil {
		return nil, err
	}
	return nil, putInvite(tx, r)
}

// inviteUsed answers a second browser on an email-bound invitation, and
// mails the recipient a fresh link (at most every ReissueEvery).
func (s *Service) inviteUsed(l Link, u usedInvite, vis Visitor) error {
	err := s.Store.Update(func(tx *store.Tx) error {
		cur, err := getLink(tx, l.ID)
		if err != nil {
			return err
		}
		r, err := getInvite(tx, l.ID, u.inviteID)
		if err != nil {
			return err
		}
		now := s.now()
		if r.ReissuedAt != nil && now.Sub(*r.ReissuedAt) < ReissueEvery || s.Outbox == nil {
			return nil
		}
		r.ReissuedAt = &now
		return s.mailInvite(tx, cur, &r, true)
	})
	if err != nil && s.Log != nil {
		s.Log.Warn("reissuing an invitation failed", "link", l.ID, "err", err)
	}
	s.logAccess(l, vis, Entry{Action: "invitation_reused"})
	return errs.New(errs.Forbidden, "invitation_used", "This invitation has already been used in another browser. A new link is on its way to the address it was sent to.")
}

// deleteGate removes what visitors of link id left: registrations,
// recipients and their invitation codes.
func deleteGate(tx *store.Tx, id string) error {
	var keys []string
	for _, prefix := range []string{store.PrefixShareReg + id + "/", store.PrefixShareLog + id + "/"} {
		if err := tx.ScanKeys(prefix, func(k string) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
	}
	err := tx.Scan(store.PrefixShareInvite+id+"/", func(k string, b []byte) error {
		var r inviteRecord
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		keys = append(keys, k)
		for _, h := range r.Codes {
			keys = append(keys, store.PrefixInviteCode+h)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
