package access_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// world is a project with a restricted subfolder, a version stack and an
// attachment, and one user of every kind, in a real Badger.
type world struct {
	policy  *access.Policy
	as      *assets.Service
	users   *auth.Service
	ids     map[string]string // user kind → user id
	project assets.Project
	private assets.Asset // /Private
	open    assets.Asset // /open.jpg
	secret  assets.Asset // /Private/secret.jpg
	oldVer  assets.Asset // version 1 in /Stack (a stack in the root)
	attach  assets.Asset // an attachment of /Private/secret.jpg
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{as: &assets.Service{Store: st, Blobs: storage.Disk{Root: dir},
		IsImage: func(m, _ string) bool { return strings.HasPrefix(m, "image/") }},
		users: &auth.Service{Store: st}, ids: map[string]string{}}
	w.policy = access.New(st, w.as)
	for _, k := range []struct{ kind, role string }{{"admin", auth.RoleAdmin}, {"owner", auth.RoleMember}, {"member", auth.RoleMember},
		{"carol", auth.RoleMember}, {"demoted", auth.RoleAdmin}, {"disabled", auth.RoleMember}, {"outsider", auth.RoleMember}} {
		u, err := w.users.CreateUser(auth.NewUser{Email: k.kind + "@x.example", Name: k.kind, Role: k.role, Password: "a long password 1"})
		if err != nil {
			t.Fatal(err)
		}
		w.ids[k.kind] = u.ID
	}
	owner := w.viewer(t, "owner")
	if w.project, err = w.as.CreateProject(owner, "Agency"); err != nil {
		t.Fatal(err)
	}
	members := []string{w.ids["member"], w.ids["carol"], w.ids["demoted"], w.ids["disabled"]}
	if _, err := w.as.UpdateProject(owner, w.project.ID, assets.ProjectPatch{MemberIDs: &members}); err != nil {
		t.Fatal(err)
	}
	root := w.project.RootAssetID
	w.private, _ = w.as.CreateFolder(owner, root, "Private")
	w.open = w.upload(t, dir, owner, assets.UploadRequest{Name: "open.jpg", ParentID: root})
	w.secret = w.upload(t, dir, owner, assets.UploadRequest{Name: "secret.jpg", ParentID: w.private.ID})
	w.attach = w.upload(t, dir, owner, assets.UploadRequest{Name: "notes.txt", AttachmentOf: w.secret.ID})
	w.oldVer = w.upload(t, dir, owner, assets.UploadRequest{Name: "cut.jpg", ParentID: root})
	next := w.upload(t, dir, owner, assets.UploadRequest{Name: "cut2.jpg", ParentID: root})
	if _, err := w.as.AddVersion(owner, w.oldVer.ID, next.ID); err != nil {
		t.Fatal(err)
	}
	if w.oldVer, err = w.as.GetAsset(owner, w.oldVer.ID); err != nil {
		t.Fatal(err)
	}

	admin := w.viewer(t, "admin")
	set := func(kind string, r assets.Rights) {
		if _, err := w.as.SetPrivilege(admin, w.ids[kind], w.private.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	set("carol", assets.Rights{Access: assets.AccessPreview, Share: false})
	set("demoted", assets.Rights{Access: assets.AccessPreview, Share: true})
	role, off := auth.RoleMember, true
	if _, err := w.users.UpdateUser(w.ids["demoted"], auth.UserPatch{Role: &role}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.users.UpdateUser(w.ids["disabled"], auth.UserPatch{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) viewer(t *testing.T, kind string) assets.Viewer {
	t.Helper()
	u, err := w.users.GetUser(w.ids[kind])
	if err != nil {
		t.Fatal(err)
	}
	return assets.Viewer{UserID: u.ID, Name: u.Name, Admin: u.IsAdmin()}
}

func (w *world) upload(t *testing.T, dir string, v assets.Viewer, r assets.UploadRequest) assets.Asset {
	t.Helper()
	data := "bytes of " + r.Name
	r.Size = int64(len(data))
	up, err := w.as.PrepareUpload(v, r, 1<<30)
	if err != nil {
		t.Fatalf("prepare %s: %v", r.Name, err)
	}
	if err := w.as.SavePending(up); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "upload-"+up.ID)
	if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := w.as.Complete(up.ID, tmp)
	if err != nil {
		t.Fatal(err)
	}
	a.ProxyStatus = assets.ProxyReady // as if the renditions were made
	return a
}

// outcome names a decision: "ok", or the error's status and code.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	e, ok := errs.As(err)
	if !ok {
		return "error: " + err.Error()
	}
	return e.Code
}

// What a link's visitor may do, by who made the link (as they are now) ×
// where the asset is × what the visitor asks, for a link that allows
// everything, a previews-only link and a review link without downloads.
func TestLinkVisitorMatrix(t *testing.T) {
	w := newWorld(t)
	full := access.Grant{See: true, Downloads: true, Original: true, Attachments: true, View: []string{"thumb", "preview", "large"},
		Proxies: []string{"thumb", "preview", "large"}, Upload: true, Modify: true}
	previews := access.Grant{See: true, View: []string{"thumb", "preview"}}
	review := access.Grant{See: true, View: []string{"thumb", "preview", "large"}, Proxies: []string{"thumb", "preview", "large"}}
	type ask struct {
		name       string
		rendition  string
		download   bool
		attachment bool
	}
	asks := []ask{{"view thumb", "thumb", false, false}, {"view large", "large", false, false}, {"download large", "large", true, false},
		{"original", "original", false, false}, {"download original", "original", true, false}}
	const hidden, creator, link = "not_found", "not_permitted", "download_not_allowed"
	for _, tc := range []struct {
		creator string
		grant   string
		asset   string
		want    []string // one per ask
	}{
		{"admin", "full", "secret", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"owner", "full", "secret", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"member", "full", "secret", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"member", "full", "oldVer", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"carol", "full", "open", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"carol", "full", "secret", []string{hidden, hidden, hidden, hidden, hidden}}, // no share privilege there
		{"demoted", "full", "open", []string{"ok", "ok", "ok", "ok", "ok"}},
		{"demoted", "full", "secret", []string{"ok", "ok", creator, creator, creator}}, // preview access there
		{"disabled", "full", "open", []string{hidden, hidden, hidden, hidden, hidden}},
		{"outsider", "full", "open", []string{hidden, hidden, hidden, hidden, hidden}},
		{"admin", "previews", "open", []string{"ok", link, link, link, link}},
		{"demoted", "previews", "secret", []string{"ok", link, link, link, link}},
		{"admin", "review", "open", []string{"ok", "ok", link, link, link}},
		{"demoted", "review", "secret", []string{"ok", "ok", link, link, link}},
		{"carol", "review", "secret", []string{hidden, hidden, hidden, hidden, hidden}},
	} {
		g := map[string]access.Grant{"full": full, "previews": previews, "review": review}[tc.grant]
		a := map[string]assets.Asset{"open": w.open, "secret": w.secret, "oldVer": w.oldVer}[tc.asset]
		a.ProxyStatus = assets.ProxyReady
		c := w.policy.Creator(w.ids[tc.creator])
		for i, q := range asks {
			if got := outcome(c.Rendition(g, a, q.attachment, q.rendition, q.download)); got != tc.want[i] {
				t.Errorf("link by %s (%s) on %s, %s: %s, want %s", tc.creator, tc.grant, tc.asset, q.name, got, tc.want[i])
			}
		}
	}

	// Attachments follow the file they belong to, and the link's own switch.
	noAttachments := full
	noAttachments.Attachments = false
	for _, tc := range []struct {
		creator string
		grant   access.Grant
		want    string
	}{
		{"admin", full, "ok"}, {"admin", noAttachments, link}, {"demoted", full, creator}, {"carol", full, hidden},
	} {
		if got := outcome(w.policy.Creator(w.ids[tc.creator]).Rendition(tc.grant, w.attach, true, "original", true)); got != tc.want {
			t.Errorf("attachment through a link by %s: %s, want %s", tc.creator, got, tc.want)
		}
	}

	// Uploads and changes through a link: never more than the creator may do.
	for _, tc := range []struct {
		creator string
		act     access.Action
		asset   assets.Asset
		want    string
	}{
		{"admin", access.Upload, w.private, "ok"},
		{"member", access.Modify, w.secret, "ok"},
		{"carol", access.Upload, w.private, creator}, // upload needs no share privilege, but upload access
		{"carol", access.Modify, w.secret, hidden},
		{"demoted", access.Upload, w.private, creator},
		{"demoted", access.Modify, w.open, "ok"},
		{"demoted", access.Download, w.secret, creator},
		{"disabled", access.Upload, w.private, creator},
	} {
		if got := outcome(w.policy.Creator(w.ids[tc.creator]).Act(full, tc.asset, tc.act)); got != tc.want {
			t.Errorf("%s through a link by %s on %s: %s, want %s", tc.act, tc.creator, tc.asset.Name, got, tc.want)
		}
	}
	if got := outcome(w.policy.Creator(w.ids["admin"]).Act(previews, w.private, access.Upload)); got != "uploads_not_allowed" {
		t.Errorf("upload through a previews link: %s", got)
	}
}

// Members act on their own rights; tokens reach the same check with
// their user's viewer (their scopes are checked by the route table).
func TestMemberMatrix(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		who   string
		asset assets.Asset
		act   access.Action
		want  string
	}{
		{"admin", w.secret, access.Modify, "ok"},
		{"owner", w.secret, access.Modify, "ok"},
		{"member", w.secret, access.Download, "ok"},
		{"carol", w.open, access.Modify, "ok"},
		{"carol", w.secret, access.See, "ok"},
		{"carol", w.secret, access.Preview, "ok"},
		{"carol", w.secret, access.Download, "not_permitted"},
		{"carol", w.attach, access.Download, "not_permitted"},
		{"carol", w.private, access.Upload, "not_permitted"},
		{"carol", w.secret, access.Modify, "not_permitted"},
		{"demoted", w.secret, access.Download, "not_permitted"}, // no longer an admin
		{"outsider", w.open, access.See, "not_found"},
	} {
		if got := outcome(w.policy.Member(w.viewer(t, tc.who), tc.asset.ID, tc.act, string(tc.act))); got != tc.want {
			t.Errorf("%s %s %s: %s, want %s", tc.who, tc.act, tc.asset.Name, got, tc.want)
		}
	}
	if got := outcome(w.policy.MayShare(w.viewer(t, "carol"), w.secret.ID)); got != "not_permitted" {
		t.Errorf("carol shares from /Private: %s", got)
	}
	if got := outcome(w.policy.MayShare(w.viewer(t, "carol"), w.open.ID)); got != "ok" {
		t.Errorf("carol shares from the root: %s", got)
	}
}

// Managing a link: its creator, the project's owner and admins.
func TestManageLink(t *testing.T) {
	w := newWorld(t)
	creator := w.ids["carol"]
	for _, tc := range []struct {
		who  string
		want bool
	}{
		{"carol", true}, {"owner", true}, {"admin", true}, {"member", false}, {"demoted", false}, {"outsider", false},
	} {
		if got := w.policy.MayManageLink(w.viewer(t, tc.who), creator, w.project.ID); got != tc.want {
			t.Errorf("%s manages Carol's link: %v, want %v", tc.who, got, tc.want)
		}
	}
	err := w.policy.ManageLink(w.viewer(t, "member"), creator, "Carol", w.project.ID)
	if e, ok := errs.As(err); !ok || e.Code != "not_link_manager" || e.Kind != errs.Forbidden {
		t.Errorf("refusal: %v", err)
	}
	if w.policy.MayManageLink(w.viewer(t, "member"), "", w.project.ID) {
		t.Error("a link without a creator is managed by any member")
	}
}

// A token: its scopes AND its user's rights.
func TestTokenMatrix(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		who    string
		scopes []string
		scope  string
		asset  assets.Asset
		act    access.Action
		want   string
	}{
		{"admin", []string{"assets.read"}, "assets.read", w.secret, access.Download, "ok"},
		{"admin", []string{"projects.read"}, "assets.read", w.secret, access.Download, "insufficient_scope"},
		{"carol", []string{"assets.read"}, "assets.read", w.open, access.Download, "ok"},
		{"carol", []string{"assets.read"}, "assets.read", w.secret, access.Download, "not_permitted"}, // every scope, not every right
		{"carol", []string{"assets.read", "assets.update"}, "assets.update", w.secret, access.Modify, "not_permitted"},
		{"member", []string{"assets.read"}, "assets.delete", w.open, access.Modify, "insufficient_scope"},
		{"member", nil, "", w.open, access.See, "ok"}, // routes without a scope
	} {
		got := "insufficient_scope"
		if access.TokenMay(tc.scopes, tc.scope) {
			got = outcome(w.policy.Member(w.viewer(t, tc.who), tc.asset.ID, tc.act, string(tc.act)))
		}
		if got != tc.want {
			t.Errorf("%s's token %v on %s (%s %s): %s, want %s", tc.who, tc.scopes, tc.scope, tc.act, tc.asset.Name, got, tc.want)
		}
	}
}

// Watching a video proxy is looking, as previews are: allowed wherever a
// link shows previews, downloadable only where the link lets visitors
// download the "video" group, and only once the proxy exists.
func TestVideoProxyIsViewing(t *testing.T) {
	w := newWorld(t)
	video := w.open
	video.ProxyStatus, video.Renditions = assets.ProxyReady, []string{"video_720"}
	previews := access.Grant{See: true, View: []string{"thumb", "preview", access.GroupVideo, access.GroupAudio}}
	review := access.Grant{See: true, View: []string{"thumb", "preview", "large", access.GroupVideo, access.GroupAudio}}
	full := access.Grant{See: true, Downloads: true, Original: true, View: previews.View, Proxies: []string{"preview", access.GroupVideo}}
	picturesOnly := full
	picturesOnly.Proxies = []string{"preview"}
	watermarked := access.Grant{See: true, View: []string{"thumb", "preview"}}
	sprited := video
	sprited.SpriteFrames = 10
	const link, none = "download_not_allowed", "no_rendition"
	for _, tc := range []struct {
		name      string
		creator   string
		grant     access.Grant
		asset     assets.Asset
		rendition string
		download  bool
		want      string
	}{
		{"previews-only link plays the proxy", "admin", previews, video, "video_720", false, "ok"},
		{"previews-only link does not download it", "admin", previews, video, "video_720", true, link},
		{"nor the original", "admin", previews, video, "original", false, link},
		{"review link without downloads plays it", "member", review, video, "video_720", false, "ok"},
		{"review link without downloads does not download it", "member", review, video, "video_720", true, link},
		{"a link allowing the video group downloads it", "admin", full, video, "video_720", true, "ok"},
		{"a link allowing pictures only does not", "admin", picturesOnly, video, "video_720", true, link},
		{"a creator with preview access there cannot download it", "demoted", full, func() assets.Asset { a := w.secret; a.Renditions = video.Renditions; return a }(), "video_720", true, "not_permitted"},
		{"a proxy not made is not there", "admin", previews, video, "video_1080", false, none},
		{"no audio proxy of a video", "admin", previews, video, "audio", false, none},
		{"a watermarked link plays no clean proxy", "admin", watermarked, video, "video_720", false, link},
		{"a creator who cannot share there reveals nothing", "carol", previews, func() assets.Asset { a := w.secret; a.Renditions = video.Renditions; return a }(), "video_720", false, "not_found"},
		{"unknown names are refused", "admin", full, video, "video_../x", false, "no_rendition"},
		// The frame strip is thumbnails: seen wherever thumbs are.
		{"a previews-only link shows the frame strip", "admin", previews, sprited, assets.Sprite, false, "ok"},
		{"a link without thumbs does not", "admin", access.Grant{See: true, View: []string{access.GroupVideo}}, sprited, assets.Sprite, false, link},
		{"a strip not made is not there", "admin", previews, video, assets.Sprite, false, none},
		{"a creator who cannot share there reveals no strip", "carol", previews, func() assets.Asset { a := w.secret; a.SpriteFrames = 10; return a }(), assets.Sprite, false, "not_found"},
	} {
		got := outcome(w.policy.Creator(w.ids[tc.creator]).Rendition(tc.grant, tc.asset, false, tc.rendition, tc.download))
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
