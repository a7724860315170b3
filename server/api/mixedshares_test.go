package api_test

import (
	"bytes"
	"image/color"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// mixedFixture is a project with files at the top and two folders:
// "Day 1" (one photo, and "Selects" with one more) and its sibling "Day 2".
type mixedFixture struct {
	*shareFixture
	day1, selects, day2                string // folders
	day1Photo, selectsPhoto, day2Photo string // a photo in each
}

func newMixedFixture(t *testing.T) *mixedFixture {
	t.Helper()
	f := &mixedFixture{shareFixture: newShareFixture(t)}
	api := f.admin.API()
	folder := func(parent, name string) string {
		t.Helper()
		a, err := api.CreateFolder(parent, name)
		wantErr(t, "folder "+name, err, 0, "")
		return a.ID
	}
	photo := func(parent, name string, c color.RGBA) string {
		t.Helper()
		b := jpegBytes(t, 300, 200, c)
		id := f.admin.Upload(parent, name, b, "filetype", "image/jpeg")
		f.data[id] = b
		return id
	}
	f.day1, f.day2 = folder(f.root, "Day 1"), folder(f.root, "Day 2")
	f.selects = folder(f.day1, "Selects")
	f.day1Photo = photo(f.day1, "dock.jpg", color.RGBA{10, 90, 200, 255})
	f.selectsPhoto = photo(f.selects, "crane.jpg", color.RGBA{200, 90, 10, 255})
	f.day2Photo = photo(f.day2, "boat.jpg", color.RGBA{90, 200, 10, 255})
	return f
}

// A share holds any number of files and folders together (Files.com
// seed): visitors see the folders with everything under them, browse them
// by path, download per the link's rights, and Download all keeps the
// folders. Nothing beside what was picked is reachable: not the picked
// file's siblings, not a sibling folder, not through tricks on the path,
// not with another link's session; for anonymous visitors, a signed-in
// admin and a token alike.
func TestShareFilesAndFoldersTogether(t *testing.T) {
	f := newMixedFixture(t)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.day1}, AllowOriginal: model.Ptr(true),
		CollectionName: "For Mia"})
	if l.TargetType != "collection" || l.TargetName != "For Mia" {
		t.Fatalf("files and folders together: %+v", l)
	}
	v := f.s.Client(t)
	var pub model.PublicShare
	wantStatus(t, "visit", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
	paths := map[string]string{}
	for _, it := range pub.Items {
		paths[it.ID] = it.Path
	}
	want := map[string]string{f.images[0]: "", f.day1Photo: "Day 1", f.selectsPhoto: "Day 1/Selects"}
	if len(paths) != len(want) {
		t.Errorf("items %v, want %v", paths, want)
	}
	for id, p := range want {
		if got, ok := paths[id]; !ok || got != p {
			t.Errorf("item %s at %q (listed %v), want %q", id, got, ok, p)
		}
	}
	var folders []string
	for _, d := range pub.Folders {
		folders = append(folders, d.Path+"="+d.ID)
	}
	sort.Strings(folders)
	if strings.Join(folders, ",") != "Day 1/Selects="+f.selects+",Day 1="+f.day1 {
		t.Errorf("folders %v", folders)
	}
	if pub.ZipURL == "" {
		t.Fatalf("no Download all on a download link: %+v", pub)
	}

	// Everything inside downloads, byte for byte.
	for _, id := range []string{f.images[0], f.day1Photo, f.selectsPhoto} {
		if res, b := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+id+"/original"); res.StatusCode != 200 || !bytes.Equal(b, f.data[id]) {
			t.Errorf("original of %s: %d, %d bytes", id, res.StatusCode, len(b))
		}
	}
	// Download all holds the folders' contents under their paths.
	z := zipFiles(t, v, l.Key)
	var names []string
	for n := range z {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "Day 1/Selects/crane.jpg,Day 1/dock.jpg,harbour-1.jpg" {
		t.Errorf("zip holds %v", names)
	}
	if !bytes.Equal(z["Day 1/Selects/crane.jpg"], f.data[f.selectsPhoto]) {
		t.Errorf("zip's crane.jpg differs from the upload")
	}

	// A file added to a shared folder later is shared too (read live).
	late := f.admin.Upload(f.selects, "late.jpg", jpegBytes(t, 200, 200, color.RGBA{1, 2, 3, 255}), "filetype", "image/jpeg")
	if res, _ := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+late+"/original"); res.StatusCode != 200 {
		t.Errorf("a file added to a shared folder afterwards: %d", res.StatusCode)
	}

	// Refusals, for every kind of caller of the public routes.
	pw := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.day2}, AllowOriginal: model.Ptr(true), Password: "other link pw"})
	other := f.s.Client(t)
	wantStatus(t, "unlock the other link", other.Do("POST", "/api/v2/public/links/"+pw.Key+"/unlock", model.Unlock{Password: "other link pw"}, nil), 200, "")
	callers := map[string]*testkit.Client{"anonymous": v, "admin": f.admin, "token": f.s.TokenClient(t, "projects.read", "share_links.read"),
		"another link's session": other}
	outside := map[string]string{
		"the picked file's sibling":            f.images[1],
		"a file of the project top":            f.pdf,
		"a sibling folder's file":              f.day2Photo,
		"the shared folder itself":             f.day1,
		"a subfolder itself":                   f.selects,
		"the project's root folder":            f.root,
		"dot-dot before an inside id":          "..%2F" + f.day1Photo,
		"an inside id, dot-dot, an outside id": f.day1Photo + "%2F..%2F" + f.day2Photo,
		"an id in upper case, then outside":    strings.ToUpper(f.day2Photo),
	}
	for who, c := range callers {
		for what, id := range outside {
			for _, r := range []string{"original", "thumb", "preview"} {
				res, _ := get(t, c, "/api/v2/public/links/"+l.Key+"/assets/"+id+"/"+r)
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s asks for %s (%s): %d, want 404", who, what, r, res.StatusCode)
				}
			}
		}
	}
	// The other link's session opens nothing of a password link it did
	// not unlock, and the mixed link's visitor nothing of the other.
	wantStatus(t, "password link without its own session", v.Do("GET", "/api/v2/public/links/"+pw.Key+"/assets/"+f.day2Photo+"/original", nil, nil), 401, "")
	pw2 := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[2], f.day1}, AllowOriginal: model.Ptr(true), Password: "mixed pw"})
	wantStatus(t, "another link's session on a mixed password link", other.Do("GET", "/api/v2/public/links/"+pw2.Key+"/assets/"+f.day1Photo+"/original", nil, nil), 401, "")

	// Preview-only: the folders are browsable, nothing downloads.
	look := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.day1}, AllowedActions: "preview"})
	var lp model.PublicShare
	wantStatus(t, "visit preview link", v.Do("GET", "/api/v2/public/links/"+look.Key, nil, &lp), 200, "")
	if len(lp.Folders) != 2 || len(lp.Items) != 4 || lp.ZipURL != "" {
		t.Errorf("preview-only mixed link: %d folders, %d items, zip %q", len(lp.Folders), len(lp.Items), lp.ZipURL)
	}
	wantStatus(t, "original through a preview link", v.Do("GET", "/api/v2/public/links/"+look.Key+"/assets/"+f.day1Photo+"/original", nil, nil), 403, "download_not_allowed")
	wantStatus(t, "zip through a preview link", v.Do("GET", "/api/v2/public/links/"+look.Key+"/zip", nil, nil), 403, "")

	// Contents → Edit takes folders too: adding Day 2 opens it, removing it
	// closes it again.
	got, err := f.admin.API().EditShareLinkItems(l.ID, model.ShareLinkItems{Add: []string{f.day2}})
	wantErr(t, "add a folder", err, 0, "")
	if got.TargetType != "collection" {
		t.Errorf("after adding a folder: %+v", got)
	}
	if res, _ := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+f.day2Photo+"/original"); res.StatusCode != 200 {
		t.Errorf("Day 2 after adding it: %d", res.StatusCode)
	}
	_, err = f.admin.API().EditShareLinkItems(l.ID, model.ShareLinkItems{Remove: []string{f.day2}})
	wantErr(t, "remove a folder", err, 0, "")
	if res, _ := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+f.day2Photo+"/original"); res.StatusCode != 404 {
		t.Errorf("Day 2 after removing it: %d", res.StatusCode)
	}

	// An inbox inside a shared folder would show visitors each other's
	// uploads: refused at creation and when the folder is added later.
	_, err = f.admin.API().CreateShareLink(model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.day1}, InboxFolderID: f.selects})
	wantErr(t, "an inbox inside a shared folder", err, 400, "inbox_inside_link")
	inbox := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.images[1]}, InboxFolderID: f.selects})
	_, err = f.admin.API().EditShareLinkItems(inbox.ID, model.ShareLinkItems{Add: []string{f.day1}})
	wantErr(t, "adding the folder that holds the inbox", err, 400, "inbox_inside_link")
	_, err = f.admin.API().EditShareLinkItems(inbox.ID, model.ShareLinkItems{Add: []string{f.day2}})
	wantErr(t, "adding a folder beside the inbox", err, 0, "")

	// Bad input: what cannot be picked is refused with a reason, and no
	// collection is left behind.
	before, err := f.admin.API().CollectionsWithHidden(f.project)
	wantErr(t, "collections", err, 0, "")
	_, otherRoot := linkProject(t, f.admin, "Elsewhere")
	otherFolder, err := f.admin.API().CreateFolder(otherRoot, "Theirs")
	wantErr(t, "folder elsewhere", err, 0, "")
	for what, ids := range map[string][]string{
		"the project's root folder":   {f.images[0], f.root},
		"a folder of another project": {f.images[0], otherFolder.ID},
		"an unknown id":               {f.day1, "6a1f0c4e-0000-4000-8000-000000000000"},
	} {
		_, err := f.admin.API().CreateShareLink(model.NewShareLink{Kind: "public", AssetIDs: ids})
		wantErr(t, what, err, 400, "")
	}
	_, err = f.admin.API().CreateShareLink(model.NewShareLink{Kind: "upload_download", AssetIDs: []string{f.images[0], f.day1}})
	wantErr(t, "bad kind", err, 400, "")
	_, err = f.admin.API().CreateShareLink(model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.day1}, AllowedActions: "upload_download"})
	wantErr(t, "uploads into a mixed share", err, 400, "folder_required")
	after, err := f.admin.API().CollectionsWithHidden(f.project)
	wantErr(t, "collections", err, 0, "")
	if len(after) != len(before) {
		t.Errorf("refused links left collections behind: %d → %d", len(before), len(after))
	}
}

