package api_test

import (
	"archive/zip"
	"bytes"
	"image/color"
	"sort"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// The tests of issue 17's content-access holes. In each, Carol is a
// member of the project with {"access":"preview","share":false} on
// /Private; the admin owns the project.

type accessFixture struct {
	s        *testkit.Server
	admin    *testkit.Client
	carol    *testkit.Client
	carolID  string
	dan      *testkit.Client // another member, with no privilege records
	project  string
	root     string
	private  string // the /Private folder
	open     string // an image in the root
	secret   string // an image in /Private
	carols   string // an image Carol uploaded into the root
	openData []byte
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	s := start(t)
	f := &accessFixture{s: s, admin: s.Admin(t)}
	f.project, f.root = linkProject(t, f.admin, "Agency")
	f.private = mkdir(t, f.admin, f.root, "Private")
	f.openData = jpegBytes(t, 300, 200, color.RGBA{200, 40, 40, 255})
	f.open = f.admin.Upload(f.root, "open.jpg", f.openData, "filetype", "image/jpeg")
	f.secret = f.admin.Upload(f.private, "secret.jpg", jpegBytes(t, 300, 200, color.RGBA{40, 40, 200, 255}), "filetype", "image/jpeg")
	carol := createMember(t, f.admin, "carol@x.example", "carol password 123")
	dan := createMember(t, f.admin, "dan@x.example", "dan password 1234")
	f.carolID = carol.ID
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{carol.ID, dan.ID})}, nil), 200, "")
	f.setCarol(t, "preview", false)
	f.carol = s.Login(t, "carol@x.example", "carol password 123")
	f.dan = s.Login(t, "dan@x.example", "dan password 1234")
	f.carols = f.carol.Upload(f.root, "carol.jpg", jpegBytes(t, 300, 200, color.RGBA{40, 200, 40, 255}), "filetype", "image/jpeg")
	waitReady(t, f.admin, f.open, f.secret, f.carols)
	return f
}

// setCarol records Carol's privilege on /Private.
func (f *accessFixture) setCarol(t *testing.T, access string, share bool) {
	t.Helper()
	wantStatus(t, "privilege", f.admin.Do("PUT", "/api/v2/users/"+f.carolID+"/privileges/"+f.private,
		model.PrivilegeInput{Access: access, Share: model.Ptr(share)}, nil), 200, "")
}

