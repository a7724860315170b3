// Package share holds share links: public (/s/{key}) and direct-download
// (/d/{key}) links to an asset, a collection or a folder, with their
// password, expiry, max uses, download rights, watermark and visitors. It
// builds on the links core (server/links: keys, sessions, the password
// gate, the access log). One policy (Access) decides what a visitor may
// do, and every public route asks it.
package share

import (
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/store"
)

// Kinds of share link.
const (
	KindPublic   = "public"
	KindDownload = "download"
)

// Statuses, derived from stored facts.
const (
	StatusActive  = "active"
	StatusExpired = "expired"
	StatusUsedUp  = "used_up"
	StatusLocked  = "locked"
)

// Link is a share link as stored.
type Link struct {
	ID               string      `json:"id"`
	Key              string      `json:"key"`
	Kind             string      `json:"kind"`
	ProjectID        string      `json:"project_id"`
	TargetType       string      `json:"target_type"` // asset, collection, folder
	TargetID         string      `json:"target_id"`
	Name             string      `json:"name"`
	Description      string      `json:"description"`
	AllowOriginal    bool        `json:"allow_original"`
	AllowProxies     []string    `json:"allow_proxies"`
	AllowAttachments bool        `json:"allow_attachments"`
	ExpiresAt        *time.Time  `json:"expires_at"`
	PasswordHash     string      `json:"password_hash,omitempty"`
	MaxUses          int         `json:"max_uses"` // 0: unlimited
	Uses             int         `json:"uses"`
	Watermark        bool        `json:"watermark"`
	Failures         []time.Time `json:"failures,omitempty"` // wrong passwords in the last LockWindow
	Locked           bool        `json:"locked"`
	OwnerID          string      `json:"owner_id"`
	OwnerName        string      `json:"owner_name"`
	Views            int         `json:"views"`
	Downloads        int         `json:"downloads"`
	InsertedAt       time.Time   `json:"inserted_at"`
	UpdatedAt        time.Time   `json:"updated_at"`

	AllowedActions      string `json:"allowed_actions,omitempty"` // "" reads as download
	InboxFolderID       string `json:"inbox_folder_id,omitempty"`
	MaxUploadBytes      int64  `json:"max_upload_bytes,omitempty"`
	Note                string `json:"note,omitempty"`
	RequireRegistration bool   `json:"require_registration,omitempty"`
	FormID              string `json:"form_id,omitempty"`
	ClickwrapID         string `json:"clickwrap_id,omitempty"`
	AccessControl       string `json:"access_control,omitempty"` // "" reads as anyone
	AllowFaceSearch     bool   `json:"allow_face_search,omitempty"`
	ShowPersonNames     bool   `json:"show_person_names,omitempty"`
}

// View is model.ShareLink, the JSON document.
type View = model.ShareLink

// ShownVersion is model.ShownVersion, the JSON document.
type ShownVersion = model.ShownVersion

// NewLink is model.NewShareLink, the JSON document.
type NewLink = model.NewShareLink

// Patch is model.ShareLinkPatch, the JSON document.
type Patch = model.ShareLinkPatch

// Opt is model.Opt.
type Opt[T any] = model.Opt[T]

// Service owns share links.
type Service struct {
	*links.Core // store, clock, password gate, access log (shared with every kind)
	Assets      *assets.Service
	PublicURL   string
	SiteName    string
	// Outbox and Templates send share links by email (nil: no mail).
	Outbox    *mail.Outbox
	Templates mail.Templates
	// FacesOn says whether face search is switched on for the site (links
	// may then offer search by people); nil: never.
	FacesOn func() bool
}

func (s *Service) now() time.Time { return s.Time() }

func errNotFound() error { return links.NotFound() }

func getLink(tx *store.Tx, id string) (Link, error) {
	return links.GetByID[Link](tx, store.PrefixShareLink, id, "share link")
}

func putLink(tx *store.Tx, l Link) error { return tx.Put(store.PrefixShareLink+l.ID, l) }

func byKey(tx *store.Tx, key string) (Link, error) {
	return links.ByKey[Link](tx, key, links.ShareKind, store.PrefixShareLink, "share link", errNotFound())
}

func (l Link) status(now time.Time) string {
	switch {
	case l.ExpiresAt != nil && !now.Before(*l.ExpiresAt):
		return StatusExpired
	case l.Locked:
		return StatusLocked
	case l.MaxUses > 0 && l.Uses >= l.MaxUses:
		return StatusUsedUp
	}
	return StatusActive
}

// open refuses a link that cannot be visited now (a used-up link still
// serves visitors who already have a session; newVisit says whether this
// is a new one).
func (l Link) open(now time.Time, newVisit bool) error {
	switch l.status(now) {
	case StatusExpired:
		return errs.New(errs.Gone, "link_expired", "This link has expired")
	case StatusLocked:
		return errs.New(errs.Locked, "link_locked", "This link is locked after too many wrong passwords; ask %s to unlock it", l.OwnerName)
	case StatusUsedUp:
		if newVisit {
			return errs.New(errs.Gone, "link_used_up", "This link has reached its maximum number of uses")
		}
	}
	return nil
}

