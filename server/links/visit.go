package links

import (
	"encoding/json"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Public is model.PublicShare, the JSON document.
type Public = model.PublicShare

// PublicFolder is model.PublicFolder, the JSON document.
type PublicFolder = model.PublicFolder

// PublicForm is model.PublicRegistration, the JSON document.
type PublicForm = model.PublicRegistration

// PublicTerms is model.PublicClickwrap, the JSON document.
type PublicTerms = model.PublicClickwrap

// PublicAsset is model.PublicAsset, the JSON document.
type PublicAsset = model.PublicAsset

// Download is model.PublicDownload, the JSON document.
type Download = model.PublicDownload

// Item is a file a link reaches, with its folder path inside a folder link.
type Item struct {
	Asset       assets.Asset
	Path        string
	Attachments []assets.Asset
	// Download: the link's creator may download it now (else visitors
	// only look at it, whatever the link allows).
	Download bool
}

// Visitor is who asks on a public route.
type Visitor struct {
	Session   string // the link cookie's value
	Invite    string // the invitation code in the URL, if any
	Addr      string
	UserAgent string
}

func (s *Service) getSession(tx *store.Tx, l Link, secret string) (session, bool) {
	var se session
	if !tx.GetLinkSession(secret, &se) || se.LinkID != l.ID || !se.Share {
		return session{}, false
	}
	return se, true
}

// Public answers a visitor of the link with key. A visitor without a
// session starts one, which is a use of the link (refused once max_uses
// visitors came); a password link starts it only at Unlock. A visitor with
// an invitation code (vis.Invite) claims it (see claimInvite). What still
// stands between the visitor and the content is in Public.Needs; the items
// come only when nothing does. It returns the secret of a new session for
// the cookie ("" when none was made).
func (s *Service) Public(key string, vis Visitor) (Public, string, error) {
	var l Link
	var newSecret string
	var needs []string
	var used *usedInvite
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		newSecret, needs, used = "", nil, nil
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		now := s.now()
		se, ok := s.getSession(tx, l, vis.Session)
		if err := l.openTo(now, se, ok); err != nil {
			return err
		}
		if vis.Invite != "" {
			if used, err = s.claimInvite(tx, &l, &se, &ok, &newSecret, vis); err != nil || used != nil {
				return err
			}
		}
		if !ok && l.PasswordHash == "" && l.MaxUses > 0 && l.AccessControl != AccessEmailed {
			if newSecret, err = s.startVisit(tx, &l, now, false); err != nil {
				return err
			}
			se, ok = s.getSession(tx, l, newSecret)
		}
		needs = l.needs(se, ok)
		if len(needs) > 0 && needs[0] == NeedInvite {
			return needError(NeedInvite)
		}
		return nil
	})
	if used != nil {
		return Public{}, "", s.inviteUsed(l, *used, vis)
	}
	if err != nil {
		return Public{}, "", err
	}
	out, err := s.public(l, needs)
	if err == nil && len(needs) == 0 {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
	if newSecret != "" && l.AccessControl == AccessEmailed {
		out.Session = newSecret
	}
	return out, newSecret, err
}

// needs lists what a visitor with session se (ok: they have one) must
// still do before seeing link l, in the order the page asks for it.
func (l Link) needs(se session, ok bool) []string {
	out := []string{}
	if l.AccessControl == AccessEmailed && !(ok && se.InviteID != "") {
		out = append(out, NeedInvite) // first: without one, nothing else helps
	}
	if l.PasswordHash != "" && !(ok && se.Unlocked) {
		out = append(out, NeedPassword)
	}
	if l.RequireRegistration && !(ok && se.Registered) {
		out = append(out, NeedRegistration)
	}
	if l.ClickwrapID != "" && !(ok && se.Accepted) {
		out = append(out, NeedClickwrap)
	}
	return out
}

// What a visitor may still need to do.
const (
	NeedPassword     = "password"
	NeedInvite       = "invite"
	NeedRegistration = "registration"
	NeedClickwrap    = "clickwrap"
)

