package api_test

import (
	"bytes"
	"fmt"
	"image/color"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// mkdir makes folder name in parent as c and returns its ID.
func mkdir(t *testing.T, c *testkit.Client, parent, name string) string {
	t.Helper()
	a, err := c.API().CreateFolder(parent, name)
	wantErr(t, "make folder "+name, err, 0, "")
	return a.ID
}

// children lists a folder as the admin sees it.
func children(t *testing.T, c *testkit.Client, id string) []model.Asset {
	t.Helper()
	out, err := c.API().Children(id, nil)
	wantErr(t, "children", err, 0, "")
	return out
}

func names(as []model.Asset) string {
	var n []string
	for _, a := range as {
		n = append(n, a.Name)
	}
	return strings.Join(n, ",")
}

func assetOf(t *testing.T, c *testkit.Client, id string) (model.Asset, int) {
	t.Helper()
	a, err := c.API().Asset(id)
	if err != nil {
		return a, client.StatusOf(err)
	}
	return a, 200
}

func waitReady(t *testing.T, c *testkit.Client, ids ...string) {
	t.Helper()
	c.WaitProxies(t, 30*time.Second, ids...)
}

// shareVisitorClient is an anonymous browser of share link key whose tus
// requests name the link.
func shareVisitorClient(t *testing.T, s *testkit.Server, key string) *testkit.Client {
	c := s.Client(t)
	c.Header = http.Header{"Ferry-Link": {key}}
	return c
}

// visitorUpload sends data through tus with meta and answers the status
// of the step that failed, or of the last PATCH (204) and the upload ID.
func visitorUpload(t *testing.T, c *testkit.Client, meta map[string]string, data []byte) (int, string) {
	t.Helper()
	res := c.TusCreate(meta, int64(len(data)), nil)
	if res.StatusCode != 201 {
		return res.StatusCode, ""
	}
	loc := res.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	res = c.TusPatch(loc, 0, bytes.NewReader(data), int64(len(data)))
	return res.StatusCode, id
}

func createShare(t *testing.T, c *testkit.Client, req model.NewShareLink) model.ShareLink {
	t.Helper()
	l, err := c.API().CreateShareLink(req)
	wantErr(t, fmt.Sprintf("create share link %+v", req), err, 0, "")
	return l
}

func accessActions(t *testing.T, c *testkit.Client, linkID string) map[string]int {
	t.Helper()
	var entries []model.AccessLogEntry
	wantStatus(t, "access log", c.Do("GET", "/api/v2/share_links/"+linkID+"/access_log", nil, &entries), 200, "")
	out := map[string]int{}
	for _, e := range entries {
		out[e.Action]++
	}
	return out
}

// TestShareLinkActionsMatrix drives every allowed-actions mode against
// every visitor operation and checks the exact answers, and that what was
// refused changed nothing.
func TestShareLinkActionsMatrix(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Matrix")
	const hidden = -1 // 403 or 404: upload-only links show nothing
	type want struct{ preview, download, zip, upload, rename, remove int }
	cases := []struct {
		mode string
		want want
	}{
		{"preview", want{200, 403, 403, 403, 403, 403}},
		{"download", want{200, 200, 200, 403, 403, 403}},
		{"upload", want{hidden, hidden, hidden, 204, 403, 403}},
		{"upload_download", want{200, 200, 200, 204, 403, 403}},
		{"full", want{200, 200, 200, 204, 200, 204}},
	}
	folders, files := map[string]string{}, map[string]string{}
	img := jpegBytes(t, 300, 200, color.RGBA{90, 120, 200, 255})
	for _, tc := range cases {
		folders[tc.mode] = mkdir(t, admin, root, "Case "+tc.mode)
		files[tc.mode] = admin.Upload(folders[tc.mode], "photo.jpg", img, "filetype", "image/jpeg")
	}
	for _, id := range files {
		waitReady(t, admin, id)
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			folder, file := folders[tc.mode], files[tc.mode]
			l := createShare(t, admin, model.NewShareLink{Kind: "public", FolderID: folder, AllowOriginal: model.Ptr(true), AllowedActions: tc.mode, Name: "Matrix " + tc.mode})
			v := shareVisitorClient(t, s, l.Key)
			base := "/api/v2/public/links/" + l.Key
			check := func(what string, res *http.Response, want int) {
				t.Helper()
				if want == hidden {
					if res.StatusCode != 403 && res.StatusCode != 404 {
						t.Errorf("%s: status %d, want 403 or 404: %s", what, res.StatusCode, body(res))
					}
					return
				}
				if res.StatusCode != want {
					t.Errorf("%s: status %d, want %d: %s", what, res.StatusCode, want, body(res))
				}
			}
			var pub model.PublicShare
			wantStatus(t, "public", v.Do("GET", base, nil, &pub), 200, "")
			if wantItems := map[bool]int{true: 0, false: 1}[tc.mode == "upload"]; len(pub.Items) != wantItems {
				t.Errorf("public items: %d, want %d", len(pub.Items), wantItems)
			}
			if pub.CanUpload != (tc.want.upload == 204) || pub.CanModify != (tc.mode == "full") {
				t.Errorf("public flags: %+v", pub)
			}

			res, _ := get(t, v, base+"/assets/"+file+"/preview")
			check("preview", res, tc.want.preview)
			res, _ = get(t, v, base+"/assets/"+file+"/original?download=1")
			check("download", res, tc.want.download)
			res, _ = get(t, v, base+"/zip")
			check("zip", res, tc.want.zip)

			before := len(children(t, admin, folder))
			status, id := visitorUpload(t, v, map[string]string{"filename": "from-visitor.txt", "filetype": "text/plain"}, []byte("hello from a visitor"))
			check("upload", &http.Response{StatusCode: status, Body: http.NoBody}, tc.want.upload)
			kids := children(t, admin, folder)
			if tc.want.upload == 204 {
				a, _ := assetOf(t, admin, id)
				if a.ParentID != folder || a.CreatorName != "Visitor via share link Matrix "+tc.mode {
					t.Errorf("uploaded asset: %+v", a)
				}
			} else if len(kids) != before {
				t.Errorf("a refused upload left something: %s", names(kids))
			}

			res = v.Do("PUT", base+"/assets/"+file, model.AssetPatch{Name: model.Ptr("renamed.jpg")}, nil)
			check("rename", res, tc.want.rename)
			a, st := assetOf(t, admin, file)
			switch {
			case tc.want.rename == 200 && a.Name != "renamed.jpg":
				t.Errorf("rename answered 200 but the name is %q", a.Name)
			case tc.want.rename != 200 && (st != 200 || a.Name != "photo.jpg"):
				t.Errorf("a refused rename changed the file: %d %+v", st, a)
			case tc.want.rename != 200 && testkit.ErrorCode(res) != "not_allowed":
				t.Errorf("refused rename: code %q", testkit.ErrorCode(res))
			}

			res = v.Do("DELETE", base+"/assets/"+file, nil, nil)
			check("delete", res, tc.want.remove)
			_, st = assetOf(t, admin, file)
			if tc.want.remove == 204 && st != 404 || tc.want.remove != 204 && st != 200 {
				t.Errorf("after delete (%d) the file answers %d", res.StatusCode, st)
			}
		})
	}
}