// openTo is open for a visitor with session se (ok: they have one): a
// locked link still serves a visitor who unlocked it before it locked.
func (l Link) openTo(now time.Time, se Session, ok bool) error {
	if ok && se.Unlocked {
		l.Locked = false
	}
	return l.open(now, !ok)
}

// URL is the visitor's address of a link.
func (s *Service) URL(l Link) string {
	base := strings.TrimRight(s.PublicURL, "/")
	if l.Kind == KindDownload {
		return base + "/d/" + l.Key
	}
	return base + "/s/" + l.Key
}

func (s *Service) view(tx *store.Tx, l Link, now time.Time) View {
	v := View{ID: l.ID, Key: l.Key, Kind: l.Kind, URL: s.URL(l), ProjectID: l.ProjectID, TargetType: l.TargetType,
		TargetID: l.TargetID, Name: l.Name, Description: l.Description, AllowOriginal: l.AllowOriginal,
		AllowProxies: append([]string{}, l.AllowProxies...), AllowAttachments: l.AllowAttachments, ExpiresAt: l.ExpiresAt,
		HasPassword: l.PasswordHash != "", Uses: l.Uses, Watermark: l.Watermark, Locked: l.Locked, Status: l.status(now),
		OwnerID: l.OwnerID, OwnerName: l.OwnerName, Views: l.Views, Downloads: l.Downloads,
		InsertedAt: l.InsertedAt, UpdatedAt: l.UpdatedAt}
	if l.MaxUses > 0 {
		v.MaxUses = &l.MaxUses
	}
	v.AllowedActions, v.InboxFolderID, v.UploadEnabled, v.Note = l.Mode(), l.InboxFolderID, l.CanUpload(), l.Note
	v.AllowFaceSearch, v.ShowPersonNames = l.AllowFaceSearch, l.ShowPersonNames
	if l.MaxUploadBytes > 0 {
		mb := l.MaxUploadBytes >> 20
		v.MaxUploadMB = &mb
	}
	v.RequireRegistration, v.FormID, v.ClickwrapID, v.AccessControl = l.RequireRegistration, l.FormID, l.ClickwrapID, AccessAnyone
	if l.AccessControl != "" {
		v.AccessControl = l.AccessControl
	}
	v.Registrations, v.Recipients = countPrefix(tx, store.PrefixShareReg+l.ID+"/"), countPrefix(tx, store.PrefixShareInvite+l.ID+"/")
	if l.Kind == KindPublic {
		v.EmbedURL = v.URL + "/embed"
		v.EmbedCode = fmt.Sprintf(`<iframe src="%s" width="100%%" height="600" style="border:0" allow="fullscreen" loading="lazy" title="%s"></iframe>`,
			html.EscapeString(v.EmbedURL), html.EscapeString(l.Name))
	}
	switch l.TargetType {
	case "collection":
		var c assets.Collection
		if tx.Get(store.PrefixCollection+l.TargetID, &c) == nil {
			v.TargetName = c.Name
		}
	default:
		var a assets.Asset
		if tx.Get(store.PrefixAsset+l.TargetID, &a) == nil {
			v.TargetName = a.Name
			v.ShownVersion = shownVersion(tx, a)
		}
	}
	v.FollowsLatestVersion = true
	if targetGone(tx, l) {
		v.Status = StatusTargetDeleted
	}
	return v
}

// shownVersion is the version visitors of a link to file or stack a see,
// when a has versions.
func shownVersion(tx *store.Tx, a assets.Asset) *ShownVersion {
	stack := a
	if a.Type == assets.TypeFile && a.ParentID != "" {
		if tx.Get(store.PrefixAsset+a.ParentID, &stack) != nil {
			return nil
		}
	}
	if stack.Type != assets.TypeVersionStack || stack.CoverAssetID == "" {
		return nil
	}
	var newest assets.Asset
	if tx.Get(store.PrefixAsset+stack.CoverAssetID, &newest) != nil {
		return nil
	}
	return &ShownVersion{AssetID: newest.ID, Number: newest.Index, Versions: stack.Versions}
}

func countPrefix(tx *store.Tx, prefix string) int {
	n := 0
	tx.ScanKeys(prefix, func(string) error { n++; return nil })
	return n
}

func checkProxies(in []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, r := range in {
		ok := false
		for _, known := range links.Renditions {
			ok = ok || r == known
		}
		ok = ok || r == access.GroupVideo || r == access.GroupAudio
		if !ok {
			return nil, errs.Invalidf("allow_proxies: unknown rendition %q (thumb, preview, large, video or audio)", r)
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out, nil
}

func rank(r string) int {
	for i, k := range slices.Concat(links.Renditions, []string{access.GroupVideo, access.GroupAudio}) {
		if k == r {
			return i
		}
	}
	return -1
}
