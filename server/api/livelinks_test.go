package api_test

import (
	"archive/zip"
	"bytes"
	"image/color"
	"io"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// zipFiles reads the "Download all" ZIP of link key as c: name → bytes.
func zipFiles(t *testing.T, c *testkit.Client, key string) map[string][]byte {
	t.Helper()
	res, b := get(t, c, "/api/v2/public/links/"+key+"/zip")
	if res.StatusCode != 200 {
		t.Fatalf("zip of %s: %d %s", key, res.StatusCode, b)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		out[zf.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// Seed (share-links.txt): "If you make changes to a file, this change is
// automatically reflected in all Share Links that include that file." A
// link made to a file serves its newest version once versions are added,
// by tus (version_of) or by POST /assets/{id}/version, everywhere: page,
// files, thumbnails, ZIP and /d/.
func TestShareLinkFollowsNewVersions(t *testing.T) {
	f := newShareFixture(t)
	img := f.images[0]
	single := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img}, AllowOriginal: model.Ptr(true), AllowProxies: []string{"preview"}})
	coll := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img, f.images[1]}, AllowOriginal: model.Ptr(true)})
	direct := f.create(t, model.NewShareLink{Kind: "download", AssetIDs: []string{img}})
	v := f.s.Client(t)

	var before model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+single.ID, nil, &before)
	if !before.FollowsLatestVersion || before.ShownVersion != nil {
		t.Fatalf("a link to a file without versions: %+v", before)
	}
	if res, b := get(t, v, "/d/"+direct.Key); res.StatusCode != 200 || !bytes.Equal(b, f.data[img]) {
		t.Fatalf("/d/ before a new version: %d, %d bytes", res.StatusCode, len(b))
	}

	// Version 2 through tus.
	v2data := jpegBytes(t, 600, 400, color.RGBA{250, 200, 10, 255})
	v2 := f.admin.Upload(f.root, "harbour-1 v2.jpg", v2data, "filetype", "image/jpeg", "version_of", img)
	waitReady(t, f.admin, v2)
	check := func(newest string, data []byte, old ...string) {
		t.Helper()
		for _, l := range []model.ShareLink{single, coll} {
			var pub model.PublicShare
			wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
			found := false
			for _, it := range pub.Items {
				for _, o := range old {
					if it.ID == o {
						t.Errorf("%s still lists the older version %s", l.Key, o)
					}
				}
				if it.ID == newest {
					found = true
					if it.Name != "harbour-1.jpg" || it.ThumbURL == "" {
						t.Errorf("newest version shown as %+v", it)
					}
				}
			}
			if !found || len(pub.Items) != map[string]int{single.Key: 1, coll.Key: 2}[l.Key] {
				t.Fatalf("%s does not show the newest version %s: %+v", l.Key, newest, pub.Items)
			}
			base := "/api/v2/public/links/" + l.Key + "/assets/"
			if res, b := get(t, v, base+newest+"/original?download=1"); res.StatusCode != 200 || !bytes.Equal(b, data) {
				t.Errorf("%s original of the newest: %d, %d bytes", l.Key, res.StatusCode, len(b))
			}
			wantStatus(t, "thumb of the newest", v.Do("GET", base+newest+"/thumb", nil, nil), 200, "")
			for _, o := range old {
				wantStatus(t, "original of an older version", v.Do("GET", base+o+"/original", nil, nil), 404, "not_found")
				wantStatus(t, "thumb of an older version", v.Do("GET", base+o+"/thumb", nil, nil), 404, "not_found")
			}
			z := zipFiles(t, v, l.Key)
			if !bytes.Equal(z["harbour-1.jpg"], data) {
				t.Errorf("%s: the ZIP's harbour-1.jpg is not the newest version (%d entries)", l.Key, len(z))
			}
		}
		if res, b := get(t, v, "/d/"+direct.Key); res.StatusCode != 200 || !bytes.Equal(b, data) {
			t.Errorf("/d/ serves %d bytes (status %d), not the newest version", len(b), res.StatusCode)
		}
	}
	check(v2, v2data, img)

	// The chain icons count the links on the stack they now follow.
	var sh map[string]int
	wantStatus(t, "shared", f.admin.Do("GET", "/api/v2/projects/"+f.project+"/shared", nil, &sh), 200, "")
	if stack, _ := assetOf(t, f.admin, img); sh[stack.ParentID] != 2 || sh[img] != 0 {
		t.Fatalf("shared after a new version: %v (stack %s)", sh, stack.ParentID)
	}

	var after model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+single.ID, nil, &after)
	if !after.FollowsLatestVersion || after.ShownVersion == nil || after.ShownVersion.AssetID != v2 ||
		after.ShownVersion.Number != 2 || after.ShownVersion.Versions != 2 || after.Status != "active" {
		t.Fatalf("the link's JSON after a new version: %+v %+v", after, after.ShownVersion)
	}

	// Version 3 through POST /assets/{id}/version, on the stack.
	v3data := jpegBytes(t, 500, 300, color.RGBA{10, 200, 250, 255})
	v3 := f.admin.Upload(f.root, "harbour-1 v3.jpg", v3data, "filetype", "image/jpeg")
	waitReady(t, f.admin, v3)
	st, _ := assetOf(t, f.admin, img)
	wantStatus(t, "add version", f.admin.Do("POST", "/api/v2/assets/"+st.ParentID+"/version", model.NewVersion{NextAssetID: v3}, nil), 200, "")
	check(v3, v3data, img, v2)

	// Deleting the newest version brings the previous one back.
	wantStatus(t, "delete v3", f.admin.Do("DELETE", "/api/v2/assets/"+v3, nil, nil), 200, "")
	check(v2, v2data, img)
}