// zipNames lists the entries of the ZIP of link key as c gets it.
func zipNames(t *testing.T, c *testkit.Client, key string) []string {
	t.Helper()
	res, b := get(t, c, "/api/v2/public/links/"+key+"/zip")
	if res.StatusCode != 200 {
		t.Fatalf("zip: %d %s", res.StatusCode, b)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range z.File {
		out = append(out, e.Name)
	}
	sort.Strings(out)
	return out
}

func itemNames(p model.PublicShare) string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Hole 1: a link to the parent folder reached /Private's originals and put
// them in the ZIP. Now a subfolder's content follows the creator's rights
// there, read at each visit.
func TestAccessParentFolderLinkFollowsSubfolderPrivileges(t *testing.T) {
	f := newAccessFixture(t)
	l := createShare(t, f.carol, model.NewShareLink{Kind: "public", FolderID: f.root, AllowOriginal: model.Ptr(true)})
	v := f.s.Client(t)
	page := func() model.PublicShare {
		t.Helper()
		var p model.PublicShare
		wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &p), 200, "")
		return p
	}
	base := "/api/v2/public/links/" + l.Key + "/assets/"

	// No share privilege on /Private: the link shows nothing of it.
	if got := itemNames(page()); got != "carol.jpg,open.jpg" {
		t.Fatalf("items: %s", got)
	}
	wantStatus(t, "private original", v.Do("GET", base+f.secret+"/original?download=1", nil, nil), 404, "")
	wantStatus(t, "private thumb", v.Do("GET", base+f.secret+"/thumb", nil, nil), 404, "")
	if res, b := get(t, v, base+f.open+"/original?download=1"); res.StatusCode != 200 || !bytes.Equal(b, f.openData) {
		t.Fatalf("open original: %d", res.StatusCode)
	}
	if got := strings.Join(zipNames(t, v, l.Key), ","); got != "carol.jpg,open.jpg" {
		t.Fatalf("zip: %s", got)
	}

	// Share privilege with preview access: previews there, no downloads.
	f.setCarol(t, "preview", true)
	p := page()
	if got := itemNames(p); got != "carol.jpg,open.jpg,secret.jpg" {
		t.Fatalf("items with preview: %s", got)
	}
	for _, it := range p.Items {
		if it.Name == "secret.jpg" && len(it.Downloads) != 0 {
			t.Fatalf("downloads offered for a preview-only file: %+v", it.Downloads)
		}
	}
	wantStatus(t, "private thumb", v.Do("GET", base+f.secret+"/thumb", nil, nil), 200, "")
	wantStatus(t, "private original", v.Do("GET", base+f.secret+"/original?download=1", nil, nil), 403, "not_permitted")
	wantStatus(t, "private original inline", v.Do("GET", base+f.secret+"/original", nil, nil), 403, "not_permitted")
	if got := strings.Join(zipNames(t, v, l.Key), ","); got != "carol.jpg,open.jpg" {
		t.Fatalf("zip with preview: %s", got)
	}

	// Download access: the link serves it like the rest.
	f.setCarol(t, "download", true)
	wantStatus(t, "private original with download", v.Do("GET", base+f.secret+"/original?download=1", nil, nil), 200, "")

	// A disabled creator's link serves nothing.
	wantStatus(t, "disable", f.admin.Do("PUT", "/api/v2/users/"+f.carolID, model.UserPatch{Disabled: model.Ptr(true)}, nil), 200, "")
	if got := itemNames(page()); got != "" {
		t.Fatalf("items of a disabled creator: %s", got)
	}
	wantStatus(t, "open original of a disabled creator", v.Do("GET", base+f.open+"/original?download=1", nil, nil), 404, "")

	// The admin's own link to the root still reaches everything.
	al := createShare(t, f.admin, model.NewShareLink{Kind: "public", FolderID: f.root, AllowOriginal: model.Ptr(true)})
	wantStatus(t, "admin link private original", v.Do("GET", "/api/v2/public/links/"+al.Key+"/assets/"+f.secret+"/original?download=1", nil, nil), 200, "")
}

// Hole 2: review links did not check privileges.
func TestAccessReviewLinkChecksPrivileges(t *testing.T) {
	f := newAccessFixture(t)
	var rl model.ReviewLink
	wantStatus(t, "create", f.carol.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Look"), EnableDownloading: model.Ptr(true)}, &rl), 201, "")
	wantStatus(t, "add a private file", f.carol.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.secret}}, nil), 403, "not_permitted")
	var items []model.ReviewLinkItem
	wantStatus(t, "items", f.carol.Do("GET", "/api/v2/review_links/"+rl.ID+"/items", nil, &items), 200, "")
	if len(items) != 0 {
		t.Fatalf("refused add left items: %+v", items)
	}
	v := f.s.Client(t)
	wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, nil), 200, "")
	wantStatus(t, "private original", v.Do("GET", "/api/v2/public/links/"+rl.Key+"/assets/"+f.secret+"/original?download=1", nil, nil), 404, "")

	// With the share privilege but preview access: reviewers look, never download.
	f.setCarol(t, "preview", true)
	wantStatus(t, "add with share", f.carol.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.secret}}, nil), 200, "")
	base := "/api/v2/public/links/" + rl.Key + "/assets/" + f.secret
	wantStatus(t, "thumb", v.Do("GET", base+"/thumb", nil, nil), 200, "")
	wantStatus(t, "original download", v.Do("GET", base+"/original?download=1", nil, nil), 403, "not_permitted")
	wantStatus(t, "original inline", v.Do("GET", base+"/original", nil, nil), 403, "not_permitted")
	var pub model.PublicReview
	wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, &pub), 200, "")
	if len(pub.Items) != 1 || pub.Items[0].DownloadURL != "" || pub.Items[0].MediaURL != "" {
		t.Fatalf("reviewer page offers the original: %+v", pub.Items)
	}

	// Carol loses the share privilege: the item leaves the link.
	f.setCarol(t, "download", false)
	wantStatus(t, "thumb after losing share", v.Do("GET", base+"/thumb", nil, nil), 404, "")
}

