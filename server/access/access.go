// Package access is Ferry's one access policy: it answers "may this viewer
// do this action on this asset, link or project" for every kind of viewer
// (admin, member, API token, link visitor). It knows no HTTP. Decisions that
// depend on content are taken at access time on the asset reached, and a
// link never gives its visitors more than its creator may do at that moment.
//
// Members' folder privileges live in server/assets (Rights, inherited by
// subfolders); this package combines them with what a link allows.
package access

import (
	"strings"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Action is something a viewer does with an asset.
type Action string

// Actions, least first. Each needs a member access level (see Level).
const (
	See      Action = "see"      // list it, read its name and metadata
	Preview  Action = "preview"  // look at a rendition (thumb, preview, large) or play it
	Download Action = "download" // take the original, an attachment or a rendition as a file
	Upload   Action = "upload"   // add files, folders and versions into it
	Modify   Action = "modify"   // rename, move, copy, delete, version from elsewhere
)

// Level is the member access level an action needs.
func Level(a Action) string {
	switch a {
	case See, Preview:
		return assets.AccessPreview
	case Download:
		return assets.AccessDownload
	case Upload:
		return assets.AccessUpload
	}
	return assets.AccessFull
}

// Policy decides. Its zero value is not usable: it reads the store.
type Policy struct {
	Store  *store.Store
	Assets *assets.Service
}

// New returns the policy over st and as.
func New(st *store.Store, as *assets.Service) *Policy { return &Policy{Store: st, Assets: as} }

// Member checks that member (or admin) v may do act on asset id; what names
// the action for the 403 answer. Members' rights come from their folder
// privileges; admins and project owners have all rights.
func (p *Policy) Member(v assets.Viewer, id string, act Action, what string) error {
	return p.Assets.Require(v, id, Level(act), what)
}

// MayShare checks that member v holds the share privilege on asset id.
func (p *Policy) MayShare(v assets.Viewer, id string) error { return p.Assets.RequireShare(v, id) }

// MayManageLink reports whether v manages a link made by ownerID in
// projectID: its creator, the project's owner, or an admin. Managing is
// editing, resending, changing the password, adding and removing items,
// reading the access log and registrations, and revoking.
func (p *Policy) MayManageLink(v assets.Viewer, ownerID, projectID string) bool {
	if v.Admin || ownerID != "" && ownerID == v.UserID {
		return true
	}
	pr, err := p.Assets.GetProject(v, projectID)
	return err == nil && pr.OwnerID == v.UserID
}

// ManageLink is MayManageLink as an error naming who may.
func (p *Policy) ManageLink(v assets.Viewer, ownerID, ownerName, projectID string) error {
	if p.MayManageLink(v, ownerID, projectID) {
		return nil
	}
	return errs.New(errs.Forbidden, "not_link_manager", "only %s (who made this link), the project's owner or an admin may manage it", ownerName)
}

// Creator is a link's creator as the policy sees them during one request:
// their account now and their rights, cached per folder.
type Creator struct {
	p      *Policy
	viewer assets.Viewer
	ok     bool // the account exists and is enabled
	cache  map[string]assets.Rights
}

// Creator loads the creator of a link (user id) as they are now: a
// disabled or deleted account grants nothing, a demoted admin only what
// their privileges give.
func (p *Policy) Creator(userID string) *Creator {
	c := &Creator{p: p, cache: map[string]assets.Rights{}}
	u, err := auth.LookupUser(p.Store, userID)
	if err != nil || u.Disabled || userID == "" {
		return c
	}
	c.ok = true
	c.viewer = assets.Viewer{UserID: u.ID, Name: u.Name, Admin: u.IsAdmin()}
	return c
}

// None are the rights of someone who may not even see an asset.
var None = assets.Rights{}

// On returns the creator's rights on asset a now: None when they cannot
// see its project (any more). Privileges are set on folders only, so a
// file's rights are those of the folder (or stack) holding it.
func (c *Creator) On(a assets.Asset) assets.Rights {
	if !c.ok {
		return None
	}
	key := a.ID
	if a.Type != assets.TypeFolder && a.ParentID != "" {
		key = a.ParentID
	}
	if r, ok := c.cache[key]; ok {
		return r
	}
	r, err := c.p.Assets.RightsOf(c.viewer, a)
	if err != nil {
		r = None
	}
	c.cache[key] = r
	return r
}

// Grant is what a link lets its visitors do, read from its settings at
// the moment of access (never from what they were when it was made).
type Grant struct {
	See         bool     // visitors see its content (not an upload-only link)
	Downloads   bool     // visitors may download anything at all
	Original    bool     // originals (to download, or to play inline)
	Attachments bool     // attachments of its files
	View        []string // renditions shown to look at (or play): names, or the groups "video" and "audio"
	Proxies     []string // renditions offered as downloads, likewise
	Upload      bool     // visitors may upload
	Modify      bool     // visitors may rename, move, copy and delete
}

func has(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func errHidden() error { return errs.NotFoundf("no such file in this link") }

func errNotDownloadable(what string) error {
	return errs.New(errs.Forbidden, "download_not_allowed", "%s", what)
}

func errCreator(what string) error {
	return errs.New(errs.Forbidden, "not_permitted", "the person who made this link may not %s here any more", what)
}

// Visible reports whether a visitor of a link made by c sees asset a at
// all: the creator must still see it and hold the share privilege where it
// is (a link to a parent folder never reveals a subfolder its creator may
// not share from).
func (c *Creator) Visible(a assets.Asset) bool {
	r := c.On(a)
	return r.Share && r.Allows(assets.AccessPreview)
}

// Playable renditions come in groups a grant names: "video" covers every
// video proxy ("video_540", "video_720", ...), "audio" the audio proxy.
const (
	GroupVideo = "video"
	GroupAudio = "audio"
)

// group is the grant entry that covers rendition name.
func group(name string) string {
	switch {
	case name == "audio":
		return GroupAudio
	case strings.HasPrefix(name, "video_"):
		return GroupVideo
	case name == assets.Sprite:
		return "thumb" // a strip of thumbnails: whoever sees thumbs sees it
	}
	return name
}

// Rendition decides whether a visitor of a link with grant g, made by c,
// may have rendition name ("original", "thumb", "preview", "large", a
// video proxy "video_720", the audio proxy "audio") of file a
// (attachment: an attachment of a file of the link), to look at or, with
// download, as a file. Renditions to look at (watching a proxy is looking)
// need only what the link shows; downloads need the link to allow them and
// the creator's download access on the folder a is in.
func (c *Creator) Rendition(g Grant, a assets.Asset, attachment bool, name string, download bool) error {
	if !g.See || !c.Visible(a) {
		return errHidden()
	}
	switch {
	case name == "original":
		if !g.Downloads {
			return errNotDownloadable("this link allows previews only, no downloads")
		}
		if attachment && !g.Attachments || !attachment && !g.Original {
			return errNotDownloadable("this link does not allow downloading originals")
		}
		if !c.On(a).Allows(assets.AccessDownload) {
			return errCreator("download originals")
		}
		return nil
	case name == "thumb" || name == "preview" || name == "large" || name == assets.Sprite || assets.Playable(name):
		if !a.HasRendition(name) {
			return errs.New(errs.NotFound, "no_rendition", "%s has no %s", a.Name, name)
		}
		if download {
			if !g.Downloads {
				return errNotDownloadable("this link allows previews only, no downloads")
			}
			if !has(g.Proxies, group(name)) {
				return errNotDownloadable("this link does not allow downloading the " + name + " rendition")
			}
			if !c.On(a).Allows(assets.AccessDownload) {
				return errCreator("download files")
			}
			return nil
		}
		if !has(g.View, group(name)) {
			return errNotDownloadable("this link does not allow the " + name + " rendition")
		}
		return nil
	}
	return errs.New(errs.NotFound, "unknown_rendition", "unknown rendition %q: original, thumb, preview, large, sprite, video_<height> or audio", name)
}

// Act decides whether a visitor of a link with grant g, made by c, may do
// act (Upload or Modify; Download for a copy's source) on asset a of the
// link.
func (c *Creator) Act(g Grant, a assets.Asset, act Action) error {
	// Uploads reveal nothing, so they need no share privilege (upload
	// links are made without one); everything else shows a's content.
	if act != Upload && !c.Visible(a) {
		return errHidden()
	}
	switch act {
	case Upload:
		if !g.Upload {
			return errs.New(errs.Forbidden, "uploads_not_allowed", "this link does not take uploads")
		}
	case Modify:
		if !g.Modify {
			return errs.New(errs.Forbidden, "not_allowed", "visitors of this link cannot change files")
		}
	case Download:
		if !g.Downloads {
			return errNotDownloadable("this link allows previews only, no downloads")
		}
	}
	if !c.On(a).Allows(Level(act)) {
		return errCreator(string(act))
	}
	return nil
}

// TokenMay reports whether an API token carrying scopes may call a route
// that needs scope ("" needs none). It is the first half of a token's
// rights; the second is its user's, checked as for a member.
func TokenMay(scopes []string, scope string) bool {
	return scope == "" || has(scopes, scope)
}
