package share

import (
	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// folders lists the folder tree of folder link l, its own folder first (path "").
func (s *Service) folders(l Link) ([]PublicFolder, error) {
	admin := assets.Viewer{Admin: true}
	root, err := s.Assets.GetAsset(admin, l.TargetID)
	if err != nil {
		return nil, errNotFound()
	}
	out := []PublicFolder{{ID: root.ID, Name: root.Name}}
	return out, s.subfolders(root.ID, "", 0, s.Policy().Creator(l.OwnerID), &out)
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
		if err := s.collectionFiles(items, creator, add); err != nil {
			return nil, err
		}
	case "folder":
		if _, err := s.Assets.GetAsset(admin, l.TargetID); err != nil {
			return nil, errNotFound()
		}
		if err := s.walkFiles(l.TargetID, "", 0, add); err != nil {
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
	// The policy decides whether the file is inside what the link lists:
	// the file, its stack or a version of it (listed before it was
	// stacked), or a folder above it (a folder link, or a folder shared
	// together with files).
	if !access.Inside(l.lists(coll), sameFile(member, versions), member, s.parentFor(l)) {
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
	p := Public{Kind: ShareKind, Key: l.Key, SiteName: s.SiteName, Name: l.Name, Description: l.Description,
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
	if l.TargetType == "collection" {
		folders, err := s.collectionFolders(l)
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
