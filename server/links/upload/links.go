package uploads

import (
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
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

type linkSession struct {
	LinkID    string    `json:"link_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Links owns upload links: creation with the two invitation mails,
// passcode unlocks and their sessions, the limits every upload through a
// link is checked against (as the assets ledger), resend and revoke.
type Links struct {
	Store     *store.Store
	Assets    *assets.Service
	Uploads   *Service
	Outbox    *mail.Outbox
	Templates mail.Templates
	Secret    []byte
	PublicURL string
	// Throttle counts wrong passcodes per link and client address.
	Throttle *auth.Throttle
	Now      func() time.Time
	Log      *slog.Logger

	mu    sync.Mutex
	stops map[string]chan struct{} // closed when a link is revoked: running PATCHes stop
}

func (l *Links) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

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

func (l *Links) passcodeMAC(linkID, passcode string) string {
	return secure.HMAC(l.Secret, "upload-link-passcode\x00"+linkID+"\x00"+passcode)
}

func getLink(tx *store.Tx, id string) (Link, error) {
	var k Link
	if _, err := uuid.Parse(id); err != nil {
		return k, errs.NotFoundf("upload link %s not found", id)
	}
	err := tx.Get(store.PrefixUploadLink+id, &k)
	if errors.Is(err, store.ErrNotFound) {
		return k, errs.NotFoundf("upload link %s not found", id)
	}
	return k, err
}

func putLink(tx *store.Tx, k Link) error { return tx.Put(store.PrefixUploadLink+k.ID, k) }

// byKey finds the upload link with key; unknown keys are "not found".
func byKey(tx *store.Tx, key string) (Link, error) {
	e, ok, err := tx.GetLinkKey(key)
	if err != nil {
		return Link{}, err
	}
	if !ok || e.Kind != "upload" {
		return Link{}, errs.NotFoundf("this link does not exist")
	}
	return getLink(tx, e.ID)
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

func (k Link) locked() bool { return k.Failures >= LockAfter }

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

// Create makes an upload link in a project v can see and queues its two
// mails (the URL with the message, and the passcode) in the same
// transaction. The answer holds the passcode; it is not stored.
func (l *Links) Create(v assets.Viewer, r NewLink) (View, error) {
	now := l.now()
	k := Link{ID: uuid.NewString(), Key: secure.LinkKey(), OwnerID: v.UserID, OwnerName: v.Name, InsertedAt: now, UpdatedAt: now}
	if strings.TrimSpace(r.ProjectID) == "" {
		return View{}, errs.Invalidf("project_id is required")
	}
	project, err := l.Assets.GetProject(v, r.ProjectID)
	if err != nil {
		return View{}, err
	}
	k.ProjectID = project.ID
	if k.RecipientEmail, err = assets.CleanText("recipient_email", r.RecipientEmail, 254, true); err != nil {
		return View{}, err
	}
	if k.RecipientEmail == "" {
		return View{}, errs.Invalidf("recipient_email is required: the link and its passcode are sent there")
	}
	if a, err := netmail.ParseAddress(k.RecipientEmail); err != nil || a.Address != k.RecipientEmail || !strings.Contains(a.Address, "@") {
		return View{}, errs.Invalidf("recipient_email %q is not an email address", k.RecipientEmail)
	}
	if k.RecipientName, err = assets.CleanText("recipient_name", r.RecipientName, 200, true); err != nil {
		return View{}, err
	}
	if k.Name, err = assets.CleanText("name", r.Name, 200, true); err != nil {
		return View{}, err
	}
	if k.Name == "" {
		who := k.RecipientName
		if who == "" {
			who = k.RecipientEmail
		}
		k.Name = "Upload from " + who
	}
	if k.Message, err = assets.CleanText("message", r.Message, 5000, false); err != nil {
		return View{}, err
	}
	switch {
	case r.ExpiresInDays != nil && r.ExpiresAt != nil:
		return View{}, errs.Invalidf("send expires_in_days or expires_at, not both")
	case r.ExpiresInDays != nil:
		d := *r.ExpiresInDays
		if d < 1 || d > 3650 {
			return View{}, errs.Invalidf("expires_in_days must be 1 to 3650 (7, 14, 30 or 90 in the app), or null for never")
		}
		at := now.Add(time.Duration(d) * 24 * time.Hour)
		k.ExpiresAt = &at
	case r.ExpiresAt != nil:
		at := r.ExpiresAt.UTC()
		if !at.After(now) {
			return View{}, errs.Invalidf("expires_at %s is in the past", at.Format(time.RFC3339))
		}
		if at.After(now.AddDate(10, 0, 0)) {
			return View{}, errs.Invalidf("expires_at is more than ten years away; choose never instead")
		}
		k.ExpiresAt = &at
	}
	if r.MaxFiles != nil {
		if *r.MaxFiles < 1 || *r.MaxFiles > 1_000_000 {
			return View{}, errs.Invalidf("max_files must be a whole number from 1 to 1000000, or null for unlimited")
		}
		k.MaxFiles = *r.MaxFiles
	}
	if k.MaxFileBytes, err = limitMB("max_file_mb", r.MaxFileMB); err != nil {
		return View{}, err
	}
	if k.MaxTotalBytes, err = limitMB("max_total_mb", r.MaxTotalMB); err != nil {
		return View{}, err
	}
	if k.MaxFileBytes > 0 && k.MaxTotalBytes > 0 && k.MaxFileBytes > k.MaxTotalBytes {
		return View{}, errs.Invalidf("max_file_mb (%d) is larger than max_total_mb (%d)", k.MaxFileBytes/MB, k.MaxTotalBytes/MB)
	}
	if r.FolderID != "" {
		f, err := l.Assets.GetAsset(v, r.FolderID)
		if err != nil || f.Type != assets.TypeFolder || f.ProjectID != project.ID || f.UploadStatus != "" {
			return View{}, errs.Invalidf("folder_id %s is not a folder of project %s", r.FolderID, project.Name)
		}
		if err := access.New(l.Store, l.Assets).Member(v, f.ID, access.Upload, "an upload link into this folder"); err != nil {
			return View{}, err
		}
		k.FolderID = f.ID
	} else {
		// The link's folder is made in the project's root.
		if err := access.New(l.Store, l.Assets).Member(v, project.RootAssetID, access.Upload, "an upload link into the project's root"); err != nil {
			return View{}, err
		}
		name, err := assets.CleanName("folder", k.Name)
		if err != nil {
			name = "Upload link " + now.Format("2006-01-02 15.04")
		}
		if k.FolderID, err = l.Assets.EnsureFolders(v, project.RootAssetID, []string{name}); err != nil {
			return View{}, err
		}
	}
	passcode := secure.Digits(6)
	k.PasscodeMAC = l.passcodeMAC(k.ID, passcode)
	var out View
	err = l.Store.Update(func(tx *store.Tx) error {
		if err := l.sendMails(tx, &k, passcode); err != nil {
			return err
		}
		if err := tx.PutLinkKey(k.Key, "upload", k.ID); err != nil {
			return err
		}
		if err := putLink(tx, k); err != nil {
			return err
		}
		out = l.view(tx, k, now)
		return nil
	})
	out.Passcode = passcode
	return out, err
}

// sendMails queues the invitation (URL and message, no passcode) and the
// passcode mail (no URL) for k and records their IDs on k.
func (l *Links) sendMails(tx *store.Tx, k *Link, passcode string) error {
	to := []mail.Address{{Name: k.RecipientName, Email: k.RecipientEmail}}
	invite, err := l.Templates.Message(mail.KindUploadLinkInvite, to, mail.UploadLinkInvite{
		RecipientName: k.RecipientName, SenderName: k.OwnerName, LinkName: k.Name, Path: "/u/" + k.Key,
		Message: k.Message, ExpiresAt: k.ExpiresAt})
	if err != nil {
		return err
	}
	code, err := l.Templates.Message(mail.KindUploadLinkPasscode, to, mail.UploadLinkPasscode{
		RecipientName: k.RecipientName, SenderName: k.OwnerName, LinkName: k.Name, Passcode: passcode, ExpiresAt: k.ExpiresAt})
	if err != nil {
		return err
	}
	invite.Ref, code.Ref = k.ID, k.ID
	m1, err := l.Outbox.Enqueue(tx, invite)
	if err != nil {
		return err
	}
	m2, err := l.Outbox.Enqueue(tx, code)
	if err != nil {
		return err
	}
	k.InviteMsgID, k.PasscodeMsgID = m1.ID, m2.ID
	return nil
}

// visible loads link id if v may see its project.
func (l *Links) visible(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	k, err := getLink(tx, id)
	if err != nil {
		return k, err
	}
	if _, err := l.Assets.GetProject(v, k.ProjectID); err != nil {
		return k, errs.NotFoundf("upload link %s not found", id)
	}
	return k, nil
}

// managed loads link id if v manages it: its creator, the project's owner
// or an admin (see access.MayManageLink).
func (l *Links) managed(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	k, err := l.visible(tx, v, id)
	if err != nil {
		return k, err
	}
	return k, access.New(l.Store, l.Assets).ManageLink(v, k.OwnerID, k.OwnerName, k.ProjectID)
}

// redact takes out what only a link's managers see: its key (the way in)
// and the recipient's address.
func redact(v View) View {
	v.Key, v.URL, v.RecipientEmail = "", "", ""
	return v
}

// viewFor is k as v sees it: whole for its managers, redacted for other
// members of the project.
func (l *Links) viewFor(tx *store.Tx, v assets.Viewer, k Link) View {
	out := l.view(tx, k, l.now())
	if !access.New(l.Store, l.Assets).MayManageLink(v, k.OwnerID, k.ProjectID) {
		out = redact(out)
	}
	return out
}

// Get returns link id as v sees it (see viewFor).
func (l *Links) Get(v assets.Viewer, id string) (View, error) {
	var out View
	err := l.Store.View(func(tx *store.Tx) error {
		k, err := l.visible(tx, v, id)
		if err != nil {
			return err
		}
		out = l.viewFor(tx, v, k)
		return nil
	})
	return out, err
}

func (f Filter) check() error {
	switch f.Status {
	case "", "all", StatusPending, StatusActive, StatusExpired, StatusRevoked:
		return nil
	}
	return errs.Invalidf("status must be all, active, pending, expired or revoked")
}

// List returns the links of the projects v can see that match f, newest first.
func (l *Links) List(v assets.Viewer, f Filter) ([]View, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if f.ProjectID != "" {
		if _, err := l.Assets.GetProject(v, f.ProjectID); err != nil {
			return nil, err
		}
	}
	projects, err := l.Assets.ListProjects(v)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range projects {
		seen[p.ID] = true
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	now := l.now()
	policy := access.New(l.Store, l.Assets)
	out := []View{}
	err = l.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixUploadLink, func(_ string, b []byte) error {
			var k Link
			if err := jsonUnmarshal(b, &k); err != nil {
				return err
			}
			if !seen[k.ProjectID] || f.ProjectID != "" && k.ProjectID != f.ProjectID {
				return nil
			}
			if q != "" && !strings.Contains(strings.ToLower(k.Name), q) && !strings.Contains(strings.ToLower(k.RecipientEmail), q) &&
				!strings.Contains(strings.ToLower(k.RecipientName), q) {
				return nil
			}
			vw := l.view(tx, k, now)
			if !policy.MayManageLink(v, k.OwnerID, k.ProjectID) {
				vw = redact(vw)
			}
			if f.Status != "" && f.Status != "all" && vw.Status != f.Status {
				return nil
			}
			out = append(out, vw)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// Summarize computes the stat cards of links: Expiring Soon counts active
// and pending links that expire within seven days.
func (l *Links) Summarize(links []View) Stats {
	now := l.now()
	var s Stats
	for _, v := range links {
		s.TotalLinks++
		s.FilesReceived += v.FilesReceived
		s.BytesReceived += v.BytesReceived
		if (v.Status == StatusActive || v.Status == StatusPending) && v.ExpiresAt != nil && v.ExpiresAt.Sub(now) <= 7*24*time.Hour {
			s.ExpiringSoon++
		}
	}
	return s
}

// Resend queues both mails again with a new passcode; the old passcode
// stops working and a locked link unlocks. Sessions already unlocked stay
// valid, so a recipient in the middle of an upload is not cut off.
func (l *Links) Resend(v assets.Viewer, id string) (View, error) {
	passcode := secure.Digits(6)
	var out View
	err := l.Store.Update(func(tx *store.Tx) error {
		k, err := l.managed(tx, v, id)
		if err != nil {
			return err
		}
		now := l.now()
		if err := k.open(now); err != nil {
			return errs.New(errs.Conflict, "link_closed", "%s links cannot be resent; create a new link", k.status(now, false))
		}
		k.PasscodeMAC = l.passcodeMAC(k.ID, passcode)
		k.Failures = 0
		k.UpdatedAt = now
		if err := l.sendMails(tx, &k, passcode); err != nil {
			return err
		}
		if err := putLink(tx, k); err != nil {
			return err
		}
		out = l.view(tx, k, now)
		return nil
	})
	out.Passcode = passcode
	return out, err
}

// Revoke closes link id for good: running uploads through it stop, and
// unfinished ones are removed; files that arrived stay in the project.
func (l *Links) Revoke(v assets.Viewer, id string) error {
	err := l.Store.Update(func(tx *store.Tx) error {
		k, err := l.managed(tx, v, id)
		if err != nil {
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		now := l.now()
		k.RevokedAt, k.UpdatedAt = &now, now
		return putLink(tx, k)
	})
	if err != nil {
		return err
	}
	l.stop(id)
	pending, err := l.Assets.PendingOfLink(id)
	if err != nil {
		return err
	}
	for _, up := range pending {
		l.Uploads.discard(up.ID)
	}
	return nil
}

// Public returns what the recipient's page shows of the link with key;
// session is the link cookie's value, if any.
func (l *Links) Public(key, session string) (Public, error) {
	var out Public
	err := l.Store.View(func(tx *store.Tx) error {
		k, err := byKey(tx, key)
		if err != nil {
			return err
		}
		if err := k.open(l.now()); err != nil {
			return err
		}
		out = l.public(tx, k, l.sessionOK(tx, k, session))
		return nil
	})
	return out, err
}

func (l *Links) public(tx *store.Tx, k Link, unlocked bool) Public {
	p := Public{Kind: "upload", Key: k.Key, SiteName: l.Templates.SiteName, Name: k.Name, SenderName: k.OwnerName, RecipientName: k.RecipientName,
		Message: k.Message, ExpiresAt: k.ExpiresAt, Unlocked: unlocked, FilesReceived: k.FilesReceived,
		BytesReceived: k.BytesReceived, Files: []Received{}}
	var pr assets.Project
	if err := tx.Get(store.PrefixProject+k.ProjectID, &pr); err == nil {
		p.ProjectName = pr.Name
	}
	if k.MaxFiles > 0 {
		p.MaxFiles = &k.MaxFiles
	}
	if k.MaxFileBytes > 0 {
		p.MaxFileBytes = &k.MaxFileBytes
	}
	if k.MaxTotalBytes > 0 {
		p.MaxTotalBytes = &k.MaxTotalBytes
	}
	if unlocked {
		prefix := store.PrefixUploadLinkFile + k.ID + "/"
		tx.Scan(prefix, func(_ string, b []byte) error {
			var r Received
			if jsonUnmarshal(b, &r) == nil {
				p.Files = append(p.Files, r)
			}
			return nil
		})
		sort.SliceStable(p.Files, func(i, j int) bool { return p.Files[i].InsertedAt.Before(p.Files[j].InsertedAt) })
	}
	return p
}

var passcodePattern = regexp.MustCompile(`^[0-9]{6}$`)

// Unlock checks a passcode for the link with key from addr. A right one
// returns a session secret for the link's cookie. Wrong ones are
// throttled per link and address, and the link locks after LockAfter of
// them until its owner resends the mails.
func (l *Links) Unlock(key, passcode, addr string) (string, Public, error) {
	passcode = strings.TrimSpace(strings.ReplaceAll(passcode, " ", ""))
	if !passcodePattern.MatchString(passcode) {
		return "", Public{}, errs.Invalidf("the passcode is the 6 digits from the second email")
	}
	var k Link
	if err := l.Store.View(func(tx *store.Tx) (err error) {
		k, err = byKey(tx, key)
		return err
	}); err != nil {
		return "", Public{}, err
	}
	throttleKey := "upload-link|" + k.ID + "|" + addr
	// The attempt is booked before the check, so parallel wrong passcodes
	// from one address get no more tries than the throttle allows.
	var attempt *auth.Attempt
	if l.Throttle != nil {
		var wait time.Duration
		if attempt, wait = l.Throttle.Reserve(throttleKey); attempt == nil {
			e := errs.New(errs.Throttled, "too_many_attempts", "too many wrong passcodes; try again in %s", wait.Round(time.Second))
			e.RetryAfter = wait
			return "", Public{}, e
		}
	}
	secret := secure.Token()
	var pub Public
	var verdict error
	err := l.Store.Update(func(tx *store.Tx) error {
		verdict = nil
		k, err := byKey(tx, key)
		if err != nil {
			return err
		}
		now := l.now()
		if err := k.open(now); err != nil {
			return err
		}
		if k.locked() {
			return errs.New(errs.Locked, "link_locked", "this link is locked after %d wrong passcodes; ask %s to resend the emails for a new passcode", LockAfter, k.OwnerName)
		}
		if !secure.Equal(k.PasscodeMAC, l.passcodeMAC(k.ID, passcode)) {
			k.Failures++
			k.UpdatedAt = now
			left := LockAfter - k.Failures
			if left <= 0 {
				verdict = errs.New(errs.Locked, "link_locked", "wrong passcode; the link is now locked after %d wrong passcodes; ask %s to resend the emails", LockAfter, k.OwnerName)
			} else {
				verdict = errs.New(errs.Unauthorized, "wrong_passcode", "wrong passcode; %d more tries before the link locks", left)
			}
			return putLink(tx, k) // the failure is stored; the caller gets verdict
		}
		k.Failures = 0
		k.UpdatedAt = now
		if err := putLink(tx, k); err != nil {
			return err
		}
		if err := tx.PutLinkSession(secret, linkSession{LinkID: k.ID, CreatedAt: now}, k.ExpiresAt, now); err != nil {
			return err
		}
		pub = l.public(tx, k, true)
		return nil
	})
	if attempt != nil {
		switch {
		case err != nil:
			attempt.Release()
		case verdict != nil:
			attempt.Fail()
		default:
			attempt.Succeed(throttleKey)
		}
	}
	if err != nil {
		return "", Public{}, err
	}
	if verdict != nil {
		return "", Public{}, verdict
	}
	return secret, pub, nil
}

func (l *Links) sessionOK(tx *store.Tx, k Link, session string) bool {
	var s linkSession
	return tx.GetLinkSession(session, &s) && s.LinkID == k.ID
}

// Policy is the upload policy of a recipient holding session for the link
// with key: uploads go into the link's folder, as the recipient, within
// the link's limits (checked again, atomically, by the ledger).
func (l *Links) Policy(key, session string) (Policy, error) {
	var k Link
	err := l.Store.View(func(tx *store.Tx) error {
		var err error
		if k, err = byKey(tx, key); err != nil {
			return err
		}
		if err := k.open(l.now()); err != nil {
			return err
		}
		if !l.sessionOK(tx, k, session) {
			return errs.New(errs.Unauthorized, "passcode_required", "enter the link's passcode first")
		}
		return nil
	})
	if err != nil {
		return Policy{}, err
	}
	// Never more than its creator may do now: upload access to the folder.
	if f, err := l.Assets.GetAsset(assets.Viewer{Admin: true}, k.FolderID); err == nil {
		c := access.New(l.Store, l.Assets).Creator(k.OwnerID)
		if err := c.Act(access.Grant{Upload: true}, f, access.Upload); err != nil {
			return Policy{}, err
		}
	}
	who := k.RecipientName
	if who == "" {
		who = k.RecipientEmail
	}
	return Policy{
		Viewer:   assets.Viewer{UserID: "link:" + k.ID, Name: who + " via upload link " + k.Name, ProjectID: k.ProjectID},
		ParentID: k.FolderID,
		LinkID:   k.ID,
		MaxSize:  k.MaxFileBytes,
		Stop:     l.Stop(k.ID),
	}, nil
}

// Reserve implements assets.UploadLedger: it refuses an upload that would
// break the link's limits and otherwise books it, inside the transaction
// that records the upload, so parallel uploads can never together pass a
// limit (the link record is read and written, so Badger serializes them).
func (l *Links) Reserve(tx *store.Tx, u assets.Upload) error {
	k, err := getLink(tx, u.LinkID)
	if err != nil {
		return err
	}
	if err := k.open(l.now()); err != nil {
		return err
	}
	if k.MaxFileBytes > 0 && u.Size > k.MaxFileBytes {
		return errs.New(errs.TooLarge, "file_too_large", "%s is %s; this link accepts files up to %s", u.Name, human(u.Size), human(k.MaxFileBytes))
	}
	if k.MaxFiles > 0 && k.FilesReceived+k.ReservedFiles >= k.MaxFiles {
		return errs.New(errs.Forbidden, "file_limit_reached", "this link accepts %d files; %d arrived and %d are uploading", k.MaxFiles, k.FilesReceived, k.ReservedFiles)
	}
	if k.MaxTotalBytes > 0 && k.BytesReceived+k.ReservedBytes+u.Size > k.MaxTotalBytes {
		left := max(0, k.MaxTotalBytes-k.BytesReceived-k.ReservedBytes)
		return errs.New(errs.TooLarge, "total_limit_reached", "%s is %s; this link has %s left of its %s", u.Name, human(u.Size), human(left), human(k.MaxTotalBytes))
	}
	k.ReservedFiles++
	k.ReservedBytes += u.Size
	return putLink(tx, k)
}

// Completed implements assets.UploadLedger: the reservation becomes a received file.
func (l *Links) Completed(tx *store.Tx, u assets.Upload, a assets.Asset) error {
	k, err := getLink(tx, u.LinkID)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	k.ReservedFiles = max(0, k.ReservedFiles-1)
	k.ReservedBytes = max(0, k.ReservedBytes-u.Size)
	k.FilesReceived++
	k.BytesReceived += a.Filesize
	k.UpdatedAt = l.now()
	if err := tx.Put(store.PrefixUploadLinkFile+k.ID+"/"+a.ID, Received{Name: a.Name, Size: a.Filesize, InsertedAt: a.InsertedAt}); err != nil {
		return err
	}
	return putLink(tx, k)
}

// Released implements assets.UploadLedger: an unfinished upload was given up.
func (l *Links) Released(tx *store.Tx, u assets.Upload) error {
	k, err := getLink(tx, u.LinkID)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	k.ReservedFiles = max(0, k.ReservedFiles-1)
	k.ReservedBytes = max(0, k.ReservedBytes-u.Size)
	return putLink(tx, k)
}

// discard removes an unfinished upload: its bytes and its record.
func (s *Service) discard(id string) {
	s.forget(id)
	if err := s.Assets.DropPending(id); err != nil && s.Log != nil {
		s.Log.Error("discarding an upload failed", slog.String("upload", id), slog.Any("err", err))
	}
}

func human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
