package review

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/store"
)

// Mailer sends review-link mail: invitations to reviewers and digests of
// new feedback to owners.
type Mailer struct {
	Links     *Links
	Feedback  *feedback.Service
	Outbox    *mail.Outbox
	Templates mail.Templates
	// Owner finds a user's name and address.
	Owner func(userID string) (name, email string, ok bool)
	Log   *slog.Logger
}

// Invite sends review link id to each recipient with an optional message.
func (m *Mailer) Invite(v View, recipients []string, message string) ([]string, error) {
	if len(recipients) == 0 || len(recipients) > 50 {
		return nil, errs.Invalidf("send 1 to 50 recipients")
	}
	message = strings.TrimSpace(message)
	if utf8.RuneCountInString(message) > 5000 {
		return nil, errs.Invalidf("message is longer than 5000 characters")
	}
	var sent []string
	err := m.Links.Store.Update(func(tx *store.Tx) error {
		sent = nil
		for _, to := range recipients {
			to = strings.TrimSpace(to)
			msg, err := m.Templates.Message(mail.KindReviewLinkInvite, []mail.Address{{Email: to}}, mail.ReviewLinkInvite{
				SenderName: v.OwnerName, LinkName: v.Name, Path: "/r/" + v.Key, Message: message,
				Approvals: v.AllowApprovals, HasPassword: v.HasPassword, ExpiresAt: v.ExpiresAt})
			if err != nil {
				return err
			}
			msg.Ref = v.ID
			if _, err := m.Outbox.Enqueue(tx, msg); err != nil {
				return err
			}
			sent = append(sent, to)
		}
		return nil
	})
	return sent, err
}

// Run sends digests every interval until ctx ends.
func (m *Mailer) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		if n, err := m.Digest(); err != nil && m.Log != nil {
			m.Log.Error("review digests failed", slog.Any("err", err))
		} else if n > 0 && m.Log != nil {
			m.Log.Info("sent review digests", slog.Int("count", n))
		}
	}
}

// Digest mails each owner the feedback that arrived through their review
// links since the last digest, one mail per link, and returns how many.
func (m *Mailer) Digest() (int, error) {
	var all []Link
	if err := m.Links.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixReviewLink, func(_ string, b []byte) error {
			var r Link
			if json.Unmarshal(b, &r) == nil {
				all = append(all, r)
			}
			return nil
		})
	}); err != nil {
		return 0, err
	}
	n := 0
	now := m.Links.now()
	for _, r := range all {
		since := r.DigestedAt
		if since.IsZero() {
			since = r.InsertedAt
		}
		names := map[string]string{}
		var lines []string
		for _, sh := range m.Links.ReviewShown(r) {
			for _, v := range sh.Versions {
				names[v.ID] = v.Name
				cs, _ := m.Feedback.List(v.ID)
				for _, c := range cs {
					if c.ReviewLinkID != nil && *c.ReviewLinkID == r.ID && c.InsertedAt.After(since) && !c.InsertedAt.After(now) {
						text := c.Text
						if utf8.RuneCountInString(text) > 140 {
							text = string([]rune(text)[:140]) + "…"
						}
						verb := "commented on"
						if c.ParentID != nil {
							verb = "replied on"
						}
						lines = append(lines, fmt.Sprintf("%s %s %s: “%s”", c.AuthorName, verb, v.Name, text))
					}
				}
			}
		}
		aps, _ := m.Feedback.Approvals(r.ID)
		for _, a := range aps {
			if a.UpdatedAt.After(since) && !a.UpdatedAt.After(now) {
				lines = append(lines, fmt.Sprintf("%s %s %s", a.ReviewerName, map[string]string{
					feedback.Approved: "approved", feedback.NeedsChanges: "asked for changes to", feedback.Rejected: "rejected"}[a.Status], names[a.AssetID]))
			}
		}
		if len(lines) == 0 {
			continue
		}
		name, email, ok := m.Owner(r.OwnerID)
		err := m.Links.Store.Update(func(tx *store.Tx) error {
			cur, err := getReview(tx, r.ID)
			if err != nil {
				return nil // deleted meanwhile
			}
			if ok {
				msg, err := m.Templates.Message(mail.KindReviewDigest, []mail.Address{{Name: name, Email: email}},
					mail.ReviewDigest{OwnerName: name, LinkName: r.Name, Path: "/review-links/" + r.ID, Lines: lines})
				if err != nil {
					return err
				}
				msg.Ref = r.ID
				if _, err := m.Outbox.Enqueue(tx, msg); err != nil {
					return err
				}
			}
			cur.DigestedAt = now
			return putReview(tx, cur)
		})
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}