// linkIDs lists the ids of links answered as a JSON array.
func linkIDs(ls []model.ShareLink) map[string]bool {
	out := map[string]bool{}
	for _, l := range ls {
		out[l.ID] = true
	}
	return out
}

// sameIDs fails unless got holds exactly the links want.
func sameIDs(t *testing.T, what string, got []model.ShareLink, want ...model.ShareLink) {
	t.Helper()
	ids := linkIDs(got)
	ok := len(ids) == len(want)
	for _, w := range want {
		ok = ok && ids[w.ID]
	}
	if !ok {
		var names []string
		for _, w := range want {
			names = append(names, w.Name)
		}
		t.Fatalf("%s: got %+v, want %v", what, got, names)
	}
}

// Deleting what a link shares (a file, a folder, a collection, the last
// file of a selection) leaves the link as "target_deleted": out of the
// active counts, visitors told the item was deleted (410), and the delete
// (and its preview) names the links it affects.
func TestShareLinkTargetDeleted(t *testing.T) {
	f := newShareFixture(t)
	folder := mkdir(t, f.admin, f.root, "Press kit")
	inFolder := f.admin.Upload(folder, "logo.png", []byte("not really a png"), "filetype", "text/plain")
	var coll model.Collection
	wantStatus(t, "collection", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/collections",
		model.NewCollection{Name: "Keep", AssetIDs: []string{f.pdf}}, &coll), 201, "")

	single := f.create(t, model.NewShareLink{Name: "single", AssetIDs: []string{f.images[0]}, AllowOriginal: model.Ptr(true)})
	direct := f.create(t, model.NewShareLink{Name: "direct", Kind: "download", AssetIDs: []string{f.images[0]}})
	second := f.create(t, model.NewShareLink{Name: "second", AssetIDs: []string{f.images[1]}})
	selection := f.create(t, model.NewShareLink{Name: "selection", AssetIDs: []string{f.images[1], f.images[2]}, AllowOriginal: model.Ptr(true)})
	named := f.create(t, model.NewShareLink{Name: "named", CollectionID: coll.ID})
	folderLink := f.create(t, model.NewShareLink{Name: "folder", FolderID: folder})
	fileInFolder := f.create(t, model.NewShareLink{Name: "file in folder", AssetIDs: []string{inFolder}})
	pdfLink := f.create(t, model.NewShareLink{Name: "pdf", AssetIDs: []string{f.pdf}, AllowOriginal: model.Ptr(true)})
	all := []model.ShareLink{single, direct, second, selection, named, folderLink, fileInFolder, pdfLink}
	v := f.s.Client(t)

	statuses := func() map[string]string {
		var ls []model.ShareLink
		wantStatus(t, "list", f.admin.Do("GET", "/api/v2/share_links", nil, &ls), 200, "")
		if len(ls) != len(all) {
			t.Fatalf("%d links listed, want %d: a delete removed or added links", len(ls), len(all))
		}
		out := map[string]string{}
		for _, l := range ls {
			out[l.ID] = l.Status
		}
		return out
	}
	shared := func() map[string]int {
		var m map[string]int
		wantStatus(t, "shared", f.admin.Do("GET", "/api/v2/projects/"+f.project+"/shared", nil, &m), 200, "")
		return m
	}
	affected := func(path string) []model.ShareLink {
		var ls []model.ShareLink
		wantStatus(t, "affected "+path, f.admin.Do("GET", path+"/affected_links", nil, &ls), 200, "")
		return ls
	}
	gone := func(ls ...model.ShareLink) {
		t.Helper()
		st := statuses()
		deleted := map[string]bool{}
		for _, l := range ls {
			deleted[l.ID] = true
		}
		for _, l := range all {
			want := "active"
			if deleted[l.ID] {
				want = "target_deleted"
			}
			if st[l.ID] != want {
				t.Errorf("%s: status %q, want %q", l.Name, st[l.ID], want)
			}
			var one model.ShareLink
			f.admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &one)
			if one.Status != want {
				t.Errorf("%s alone: status %q, want %q", l.Name, one.Status, want)
			}
			if !deleted[l.ID] || l.Kind == "download" {
				continue
			}
			wantStatus(t, l.Name+" page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, nil), 410, "target_deleted")
			wantStatus(t, l.Name+" zip", v.Do("GET", "/api/v2/public/links/"+l.Key+"/zip", nil, nil), 410, "target_deleted")
		}
	}
	gone()
	if shared()[f.images[0]] != 2 {
		t.Fatalf("shared before: %v", shared())
	}

	// Refusals: an outsider learns nothing, a token needs share_links.read.
	createMember(t, f.admin, "outsider@x.example", "outsider-password")
	out := f.s.Login(t, "outsider@x.example", "outsider-password")
	wantStatus(t, "outsider preview", out.Do("GET", "/api/v2/assets/"+f.images[0]+"/affected_links", nil, nil), 404, "not_found")
	wantStatus(t, "outsider collection preview", out.Do("GET", "/api/v2/collections/"+coll.ID+"/affected_links", nil, nil), 404, "not_found")
	tok := f.s.TokenClient(t, "assets.read")
	wantStatus(t, "token without share_links.read", tok.Do("GET", "/api/v2/assets/"+f.images[0]+"/affected_links", nil, nil), 403, "insufficient_scope")
	wantStatus(t, "unknown asset", f.admin.Do("GET", "/api/v2/assets/00000000-0000-0000-0000-000000000000/affected_links", nil, nil), 404, "not_found")

	// The single file: its link and its direct link.
	sameIDs(t, "preview of the file", affected("/api/v2/assets/"+f.images[0]), single, direct)
	// The delete answer has no model type (it is built in the handler).
	var del struct {
		ID            string            `json:"id"`
		AffectedLinks []model.ShareLink `json:"affected_links"`
	}
	wantStatus(t, "delete the file", f.admin.Do("DELETE", "/api/v2/assets/"+f.images[0], nil, &del), 200, "")
	if del.ID != f.images[0] {
		t.Fatalf("delete answer: %+v", del)
	}
	sameIDs(t, "the delete's answer", del.AffectedLinks, single, direct)
	gone(single, direct)
	wantStatus(t, "file of a deleted target", v.Do("GET", "/api/v2/public/links/"+single.Key+"/assets/"+f.images[0]+"/thumb", nil, nil), 410, "target_deleted")
	wantStatus(t, "direct link", v.Do("GET", "/d/"+direct.Key, nil, nil), 410, "target_deleted")
	if n, ok := shared()[f.images[0]]; ok {
		t.Fatalf("the deleted file still counts %d active links", n)
	}

	// One file of a selection: the selection lives on with the other.
	sameIDs(t, "preview of one of two", affected("/api/v2/assets/"+f.images[1]), second)
	wantStatus(t, "delete one of two", f.admin.Do("DELETE", "/api/v2/assets/"+f.images[1], nil, nil), 200, "")
	gone(single, direct, second)
	var pub model.PublicShare
	wantStatus(t, "selection with one left", v.Do("GET", "/api/v2/public/links/"+selection.Key, nil, &pub), 200, "")
	if len(pub.Items) != 1 || pub.Items[0].ID != f.images[2] {
		t.Fatalf("selection after one delete: %+v", pub.Items)
	}
	// The last file of the selection.
	sameIDs(t, "preview of the last", affected("/api/v2/assets/"+f.images[2]), selection)
	wantStatus(t, "delete the last", f.admin.Do("DELETE", "/api/v2/assets/"+f.images[2], nil, nil), 200, "")
	gone(single, direct, second, selection)

	// A collection (its files stay).
	sameIDs(t, "preview of the collection", affected("/api/v2/collections/"+coll.ID), named)
	wantStatus(t, "delete the collection", f.admin.Do("DELETE", "/api/v2/collections/"+coll.ID, nil, nil), 204, "")
	gone(single, direct, second, selection, named)

	// A folder takes the links to what is inside it.
	sameIDs(t, "preview of the folder", affected("/api/v2/assets/"+folder), folderLink, fileInFolder)
	wantStatus(t, "delete the folder", f.admin.Do("DELETE", "/api/v2/assets/"+folder, nil, nil), 200, "")
	gone(single, direct, second, selection, named, folderLink, fileInFolder)

	// An old version goes, the stack stays: its link follows the stack.
	v2data := []byte("%PDF-1.4 the second terms")
	extra := f.admin.Upload(f.root, "extra.txt", []byte("extra"), "filetype", "text/plain")
	pdfSel := f.create(t, model.NewShareLink{Name: "pdf selection", AssetIDs: []string{f.pdf, extra}, AllowOriginal: model.Ptr(true)})
	all = append(all, pdfSel)
	v2 := f.admin.Upload(f.root, "terms v2.pdf", v2data, "filetype", "application/pdf", "version_of", f.pdf)
	sameIDs(t, "preview of an old version", affected("/api/v2/assets/"+f.pdf))
	wantStatus(t, "delete version 1", f.admin.Do("DELETE", "/api/v2/assets/"+f.pdf, nil, nil), 200, "")
	gone(single, direct, second, selection, named, folderLink, fileInFolder)
	if res, b := get(t, v, "/api/v2/public/links/"+pdfLink.Key+"/assets/"+v2+"/original?download=1"); res.StatusCode != 200 || !bytes.Equal(b, v2data) {
		t.Fatalf("the pdf link after its first version went: %d %s", res.StatusCode, b)
	}
	wantStatus(t, "pdf selection", v.Do("GET", "/api/v2/public/links/"+pdfSel.Key, nil, &pub), 200, "")
	if names := itemNames(pub); len(pub.Items) != 2 || !strings.Contains(names, "terms.pdf") || !strings.Contains(names, "extra.txt") {
		t.Fatalf("the selection after its pdf's first version went: %s", names)
	}
	stack, _ := assetOf(t, f.admin, v2)
	var sel model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+pdfSel.ID, nil, &sel)
	var c model.Collection
	f.admin.Do("GET", "/api/v2/collections/"+sel.TargetID, nil, &c)
	if strings.Join(c.AssetIDs, ",") != stack.ParentID+","+extra {
		t.Fatalf("the selection's collection lists %v, want the stack %s and %s", c.AssetIDs, stack.ParentID, extra)
	}
	if st := shared(); len(st) != 2 || st[stack.ParentID] != 1 || st[sel.TargetID] != 1 {
		t.Fatalf("shared at the end: %v (the pdf's stack and the selection)", st)
	}
}