// TestFolderPrivileges: admins cap what a member may do in a folder and
// its subfolders, in the file manager and in the links they make.
func TestFolderPrivileges(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, root := linkProject(t, admin, "Agency")
	work := mkdir(t, admin, root, "Work")
	sub := mkdir(t, admin, work, "Sub")
	archive := mkdir(t, admin, root, "Archive")
	file := admin.Upload(work, "brief.txt", []byte("the brief"))
	mia := createMember(t, admin, "mia@x.example", "mia password 123")
	wantStatus(t, "add member", admin.Do("PUT", "/api/v2/projects/"+project, model.ProjectPatch{MemberIDs: model.Ptr([]string{mia.ID})}, nil), 200, "")
	m := s.Login(t, "mia@x.example", "mia password 123")

	type rights struct {
		Access string `json:"access"`
		Share  bool   `json:"share"`
	}
	effective := func(id string) rights {
		t.Helper()
		var r rights
		wantStatus(t, "effective privileges", m.Do("GET", "/api/v2/assets/"+id+"/privileges", nil, &r), 200, "")
		return r
	}
	set := func(folder, access string, share bool) {
		t.Helper()
		wantStatus(t, "set privilege", admin.Do("PUT", "/api/v2/users/"+mia.ID+"/privileges/"+folder,
			model.PrivilegeInput{Access: access, Share: model.Ptr(share)}, nil), 200, "")
	}
	if r := effective(file); r != (rights{"full", true}) {
		t.Fatalf("without records: %+v", r)
	}

	var rec model.Privilege
	wantStatus(t, "set download", admin.Do("PUT", "/api/v2/users/"+mia.ID+"/privileges/"+work,
		model.PrivilegeInput{Access: "download", Share: model.Ptr(true)}, &rec), 200, "")
	if rec.FolderID != work || rec.ProjectID != project || rec.FolderPath != "/Work/" || rec.Access != "download" || !rec.Share {
		t.Fatalf("record: %+v", rec)
	}
	var list []model.Privilege
	wantStatus(t, "list", admin.Do("GET", "/api/v2/users/"+mia.ID+"/privileges", nil, &list), 200, "")
	if len(list) != 1 || list[0].FolderPath != "/Work/" || list[0].ProjectID != project {
		t.Fatalf("list: %+v", list)
	}
	if r := effective(sub); r != (rights{"download", true}) {
		t.Fatalf("inherited by the subfolder: %+v", r)
	}
	set(archive, "download", true)

	// Links can't give visitors more than Mia has.
	wantStatus(t, "upload-mode link", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowedActions: "upload"}, nil), 403, "not_permitted")
	wantStatus(t, "full link", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowedActions: "full"}, nil), 403, "not_permitted")
	wantStatus(t, "inbox link", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowedActions: "download", InboxFolderID: root}, nil), 201, "")
	dl := createShare(t, m, model.NewShareLink{FolderID: work, AllowedActions: "download"})
	wantStatus(t, "widen to upload_download", m.Do("PUT", "/api/v2/share_links/"+dl.ID, model.ShareLinkPatch{AllowedActions: model.Ptr("upload_download")}, nil), 403, "not_permitted")
	wantStatus(t, "inbox without upload", m.Do("PUT", "/api/v2/share_links/"+dl.ID, model.ShareLinkPatch{InboxFolderID: model.Ptr(archive)}, nil), 403, "not_permitted")
	createShare(t, m, model.NewShareLink{AssetIDs: []string{file}, AllowedActions: "preview"})
	wantStatus(t, "upload link", m.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: project, FolderID: work, RecipientEmail: "a@b.example"}, nil), 403, "not_permitted")

	// The file manager obeys them.
	if res := m.TusCreate(map[string]string{"filename": "x.txt", "parent_id": work}, 3, nil); res.StatusCode != 403 {
		t.Fatalf("tus upload: %d %s", res.StatusCode, body(res))
	}
	wantStatus(t, "children file", m.Do("POST", "/api/v2/assets/"+work+"/children", model.NewAsset{Type: "file", Name: "x.txt", Filesize: model.Ptr[int64](3)}, nil), 403, "not_permitted")
	wantStatus(t, "make folder", m.Do("POST", "/api/v2/assets/"+work+"/children", model.NewAsset{Type: "folder", Name: "New"}, nil), 403, "not_permitted")
	wantStatus(t, "rename", m.Do("PUT", "/api/v2/assets/"+file, model.AssetPatch{Name: model.Ptr("mine.txt")}, nil), 403, "not_permitted")
	wantStatus(t, "move", m.Do("PUT", "/api/v2/assets/"+file, model.AssetPatch{ParentID: model.Ptr(root)}, nil), 403, "not_permitted")
	wantStatus(t, "delete", m.Do("DELETE", "/api/v2/assets/"+file, nil, nil), 403, "not_permitted")
	if a, st := assetOf(t, admin, file); st != 200 || a.Name != "brief.txt" || a.ParentID != work {
		t.Fatalf("refused changes changed the file: %d %+v", st, a)
	}
	wantStatus(t, "download original", m.Do("GET", "/api/v2/assets/"+file+"/original", nil, nil), 200, "")
	admin.Upload(work, "by-admin.txt", []byte("admins are not capped"))

	// A record on a subfolder overrides the inherited one.
	set(sub, "full", true)
	inner := mkdir(t, m, sub, "Inner")
	wantStatus(t, "upload link into sub", m.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: project, FolderID: sub, RecipientEmail: "a@b.example"}, nil), 201, "")
	createShare(t, m, model.NewShareLink{FolderID: inner, AllowedActions: "full"})
	mine := m.Upload(sub, "mine.txt", []byte("mine"))
	wantStatus(t, "move out of sub into work", m.Do("PUT", "/api/v2/assets/"+mine, model.AssetPatch{ParentID: model.Ptr(work)}, nil), 403, "not_permitted")

	// Previews only: no originals.
	set(work, "preview", true)
	wantStatus(t, "original with preview", m.Do("GET", "/api/v2/assets/"+file+"/original", nil, nil), 403, "not_permitted")
	wantStatus(t, "download link with preview", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowedActions: "download"}, nil), 403, "not_permitted")
	wantStatus(t, "originals link with preview", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowOriginal: model.Ptr(true)}, nil), 403, "not_permitted")
	// Without download fields a link is view-only (issue 22), which preview
	// access allows; checking a download box on it later is refused alike.
	viewOnly := createShare(t, m, model.NewShareLink{FolderID: work})
	wantStatus(t, "widen by allow_original", m.Do("PUT", "/api/v2/share_links/"+viewOnly.ID, model.ShareLinkPatch{AllowOriginal: model.Ptr(true)}, nil), 403, "not_permitted")
	wantStatus(t, "widen by allow_proxies", m.Do("PUT", "/api/v2/share_links/"+viewOnly.ID, model.ShareLinkPatch{AllowProxies: model.Ptr([]string{"preview"})}, nil), 403, "not_permitted")
	var vo model.ShareLink
	wantStatus(t, "view-only link", m.Do("GET", "/api/v2/share_links/"+viewOnly.ID, nil, &vo), 200, "")
	if vo.AllowedActions != "preview" || vo.AllowOriginal {
		t.Fatalf("a refused widening changed the link: %+v", vo)
	}
	createShare(t, m, model.NewShareLink{FolderID: work, AllowedActions: "preview"})

	// No share privilege: no links at all from there.
	set(work, "full", false)
	wantStatus(t, "link without share", m.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: work, AllowedActions: "preview"}, nil), 403, "not_permitted")
	wantStatus(t, "asset link without share", m.Do("POST", "/api/v2/share_links", model.NewShareLink{AssetIDs: []string{file}}, nil), 403, "not_permitted")
	if r := effective(file); r != (rights{"full", false}) {
		t.Fatalf("full without share: %+v", r)
	}

	// Deleting the record: inherit again (nothing above: everything).
	wantStatus(t, "delete record", admin.Do("DELETE", "/api/v2/users/"+mia.ID+"/privileges/"+work, nil, nil), 204, "")
	if r := effective(file); r != (rights{"full", true}) {
		t.Fatalf("after delete: %+v", r)
	}
	createShare(t, m, model.NewShareLink{FolderID: work, AllowedActions: "full"})

	// Project owners are never capped.
	_, ownRoot := linkProject(t, m, "Mia's own")
	set(ownRoot, "preview", false)
	createShare(t, m, model.NewShareLink{FolderID: ownRoot, AllowedActions: "full"})
	m.Upload(ownRoot, "own.txt", []byte("own"))

	// Bad input and who may ask.
	wantStatus(t, "unknown access", admin.Do("PUT", "/api/v2/users/"+mia.ID+"/privileges/"+work, model.PrivilegeInput{Access: "owner"}, nil), 400, "")
	wantStatus(t, "a file", admin.Do("PUT", "/api/v2/users/"+mia.ID+"/privileges/"+file, model.PrivilegeInput{Access: "full"}, nil), 400, "")
	wantStatus(t, "unknown user", admin.Do("PUT", "/api/v2/users/00000000-0000-0000-0000-000000000000/privileges/"+work, model.PrivilegeInput{Access: "full"}, nil), 404, "")
	wantStatus(t, "member sets", m.Do("PUT", "/api/v2/users/"+mia.ID+"/privileges/"+work, model.PrivilegeInput{Access: "full"}, nil), 403, "")
	wantStatus(t, "member lists", m.Do("GET", "/api/v2/users/"+mia.ID+"/privileges", nil, nil), 403, "")
}