// What the collections feed reads (Picvario seed 001): the project's
// collections with the hidden ones, each one's active link count, and the
// Share tab's links of one collection (target_id). A hidden collection's
// links count and list like any other; a revoked link leaves both.
// Who may not reach the project gets no collection and no link of it.
func TestCollectionsFeedShareTab(t *testing.T) {
	f := newShareFixture(t)
	api := f.admin.API()
	mk := func(name string, hidden bool, ids ...string) model.Collection {
		t.Helper()
		c, err := api.CreateCollection(f.project, model.NewCollection{Name: name, AssetIDs: ids, Hidden: hidden})
		wantErr(t, "collection "+name, err, 0, "")
		return c
	}
	selects, press, internal := mk("Selects", false, f.images[:2]...), mk("Press", false, f.images[2]), mk("Internal", true, f.pdf)
	l1 := f.create(t, model.NewShareLink{Kind: "public", CollectionID: selects.ID, Name: "Selects for Mia"})
	l2 := f.create(t, model.NewShareLink{Kind: "public", CollectionID: selects.ID, Name: "Selects for Tom"})
	l3 := f.create(t, model.NewShareLink{Kind: "public", CollectionID: internal.ID, Name: "Internal"})
	f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, Name: "one file of Selects"})
	_, err := api.RevokeShareLinks([]string{l2.ID})
	wantErr(t, "revoke", err, 0, "")

	carol := createMember(t, f.admin, "carol@x.example", "member password 123")
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{carol.ID})}, nil), 200, "")
	mem := f.s.Login(t, "carol@x.example", "member password 123")
	createMember(t, f.admin, "dave@x.example", "outsider password 123")
	outsider := f.s.Login(t, "dave@x.example", "outsider password 123")

	tab := func(c *testkit.Client, coll string) []string {
		t.Helper()
		var ls []model.ShareLink
		wantStatus(t, "links of "+coll, c.Do("GET", "/api/v2/share_links?target_id="+coll, nil, &ls), 200, "")
		var ids []string
		for _, l := range ls {
			if l.TargetID != coll {
				t.Errorf("target_id=%s listed a link of %s", coll, l.TargetID)
			}
			ids = append(ids, l.ID)
		}
		sort.Strings(ids)
		return ids
	}
	want := []string{l1.ID} // the revoked one leaves the tab
	for who, c := range map[string]*testkit.Client{"admin": f.admin, "member": mem} {
		if got := tab(c, selects.ID); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: Selects' Share tab lists %v, want %v (not the revoked one, not the link of one of its files)", who, got, want)
		}
		if got := tab(c, internal.ID); len(got) != 1 || got[0] != l3.ID {
			t.Errorf("%s: the hidden collection's Share tab lists %v", who, got)
		}
		if got := tab(c, press.ID); len(got) != 0 {
			t.Errorf("%s: Press has no links, its tab lists %v", who, got)
		}
		var shared map[string]int
		wantStatus(t, who+" counts", c.Do("GET", "/api/v2/projects/"+f.project+"/shared", nil, &shared), 200, "")
		if shared[selects.ID] != 1 || shared[internal.ID] != 1 || shared[press.ID] != 0 {
			t.Errorf("%s: active link counts %v: want Selects 1 (one revoked), Internal 1, Press 0", who, shared)
		}
		var cs []model.Collection
		wantStatus(t, who+" feed", c.Do("GET", "/api/v2/projects/"+f.project+"/collections?include_hidden=true", nil, &cs), 200, "")
		if len(cs) != 3 {
			t.Errorf("%s: the feed with hidden ones lists %d collections, want 3", who, len(cs))
		}
	}
	// Refusals: an outsider, a token without the scope, anonymous.
	if got := tab(outsider, selects.ID); len(got) != 0 {
		t.Errorf("an outsider lists the links of a collection of another project: %v", got)
	}
	wantStatus(t, "outsider counts", outsider.Do("GET", "/api/v2/projects/"+f.project+"/shared", nil, nil), 404, "")
	wantStatus(t, "outsider feed", outsider.Do("GET", "/api/v2/projects/"+f.project+"/collections", nil, nil), 404, "")
	wantStatus(t, "token without share_links.read", f.s.TokenClient(t, "projects.read").Do("GET", "/api/v2/share_links?target_id="+selects.ID, nil, nil), 403, "insufficient_scope")
	wantStatus(t, "anonymous", f.s.Client(t).Do("GET", "/api/v2/share_links?target_id="+selects.ID, nil, nil), 401, "")
}
