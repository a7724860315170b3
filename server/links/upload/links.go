// Package upload holds upload links: a link for an outside recipient to
// send files into a folder, with its passcode gate, its limits and its mails.
package upload

import (
	"strings"
	"sync"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/uploads"
)

// Upload link statuses. They are derived from stored facts (revoked_at,
// expires_at, the delivery of the two mails), never set by hand.
const (
	StatusPending = "pending" // the two mails are not both accepted by the SMTP server yet
	StatusActive  = "active"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

// LockAfter wrong passcodes lock a link until its owner resends the mails.
const LockAfter = 10

// passcodeLock counts wrong passcodes since the last resend or unlock (no
// window: every wrong one counts until the owner acts).
var passcodeLock = links.Lock{After: LockAfter}

// MB is the unit of the limits in the API and the app: a mebibyte, the unit
// the app shows sizes in.
const MB = 1 << 20

// Link is an upload link as stored.
type Link struct {
	ID             string     `json:"id"`
	Key            string     `json:"key"`
	ProjectID      string     `json:"project_id"`
	FolderID       string     `json:"folder_id"`
	Name           string     `json:"name"`
	RecipientEmail string     `json:"recipient_email"`
	RecipientName  string     `json:"recipient_name"`
	Message        string     `json:"message"`
	OwnerID        string     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	ExpiresAt      *time.Time `json:"expires_at"`
	MaxFiles       int        `json:"max_files"`       // 0: unlimited
	MaxFileBytes   int64      `json:"max_file_bytes"`  // 0: unlimited
	MaxTotalBytes  int64      `json:"max_total_bytes"` // 0: unlimited
	PasscodeMAC    string     `json:"passcode_mac"`
	Failures       int        `json:"failures"` // wrong passcodes since the last resend or unlock
	InviteMsgID    string     `json:"invite_msg_id"`
	PasscodeMsgID  string     `json:"passcode_msg_id"`
	RevokedAt      *time.Time `json:"revoked_at"`
	FilesReceived  int        `json:"files_received"`
	BytesReceived  int64      `json:"bytes_received"`
	ReservedFiles  int        `json:"reserved_files"` // uploads under way
	ReservedBytes  int64      `json:"reserved_bytes"`
	InsertedAt     time.Time  `json:"inserted_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// View is model.UploadLink, the JSON document.
type View = model.UploadLink

// Stats is model.UploadLinkStats, the JSON document.
type Stats = model.UploadLinkStats

// Received is model.UploadReceived, the JSON document.
type Received = model.UploadReceived

// Public is model.PublicUploadLink, the JSON document.
type Public = model.PublicUploadLink

// NewLink is model.NewUploadLink, the JSON document.
type NewLink = model.NewUploadLink

// Filter narrows a listing: a project, a status and a search text.
type Filter struct {
	ProjectID string
	Status    string // "", "all" or a status
	Query     string
}

// Links owns upload links: creation with the two invitation mails,
// passcode unlocks and their sessions, the limits every upload through a
// link is checked against (as the assets ledger), resend and revoke.
type Links struct {
	*links.Core // store, clock, the throttle of the passcode gate
	Assets      *assets.Service
	Uploads     *uploads.Service
	Outbox      *mail.Outbox
	Templates   mail.Templates
	Secret      []byte
	PublicURL   string

	mu    sync.Mutex
	stops map[string]chan struct{} // closed when a link is revoked: running PATCHes stop
}

func (l *Links) now() time.Time { return l.Time() }

// Stop is closed when link id is revoked.
func (l *Links) Stop(id string) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stops == nil {
		l.stops = map[string]chan struct{}{}
	}
	ch, ok := l.stops[id]
	if !ok {
		ch = make(chan struct{})
		l.stops[id] = ch
	}
	return ch
}

func (l *Links) stop(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ch, ok := l.stops[id]; ok {
		close(ch)
		delete(l.stops, id)
	}
}

// gate is the core's gate in front of the passcode: the throttle per link
// and client address, and the lock.
func (l *Links) gate() links.Gate {
	return links.Gate{Throttle: l.Throttle, Name: "upload-link", What: "passcodes", Lock: passcodeLock}
}

func (l *Links) passcodeMAC(linkID, passcode string) string {
	return secure.HMAC(l.Secret, "upload-link-passcode\x00"+linkID+"\x00"+passcode)
}

func getLink(tx *store.Tx, id string) (Link, error) {
	return links.GetByID[Link](tx, store.PrefixUploadLink, id, "upload link")
}

func putLink(tx *store.Tx, k Link) error { return tx.Put(store.PrefixUploadLink+k.ID, k) }

// byKey finds the upload link with key; unknown keys are "not found".
func byKey(tx *store.Tx, key string) (Link, error) {
	return links.ByKey[Link](tx, key, links.UploadKind, store.PrefixUploadLink, "upload link", errs.NotFoundf("this link does not exist"))
}

// status derives a link's status at now; delivered says whether both of
// its current mails were accepted by the SMTP server.
func (k Link) status(now time.Time, delivered bool) string {
	switch {
	case k.RevokedAt != nil:
		return StatusRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return StatusExpired
	case !delivered:
		return StatusPending
	}
	return StatusActive
}

// open checks that uploads may go through k now.
func (k Link) open(now time.Time) error {
	if k.RevokedAt != nil {
		return errs.New(errs.Gone, "link_revoked", "this upload link was revoked by its owner; files already sent are safe with them")
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return errs.New(errs.Gone, "link_expired", "this upload link expired on %s; files already sent are safe with the sender",
			k.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC"))
	}
	return nil
}

func (k Link) locked() bool { return passcodeLock.Locks(k.Failures) }

// URL is the recipient's address of the link.
func (l *Links) URL(key string) string { return strings.TrimRight(l.PublicURL, "/") + "/u/" + key }

// mailsOf reads the outbox messages a link queued (one scan of its
// reference), by message ID.
func mailsOf(tx *store.Tx, ref string) map[string]mail.Message {
	out := map[string]mail.Message{}
	msgs, err := mail.ByRefTx(tx, ref)
	if err != nil {
		return out
	}
	for _, m := range msgs {
		out[m.ID] = m
	}
	return out
}

// mailError is why a link's mails are not delivered: the last error of
// the first of them that is not, "" when none failed an attempt.
func mailError(msgs ...mail.Message) string {
	for _, m := range msgs {
		if m.Status != mail.StatusDelivered && m.LastError != "" {
			return m.LastError
		}
	}
	return ""
}

func (l *Links) view(tx *store.Tx, k Link, now time.Time) View {
	v := View{ID: k.ID, Key: k.Key, URL: l.URL(k.Key), ProjectID: k.ProjectID, FolderID: k.FolderID, Name: k.Name,
		RecipientEmail: k.RecipientEmail, RecipientName: k.RecipientName, Message: k.Message, OwnerID: k.OwnerID,
		OwnerName: k.OwnerName, ExpiresAt: k.ExpiresAt, Locked: k.locked(), FilesReceived: k.FilesReceived,
		BytesReceived: k.BytesReceived, UploadsActive: k.ReservedFiles, RevokedAt: k.RevokedAt,
		InsertedAt: k.InsertedAt, UpdatedAt: k.UpdatedAt}
	if k.MaxFiles > 0 {
		v.MaxFiles = &k.MaxFiles
	}
	if k.MaxFileBytes > 0 {
		mb := k.MaxFileBytes / MB
		v.MaxFileMB = &mb
	}
	if k.MaxTotalBytes > 0 {
		mb := k.MaxTotalBytes / MB
		v.MaxTotalMB = &mb
	}
	var p assets.Project
	if err := tx.Get(store.PrefixProject+k.ProjectID, &p); err == nil {
		v.ProjectName = p.Name
	}
	var f assets.Asset
	if err := tx.Get(store.PrefixAsset+k.FolderID, &f); err == nil {
		v.FolderName = f.Name
	}
	msgs := mailsOf(tx, k.ID)
	invite, code := msgs[k.InviteMsgID], msgs[k.PasscodeMsgID]
	v.InviteEmail, v.PasscodeEmail = invite.Status, code.Status
	v.MailError = mailError(invite, code)
	v.SetupComplete = v.InviteEmail == mail.StatusDelivered && v.PasscodeEmail == mail.StatusDelivered
	v.Status = k.status(now, v.SetupComplete)
	return v
}

func limitMB(what string, v *int64) (int64, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 1 || *v > 1<<33 {
		return 0, errs.Invalidf("%s must be a whole number of MB from 1 up, or null for unlimited", what)
	}
	return *v * MB, nil
}
