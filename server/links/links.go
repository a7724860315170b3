// Package links owns share links: public (/s/{key}) and direct-download
// (/d/{key}) links to an asset, a collection or a folder, with their
// password, expiry, max uses, download rights, watermark, visitor sessions
// and access log. One policy (Access) decides what a visitor may do, and
// every public route asks it.
package links

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

// Renditions a link may let visitors download, smallest first.
var Renditions = []string{"thumb", "preview", "large"}

// LockAfter wrong passwords within LockWindow lock a link until its owner unlocks it.
const (
	LockAfter  = 20
	LockWindow = time.Hour
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

// session is a visitor of a share link: one use, and whether the password was given.
type session struct {
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

// Service owns share links.
type Service struct {
	Store     *store.Store
	Assets    *assets.Service
	PublicURL string
	SiteName  string
	// Throttle counts wrong passwords per link and client address.
	Throttle *auth.Throttle
	Now      func() time.Time
	Log      *slog.Logger
	// Outbox and Templates send share links by email (nil: no mail).
	Outbox    *mail.Outbox
	Templates mail.Templates
	// FacesOn says whether face search is switched on for the site (links
	// may then offer search by people); nil: never.
	FacesOn func() bool

	hashMu sync.Mutex // argon2id uses 19 MiB: one at a time

	// Access-log entries waiting for their group commit (see writeLog).
	logMu      sync.Mutex
	logQueue   []*logBatch // oldest first
	logWriting bool        // a batch holds the turn to commit
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// KindOf says what kind of link key is ("share", "review", "upload", or "" when none).
func KindOf(st *store.Store, key string) string {
	var e store.LinkKey
	st.View(func(tx *store.Tx) (err error) { e, _, err = tx.GetLinkKey(key); return err })
	return e.Kind
}

func errNotFound() error { return errs.New(errs.NotFound, "not_found", "Share not found") }

func getLink(tx *store.Tx, id string) (Link, error) {
	return getByID[Link](tx, store.PrefixShareLink, id, "share link")
}

// getByID reads the record with id under prefix; a malformed or unknown
// id is a 404 naming what was looked for.
func getByID[T any](tx *store.Tx, prefix, id, what string) (T, error) {
	var v T
	if _, err := uuid.Parse(id); err != nil {
		return v, errs.NotFoundf("%s %s not found", what, id)
	}
	err := tx.Get(prefix+id, &v)
	if errors.Is(err, store.ErrNotFound) {
		return v, errs.NotFoundf("%s %s not found", what, id)
	}
	return v, err
}

func putLink(tx *store.Tx, l Link) error { return tx.Put(store.PrefixShareLink+l.ID, l) }

func byKey(tx *store.Tx, key string) (Link, error) {
	e, ok, err := tx.GetLinkKey(key)
	if err != nil {
		return Link{}, err
	}
	if !ok || e.Kind != "share" {
		return Link{}, errNotFound()
	}
	l, err := getLink(tx, e.ID)
	if errs.Is(err, errs.NotFound) {
		return l, errNotFound()
	}
	return l, err
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
		for _, known := range Renditions {
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
	for i, k := range slices.Concat(Renditions, []string{access.GroupVideo, access.GroupAudio}) {
		if k == r {
			return i
		}
	}
	return -1
}

// MinPassword is the shortest password a share or review link takes. It
// stays above Frame.io v2's (whose own example is "abc123"): a link's
// password is what stands between the open internet and the files once a
// key is forwarded, and a self-hosted appliance has no fraud team behind
// its throttle.
const MinPassword = 8

func (s *Service) hash(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < MinPassword {
		return "", errs.New(errs.Invalid, "password_too_short",
			"the password has %d characters; share and review link passwords need at least %d characters (Frame.io accepts shorter ones; Ferry does not)", n, MinPassword)
	}
	if len(pw) > 256 {
		return "", errs.Invalidf("the password is longer than 256 bytes")
	}
	s.hashMu.Lock()
	defer s.hashMu.Unlock()
	return secure.HashPassword(pw), nil
}

// Create makes a share link for v. Several asset_ids become a collection
// first (named collection_name or «New collection from [date]»).
func (s *Service) Create(v assets.Viewer, r NewLink) (out View, err error) {
	var made string // a collection made for the link, removed again if the link is refused
	defer func() {
		if err != nil && made != "" {
			s.Assets.DeleteCollection(v, made)
		}
	}()
	now := s.now()
	l := Link{ID: uuid.NewString(), Key: secure.LinkKey(), Kind: r.Kind, OwnerID: v.UserID, OwnerName: v.Name,
		InsertedAt: now, UpdatedAt: now, AllowOriginal: r.AllowOriginal != nil && *r.AllowOriginal,
		AllowAttachments: r.AllowAttachments != nil && *r.AllowAttachments, Watermark: r.Watermark}
	if err := s.setFaceSearch(&l, r.AllowFaceSearch); err != nil {
		return View{}, err
	}
	l.ShowPersonNames = r.ShowPersonNames != nil && *r.ShowPersonNames
	if l.Kind == "" {
		l.Kind = KindPublic
	}
	if l.Kind != KindPublic && l.Kind != KindDownload {
		return View{}, errs.Invalidf("kind must be public or download")
	}
	targets := 0
	for _, set := range []bool{len(r.AssetIDs) > 0, r.CollectionID != "", r.FolderID != ""} {
		if set {
			targets++
		}
	}
	if targets != 1 {
		return View{}, errs.Invalidf("send exactly one of asset_ids, collection_id or folder_id")
	}
	if l.Name, err = assets.CleanText("name", r.Name, 200, true); err != nil {
		return View{}, err
	}
	if l.Name == "" {
		l.Name = "Link from " + now.Format("2 Jan 2006, 15:04")
	}
	if l.Description, err = assets.CleanText("description", r.Description, 5000, false); err != nil {
		return View{}, err
	}
	if l.AllowProxies, err = checkProxies(r.AllowProxies); err != nil {
		return View{}, err
	}
	set, err := s.Sharing()
	if err != nil {
		return View{}, err
	}
	switch {
	case r.ExpiresAt.Value != nil:
		at := r.ExpiresAt.Value.UTC()
		if !at.After(now) {
			return View{}, errs.Invalidf("expires_at %s is in the past", at.Format(time.RFC3339))
		}
		l.ExpiresAt = &at
	case !r.ExpiresAt.Set && set.DefaultExpirationDays != nil:
		at := now.AddDate(0, 0, *set.DefaultExpirationDays)
		l.ExpiresAt = &at
	}
	if set.RequirePassword && r.Password == "" {
		if r.Kind == KindDownload {
			return View{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every share link, and direct download links cannot have one: make a public link with a password")
		}
		return View{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every new share link")
	}
	if err := applyOptions(&l, options{AllowedActions: &r.AllowedActions, InboxFolderID: &r.InboxFolderID, MaxUploadMB: r.MaxUploadMB,
		Note: &r.Note, RequireRegistration: &r.RequireRegistration, FormID: &r.FormID, ClickwrapID: &r.ClickwrapID, AccessControl: &r.AccessControl}); err != nil {
		return View{}, err
	}
	if r.AllowOriginal == nil && r.AllowProxies == nil && r.AllowAttachments == nil {
		l.downloadDefaults(r.AllowedActions)
	}
	if r.MaxUses != nil {
		if *r.MaxUses < 1 || *r.MaxUses > 1_000_000_000 {
			return View{}, errs.Invalidf("max_uses must be a whole number from 1 up, or null for unlimited")
		}
		l.MaxUses = *r.MaxUses
	}
	if l.Kind == KindDownload {
		if len(r.AssetIDs) != 1 {
			return View{}, errs.Invalidf("a direct download link is for exactly one asset (send one asset_ids entry)")
		}
		if r.Password != "" || r.MaxUses != nil || r.Watermark {
			return View{}, errs.Invalidf("a direct download link takes a name and an expiry only")
		}
		l.AllowOriginal, l.AllowProxies, l.AllowAttachments = true, []string{}, false
	}
	if r.Password != "" {
		if l.PasswordHash, err = s.hash(r.Password); err != nil {
			return View{}, err
		}
	}
	switch {
	case len(r.AssetIDs) == 1:
		a, err := s.Assets.GetAsset(v, r.AssetIDs[0])
		if err != nil {
			return View{}, errs.Invalidf("asset %s: %s", r.AssetIDs[0], detail(err))
		}
		if l.Kind == KindDownload && a.Type != assets.TypeFile {
			return View{}, errs.Invalidf("a direct download link needs a file; %s is a %s", a.Name, a.Type)
		}
		if a.UploadStatus != "" {
			return View{}, errs.Invalidf("%s has not finished uploading", a.Name)
		}
		l.ProjectID, l.TargetType, l.TargetID = a.ProjectID, "asset", a.ID
		if a.Type == assets.TypeFolder {
			l.TargetType = "folder"
		}
	case len(r.AssetIDs) > 1:
		if len(r.AssetIDs) > 10_000 {
			return View{}, errs.Invalidf("a link holds at most 10000 assets")
		}
		first, err := s.Assets.GetAsset(v, r.AssetIDs[0])
		if err != nil {
			return View{}, errs.Invalidf("asset %s: %s", r.AssetIDs[0], detail(err))
		}
		name, err := assets.CleanText("collection_name", r.CollectionName, 200, true)
		if err != nil {
			return View{}, err
		}
		if name == "" {
			name = "New collection from " + now.Format("2 Jan 2006")
		}
		c, err := s.Assets.CreateCollection(v, first.ProjectID, assets.NewCollection{Name: name, AssetIDs: r.AssetIDs, Personal: true})
		if err != nil {
			return View{}, err
		}
		l.ProjectID, l.TargetType, l.TargetID, made = c.ProjectID, "collection", c.ID, c.ID
	case r.CollectionID != "":
		c, err := s.Assets.GetCollection(v, r.CollectionID)
		if err != nil {
			return View{}, errs.Invalidf("collection %s: %s", r.CollectionID, detail(err))
		}
		l.ProjectID, l.TargetType, l.TargetID = c.ProjectID, "collection", c.ID
	default:
		f, err := s.Assets.GetAsset(v, r.FolderID)
		if err != nil {
			return View{}, errs.Invalidf("folder %s: %s", r.FolderID, detail(err))
		}
		if f.Type != assets.TypeFolder {
			return View{}, errs.Invalidf("folder_id %s is a %s, not a folder", r.FolderID, f.Type)
		}
		l.ProjectID, l.TargetType, l.TargetID = f.ProjectID, "folder", f.ID
	}
	if l.Kind == KindDownload && l.TargetType != "asset" {
		return View{}, errs.Invalidf("a direct download link needs a single file, not a %s", l.TargetType)
	}
	if err := s.checkActions(v, &l); err != nil {
		return View{}, err
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		if err := s.checkGate(tx, l); err != nil {
			return err
		}
		if r.Key != "" {
			l.Key = r.Key
			if err := claimKey(tx, set, l.Key, "share", l.ID); err != nil {
				return err
			}
		} else if err := tx.PutLinkKey(l.Key, "share", l.ID); err != nil {
			return err
		}
		if err := putLink(tx, l); err != nil {
			return err
		}
		out = s.view(tx, l, now)
		return nil
	})
	return out, err
}

func detail(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Detail
	}
	return err.Error()
}

// visible loads link id if v may see its project.
func (s *Service) visible(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	l, err := getLink(tx, id)
	if err != nil {
		return l, err
	}
	if _, err := s.Assets.GetProject(v, l.ProjectID); err != nil {
		return l, errs.NotFoundf("share link %s not found", id)
	}
	return l, nil
}

// Get returns link id.
func (s *Service) Get(v assets.Viewer, id string) (View, error) {
	var out View
	err := s.Store.View(func(tx *store.Tx) error {
		l, err := s.visible(tx, v, id)
		if err != nil {
			return err
		}
		out = s.viewFor(tx, v, l)
		return nil
	})
	return out, err
}

// Filter narrows List.
type Filter struct {
	ProjectID string
	TargetID  string
	// Sharing is the Sharing page's view: members see the links they
	// made, admins every link.
	Sharing bool
}

// List returns the links of projects v can see, newest first.
func (s *Service) List(v assets.Viewer, f Filter) ([]View, error) {
	projects, err := s.Assets.ListProjects(v)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range projects {
		seen[p.ID] = true
	}
	if f.ProjectID != "" && !seen[f.ProjectID] {
		return nil, errs.NotFoundf("project %s not found", f.ProjectID)
	}
	now := s.now()
	policy := s.Policy()
	out := []View{}
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
			var l Link
			if err := json.Unmarshal(b, &l); err != nil {
				return err
			}
			if !seen[l.ProjectID] || f.ProjectID != "" && l.ProjectID != f.ProjectID || f.TargetID != "" && l.TargetID != f.TargetID ||
				f.Sharing && !v.Admin && l.OwnerID != v.UserID {
				return nil
			}
			vw := s.view(tx, l, now)
			if !policy.MayManageLink(v, l.OwnerID, l.ProjectID) {
				vw = redact(vw)
			}
			out = append(out, vw)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// Shared counts the active links per target (asset, collection or folder)
// of a project: the chain icons.
func (s *Service) Shared(v assets.Viewer, projectID string) (map[string]int, error) {
	if _, err := s.Assets.GetProject(v, projectID); err != nil {
		return nil, err
	}
	links, err := s.List(v, Filter{ProjectID: projectID})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	err = s.Store.View(func(tx *store.Tx) error {
		for _, l := range links {
			if l.Status != StatusActive {
				continue
			}
			// A link to a file that has since become a version counts
			// on its stack, which it follows.
			id := l.TargetID
			var a, p assets.Asset
			if l.TargetType == "asset" && tx.Get(store.PrefixAsset+id, &a) == nil && a.Type == assets.TypeFile &&
				tx.Get(store.PrefixAsset+a.ParentID, &p) == nil && p.Type == assets.TypeVersionStack {
				id = p.ID
			}
			out[id]++
		}
		return nil
	})
	return out, err
}

// Update changes link id.
func (s *Service) Update(v assets.Viewer, id string, p Patch) (View, error) {
	var hash string
	if p.Password != nil && *p.Password != "" {
		if p.RemovePassword {
			return View{}, errs.Invalidf("send a new password or remove_password, not both")
		}
		h, err := s.hash(*p.Password)
		if err != nil {
			return View{}, err
		}
		hash = h
	}
	var out View
	err := s.Store.Update(func(tx *store.Tx) error {
		l, err := s.managed(tx, v, id)
		if err != nil {
			return err
		}
		mode := l.Mode()
		now := s.now()
		if p.Name != nil {
			if l.Name, err = assets.CleanText("name", *p.Name, 200, true); err != nil {
				return err
			}
			if l.Name == "" {
				return errs.Invalidf("name must not be empty")
			}
		}
		if p.Description != nil {
			if l.Description, err = assets.CleanText("description", *p.Description, 5000, false); err != nil {
				return err
			}
		}
		if l.Kind == KindDownload && (p.AllowOriginal != nil || p.AllowProxies != nil || p.AllowAttachments != nil ||
			hash != "" || p.MaxUses.Set || p.Watermark != nil) {
			return errs.Invalidf("a direct download link takes a name and an expiry only")
		}
		if p.AllowOriginal != nil {
			l.AllowOriginal = *p.AllowOriginal
		}
		if p.AllowProxies != nil {
			if l.AllowProxies, err = checkProxies(*p.AllowProxies); err != nil {
				return err
			}
		}
		if p.AllowAttachments != nil {
			l.AllowAttachments = *p.AllowAttachments
		}
		if p.ExpiresAt.Set {
			if at := p.ExpiresAt.Value; at != nil {
				t := at.UTC()
				if !t.After(now) {
					return errs.Invalidf("expires_at %s is in the past", t.Format(time.RFC3339))
				}
				l.ExpiresAt = &t
			} else {
				l.ExpiresAt = nil
			}
		}
		if p.MaxUses.Set {
			if m := p.MaxUses.Value; m != nil {
				if *m < 1 {
					return errs.Invalidf("max_uses must be a whole number from 1 up, or null for unlimited")
				}
				l.MaxUses = *m
			} else {
				l.MaxUses = 0
			}
		}
		if err := s.setFaceSearch(&l, p.AllowFaceSearch); err != nil {
			return err
		}
		if p.ShowPersonNames != nil {
			l.ShowPersonNames = *p.ShowPersonNames
		}
		if p.Watermark != nil {
			l.Watermark = *p.Watermark
		}
		if p.RemovePassword && l.PasswordHash != "" {
			set, err := loadSharing(tx)
			if err != nil {
				return err
			}
			if set.RequirePassword {
				return errs.New(errs.Invalid, "password_required", "this site requires a password on every share link; set a new password instead of removing it")
			}
			l.PasswordHash = ""
		}
		if hash != "" {
			// Who unlocked with the old password must give the new one.
			if err := endSessions(tx, l.ID); err != nil {
				return err
			}
			l.PasswordHash = hash
		}
		if err := applyOptions(&l, options{AllowedActions: p.AllowedActions, InboxFolderID: p.InboxFolderID, MaxUploadMB: p.MaxUploadMB,
			Note: p.Note, RequireRegistration: p.RequireRegistration, FormID: p.FormID, ClickwrapID: p.ClickwrapID, AccessControl: p.AccessControl}); err != nil {
			return err
		}
		if p.AllowedActions != nil && p.AllowOriginal == nil && p.AllowProxies == nil && p.AllowAttachments == nil && !l.offersDownloads() {
			l.downloadDefaults(*p.AllowedActions)
		}
		// Checking a download box widens a view-only link: v must be
		// allowed the new mode as much as when naming it.
		if p.AllowedActions != nil || p.InboxFolderID != nil || l.Mode() != mode {
			if err := s.checkActions(v, &l); err != nil {
				return err
			}
		}
		if err := s.checkGate(tx, l); err != nil {
			return err
		}
		if p.Key != nil && *p.Key != l.Key {
			set, err := loadSharing(tx)
			if err != nil {
				return err
			}
			if err := claimKey(tx, set, *p.Key, "share", l.ID); err != nil {
				return err
			}
			if err := tx.Delete(store.PrefixLinkKey + l.Key); err != nil {
				return err
			}
			l.Key = *p.Key
		}
		if p.Locked != nil {
			if *p.Locked {
				return errs.Invalidf("links lock themselves after wrong passwords; send locked: false to unlock")
			}
			l.Locked, l.Failures = false, nil
		}
		l.UpdatedAt = now
		if err := putLink(tx, l); err != nil {
			return err
		}
		out = s.view(tx, l, now)
		return nil
	})
	return out, err
}

// Delete removes link id for good, with its sessions' use and its access
// log; visitors get "Share not found" afterwards.
func (s *Service) Delete(v assets.Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		l, err := s.visible(tx, v, id)
		if err != nil {
			return err
		}
		if !s.mayRevoke(v, l) {
			return errs.New(errs.Forbidden, "not_link_manager", "only %s, the project's owner or an admin may revoke this link", l.OwnerName)
		}
		return s.revoke(tx, l)
	})
}

// mayRevoke: the link's creator, the project's owner, or an admin.
func (s *Service) mayRevoke(v assets.Viewer, l Link) bool {
	return s.Policy().MayManageLink(v, l.OwnerID, l.ProjectID)
}

// revoke deletes link l with its key, access log, registrations and
// invitations.
func (s *Service) revoke(tx *store.Tx, l Link) error {
	if err := tx.Delete(store.PrefixLinkKey + l.Key); err != nil {
		return err
	}
	if err := deleteGate(tx, l.ID); err != nil {
		return err
	}
	return tx.Delete(store.PrefixShareLink + l.ID)
}

// RevokeMany revokes each of ids that v may delete ("Revoke all" of the
// Sharing page), in batches; it counts the revoked and the skipped.
func (s *Service) RevokeMany(v assets.Viewer, ids []string) (revoked, skipped int, err error) {
	if len(ids) > 10_000 {
		return 0, 0, errs.Invalidf("revoke at most 10000 links at once")
	}
	for start := 0; start < len(ids); start += 50 {
		batch := ids[start:min(start+50, len(ids))]
		var r, k int
		err = s.Store.Update(func(tx *store.Tx) error {
			r, k = 0, 0
			for _, id := range batch {
				l, err := s.visible(tx, v, id)
				if err == nil && !s.mayRevoke(v, l) {
					err = errs.NotFoundf("share link %s not found", id)
				}
				if errs.Is(err, errs.NotFound) {
					k++
					continue
				}
				if err != nil {
					return err
				}
				if err := s.revoke(tx, l); err != nil {
					return err
				}
				r++
			}
			return nil
		})
		if err != nil {
			return revoked, skipped, err
		}
		revoked, skipped = revoked+r, skipped+k
	}
	return revoked, skipped, nil
}