// TestShareLinkInbox: a download link with an associated inbox takes
// uploads into the inbox, and its visitors never see them.
func TestShareLinkInbox(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Inbox project")
	_, otherRoot := linkProject(t, admin, "Other project")
	deliver := mkdir(t, admin, root, "Deliverables")
	inbox := mkdir(t, admin, root, "Inbox")
	admin.Upload(deliver, "final.txt", []byte("the final cut"))

	var l model.ShareLink
	wantStatus(t, "create", admin.Do("POST", "/api/v2/share_links", model.NewShareLink{FolderID: deliver, AllowedActions: "download", AllowOriginal: model.Ptr(true), InboxFolderID: inbox}, &l), 201, "")
	if l.InboxFolderID != inbox || !l.UploadEnabled {
		t.Fatalf("link: %+v", l)
	}
	v := shareVisitorClient(t, s, l.Key)
	if st, _ := visitorUpload(t, v, map[string]string{"filename": "feedback.txt"}, []byte("notes from the client")); st != 204 {
		t.Fatalf("inbox upload: %d", st)
	}
	if st, _ := visitorUpload(t, v, map[string]string{"filename": "elsewhere.txt", "parent_id": deliver}, []byte("x")); st != 400 {
		t.Fatalf("inbox upload into the shared folder: %d", st)
	}
	if got := names(children(t, admin, inbox)); got != "feedback.txt" {
		t.Fatalf("inbox holds %q", got)
	}
	if got := names(children(t, admin, deliver)); got != "final.txt" {
		t.Fatalf("shared folder holds %q", got)
	}
	var pub model.PublicShare
	wantStatus(t, "public", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
	if len(pub.Items) != 1 || pub.Items[0].Name != "final.txt" {
		t.Fatalf("visitors see %+v", pub.Items)
	}
	if n := accessActions(t, admin, l.ID)["upload"]; n != 1 {
		t.Fatalf("upload entries in the access log: %d", n)
	}

	for what, req := range map[string]model.NewShareLink{
		"inbox on an upload link":  {FolderID: deliver, AllowedActions: "upload", InboxFolderID: inbox},
		"inbox inside the link":    {FolderID: root, InboxFolderID: inbox},
		"inbox in another project": {FolderID: deliver, InboxFolderID: otherRoot},
		"inbox not a folder":       {FolderID: deliver, InboxFolderID: "00000000-0000-0000-0000-000000000000"},
	} {
		wantStatus(t, what, admin.Do("POST", "/api/v2/share_links", req, nil), 400, "")
	}
	file := children(t, admin, deliver)[0].ID
	wantStatus(t, "inbox on a direct link", admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "download", AssetIDs: []string{file}, InboxFolderID: inbox}, nil), 400, "")
}