// Hole 3: adding an existing file as a version moved it out of a folder
// where its mover had only preview access.
func TestAccessVersionMoveNeedsFullAccess(t *testing.T) {
	f := newAccessFixture(t)
	wantStatus(t, "version", f.carol.Do("POST", "/api/v2/assets/"+f.carols+"/version", model.NewVersion{NextAssetID: f.secret}, nil), 403, "not_permitted")
	if a, st := assetOf(t, f.admin, f.secret); st != 200 || a.ParentID != f.private {
		t.Fatalf("the private file moved: %d %+v", st, a)
	}
	if a, _ := assetOf(t, f.admin, f.carols); a.Type != "file" || a.ParentID != f.root {
		t.Fatalf("Carol's file changed: %+v", a)
	}
	wantStatus(t, "original stays private", f.carol.Do("GET", "/api/v2/assets/"+f.secret+"/original", nil, nil), 403, "not_permitted")
	// With full access there, the same request is a move she may make.
	f.setCarol(t, "full", false)
	wantStatus(t, "version with full", f.carol.Do("POST", "/api/v2/assets/"+f.carols+"/version", model.NewVersion{NextAssetID: f.secret}, nil), 200, "")
}

// Hole 4: changing the assets of a collection a live link shows.
func TestAccessSharedCollectionEdit(t *testing.T) {
	f := newAccessFixture(t)
	var coll model.Collection
	wantStatus(t, "collection", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "Picks", AssetIDs: []string{f.open}}, &coll), 201, "")
	l := createShare(t, f.admin, model.NewShareLink{Kind: "public", CollectionID: coll.ID, AllowOriginal: model.Ptr(true)})
	wantStatus(t, "add the private file", f.carol.Do("PUT", "/api/v2/collections/"+coll.ID, model.CollectionPatch{AssetIDs: model.Ptr([]string{f.open, f.secret})}, nil), 403, "not_link_manager")
	wantStatus(t, "collection", f.admin.Do("GET", "/api/v2/collections/"+coll.ID, nil, &coll), 200, "")
	if len(coll.AssetIDs) != 1 || coll.AssetIDs[0] != f.open {
		t.Fatalf("collection changed: %+v", coll.AssetIDs)
	}
	v := f.s.Client(t)
	wantStatus(t, "private original", v.Do("GET", "/api/v2/public/links/"+l.Key+"/assets/"+f.secret+"/original?download=1", nil, nil), 404, "")

	// Her own shared collection: she manages the link, but may not share /Private.
	var mine model.Collection
	wantStatus(t, "her collection", f.carol.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "Mine", AssetIDs: []string{f.carols}}, &mine), 201, "")
	createShare(t, f.carol, model.NewShareLink{Kind: "public", CollectionID: mine.ID, AllowOriginal: model.Ptr(true)})
	wantStatus(t, "add private to hers", f.carol.Do("PUT", "/api/v2/collections/"+mine.ID, model.CollectionPatch{AssetIDs: model.Ptr([]string{f.carols, f.secret})}, nil), 403, "not_permitted")
	wantStatus(t, "add open to hers", f.carol.Do("PUT", "/api/v2/collections/"+mine.ID, model.CollectionPatch{AssetIDs: model.Ptr([]string{f.carols, f.open})}, nil), 200, "")
}