// Contents → Edit: a collection or selection link's managers add and
// remove files on the link itself; what they add needs the share
// privilege; the access log records the change; refusals change nothing.
func TestShareLinkEditItems(t *testing.T) {
	f := newAccessFixture(t)
	sel := createShare(t, f.carol, model.NewShareLink{Name: "Selects", AssetIDs: []string{f.carols, f.open}, AllowOriginal: model.Ptr(true)})
	v := f.s.Client(t)
	items := func(l model.ShareLink) string {
		t.Helper()
		var pub model.PublicShare
		wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
		return itemNames(pub)
	}
	before := items(sel)
	if before != "carol.jpg,open.jpg" && before != "open.jpg,carol.jpg" {
		t.Fatalf("the selection: %s", before)
	}
	fresh := f.admin.Upload(f.root, "fresh.jpg", jpegBytes(t, 300, 200, color.RGBA{9, 9, 9, 255}), "filetype", "image/jpeg")
	waitReady(t, f.admin, fresh)
	path := "/api/v2/share_links/" + sel.ID + "/items"

	// Refusals, each leaving the link as it was.
	createMember(t, f.admin, "outsider@x.example", "outsider-password")
	outsider := f.s.Login(t, "outsider@x.example", "outsider-password")
	for _, c := range []struct {
		what   string
		who    *testkit.Client
		body   any
		status int
		code   string
	}{
		{"another member", f.dan, model.ShareLinkItems{Add: []string{fresh}}, 403, "not_link_manager"},
		{"an outsider", outsider, model.ShareLinkItems{Add: []string{fresh}}, 404, "not_found"},
		{"a token without share_links.update", f.s.TokenClient(t, "share_links.read"), model.ShareLinkItems{Add: []string{fresh}}, 403, "insufficient_scope"},
		{"a file she may not share", f.carol, model.ShareLinkItems{Add: []string{f.secret}}, 403, "not_permitted"},
		{"nothing", f.carol, model.ShareLinkItems{}, 400, "invalid"},
		{"not JSON", f.carol, "add", 400, ""}, // raw on purpose
		{"a folder she may not share from (folders are shared with files now)", f.carol, model.ShareLinkItems{Add: []string{f.private}}, 403, "not_permitted"},
		{"an unknown asset", f.carol, model.ShareLinkItems{Add: []string{"00000000-0000-0000-0000-000000000000"}}, 400, "invalid"},
		{"removing what is not there", f.carol, model.ShareLinkItems{Remove: []string{fresh}}, 400, "not_in_link"},
		{"removing everything", f.carol, model.ShareLinkItems{Remove: []string{f.carols, f.open}}, 400, "link_would_be_empty"},
		{"a good add with a bad remove", f.carol, model.ShareLinkItems{Add: []string{fresh}, Remove: []string{f.secret}}, 400, "not_in_link"},
	} {
		wantStatus(t, c.what, c.who.Do("POST", path, c.body, nil), c.status, c.code)
		if got := items(sel); got != before {
			t.Fatalf("after %s the link shows %s", c.what, got)
		}
	}
	if n := accessActions(t, f.carol, sel.ID)["contents_changed"]; n != 0 {
		t.Fatalf("refusals logged %d changes", n)
	}

	// Carol adds one and removes one.
	var got model.ShareLink
	wantStatus(t, "edit", f.carol.Do("POST", path, model.ShareLinkItems{Add: []string{fresh}, Remove: []string{f.open}}, &got), 200, "")
	if got.ID != sel.ID || got.Key != sel.Key || got.Status != "active" {
		t.Fatalf("edit answer: %+v", got)
	}
	if s := items(sel); s != "carol.jpg,fresh.jpg" && s != "fresh.jpg,carol.jpg" {
		t.Fatalf("after the edit the link shows %s", s)
	}
	wantStatus(t, "removed file", v.Do("GET", "/api/v2/public/links/"+sel.Key+"/assets/"+f.open+"/original", nil, nil), 404, "not_found")
	wantStatus(t, "added file", v.Do("GET", "/api/v2/public/links/"+sel.Key+"/assets/"+fresh+"/original", nil, nil), 200, "")
	var log []model.AccessLogEntry
	wantStatus(t, "log", f.carol.Do("GET", "/api/v2/share_links/"+sel.ID+"/access_log", nil, &log), 200, "")
	found := false
	for _, e := range log {
		found = found || e.Action == "contents_changed" && e.By == "Member carol@x.example" && e.Detail == "+1 −1"
	}
	if !found {
		t.Fatalf("the access log lacks the change: %+v", log)
	}
	// Adding what is there already changes nothing and logs nothing.
	wantStatus(t, "add again", f.carol.Do("POST", path, model.ShareLinkItems{Add: []string{fresh}}, nil), 200, "")
	if n := accessActions(t, f.carol, sel.ID)["contents_changed"]; n != 1 {
		t.Fatalf("%d changes logged, want 1", n)
	}
	// An admin manages every link.
	wantStatus(t, "admin adds", f.admin.Do("POST", path, model.ShareLinkItems{Add: []string{f.open}}, nil), 200, "")
	if s := items(sel); len(strings.Split(s, ",")) != 3 {
		t.Fatalf("after the admin's add: %s", s)
	}

	// A single-file link becomes a selection, same key.
	one := createShare(t, f.carol, model.NewShareLink{AssetIDs: []string{f.carols}})
	wantStatus(t, "single to selection", f.carol.Do("POST", "/api/v2/share_links/"+one.ID+"/items", model.ShareLinkItems{Add: []string{f.open}}, &got), 200, "")
	var after model.ShareLink
	f.carol.Do("GET", "/api/v2/share_links/"+one.ID, nil, &after)
	if after.TargetType != "collection" || after.Key != one.Key {
		t.Fatalf("single-file link after an add: %+v", after)
	}
	if s := items(one); s != "carol.jpg,open.jpg" && s != "open.jpg,carol.jpg" {
		t.Fatalf("the former single-file link shows %s", s)
	}

	// A selection whose files were all deleted comes back with new ones;
	// a deleted collection does not.
	gone := createShare(t, f.admin, model.NewShareLink{AssetIDs: []string{f.carols, fresh}, AllowOriginal: model.Ptr(true)})
	wantStatus(t, "delete carol.jpg", f.admin.Do("DELETE", "/api/v2/assets/"+f.carols, nil, nil), 200, "")
	wantStatus(t, "delete fresh.jpg", f.admin.Do("DELETE", "/api/v2/assets/"+fresh, nil, nil), 200, "")
	wantStatus(t, "deleted target", v.Do("GET", "/api/v2/public/links/"+gone.Key, nil, nil), 410, "target_deleted")
	wantStatus(t, "revive", f.admin.Do("POST", "/api/v2/share_links/"+gone.ID+"/items", model.ShareLinkItems{Add: []string{f.open}}, &got), 200, "")
	if got.Status != "active" || items(gone) != "open.jpg" {
		t.Fatalf("revived selection: %+v, %s", got, items(gone))
	}
	var c model.Collection
	wantStatus(t, "collection", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "C", AssetIDs: []string{f.open}}, &c), 201, "")
	cl := createShare(t, f.admin, model.NewShareLink{CollectionID: c.ID})
	wantStatus(t, "delete collection", f.admin.Do("DELETE", "/api/v2/collections/"+c.ID, nil, nil), 204, "")
	wantStatus(t, "edit a deleted collection's link", f.admin.Do("POST", "/api/v2/share_links/"+cl.ID+"/items", model.ShareLinkItems{Add: []string{f.open}}, nil), 409, "target_deleted")

	// Folder and direct links have no list of files to edit.
	folder := createShare(t, f.admin, model.NewShareLink{FolderID: f.private})
	wantStatus(t, "folder link", f.admin.Do("POST", "/api/v2/share_links/"+folder.ID+"/items", model.ShareLinkItems{Add: []string{f.open}}, nil), 400, "items_not_editable")
	direct := createShare(t, f.admin, model.NewShareLink{Kind: "download", AssetIDs: []string{f.open}})
	wantStatus(t, "direct link", f.admin.Do("POST", "/api/v2/share_links/"+direct.ID+"/items", model.ShareLinkItems{Add: []string{fresh}}, nil), 400, "items_not_editable")
}

