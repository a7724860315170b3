package share

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/store"
)

// Every decision about what a link's visitor may do, and who may manage a
// link, is asked of server/access; this file turns links into what the
// policy reads.

// Policy is the access policy over the service's store.
func (s *Service) Policy() *access.Policy { return access.New(s.Store, s.Assets) }

// Grant is what l lets its visitors do, from its settings now: a
// previews-only or upload-only link downloads nothing, whatever it allowed
// before.
func (l Link) Grant() access.Grant {
	v := l.visible()
	// Watching a video or hearing audio through its proxy is viewing, as
	// previews are. A link that shows the watermark plays video only with
	// the mark burned in (RenditionKey serves it, never the clean proxy);
	// audio has no picture to mark, so it plays as it is but is not
	// offered as a download there.
	view := []string{"thumb", "preview", access.GroupVideo, access.GroupAudio}
	g := access.Grant{See: l.CanSee(), Downloads: l.CanDownload(), Original: v.AllowOriginal, Attachments: v.AllowAttachments,
		View: view, Proxies: append([]string{}, v.AllowProxies...), Upload: l.CanUpload(), Modify: l.CanModify()}
	if l.Watermark {
		g.Proxies = slices.DeleteFunc(g.Proxies, func(r string) bool { return r == access.GroupAudio })
	}
	if v.allows("large") {
		g.View = append(g.View, "large")
	}
	return g
}

// Rendition decides whether a visitor of l may have rendition name of file
// a (see access.Creator.Rendition): the link's settings and its creator's
// rights on a, both as they are now.
func (s *Service) Rendition(l Link, a assets.Asset, attachment bool, name string, download bool) error {
	return s.Policy().Creator(l.OwnerID).Rendition(l.Grant(), a, attachment, name, download)
}

// managed loads share link id if v may manage it (see access.MayManageLink).
func (s *Service) managed(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	l, err := s.visible(tx, v, id)
	if err != nil {
		return l, err
	}
	return l, s.Policy().ManageLink(v, l.OwnerID, l.OwnerName, l.ProjectID)
}

// redact takes a link's secrets out of what a member who does not manage
// it sees: they learn that it exists, not how to open it.
func redact(v View) View {
	v.Key, v.URL, v.EmbedURL, v.EmbedCode = "", "", "", ""
	return v
}

// viewFor is l as v sees it: whole for its managers, without its key for
// other members of the project.
func (s *Service) viewFor(tx *store.Tx, v assets.Viewer, l Link) View {
	out := s.view(tx, l, s.now())
	if !s.Policy().MayManageLink(v, l.OwnerID, l.ProjectID) {
		out = redact(out)
	}
	return out
}

// CheckCollectionEdit decides whether v may set the assets of collection
// id to assetIDs (nil: delete the collection). A collection a share link
// shows is that link's content, so changing what it holds is managing the
// link (its creator, the project's owner or an admin), and v must be
// allowed to share what they add.
func (s *Service) CheckCollectionEdit(v assets.Viewer, id string, assetIDs []string) error {
	c, err := s.Assets.GetCollection(v, id)
	if err != nil {
		return err
	}
	had, now := map[string]bool{}, map[string]bool{}
	for _, x := range c.AssetIDs {
		had[x] = true
	}
	var added []string
	for _, x := range assetIDs {
		now[x] = true
		if !had[x] {
			added = append(added, x)
		}
	}
	changed := assetIDs == nil || len(added) > 0
	for x := range had {
		changed = changed || !now[x]
	}
	if !changed {
		return nil
	}
	var shared []Link
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
			if !strings.Contains(string(b), id) {
				return nil
			}
			var l Link
			if json.Unmarshal(b, &l) == nil && l.TargetType == "collection" && l.TargetID == id {
				shared = append(shared, l)
			}
			return nil
		})
	})
	if err != nil || len(shared) == 0 {
		return err
	}
	p := s.Policy()
	for _, l := range shared {
		if err := p.ManageLink(v, l.OwnerID, l.OwnerName, l.ProjectID); err != nil {
			return err
		}
	}
	for _, x := range added {
		if _, err := s.Assets.GetAsset(v, x); err != nil {
			continue // the update answers unknown assets with a 400
		}
		if err := p.MayShare(v, x); err != nil {
			return err
		}
	}
	return nil
}

// Manage returns share link id for v, who must manage it (QR codes, mail).
func (s *Service) Manage(v assets.Viewer, id string) (View, error) {
	var out View
	err := s.Store.View(func(tx *store.Tx) error {
		l, err := s.managed(tx, v, id)
		if err == nil {
			out = s.view(tx, l, s.now())
		}
		return err
	})
	return out, err
}