// TestShareLinkVisitorUploads: upload_download visitors choose a folder
// of the link, never one outside it, within the link's size limit.
func TestShareLinkVisitorUploads(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Drops")
	drop := mkdir(t, admin, root, "Drop")
	inner := mkdir(t, admin, drop, "Inner")
	outside := mkdir(t, admin, root, "Outside")
	l := createShare(t, admin, model.NewShareLink{FolderID: drop, AllowedActions: "upload_download", MaxUploadMB: model.Set[int64](1), Name: "Drop box"})
	v := shareVisitorClient(t, s, l.Key)

	st, id := visitorUpload(t, v, map[string]string{"filename": "in-inner.txt", "parent_id": inner}, []byte("into the subfolder"))
	if a, _ := assetOf(t, admin, id); st != 204 || a.ParentID != inner {
		t.Fatalf("upload into a subfolder: %d %+v", st, a)
	}
	st, id = visitorUpload(t, v, map[string]string{"filename": "top.txt"}, []byte("default folder"))
	if a, _ := assetOf(t, admin, id); st != 204 || a.ParentID != drop {
		t.Fatalf("upload without parent_id: %d %+v", st, a)
	}
	st, id = visitorUpload(t, v, map[string]string{"filename": "a.txt", "parent_id": inner, "relative_path": "Shots/Day 1/a.txt"}, []byte("dropped folder"))
	if st != 204 {
		t.Fatalf("folder drop: %d", st)
	}
	dropped, _ := assetOf(t, admin, id)
	day, _ := assetOf(t, admin, dropped.ParentID)
	shots, _ := assetOf(t, admin, day.ParentID)
	if dropped.Name != "a.txt" || day.Name != "Day 1" || shots.Name != "Shots" || shots.ParentID != inner {
		t.Fatalf("folder drop landed in %+v / %+v", shots, day)
	}
	if got := names(children(t, admin, inner)); got != "Shots,in-inner.txt" {
		t.Fatalf("inner holds %q", got)
	}

	// Outside the link, or too large: refused before any byte, nothing stored.
	for _, parent := range []string{outside, root, "not-a-uuid"} {
		if st, _ := visitorUpload(t, v, map[string]string{"filename": "escape.txt", "parent_id": parent}, []byte("x")); st != 400 {
			t.Fatalf("upload into %s: %d", parent, st)
		}
	}
	if kids := children(t, admin, outside); len(kids) != 0 {
		t.Fatalf("outside holds %s", names(kids))
	}
	before := names(children(t, admin, drop))
	res := v.TusCreate(map[string]string{"filename": "big.bin", "relative_path": "Big/big.bin"}, 2<<20, nil)
	wantStatus(t, "too large", res, 413, "")
	if !strings.Contains(body(res), "1.0 MiB") {
		t.Fatalf("413 says %s", body(res))
	}
	if after := names(children(t, admin, drop)); after != before {
		t.Fatalf("a refused upload changed the folder: %q → %q", before, after)
	}

	// Folders: made inside the link, with clean names only.
	var f model.VisitorAsset
	base := "/api/v2/public/links/" + l.Key
	wantStatus(t, "mkdir", v.Do("POST", base+"/folders", model.NewPublicFolder{ParentID: inner, Name: "Selects"}, &f), 201, "")
	if f.Name != "Selects" || f.ParentID != inner {
		t.Fatalf("mkdir: %+v", f)
	}
	wantStatus(t, "mkdir at the top", v.Do("POST", base+"/folders", model.NewPublicFolder{Name: "Top"}, nil), 201, "")
	for _, bad := range []string{"..", ".", "a/b", "tab\there", ""} {
		wantStatus(t, "mkdir "+bad, v.Do("POST", base+"/folders", model.NewPublicFolder{ParentID: inner, Name: bad}, nil), 400, "")
	}
	wantStatus(t, "mkdir outside", v.Do("POST", base+"/folders", model.NewPublicFolder{ParentID: outside, Name: "Escape"}, nil), 404, "")
	wantStatus(t, "rename in upload_download", v.Do("PUT", base+"/assets/"+inner, model.AssetPatch{Name: model.Ptr("Mine")}, nil), 403, "not_allowed")

	// An upload-only link: uploads go in, nothing comes out.
	up := createShare(t, admin, model.NewShareLink{FolderID: drop, AllowedActions: "upload"})
	u := shareVisitorClient(t, s, up.Key)
	if st, _ := visitorUpload(t, u, map[string]string{"filename": "blind.txt"}, []byte("blind drop")); st != 204 {
		t.Fatalf("upload-only upload: %d", st)
	}
	wantStatus(t, "mkdir in upload mode", u.Do("POST", "/api/v2/public/links/"+up.Key+"/folders", model.NewPublicFolder{Name: "Peek"}, nil), 403, "not_allowed")
	var pub model.PublicShare
	wantStatus(t, "upload-only public", u.Do("GET", "/api/v2/public/links/"+up.Key, nil, &pub), 200, "")
	if len(pub.Items) != 0 || pub.ZipURL != "" {
		t.Fatalf("an upload-only link shows %+v", pub)
	}

	// A deleted link takes no more uploads.
	wantStatus(t, "delete link", admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil), 204, "")
	if st, _ := visitorUpload(t, v, map[string]string{"filename": "late.txt"}, []byte("late")); st != 404 {
		t.Fatalf("upload through a deleted link: %d", st)
	}
}