// needError is the answer of a file route to a visitor who still needs to do n.
func needError(n string) error {
	switch n {
	case NeedPassword:
		return errs.New(errs.Unauthorized, "password_required", "open the link and enter its password first")
	case NeedInvite:
		return errs.New(errs.Forbidden, "invitation_required", "this link opens only from the invitation emailed to you")
	case NeedRegistration:
		return errs.New(errs.Unauthorized, "registration_required", "open the link and register first")
	default:
		return errs.New(errs.Unauthorized, "clickwrap_required", "open the link and accept its terms first")
	}
}

// startVisit counts a use and stores a session for it.
func (s *Service) startVisit(tx *store.Tx, l *Link, now time.Time, unlocked bool) (string, error) {
	if l.MaxUses > 0 && l.Uses >= l.MaxUses {
		return "", errs.New(errs.Gone, "link_used_up", "This link has reached its maximum number of uses")
	}
	l.Uses++
	if err := putLink(tx, *l); err != nil {
		return "", err
	}
	secret := secure.Token()
	return secret, s.putSession(tx, *l, secret, session{LinkID: l.ID, Share: true, Unlocked: unlocked, CreatedAt: now})
}

// putSession stores session se of link l under its secret, for at most 30
// days and not much past the link's expiry.
func (s *Service) putSession(tx *store.Tx, l Link, secret string, se session) error {
	return tx.PutLinkSession(secret, se, l.ExpiresAt, s.now())
}

// Peek is Public without side effects for the prerendered page: nil when
// the page must load in the browser (a password, max uses, a gate, an error).
func (s *Service) Peek(key string) *Public {
	var l Link
	if err := s.Store.View(func(tx *store.Tx) (err error) {
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		return checkTarget(tx, l)
	}); err != nil {
		return nil
	}
	if len(l.needs(session{}, false)) > 0 || l.MaxUses > 0 || l.open(s.now(), true) != nil {
		return nil
	}
	p, err := s.public(l, nil)
	if err != nil {
		return nil
	}
	return &p
}

// Unlock checks a password from a visitor and starts their session (or
// unlocks the one they have, from an invitation).
func (s *Service) Unlock(key, password string, vis Visitor) (Public, string, error) {
	var l Link
	if err := s.Store.View(func(tx *store.Tx) (err error) {
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		return checkTarget(tx, l)
	}); err != nil {
		return Public{}, "", err
	}
	if err := l.open(s.now(), false); err != nil {
		return Public{}, "", err
	}
	if l.PasswordHash == "" {
		p, secret, err := s.Public(key, vis)
		return p, secret, err
	}
	ok, err := s.checkPassword(l.ID, l.PasswordHash, password, vis.Addr)
	if err != nil {
		return Public{}, "", err
	}
	var secret string
	var verdict error
	var needs []string
	err = s.Store.Update(func(tx *store.Tx) error {
		verdict, secret = nil, ""
		var err error
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		now := s.now()
		se, has := s.getSession(tx, l, vis.Session)
		if err := l.open(now, !has); err != nil {
			return err
		}
		if !ok {
			l.Failures, l.Locked, verdict = failedPassword(l.Failures, now, l.OwnerName)
			return putLink(tx, l)
		}
		if has {
			se.Unlocked = true
			needs = l.needs(se, true)
			return s.putSession(tx, l, vis.Session, se)
		}
		if l.AccessControl == AccessEmailed {
			return needError(NeedInvite)
		}
		if secret, err = s.startVisit(tx, &l, now, true); err != nil {
			return err
		}
		needs = l.needs(session{Unlocked: true}, true)
		return nil
	})
	if err != nil {
		return Public{}, "", err
	}
	if verdict != nil {
		s.logAccess(l, vis, Entry{Action: "failed_password"})
		return Public{}, "", verdict
	}
	out, err := s.public(l, needs)
	if err == nil && len(needs) == 0 {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
	return out, secret, err
}

// Access resolves a visitor of key on a file route: the link must be open
// and the visitor must have done what it asks (password, invitation,
// registration, clickwrap) and, with max uses, hold a session.
func (s *Service) Access(key string, vis Visitor) (Link, error) {
	var l Link
	err := s.Store.View(func(tx *store.Tx) error {
		var err error
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		se, ok := s.getSession(tx, l, vis.Session)
		if err := l.openTo(s.now(), se, ok); err != nil {
			return err
		}
		if n := l.needs(se, ok); len(n) > 0 {
			return needError(n[0])
		}
		if l.MaxUses > 0 && !ok {
			return errs.New(errs.Unauthorized, "visit_required", "open the link page first")
		}
		return nil
	})
	return l, err
}

// DirectVisit is a request of a direct-download link: the link must be
// open; a visitor without a session starts one (a use).
func (s *Service) DirectVisit(key string, vis Visitor) (Link, assets.Asset, string, error) {
	var l Link
	var secret string
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		secret = ""
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if l.Kind != KindDownload {
			return errNotFound()
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		now := s.now()
		_, ok := s.getSession(tx, l, vis.Session)
		if err := l.open(now, !ok); err != nil {
			return err
		}
		if !ok && l.MaxUses > 0 {
			secret, err = s.startVisit(tx, &l, now, false)
		}
		return err
	})
	if err != nil {
		return l, assets.Asset{}, "", err
	}
	a, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, l.TargetID)
	if err != nil || a.Type != assets.TypeFile && a.Type != assets.TypeVersionStack {
		return l, a, "", errNotFound()
	}
	// A file that gained versions downloads as its newest.
	if a, err = s.latest(a); err != nil {
		return l, a, "", err
	}
	if err := s.Rendition(l, a, false, "original", true); err != nil {
		return l, a, "", err
	}
	return l, a, secret, nil
}