// A link never claims downloads it does not offer: without download
// fields it is view-only and says so; naming a mode with downloads
// (Files.com's default "Downloads") downloads the originals.
func TestShareLinkDownloadDefaults(t *testing.T) {
	f := newShareFixture(t)
	img := f.images[0]
	v := f.s.Client(t)
	type state struct {
		AllowedActions string `json:"allowed_actions"`
		AllowOriginal  bool   `json:"allow_original"`
		CanDownload    bool   `json:"can_download"`
		Key            string `json:"key"`
		ID             string `json:"id"`
	}
	check := func(what string, l state, mode string, original bool) {
		t.Helper()
		var got, pub state
		wantStatus(t, what, f.admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &got), 200, "")
		wantStatus(t, what+" page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
		if got.AllowedActions != mode || got.AllowOriginal != original || pub.AllowedActions != mode || pub.CanDownload != (mode != "preview") {
			t.Fatalf("%s: link %+v, page %+v; want %s, original %v", what, got, pub, mode, original)
		}
		res := v.Do("GET", "/api/v2/public/links/"+l.Key+"/assets/"+img+"/original?download=1", nil, nil)
		if original {
			wantStatus(t, what+" original", res, 200, "")
		} else {
			wantStatus(t, what+" original", res, 403, "download_not_allowed")
		}
		if mode == "preview" {
			wantStatus(t, what+" zip", v.Do("GET", "/api/v2/public/links/"+l.Key+"/zip", nil, nil), 403, "download_not_allowed")
		}
	}
	create := func(req model.NewShareLink) state {
		t.Helper()
		req.AssetIDs = []string{img}
		var l state
		wantStatus(t, "create", f.admin.Do("POST", "/api/v2/share_links", req, &l), 201, "")
		return l
	}
	check("no download fields", create(model.NewShareLink{}), "preview", false)
	check("nothing checked", create(model.NewShareLink{AllowOriginal: model.Ptr(false), AllowProxies: []string{}, AllowAttachments: model.Ptr(false)}), "preview", false)
	check("allowed_actions download", create(model.NewShareLink{AllowedActions: "download"}), "download", true)
	check("download with nothing checked", create(model.NewShareLink{AllowedActions: "download", AllowOriginal: model.Ptr(false)}), "preview", false)
	check("allowed_actions preview", create(model.NewShareLink{AllowedActions: "preview"}), "preview", false)
	l := create(model.NewShareLink{AllowOriginal: model.Ptr(true)})
	check("originals", l, "download", true)
	wantStatus(t, "uncheck", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{AllowOriginal: model.Ptr(false)}, nil), 200, "")
	check("originals unchecked", l, "preview", false)
	wantStatus(t, "a proxy", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{AllowProxies: model.Ptr([]string{"preview"})}, nil), 200, "")
	check("a proxy checked", l, "download", false)
	pv := create(model.NewShareLink{})
	wantStatus(t, "to download", f.admin.Do("PUT", "/api/v2/share_links/"+pv.ID, model.ShareLinkPatch{AllowedActions: model.Ptr("download")}, nil), 200, "")
	check("switched to download", pv, "download", true)
}