// Hole 5 and part of 16: any member could edit another member's links,
// resend their upload link (and read the new passcode), and read their
// visitors' addresses and registrations.
func TestAccessOnlyManagersManageLinks(t *testing.T) {
	f := newAccessFixture(t)
	sl := createShare(t, f.carol, model.NewShareLink{Kind: "public", AssetIDs: []string{f.open}, Password: "password-1"})
	var rl model.ReviewLink
	wantStatus(t, "review", f.carol.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), Password: model.Ptr("password-2"), EnableDownloading: model.Ptr(false)}, &rl), 201, "")
	var ul model.UploadLink
	wantStatus(t, "upload link", f.carol.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: f.project, RecipientEmail: "r@x.example"}, &ul), 201, "")

	dan := f.dan
	for _, c := range []struct {
		what, method, path string
		body               any
	}{
		{"edit share link", "PUT", "/api/v2/share_links/" + sl.ID, model.ShareLinkPatch{RemovePassword: true, AllowOriginal: model.Ptr(true)}},
		{"rekey share link", "PUT", "/api/v2/share_links/" + sl.ID, model.ShareLinkPatch{Key: model.Ptr("Mine123")}},
		{"share access log", "GET", "/api/v2/share_links/" + sl.ID + "/access_log", nil},
		{"registrations", "GET", "/api/v2/share_links/" + sl.ID + "/registrations", nil},
		{"recipients", "GET", "/api/v2/share_links/" + sl.ID + "/emails", nil},
		{"share qr", "GET", "/api/v2/share_links/" + sl.ID + "/qr.png", nil},
		{"edit review link", "PUT", "/api/v2/review_links/" + rl.ID, model.ReviewLinkInput{EnableDownloading: model.Ptr(true), RemovePassword: true}},
		{"add review items", "POST", "/api/v2/review_links/" + rl.ID + "/assets", model.ReviewLinkAssets{AssetIDs: []string{f.open}}},
		{"review access log", "GET", "/api/v2/review_links/" + rl.ID + "/access_log", nil},
		{"review qr", "GET", "/api/v2/review_links/" + rl.ID + "/qr.png", nil},
		{"delete review link", "DELETE", "/api/v2/review_links/" + rl.ID, nil},
		{"resend upload link", "POST", "/api/v2/upload_links/" + ul.ID + "/resend", nil},
		{"revoke upload link", "DELETE", "/api/v2/upload_links/" + ul.ID, nil},
	} {
		res := dan.Do(c.method, c.path, c.body, nil)
		b := body(res)
		if res.StatusCode != 403 || testkit.ErrorCode(res) != "not_link_manager" {
			t.Errorf("%s by another member: %d %.200s", c.what, res.StatusCode, b)
		}
		for _, secret := range []string{sl.Key, rl.Key, ul.Key} {
			if strings.Contains(b, secret) {
				t.Errorf("%s answered with a link key: %.200s", c.what, b)
			}
		}
	}
	// Members see that the links exist, without their keys.
	var got model.ShareLink
	wantStatus(t, "get share link", dan.Do("GET", "/api/v2/share_links/"+sl.ID, nil, &got), 200, "")
	if got.ID != sl.ID || got.Key != "" || got.URL != "" || got.EmbedCode != "" {
		t.Errorf("another member sees: %+v", got)
	}
	var list []model.ShareLink
	wantStatus(t, "list", dan.Do("GET", "/api/v2/share_links?project_id="+f.project, nil, &list), 200, "")
	if len(list) != 1 || list[0].Key != "" {
		t.Errorf("list for another member: %+v", list)
	}
	var rgot model.ReviewLink
	wantStatus(t, "get review link", dan.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &rgot), 200, "")
	if rgot.Key != "" || rgot.ShortURL != "" {
		t.Errorf("another member sees the review key: %+v", rgot)
	}
	var ugot model.UploadLink
	wantStatus(t, "get upload link", dan.Do("GET", "/api/v2/upload_links/"+ul.ID, nil, &ugot), 200, "")
	if ugot.Key != "" || ugot.URL != "" || ugot.RecipientEmail != "" {
		t.Errorf("another member sees the upload link's secrets: %+v", ugot)
	}

	// Nothing changed.
	wantStatus(t, "owner reads", f.carol.Do("GET", "/api/v2/share_links/"+sl.ID, nil, &got), 200, "")
	if !got.HasPassword || got.Key != sl.Key {
		t.Errorf("share link changed: %+v", got)
	}
	wantStatus(t, "owner reads review", f.carol.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &rgot), 200, "")
	if !rgot.HasPassword || rgot.EnableDownloading || rgot.ItemCount != 0 {
		t.Errorf("review link changed: %+v", rgot)
	}
	var ustatus model.UploadLink
	wantStatus(t, "owner reads upload link", f.carol.Do("GET", "/api/v2/upload_links/"+ul.ID, nil, &ustatus), 200, "")
	if ustatus.Status == "revoked" {
		t.Error("another member revoked the upload link")
	}

	// The creator, the project's owner and admins manage them.
	wantStatus(t, "creator edits", f.carol.Do("PUT", "/api/v2/share_links/"+sl.ID, model.ShareLinkPatch{Name: model.Ptr("Renamed")}, nil), 200, "")
	wantStatus(t, "admin reads the log", f.admin.Do("GET", "/api/v2/share_links/"+sl.ID+"/access_log", nil, nil), 200, "")
	wantStatus(t, "admin resends", f.admin.Do("POST", "/api/v2/upload_links/"+ul.ID+"/resend", nil, nil), 200, "")
}

