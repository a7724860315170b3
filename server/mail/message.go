// Package mail is Ferry's outgoing email: a durable outbox in Badger that
// callers write in the same transaction as the action causing the mail, a
// sender that delivers it over SMTP in the background with retries and
// backoff, and the templates every mail is rendered with.
//
// A mail's life: Enqueue (status queued) → the sender claims it (sending,
// written to Badger before the SMTP conversation starts) → the SMTP server
// accepts the DATA (delivered) or refuses it for good, or the last retry
// fails (failed). Callers learn the state with ByRef.
//
// A feature sends mail by rendering a template and enqueueing the message
// in the transaction that does its own write:
//
//	msg, err := sender.Templates().Message(mail.KindUploadLinkInvite,
//		[]mail.Address{{Name: link.RecipientName, Email: link.RecipientEmail}},
//		mail.UploadLinkInvite{SenderName: u.Name, LinkName: link.Name, Path: "/u/" + link.Key, ...})
//	msg.Ref = link.ID
//	err = st.Update(func(tx *store.Tx) error {
//		// ... write the link ...
//		_, err := outbox.Enqueue(tx, msg)
//		return err
//	})
//
// and later reads the delivery state with outbox.ByRef(link.ID) and
// mail.Delivered.
package mail

import (
	"net/mail"
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
)

// Statuses of a message.
const (
	StatusQueued    = "queued"    // waiting for its (next) attempt
	StatusSending   = "sending"   // an SMTP conversation is under way
	StatusDelivered = "delivered" // the SMTP server accepted it
	StatusFailed    = "failed"    // refused for good, or out of retries; see LastError
)

// Statuses lists every status, in the order the app shows them.
var Statuses = []string{StatusQueued, StatusSending, StatusDelivered, StatusFailed}

// MaxRecipients bounds the To list of one message.
const MaxRecipients = 50

// Address is model.MailAddress, the JSON document.
type Address = model.MailAddress

// Message is model.OutboxMessage, the JSON document.
type Message = model.OutboxMessage

// Delivered reports whether every message in msgs was delivered (and
// there is at least one): what an upload link needs to be "set up".
func Delivered(msgs []Message) bool {
	for _, m := range msgs {
		if m.Status != StatusDelivered {
			return false
		}
	}
	return len(msgs) > 0
}

// ParseAddress checks one recipient address and returns it in canonical
// form. The error names the address.
func ParseAddress(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", errs.Invalidf("the recipient address is empty")
	}
	if hasLineBreak(email) {
		return "", errs.Invalidf("recipient address %q contains a line break", email)
	}
	a, err := mail.ParseAddress(email)
	// A bare address only: "Name <x@y>" or a group would smuggle a name in.
	if err != nil || a.Name != "" || a.Address != email {
		return "", errs.Invalidf("%q is not a valid email address", email)
	}
	if at := strings.LastIndexByte(a.Address, '@'); at < 1 || at == len(a.Address)-1 {
		return "", errs.Invalidf("%q is not a valid email address", email)
	}
	return a.Address, nil
}

// validate checks what a caller hands to Enqueue and normalises it.
func validate(m *Message) error {
	if len(m.To) == 0 {
		return errs.Invalidf("a mail needs at least one recipient")
	}
	if len(m.To) > MaxRecipients {
		return errs.Invalidf("a mail may have at most %d recipients, not %d", MaxRecipients, len(m.To))
	}
	for i := range m.To {
		a := &m.To[i]
		email, err := ParseAddress(a.Email)
		if err != nil {
			return err
		}
		a.Email = email
		a.Name = strings.TrimSpace(a.Name)
		if hasLineBreak(a.Name) || hasControl(a.Name) {
			return errs.Invalidf("the name of recipient %s contains a line break or control character", email)
		}
		if len(a.Name) > 200 {
			return errs.Invalidf("the name of recipient %s is longer than 200 bytes", email)
		}
	}
	m.Subject = strings.TrimSpace(m.Subject)
	if m.Subject == "" {
		return errs.Invalidf("the subject is empty")
	}
	if hasLineBreak(m.Subject) || hasControl(m.Subject) {
		return errs.Invalidf("the subject must be one line; it contains a line break or control character")
	}
	if len(m.Subject) > 400 {
		return errs.Invalidf("the subject is longer than 400 bytes")
	}
	if strings.TrimSpace(m.Text) == "" {
		return errs.Invalidf("the text part is empty; every mail has one")
	}
	if m.Kind == "" {
		m.Kind = "message"
	}
	if hasLineBreak(m.Kind) || hasLineBreak(m.Ref) || len(m.Ref) > 200 {
		return errs.Invalidf("kind and ref must be one short line")
	}
	return nil
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
}

// DeliveryError is an SMTP delivery that did not succeed; its text is
// what the SMTP server (or the network) said.
type DeliveryError struct {
	Stage     string // "connect", "tls", "auth", "mail", "rcpt", "data"
	Err       error
	Permanent bool // the server refused the message for good (5xx on RCPT or DATA)
}

func (e *DeliveryError) Error() string { return e.Err.Error() }

func (e *DeliveryError) Unwrap() error { return e.Err }

// formatAddress is the address as a header writes it, the name RFC 2047-encoded
// when it is not ASCII.
func formatAddress(a Address) string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}