// Custom URL keys are one whatever their case: "Spring" takes "spring";
// a link may change the case of its own key; keys open as typed.
func TestShareLinkCustomKeyCaseInsensitive(t *testing.T) {
	f := newShareFixture(t)
	wantStatus(t, "allow custom keys", f.admin.Do("PUT", "/api/v2/settings/sharing", model.SharingSettings{AllowCustomURLs: true}, nil), 200, "")
	ids := []string{f.images[0]}
	spring := f.create(t, model.NewShareLink{AssetIDs: ids, Key: "Spring"})
	for _, k := range []string{"spring", "SPRING", "sPrInG"} {
		wantStatus(t, "create "+k, f.admin.Do("POST", "/api/v2/share_links", model.NewShareLink{AssetIDs: ids, Key: k}, nil), 409, "key_taken")
	}
	other := f.create(t, model.NewShareLink{AssetIDs: ids})
	wantStatus(t, "rename onto another case", f.admin.Do("PUT", "/api/v2/share_links/"+other.ID, model.ShareLinkPatch{Key: model.Ptr("SPRING")}, nil), 409, "key_taken")
	// Random keys count too.
	// About one random key in 160 000 has no capital letter; make another then.
	third := f.create(t, model.NewShareLink{AssetIDs: ids})
	for i := 0; strings.ToLower(third.Key) == third.Key; i++ {
		if i == 5 {
			t.Fatalf("five random keys without a capital letter: %s", third.Key)
		}
		third = f.create(t, model.NewShareLink{AssetIDs: ids})
	}
	wantStatus(t, "rename onto a random key in lower case", f.admin.Do("PUT", "/api/v2/share_links/"+other.ID, model.ShareLinkPatch{Key: model.Ptr(strings.ToLower(third.Key))}, nil), 409, "key_taken")
	v := f.s.Client(t)
	wantStatus(t, "visit as typed", v.Do("GET", "/api/v2/public/links/Spring", nil, nil), 200, "")
	var got model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+other.ID, nil, &got)
	if got.Key != other.Key {
		t.Fatalf("a refused rename changed the key: %s → %s", other.Key, got.Key)
	}
	// The link that has the key may change its case.
	wantStatus(t, "own key, new case", f.admin.Do("PUT", "/api/v2/share_links/"+spring.ID, model.ShareLinkPatch{Key: model.Ptr("SPRING")}, &got), 200, "")
	if got.Key != "SPRING" {
		t.Fatalf("key after the case change: %s", got.Key)
	}
	wantStatus(t, "visit the new case", v.Do("GET", "/api/v2/public/links/SPRING", nil, nil), 200, "")
	wantStatus(t, "the old case is free of it", v.Do("GET", "/api/v2/public/links/Spring", nil, nil), 404, "not_found")
	wantStatus(t, "and still taken by it", f.admin.Do("POST", "/api/v2/share_links", model.NewShareLink{AssetIDs: ids, Key: "spring"}, nil), 409, "key_taken")
	wantStatus(t, "another key", f.admin.Do("POST", "/api/v2/share_links", model.NewShareLink{AssetIDs: ids, Key: "Summer"}, nil), 201, "")
}