// Hole 10: a review link without downloads served the original inline.
func TestAccessReviewOriginalNeedsDownloading(t *testing.T) {
	f := newAccessFixture(t)
	var rl model.ReviewLink
	wantStatus(t, "review", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), EnableDownloading: model.Ptr(false)}, &rl), 201, "")
	wantStatus(t, "add", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.open}}, nil), 200, "")
	v := f.s.Client(t)
	base := "/api/v2/public/links/" + rl.Key + "/assets/" + f.open
	wantStatus(t, "original inline", v.Do("GET", base+"/original", nil, nil), 403, "download_not_allowed")
	wantStatus(t, "original download", v.Do("GET", base+"/original?download=1", nil, nil), 403, "download_not_allowed")
	wantStatus(t, "large download", v.Do("GET", base+"/large?download=1", nil, nil), 403, "download_not_allowed")
	for _, r := range []string{"thumb", "preview", "large"} {
		wantStatus(t, r, v.Do("GET", base+"/"+r, nil, nil), 200, "")
	}
	var pub model.PublicReview
	wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, &pub), 200, "")
	if len(pub.Items) != 1 || pub.Items[0].MediaURL != "" || pub.Items[0].DownloadURL != "" {
		t.Fatalf("page offers the original: %+v", pub.Items)
	}
	wantStatus(t, "enable", f.admin.Do("PUT", "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{EnableDownloading: model.Ptr(true)}, nil), 200, "")
	if res, b := get(t, v, base+"/original"); res.StatusCode != 200 || !bytes.Equal(b, f.openData) {
		t.Fatalf("original with downloads: %d", res.StatusCode)
	}
}

// Hole 14: renditions from the link's settings now; the password rule
// on every link; hidden old versions; password changes end sessions.
func TestAccessLinkSettingsAtAccessTime(t *testing.T) {
	f := newAccessFixture(t)
	v := f.s.Client(t)

	t.Run("previews only drops large", func(t *testing.T) {
		l := createShare(t, f.admin, model.NewShareLink{AssetIDs: []string{f.open}, AllowProxies: []string{"large"}})
		url := "/api/v2/public/links/" + l.Key + "/assets/" + f.open + "/large"
		wantStatus(t, "large while downloads are allowed", v.Do("GET", url, nil, nil), 200, "")
		wantStatus(t, "to previews", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{AllowedActions: model.Ptr("preview")}, nil), 200, "")
		wantStatus(t, "large of a previews-only link", v.Do("GET", url, nil, nil), 403, "download_not_allowed")
		wantStatus(t, "preview", v.Do("GET", "/api/v2/public/links/"+l.Key+"/assets/"+f.open+"/preview", nil, nil), 200, "")
	})

	t.Run("hidden old version cannot be copied", func(t *testing.T) {
		folder := mkdir(t, f.admin, f.root, "Full")
		v1 := f.admin.Upload(folder, "cut-v1.txt", []byte("first cut"))
		v2 := f.admin.Upload(folder, "cut-v2.txt", []byte("second cut"))
		wantStatus(t, "stack", f.admin.Do("POST", "/api/v2/assets/"+v1+"/version", model.NewVersion{NextAssetID: v2}, nil), 200, "")
		l := createShare(t, f.admin, model.NewShareLink{FolderID: folder, AllowedActions: "full"})
		c := f.s.Client(t)
		wantStatus(t, "visit", c.Do("GET", "/api/v2/public/links/"+l.Key, nil, nil), 200, "")
		before := len(children(t, f.admin, folder))
		wantStatus(t, "copy the old version", c.Do("POST", "/api/v2/public/links/"+l.Key+"/assets/"+v1+"/copy", model.CopyTo{}, nil), 404, "")
		wantStatus(t, "rename the old version", c.Do("PUT", "/api/v2/public/links/"+l.Key+"/assets/"+v1, model.AssetPatch{Name: model.Ptr("x.txt")}, nil), 404, "")
		if n := len(children(t, f.admin, folder)); n != before {
			t.Fatalf("the folder went from %d to %d items", before, n)
		}
		wantStatus(t, "copy the newest", c.Do("POST", "/api/v2/public/links/"+l.Key+"/assets/"+v2+"/copy", model.CopyTo{}, nil), 201, "")
	})

	t.Run("password change ends sessions", func(t *testing.T) {
		l := createShare(t, f.admin, model.NewShareLink{AssetIDs: []string{f.open}, Password: "first-password", AllowOriginal: model.Ptr(true)})
		c := f.s.Client(t)
		wantStatus(t, "unlock", c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: "first-password"}, nil), 200, "")
		url := "/api/v2/public/links/" + l.Key + "/assets/" + f.open + "/thumb"
		wantStatus(t, "thumb", c.Do("GET", url, nil, nil), 200, "")
		wantStatus(t, "rename keeps sessions", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{Name: model.Ptr("Renamed")}, nil), 200, "")
		wantStatus(t, "thumb after rename", c.Do("GET", url, nil, nil), 200, "")
		wantStatus(t, "new password", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{Password: model.Ptr("second-password")}, nil), 200, "")
		wantStatus(t, "thumb after the change", c.Do("GET", url, nil, nil), 401, "")
		wantStatus(t, "old password", c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: "first-password"}, nil), 401, "")
		wantStatus(t, "new password", c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: "second-password"}, nil), 200, "")
		wantStatus(t, "thumb with the new one", c.Do("GET", url, nil, nil), 200, "")

		var rl model.ReviewLink
		wantStatus(t, "review", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), Password: model.Ptr("first-password")}, &rl), 201, "")
		wantStatus(t, "add", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.open}}, nil), 200, "")
		wantStatus(t, "review unlock", c.Do("POST", "/api/v2/public/links/"+rl.Key+"/unlock", model.Unlock{Password: "first-password"}, nil), 200, "")
		rurl := "/api/v2/public/links/" + rl.Key + "/assets/" + f.open + "/thumb"
		wantStatus(t, "review thumb", c.Do("GET", rurl, nil, nil), 200, "")
		wantStatus(t, "review new password", f.admin.Do("PUT", "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{Password: model.Ptr("second-password")}, nil), 200, "")
		wantStatus(t, "review thumb after the change", c.Do("GET", rurl, nil, nil), 401, "")
	})

	t.Run("required passwords stay", func(t *testing.T) {
		l := createShare(t, f.admin, model.NewShareLink{AssetIDs: []string{f.open}, Password: "a-password"})
		var rl model.ReviewLink
		wantStatus(t, "review before the rule", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), Password: model.Ptr("a-password")}, &rl), 201, "")
		wantStatus(t, "require", f.admin.Do("PUT", "/api/v2/settings/sharing", model.SharingSettings{RequirePassword: true}, nil), 200, "")
		wantStatus(t, "remove share password", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{RemovePassword: true}, nil), 400, "password_required")
		wantStatus(t, "remove review password", f.admin.Do("PUT", "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{RemovePassword: true}, nil), 400, "password_required")
		wantStatus(t, "review without password", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Open")}, nil), 400, "password_required")
		var got model.ShareLink
		f.admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &got)
		var rgot model.ReviewLink
		f.admin.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &rgot)
		if !got.HasPassword || !rgot.HasPassword {
			t.Fatalf("a password went: share %v, review %v", got.HasPassword, rgot.HasPassword)
		}
		wantStatus(t, "review with password", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Closed"), Password: model.Ptr("a-password")}, nil), 201, "")
	})
}