// TestShareLinkFullAccess: full-access visitors rename, move, copy and
// delete inside the link, never outside it or the link's own folder.
func TestShareLinkFullAccess(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Full")
	shared := mkdir(t, admin, root, "Shared")
	sub := mkdir(t, admin, shared, "Sub")
	other := mkdir(t, admin, root, "Other")
	data := []byte("a file the visitor may change")
	file := admin.Upload(shared, "a.txt", data)
	secret := admin.Upload(other, "secret.txt", []byte("not in the link"))
	l := createShare(t, admin, model.NewShareLink{FolderID: shared, AllowedActions: "full", AllowOriginal: model.Ptr(true)})
	v := shareVisitorClient(t, s, l.Key)
	base := "/api/v2/public/links/" + l.Key

	for _, bad := range []string{"..", ".", "x/y", "bad\x01name", ""} {
		wantStatus(t, "rename to "+bad, v.Do("PUT", base+"/assets/"+file, model.AssetPatch{Name: model.Ptr(bad)}, nil), 400, "")
	}
	if a, _ := assetOf(t, admin, file); a.Name != "a.txt" {
		t.Fatalf("a refused rename changed the name to %q", a.Name)
	}
	var out model.VisitorAsset
	wantStatus(t, "rename", v.Do("PUT", base+"/assets/"+file, model.AssetPatch{Name: model.Ptr("b.txt")}, &out), 200, "")
	wantStatus(t, "move", v.Do("PUT", base+"/assets/"+file, model.AssetPatch{ParentID: model.Ptr(sub)}, &out), 200, "")
	if a, _ := assetOf(t, admin, file); a.Name != "b.txt" || a.ParentID != sub || out.ParentID != sub {
		t.Fatalf("after rename and move: %+v", a)
	}
	wantStatus(t, "move out of the link", v.Do("PUT", base+"/assets/"+file, model.AssetPatch{ParentID: model.Ptr(other)}, nil), 404, "")
	wantStatus(t, "move a folder into itself", v.Do("PUT", base+"/assets/"+sub, model.AssetPatch{ParentID: model.Ptr(sub)}, nil), 400, "")

	// Ids outside the link are not there; the link's folder stays.
	wantStatus(t, "rename outside", v.Do("PUT", base+"/assets/"+secret, model.AssetPatch{Name: model.Ptr("mine.txt")}, nil), 404, "")
	wantStatus(t, "delete outside", v.Do("DELETE", base+"/assets/"+secret, nil, nil), 404, "")
	wantStatus(t, "copy outside", v.Do("POST", base+"/assets/"+secret+"/copy", model.CopyTo{ParentID: shared}, nil), 404, "")
	wantStatus(t, "delete the project root", v.Do("DELETE", base+"/assets/"+root, nil, nil), 404, "")
	wantStatus(t, "bad id", v.Do("DELETE", base+"/assets/not-a-uuid", nil, nil), 404, "")
	wantStatus(t, "rename the link's folder", v.Do("PUT", base+"/assets/"+shared, model.AssetPatch{Name: model.Ptr("Gone")}, nil), 403, "")
	wantStatus(t, "delete the link's folder", v.Do("DELETE", base+"/assets/"+shared, nil, nil), 403, "")
	if a, st := assetOf(t, admin, secret); st != 200 || a.Name != "secret.txt" {
		t.Fatalf("the file outside changed: %d %+v", st, a)
	}

	// Copy: a new file with the same bytes; folders are refused.
	var cp model.Asset
	wantStatus(t, "copy", v.Do("POST", base+"/assets/"+file+"/copy", model.CopyTo{ParentID: shared}, &cp), 201, "")
	if cp.Name != "b.txt" || cp.ParentID != shared || cp.ID == file {
		t.Fatalf("copy: %+v", cp)
	}
	wantStatus(t, "copy beside", v.Do("POST", base+"/assets/"+file+"/copy", model.CopyTo{}, &cp), 201, "")
	if cp.Name != "b copy.txt" || cp.ParentID != sub {
		t.Fatalf("copy beside: %+v", cp)
	}
	res, got := get(t, admin, "/api/v2/assets/"+cp.ID+"/original")
	if res.StatusCode != 200 || !bytes.Equal(got, data) {
		t.Fatalf("the copy's bytes: %d %q", res.StatusCode, got)
	}
	wantStatus(t, "copy a folder", v.Do("POST", base+"/assets/"+sub+"/copy", model.CopyTo{ParentID: shared}, nil), 400, "folder_copy_unsupported")

	// Delete, then the original still has its bytes even though the copy shared them.
	wantStatus(t, "delete", v.Do("DELETE", base+"/assets/"+file, nil, nil), 204, "")
	if _, st := assetOf(t, admin, file); st != 404 {
		t.Fatalf("deleted file answers %d", st)
	}
	if res, got := get(t, admin, "/api/v2/assets/"+cp.ID+"/original"); res.StatusCode != 200 || !bytes.Equal(got, data) {
		t.Fatalf("the copy after the original went: %d %q", res.StatusCode, got)
	}
	wantStatus(t, "mkdir", v.Do("POST", base+"/folders", model.NewPublicFolder{ParentID: sub, Name: "New"}, nil), 201, "")

	acts := accessActions(t, admin, l.ID)
	for _, a := range []string{"rename", "move", "copy", "delete", "mkdir"} {
		if acts[a] == 0 {
			t.Errorf("no %q in the access log: %v", a, acts)
		}
	}

	// A password link: nothing changes before the password.
	pw := createShare(t, admin, model.NewShareLink{FolderID: shared, AllowedActions: "full", Password: "open sesame"})
	p := shareVisitorClient(t, s, pw.Key)
	wantStatus(t, "delete before the password", p.Do("DELETE", "/api/v2/public/links/"+pw.Key+"/assets/"+cp.ID, nil, nil), 401, "")
	if st, _ := visitorUpload(t, p, map[string]string{"filename": "x.txt"}, []byte("x")); st != 401 {
		t.Fatalf("upload before the password: %d", st)
	}
	wantStatus(t, "unlock", p.Do("POST", "/api/v2/public/links/"+pw.Key+"/unlock", model.Unlock{Password: "open sesame"}, nil), 200, "")
	wantStatus(t, "delete after the password", p.Do("DELETE", "/api/v2/public/links/"+pw.Key+"/assets/"+cp.ID, nil, nil), 204, "")
	if st, _ := visitorUpload(t, p, map[string]string{"filename": "x.txt"}, []byte("x")); st != 204 {
		t.Fatalf("upload after the password: %d", st)
	}
}