// folders lists the folder tree of folder link l, its own folder first (path "").
func (s *Service) folders(l Link) ([]PublicFolder, error) {
	admin := assets.Viewer{Admin: true}
	root, err := s.Assets.GetAsset(admin, l.TargetID)
	if err != nil {
		return nil, errNotFound()
	}
	out := []PublicFolder{{ID: root.ID, Name: root.Name}}
	creator := s.Policy().Creator(l.OwnerID)
	var walk func(id, p string, depth int) error
	walk = func(id, p string, depth int) error {
		kids, err := s.Assets.Children(admin, id)
		if err != nil {
			return err
		}
		for _, k := range kids {
			if k.Type != assets.TypeFolder || depth >= 64 || len(out) >= 10_000 || !creator.Visible(k) {
				continue
			}
			kp := path.Join(p, k.Name)
			out = append(out, PublicFolder{ID: k.ID, ParentID: id, Name: k.Name, Path: kp})
			if err := walk(k.ID, kp, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root.ID, "", 0)
}

// following is what a link that lists asset a shows of it: a file that
// has become a version in a stack since (a new version was uploaded)
// stands for its stack, so a link follows its file to the newest version.
func (s *Service) following(a assets.Asset) assets.Asset {
	if a.Type != assets.TypeFile || a.AttachmentOf != "" || a.ParentID == "" {
		return a
	}
	if p, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
		return p
	}
	return a
}

// shownFile is the file visitors get for a file or version stack a: the
// file itself, or the stack's newest version under the stack's name.
func (s *Service) shownFile(a assets.Asset) (assets.Asset, bool) {
	switch a.Type {
	case assets.TypeFile:
		return a, true
	case assets.TypeVersionStack:
		kids, err := s.Assets.Children(assets.Viewer{Admin: true}, a.ID)
		if err != nil || len(kids) == 0 {
			return assets.Asset{}, false
		}
		v := kids[0]
		v.Name = a.Name
		return v, true
	}
	return assets.Asset{}, false
}

// latest is the file a link to file a serves now: a itself, or the newest
// version of the stack a has become part of.
func (s *Service) latest(a assets.Asset) (assets.Asset, error) {
	f, ok := s.shownFile(s.following(a))
	if !ok {
		return a, errNotFound()
	}
	return f, nil
}

// Items lists the files link l reaches now: folder links are read live, so
// files added later appear and deleted ones vanish; a file that gained
// versions shows its newest.
func (s *Service) Items(l Link) ([]Item, error) {
	admin := assets.Viewer{Admin: true}
	creator := s.Policy().Creator(l.OwnerID)
	var out []Item
	seen := map[string]bool{} // a collection may list two versions of one stack
	add := func(a assets.Asset, p string) {
		a = s.following(a)
		if seen[a.ID] || a.UploadStatus != "" || !creator.Visible(a) {
			return // twice, unfinished, or not its creator's to share (any more)
		}
		seen[a.ID] = true
		download := creator.On(a).Allows(assets.AccessDownload)
		f, ok := s.shownFile(a)
		if !ok {
			return
		}
		it := Item{Asset: f, Path: p, Download: download}
		if f.Attachments > 0 {
			it.Attachments, _ = s.Assets.Children(admin, f.ID)
		}
		out = append(out, it)
	}
	switch l.TargetType {
	case "asset":
		a, err := s.Assets.GetAsset(admin, l.TargetID)
		if err != nil {
			return nil, errNotFound()
		}
		add(a, "")
	case "collection":
		items, err := s.Assets.CollectionItems(admin, l.TargetID)
		if err != nil {
			return nil, errNotFound()
		}
		for _, a := range items {
			add(a, "")
		}
	case "folder":
		if _, err := s.Assets.GetAsset(admin, l.TargetID); err != nil {
			return nil, errNotFound()
		}
		var walk func(id, p string, depth int) error
		walk = func(id, p string, depth int) error {
			kids, err := s.Assets.Children(admin, id)
			if err != nil {
				return err
			}
			for _, k := range kids {
				if k.Type == assets.TypeFolder {
					if depth < 64 {
						if err := walk(k.ID, path.Join(p, k.Name), depth+1); err != nil {
							return err
						}
					}
					continue
				}
				add(k, p)
			}
			return nil
		}
		if err := walk(l.TargetID, "", 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Item finds file id among what link l reaches: one of its items, or an
// attachment of one when the link allows attachments. It checks the one
// file (its parents, its collection) instead of listing the whole link, so
// a gallery's thumbnails stay cheap in a folder of thousands.
func (s *Service) Item(l Link, id string) (assets.Asset, bool, error) {
	notFound := errs.NotFoundf("no such file in this link")
	if !l.CanSee() {
		return assets.Asset{}, false, errs.New(errs.Forbidden, "not_allowed", "visitors of this link can only upload; they see nothing of what is there")
	}
	if _, err := uuid.Parse(id); err != nil {
		return assets.Asset{}, false, notFound
	}
	admin := assets.Viewer{Admin: true}
	a, err := s.Assets.GetAsset(admin, id)
	if err != nil || a.Type != assets.TypeFile || a.UploadStatus != "" {
		return assets.Asset{}, false, notFound
	}
	file, attachment := a, false
	if a.AttachmentOf != "" {
		if !l.AllowAttachments {
			return assets.Asset{}, false, notFound
		}
		if file, err = s.Assets.GetAsset(admin, a.AttachmentOf); err != nil {
			return assets.Asset{}, false, notFound
		}
		attachment = true
	}
	var coll map[string]bool
	if l.TargetType == "collection" {
		c, err := s.Assets.GetCollection(admin, l.TargetID)
		if err != nil {
			return assets.Asset{}, false, errNotFound()
		}
		coll = map[string]bool{}
		for _, x := range c.AssetIDs {
			coll[x] = true
		}
	}
	// A file stands for its version stack, shown as its newest version:
	// older versions are never served, even to a link made before they
	// were superseded (it follows its file to the newest).
	shown, member := file, file
	var versions []assets.Asset
	if p, err := s.Assets.GetAsset(admin, file.ParentID); err == nil && p.Type == assets.TypeVersionStack {
		kids, err := s.Assets.Children(admin, p.ID)
		if err != nil || len(kids) == 0 || kids[0].ID != file.ID {
			return assets.Asset{}, false, notFound
		}
		shown.Name, member, versions = p.Name, p, kids
	}
	// Listed: the link's asset, or a collection entry, is the file, its
	// stack, or any version of its stack (listed before it was stacked).
	listed := func(id string) bool { return l.TargetType == "asset" && id == l.TargetID || coll[id] }
	ok := listed(member.ID)
	for _, v := range versions {
		ok = ok || listed(v.ID)
	}
	if l.TargetType == "folder" {
		for cur, depth := member, 0; depth < 64 && cur.ParentID != "" && !ok; depth++ {
			ok = cur.ParentID == l.TargetID
			if cur, err = s.Assets.GetAsset(admin, cur.ParentID); err != nil {
				break
			}
		}
	}
	if !ok {
		return assets.Asset{}, false, notFound
	}
	if attachment {
		return a, true, nil
	}
	return shown, false, nil
}

func (l Link) allows(r string) bool {
	for _, x := range l.AllowProxies {
		if x == r {
			return true
		}
	}
	return false
}

// visible is l as its visitors may use it: previews only and uploads only
// take every download away.
func (l Link) visible() Link {
	if !l.CanDownload() {
		l.AllowOriginal, l.AllowProxies, l.AllowAttachments = false, []string{}, false
	}
	return l
}

func (s *Service) public(l Link, needs []string) (Public, error) {
	l = l.visible()
	if needs == nil {
		needs = []string{}
	}
	p := Public{Kind: "share", Key: l.Key, SiteName: s.SiteName, Name: l.Name, Description: l.Description,
		OwnerName: l.OwnerName, ExpiresAt: l.ExpiresAt, NeedsPassword: contains(needs, NeedPassword), AllowOriginal: l.AllowOriginal,
		AllowProxies: append([]string{}, l.AllowProxies...), AllowAttachments: l.AllowAttachments, Watermark: l.Watermark,
		TargetType: l.TargetType, Items: []PublicAsset{}, Folders: []PublicFolder{}, Needs: needs,
		AllowedActions: l.Mode(), CanDownload: l.CanDownload(), CanUpload: l.CanUpload(), CanModify: l.CanModify(),
		MaxUploadBytes: l.MaxUploadBytes}
	p.UploadFolderID = l.UploadFolder()
	p.FaceSearch = s.FaceSearch(l)
	if err := s.Store.View(func(tx *store.Tx) error {
		p.Title = s.view(tx, l, s.now()).TargetName
		if contains(needs, NeedRegistration) {
			f, err := registrationForm(tx, l)
			if err != nil {
				return err
			}
			p.Registration = &PublicForm{Fields: f}
		}
		if contains(needs, NeedClickwrap) {
			c, err := getClickwrap(tx, l.ClickwrapID)
			if err != nil {
				return err
			}
			p.Clickwrap = &PublicTerms{Name: c.Name, Body: c.Body}
		}
		return nil
	}); err != nil {
		return p, err
	}
	if len(needs) > 0 || !l.CanSee() {
		return p, nil
	}
	if l.TargetType == "folder" && (l.Mode() == ActionUploadDownload || l.Mode() == ActionFull) {
		folders, err := s.folders(l)
		if err != nil {
			return p, err
		}
		p.Folders = folders
	}
	items, err := s.Items(l)
	if err != nil {
		return p, err
	}
	base := "/api/v2/public/links/" + l.Key + "/assets/"
	creator, grant := s.Policy().Creator(l.OwnerID), l.Grant() // one look-up for every video's player
	_, marked := s.WatermarkFor(l, assets.Asset{})             // videos of a watermarked link play only marked; audio as it is
	for _, it := range items {
		a := it.Asset
		pa := PublicAsset{ID: a.ID, Name: a.Name, Path: it.Path, Filetype: a.Filetype, Filesize: a.Filesize,
			Properties: a.Properties, Downloads: []Download{}, InsertedAt: a.InsertedAt}
		if a.Properties != nil {
			pa.Width, pa.Height = a.Properties.Width, a.Properties.Height
		}
		if a.ProxyStatus == assets.ProxyReady {
			pa.ThumbURL, pa.PreviewURL = base+a.ID+"/thumb", base+a.ID+"/preview"
		}
		pa.MediaKind, pa.Duration, pa.FPS, pa.Frames = a.MediaKind, a.Duration, a.FPS, a.Frames
		if play := PlayRendition(a); play != "" && creator.Rendition(grant, a, false, play, false) == nil && (!l.Watermark || marked || play == "audio") {
			pa.PlayURL = base + a.ID + "/" + play
			if l.Watermark && play != "audio" {
				// Start making the marked proxy now: by the time the
				// visitor presses play it may be there.
				s.RenditionKey(l, a, play)
			}
		}
		if a.SpriteFrames > 0 && !l.Watermark && creator.Rendition(grant, a, false, assets.Sprite, false) == nil {
			pa.SpriteURL, pa.SpriteFrames = base+a.ID+"/"+assets.Sprite, a.SpriteFrames
		}
		if l.AllowOriginal && it.Download {
			pa.Downloads = append(pa.Downloads, Download{Kind: "original", Label: "Original", Name: a.Name,
				URL: base + a.ID + "/original?download=1", Size: a.Filesize})
		}
		if it.Download {
			labels := map[string]string{"thumb": "Thumbnail (320 px)", "preview": "Preview (1280 px)", "large": "Large (2560 px)"}
			for _, r := range l.Grant().Proxies { // video only marked, no audio on a watermarked link
				for _, name := range renditionsOf(a, r) {
					if l.Watermark && !marked && assets.Playable(name) {
						continue // no clean video from a watermarked link
					}
					label := labels[name]
					if label == "" {
						label = proxyLabel(name)
					}
					pa.Downloads = append(pa.Downloads, Download{Kind: name, Label: label, Name: renditionName(a.Name, name),
						URL: base + a.ID + "/" + name + "?download=1"})
				}
			}
		}
		if l.AllowAttachments && it.Download {
			for _, at := range it.Attachments {
				pa.Downloads = append(pa.Downloads, Download{Kind: "attachment", Label: at.Name, Name: at.Name,
					URL: base + at.ID + "/original?download=1", Size: at.Filesize})
			}
		}
		p.Items = append(p.Items, pa)
	}
	entries := s.zipEntries(l, items, nil)
	if len(entries) > 0 && l.CanDownload() {
		p.ZipURL = "/api/v2/public/links/" + l.Key + "/zip"
		for _, e := range entries {
			p.ZipBytes += e.Size
		}
	}
	return p, nil
}

// renditionName is the file name a rendition downloads as: "beach (large).jpg",
// "cut (video_720).mp4".
func renditionName(name, r string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	return base + " (" + r + ")" + assets.RenditionExt(r)
}

// renditionsOf lists the renditions of a that grant entry r (a name, or
// the group "video" or "audio") covers and that exist.
func renditionsOf(a assets.Asset, r string) []string {
	switch r {
	case access.GroupVideo, access.GroupAudio:
		var out []string
		for _, name := range a.Renditions {
			if (r == access.GroupAudio) == (name == "audio") {
				out = append(out, name)
			}
		}
		return out
	}
	if a.HasRendition(r) {
		return []string{r}
	}
	return nil
}

// PlayRendition is the proxy a player shows of a: the largest video proxy
// made, else the audio proxy, else "".
func PlayRendition(a assets.Asset) string {
	best, bestH := "", -1
	for _, name := range a.Renditions {
		if name == "audio" && best == "" {
			best = name
		}
		if h, err := strconv.Atoi(strings.TrimPrefix(name, "video_")); err == nil && strings.HasPrefix(name, "video_") && h > bestH {
			best, bestH = name, h
		}
	}
	return best
}

// proxyLabel names a playable proxy for people: "Video (720p)", "Audio (AAC)".
func proxyLabel(name string) string {
	if name == "audio" {
		return "Audio (AAC)"
	}
	return "Video (" + strings.TrimPrefix(name, "video_") + "p)"
}

// ZipEntry is one file of a "Download all" ZIP.
type ZipEntry struct {
	Name      string // path inside the archive
	AssetID   string
	Rendition string // "original" or a proxy name
	Size      int64  // of originals; 0 when unknown
}

// ZipEntries lists what "Download all" of link l holds: each file's
// original when allowed, else its largest allowed rendition; attachments
// when allowed. Names keep folder paths, are cleaned for every unzip tool
// and made unique.
func (s *Service) ZipEntries(l Link) ([]ZipEntry, error) {
	if !l.CanDownload() {
		return nil, errs.New(errs.Forbidden, "download_not_allowed", "this link does not allow downloads")
	}
	items, err := s.Items(l)
	if err != nil {
		return nil, err
	}
	return s.zipEntries(l, items, nil), nil
}

func (s *Service) zipEntries(l Link, items []Item, _ any) []ZipEntry {
	var out []ZipEntry
	used := map[string]bool{}
	add := func(name string, e ZipEntry) {
		e.Name = uniqueName(used, name)
		out = append(out, e)
	}
	l = l.visible()
	for _, it := range items {
		if !it.Download {
			continue // its creator may only look at it there
		}
		a := it.Asset
		dir := ZipPath(it.Path)
		switch {
		case l.AllowOriginal:
			add(join(dir, ZipPath(a.Name)), ZipEntry{AssetID: a.ID, Rendition: "original", Size: a.Filesize})
		default:
			// The largest allowed rendition this file has (on a
			// watermarked link, RenditionKey gives the marked copy).
			allowed := l.Grant().Proxies
			for i := len(allowed) - 1; i >= 0; i-- {
				if names := renditionsOf(a, allowed[i]); len(names) > 0 {
					r := names[len(names)-1]
					if play := PlayRendition(a); play != "" && slices.Contains(names, play) {
						r = play
					}
					add(join(dir, ZipPath(renditionName(a.Name, r))), ZipEntry{AssetID: a.ID, Rendition: r})
					break
				}
			}
		}
		if l.AllowAttachments {
			for _, at := range it.Attachments {
				base := strings.TrimSuffix(ZipPath(a.Name), path.Ext(a.Name))
				add(join(dir, base+" attachments/"+ZipPath(at.Name)), ZipEntry{AssetID: at.ID, Rendition: "original", Size: at.Filesize})
			}
		}
	}
	return out
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// ZipPath cleans a name or a slash-separated path for a ZIP entry: no
// absolute paths, no "..", no backslashes or control characters, and
// nothing Windows cannot create.
func ZipPath(p string) string {
	var parts []string
	for _, seg := range strings.Split(strings.ReplaceAll(p, "\\", "/"), "/") {
		seg = strings.Map(func(r rune) rune {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || strings.ContainsRune(`<>:"|?*`, r) {
				return '_'
			}
			return r
		}, seg)
		// Trailing dots and spaces of any kind go together, so that
		// cleaning a cleaned path changes nothing.
		seg = strings.TrimLeftFunc(seg, unicode.IsSpace)
		seg = strings.TrimRightFunc(seg, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
		if seg == "" || seg == "." || seg == ".." {
			continue
		}
		parts = append(parts, seg)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "/")
}

func uniqueName(used map[string]bool, name string) string {
	if name == "" || strings.HasSuffix(name, "/") {
		name += "file"
	}
	cand := name
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; used[strings.ToLower(cand)]; i++ {
		cand = stem + " (" + itoa(i) + ")" + ext
	}
	used[strings.ToLower(cand)] = true
	return cand
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// WatermarkFor is the watermark a link's renditions carry, if any.
func (s *Service) WatermarkFor(l Link, a assets.Asset) (media.Watermark, bool) {
	if !l.Watermark {
		return media.Watermark{}, false
	}
	w, ok, err := LoadWatermark(s.Store)
	if err != nil || !ok {
		return media.Watermark{}, false
	}
	return w, true
}

// Entry is model.AccessLogEntry, the JSON document.
type Entry = model.AccessLogEntry

// LogAccess records an access to link l by vis.
func (s *Service) LogAccess(l Link, vis Visitor, e Entry) { s.logAccess(l, vis, e) }

func (s *Service) logAccess(l Link, vis Visitor, e Entry) { s.writeLog(l.ID, vis, e, true) }

// LogView records a view of key's page by vis: the server sent the gallery
// (Peek), so the page's app does not ask for the link again.
func (s *Service) LogView(key string, vis Visitor) {
	var l Link
	if s.Store.View(func(tx *store.Tx) (err error) { l, err = byKey(tx, key); return err }) == nil {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
}

// logEntry records an access to a review link (its counters live elsewhere).
func (s *Service) logEntry(linkID string, vis Visitor, e Entry) { s.writeLog(linkID, vis, e, false) }

// LogReview records an access to review link id.
func (s *Service) LogReview(linkID string, vis Visitor, e Entry) { s.logEntry(linkID, vis, e) }

// logWrite is one access-log entry waiting for its group commit.
type logWrite struct {
	linkID, id string
	entry      Entry
	count      bool // in the share link's Views or Downloads
}

// logBatch is access-log entries committed in one transaction.
type logBatch struct {
	writes []logWrite
	turn   chan struct{} // closed when the batch may commit
	done   chan struct{} // closed when it committed (or failed)
}

// logBatchMax caps the entries of one transaction.
const logBatchMax = 256

// writeLog is the one writer of access logs, for every kind of link;
// count says whether the entry counts in a share link's Views or
// Downloads. It returns once the entry is stored. Visitors of one link
// all change its record, so one transaction each would conflict under
// load: entries wait in a batch instead, and the caller that opened the
// batch commits it, with the counters summed, once the batch before it is
// done. Every caller thus writes at most one batch, its own.
func (s *Service) writeLog(linkID string, vis Visitor, e Entry, count bool) {
	e.Time = s.now()
	e.Address = vis.Addr
	e.UserAgent = vis.UserAgent
	if len(e.UserAgent) > 400 {
		e.UserAgent = e.UserAgent[:400]
	}
	id, err := uuid.NewV7()
	if err != nil {
		return
	}
	w := logWrite{linkID: linkID, id: id.String(), entry: e, count: count}

	s.logMu.Lock()
	var b *logBatch
	opened := false
	if n := len(s.logQueue); n > 0 && len(s.logQueue[n-1].writes) < logBatchMax {
		b = s.logQueue[n-1]
	} else {
		b = &logBatch{turn: make(chan struct{}), done: make(chan struct{})}
		s.logQueue = append(s.logQueue, b)
		opened = true
		if !s.logWriting {
			s.logWriting = true
			close(b.turn)
		}
	}
	b.writes = append(b.writes, w)
	s.logMu.Unlock()

	if opened {
		<-b.turn
		s.commitLog(b)
	}
	<-b.done
}

// commitLog stores batch b, the first of the queue, then hands the turn
// to the next batch.
func (s *Service) commitLog(b *logBatch) {
	s.logMu.Lock()
	s.logQueue[0] = nil
	s.logQueue = s.logQueue[1:] // b takes no more entries
	s.logMu.Unlock()
	defer func() {
		close(b.done)
		s.logMu.Lock()
		if len(s.logQueue) > 0 {
			close(s.logQueue[0].turn)
		} else {
			s.logWriting = false
		}
		s.logMu.Unlock()
	}()

	type counters struct{ views, downloads int }
	err := s.Store.Update(func(tx *store.Tx) error {
		tx.Bookkeeping() // entries and counters: no page shows them (store.Changes)
		counts := map[string]counters{}
		for _, w := range b.writes {
			if err := tx.Put(store.PrefixShareLog+w.linkID+"/"+w.id, w.entry); err != nil {
				return err
			}
			if !w.count {
				continue
			}
			c := counts[w.linkID]
			switch w.entry.Action {
			case "view":
				c.views++
			case "download", "zip":
				c.downloads++
			default:
				continue
			}
			counts[w.linkID] = c
		}
		for id, c := range counts {
			l, err := getLink(tx, id)
			if err != nil {
				continue // deleted meanwhile
			}
			l.Views += c.views
			l.Downloads += c.downloads
			if err := putLink(tx, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && s.Log != nil {
		var links []string
		for _, w := range b.writes {
			if !slices.Contains(links, w.linkID) {
				links = append(links, w.linkID)
			}
		}
		s.Log.Warn("access log write failed", slog.Int("entries", len(b.writes)), slog.Any("links", links), slog.Any("err", err))
	}
}

// AccessLog returns the access log of share link id, newest first.
func (s *Service) AccessLog(v assets.Viewer, id string) ([]Entry, error) {
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managed(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.readLog(id)
}

// ReviewAccessLog returns the access log of review link id, newest first.
func (s *Service) ReviewAccessLog(v assets.Viewer, id string) ([]Entry, error) {
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managedReview(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.readLog(id)
}

func (s *Service) readLog(linkID string) ([]Entry, error) {
	out := []Entry{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLog+linkID+"/", func(_ string, b []byte) error {
			var e Entry
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, err
}