// Part of hole 16, decided: reviewers see the threads started through
// their own review link, with the team's replies in them; the team's own
// threads and other review links' threads stay internal.
func TestAccessReviewersSeeTheirThreadsOnly(t *testing.T) {
	f := newAccessFixture(t)
	mk := func(name string) model.ReviewLink {
		var rl model.ReviewLink
		wantStatus(t, "review", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr(name)}, &rl), 201, "")
		wantStatus(t, "add", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.open}}, nil), 200, "")
		return rl
	}
	a, b := mk("Client A"), mk("Client B")
	reviewer := func(rl model.ReviewLink, name string) *testkit.Client {
		c := f.s.Client(t)
		wantStatus(t, "open", c.Do("GET", "/api/v2/public/links/"+rl.Key, nil, nil), 200, "")
		wantStatus(t, "name", c.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: name}, nil), 200, "")
		return c
	}
	ra, rb := reviewer(a, "Ann of A"), reviewer(b, "Bob of B")
	var internal, fromA, fromB, reply model.Comment
	wantStatus(t, "internal", f.carol.Do("POST", "/api/v2/assets/"+f.open+"/comments", model.NewComment{Text: "client is difficult"}, &internal), 201, "")
	wantStatus(t, "A", ra.Do("POST", "/api/v2/public/links/"+a.Key+"/assets/"+f.open+"/comments", model.NewComment{Text: "warmer"}, &fromA), 201, "")
	wantStatus(t, "B", rb.Do("POST", "/api/v2/public/links/"+b.Key+"/assets/"+f.open+"/comments", model.NewComment{Text: "cooler"}, &fromB), 201, "")
	wantStatus(t, "reply", f.carol.Do("POST", "/api/v2/comments/"+fromA.ID+"/replies", model.NewComment{Text: "will do"}, &reply), 201, "")
	var seen []model.Comment
	wantStatus(t, "A reads", ra.Do("GET", "/api/v2/public/links/"+a.Key+"/assets/"+f.open+"/comments", nil, &seen), 200, "")
	var texts []string
	for _, c := range seen {
		texts = append(texts, c.Text)
	}
	sort.Strings(texts)
	if strings.Join(texts, "|") != "warmer|will do" {
		t.Fatalf("reviewer A sees %q", texts)
	}
	var pub model.PublicReview
	wantStatus(t, "page", rb.Do("GET", "/api/v2/public/links/"+b.Key, nil, &pub), 200, "")
	if len(pub.Items) != 1 || pub.Items[0].CommentCount != 1 {
		t.Fatalf("reviewer B's count: %+v", pub.Items)
	}
	var all []model.Comment
	wantStatus(t, "team reads", f.carol.Do("GET", "/api/v2/assets/"+f.open+"/comments", nil, &all), 200, "")
	if len(all) != 4 {
		t.Fatalf("the team sees %d comments", len(all))
	}
}

// The creator's rights at the moment of access hold for every kind of
// link: an upload link and a full-access share link stop taking uploads
// and changes where their creator lost upload or full access.
func TestAccessLinksFollowTheirCreatorsRightsNow(t *testing.T) {
	f := newAccessFixture(t)
	f.setCarol(t, "full", true)
	inbox := mkdir(t, f.admin, f.private, "Inbox")
	ul := createLink(t, f.carol, model.NewUploadLink{ProjectID: f.project, FolderID: inbox, RecipientEmail: "r@x.example"})
	sl := createShare(t, f.carol, model.NewShareLink{FolderID: f.private, AllowedActions: "full", AllowOriginal: model.Ptr(true)})
	rc := recipient(t, f.s, ul, ul.Passcode)
	if res := rc.TusCreate(map[string]string{"filename": "a.txt"}, 3, nil); res.StatusCode != 201 {
		t.Fatalf("upload while Carol may: %d %s", res.StatusCode, body(res))
	}
	v := shareVisitorClient(t, f.s, sl.Key)
	wantStatus(t, "visit", v.Do("GET", "/api/v2/public/links/"+sl.Key, nil, nil), 200, "")

	f.setCarol(t, "download", true)
	if res := rc.TusCreate(map[string]string{"filename": "b.txt"}, 3, nil); res.StatusCode != 403 || testkit.ErrorCode(res) != "not_permitted" {
		t.Fatalf("upload after Carol lost upload access: %d %s", res.StatusCode, body(res))
	}
	if st, _ := visitorUpload(t, v, map[string]string{"filename": "c.txt"}, []byte("abc")); st != 403 {
		t.Fatalf("share-link upload after Carol lost upload access: %d", st)
	}
	wantStatus(t, "rename", v.Do("PUT", "/api/v2/public/links/"+sl.Key+"/assets/"+f.secret, model.AssetPatch{Name: model.Ptr("x.jpg")}, nil), 403, "not_permitted")
	wantStatus(t, "delete", v.Do("DELETE", "/api/v2/public/links/"+sl.Key+"/assets/"+f.secret, nil, nil), 403, "not_permitted")
	wantStatus(t, "mkdir", v.Do("POST", "/api/v2/public/links/"+sl.Key+"/folders", model.NewPublicFolder{Name: "New"}, nil), 403, "not_permitted")
	if a, st := assetOf(t, f.admin, f.secret); st != 200 || a.Name != "secret.jpg" {
		t.Fatalf("the file changed: %d %+v", st, a)
	}
	wantStatus(t, "download still", v.Do("GET", "/api/v2/public/links/"+sl.Key+"/assets/"+f.secret+"/original?download=1", nil, nil), 200, "")
}
