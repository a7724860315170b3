package api_test

import (
	"image/color"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// groupFixture: the admin's project with /Private holding secret.jpg and
// open.jpg in the root; Erin and Frank are members of the project.
type groupFixture struct {
	s                      *testkit.Server
	admin, erin, frank     *testkit.Client
	erinID, frankID        string
	project, root, private string
	open, secret           string
}

func newGroupFixture(t *testing.T) *groupFixture {
	t.Helper()
	s := start(t)
	f := &groupFixture{s: s, admin: s.Admin(t)}
	f.project, f.root = linkProject(t, f.admin, "Agency")
	f.private = mkdir(t, f.admin, f.root, "Private")
	img := jpegBytes(t, 64, 48, color.RGBA{200, 40, 40, 255})
	f.open = f.admin.Upload(f.root, "open.jpg", img, "filetype", "image/jpeg")
	f.secret = f.admin.Upload(f.private, "secret.jpg", img, "filetype", "image/jpeg")
	f.erinID = createMember(t, f.admin, "erin@x.example", "erin password 123").ID
	f.frankID = createMember(t, f.admin, "frank@x.example", "frank password 12").ID
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{f.erinID, f.frankID})}, nil), 200, "")
	f.erin = s.Login(t, "erin@x.example", "erin password 123")
	f.frank = s.Login(t, "frank@x.example", "frank password 12")
	return f
}

func (f *groupFixture) group(t *testing.T, name string, users ...string) model.Group {
	t.Helper()
	var g model.Group
	wantStatus(t, "create group "+name, f.admin.Do("POST", "/api/v2/groups", model.GroupPatch{Name: &name, UserIDs: &users}, &g), 201, "")
	return g
}

func (f *groupFixture) setGroup(t *testing.T, groupID, folder, access string, share bool) {
	t.Helper()
	wantStatus(t, "group privilege", f.admin.Do("PUT", "/api/v2/groups/"+groupID+"/privileges/"+folder,
		model.Privilege{Access: access, Share: share}, nil), 200, "")
}

// download answers the status c gets for an asset's original.
func download(c *testkit.Client, id string) int {
	return c.Do("GET", "/api/v2/assets/"+id+"/original", nil, nil).StatusCode
}

// A user's rights are the union of their own records and their groups';
// leaving a group or deleting it takes its rights away at once.
func TestGroupRightsAreTheUnion(t *testing.T) {
	f := newGroupFixture(t)
	wantStatus(t, "erin's own", f.admin.Do("PUT", "/api/v2/users/"+f.erinID+"/privileges/"+f.private,
		model.Privilege{Access: "preview", Share: false}, nil), 200, "")
	if st := download(f.erin, f.secret); st != 403 {
		t.Fatalf("erin with preview downloads: %d", st)
	}

	editors := f.group(t, "Editors", f.erinID)
	f.setGroup(t, editors.ID, f.root, "download", true)
	if st := download(f.erin, f.secret); st != 200 {
		t.Fatalf("erin through Editors: %d, want 200", st)
	}
	var mine model.Privilege
	wantStatus(t, "erin's rights", f.erin.Do("GET", "/api/v2/assets/"+f.secret+"/privileges", nil, &mine), 200, "")
	if mine.Access != "download" || !mine.Share {
		t.Fatalf("erin's rights on the secret: %+v, want download with share", mine)
	}
	if st := download(f.frank, f.secret); st != 200 {
		t.Fatalf("frank, in no group and without records: %d", st)
	}

	// Removed from the group: back to her own preview, at once.
	none := []string{}
	wantStatus(t, "remove erin", f.admin.Do("PUT", "/api/v2/groups/"+editors.ID, model.GroupPatch{UserIDs: &none}, nil), 200, "")
	if st := download(f.erin, f.secret); st != 403 {
		t.Fatalf("erin after leaving Editors: %d, want 403", st)
	}
	// Back in, then the group is deleted: the same.
	in := []string{f.erinID}
	wantStatus(t, "add erin", f.admin.Do("PUT", "/api/v2/groups/"+editors.ID, model.GroupPatch{UserIDs: &in}, nil), 200, "")
	if st := download(f.erin, f.secret); st != 200 {
		t.Fatalf("erin back in Editors: %d", st)
	}
	wantStatus(t, "delete group", f.admin.Do("DELETE", "/api/v2/groups/"+editors.ID, nil, nil), 204, "")
	if st := download(f.erin, f.secret); st != 403 {
		t.Fatalf("erin after Editors was deleted: %d, want 403", st)
	}
	wantStatus(t, "deleted group's privileges", f.admin.Do("GET", "/api/v2/groups/"+editors.ID+"/privileges", nil, nil), 404, "")

	// A group's record restricts members without records of their own.
	viewers := f.group(t, "Viewers", f.frankID)
	f.setGroup(t, viewers.ID, f.private, "preview", false)
	if st := download(f.frank, f.secret); st != 403 {
		t.Fatalf("frank in Viewers downloads from /Private: %d", st)
	}
	if st := download(f.frank, f.open); st != 200 {
		t.Fatalf("frank outside /Private: %d", st)
	}
	// The group's restriction reaches links its members make.
	var link model.ShareLink
	wantStatus(t, "frank shares from /Private", f.frank.Do("POST", "/api/v2/share_links",
		model.NewShareLink{Kind: "public", AssetIDs: []string{f.secret}}, &link), 403, "not_permitted")
	wantStatus(t, "remove the group's record", f.admin.Do("DELETE", "/api/v2/groups/"+viewers.ID+"/privileges/"+f.private, nil, nil), 204, "")
	if st := download(f.frank, f.secret); st != 200 {
		t.Fatalf("frank after the record went: %d", st)
	}
}

// Only admins manage groups and folder permissions; tokens need the users
// scopes; bad input gets a 4xx with a reason and changes nothing.
func TestGroupRefusals(t *testing.T) {
	f := newGroupFixture(t)
	g := f.group(t, "Editors", f.erinID)
	name := "Renamed"
	cases := []struct {
		who    string
		c      *testkit.Client
		status int
		code   string
	}{
		{"member", f.erin, 403, ""},
		{"anonymous", f.s.Client(t), 401, ""},
		{"token without users scopes", f.s.TokenClient(t, "projects.read", "assets.read", "assets.update"), 403, "insufficient_scope"},
	}
	for _, tc := range cases {
		t.Run(tc.who, func(t *testing.T) {
			wantStatus(t, "list", tc.c.Do("GET", "/api/v2/groups", nil, nil), tc.status, tc.code)
			wantStatus(t, "create", tc.c.Do("POST", "/api/v2/groups", model.GroupPatch{Name: &name}, nil), tc.status, tc.code)
			wantStatus(t, "rename", tc.c.Do("PUT", "/api/v2/groups/"+g.ID, model.GroupPatch{Name: &name}, nil), tc.status, tc.code)
			wantStatus(t, "privilege", tc.c.Do("PUT", "/api/v2/groups/"+g.ID+"/privileges/"+f.root, model.Privilege{Access: "full", Share: true}, nil), tc.status, tc.code)
			wantStatus(t, "permissions", tc.c.Do("GET", "/api/v2/assets/"+f.private+"/permissions", nil, nil), tc.status, tc.code)
			wantStatus(t, "delete", tc.c.Do("DELETE", "/api/v2/groups/"+g.ID, nil, nil), tc.status, tc.code)
		})
	}
	// A token with users.read reads but cannot change.
	reader := f.s.TokenClient(t, "users.read")
	var list []model.Group
	wantStatus(t, "reader lists", reader.Do("GET", "/api/v2/groups", nil, &list), 200, "")
	wantStatus(t, "reader creates", reader.Do("POST", "/api/v2/groups", model.GroupPatch{Name: &name}, nil), 403, "insufficient_scope")
	wantStatus(t, "reader deletes", reader.Do("DELETE", "/api/v2/groups/"+g.ID, nil, nil), 403, "insufficient_scope")

	// A link visitor holds no API principal.
	var sl model.ShareLink
	wantStatus(t, "link", f.admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{f.open}}, &sl), 201, "")
	visitor := f.s.Client(t)
	wantStatus(t, "visit", visitor.Do("GET", "/api/v2/public/links/"+sl.Key, nil, nil), 200, "")
	wantStatus(t, "visitor lists groups", visitor.Do("GET", "/api/v2/groups", nil, nil), 401, "")

	empty, dup, long := "  ", "editors", string(make([]byte, 101))
	bad := "not-a-uuid"
	unknown := []string{"8b4f5a52-1111-4c1e-9a3e-2b2a3c4d5e6f"}
	badIDs := []string{bad}
	for _, tc := range []struct {
		what   string
		method string
		path   string
		body   any
		status int
		code   string
	}{
		{"no name", "POST", "/api/v2/groups", model.GroupPatch{}, 400, ""},
		{"blank name", "POST", "/api/v2/groups", model.GroupPatch{Name: &empty}, 400, ""},
		{"long name", "POST", "/api/v2/groups", model.GroupPatch{Name: &long}, 400, ""},
		{"same name in another case", "POST", "/api/v2/groups", model.GroupPatch{Name: &dup}, 409, "group_exists"},
		{"unknown user", "PUT", "/api/v2/groups/" + g.ID, model.GroupPatch{UserIDs: &unknown}, 400, ""},
		{"user id not a uuid", "PUT", "/api/v2/groups/" + g.ID, model.GroupPatch{UserIDs: &badIDs}, 400, ""},
		{"unknown group", "PUT", "/api/v2/groups/" + unknown[0], model.GroupPatch{Name: &name}, 404, ""},
		{"group id not a uuid", "GET", "/api/v2/groups/" + bad, nil, 404, ""},
		{"privilege on a file", "PUT", "/api/v2/groups/" + g.ID + "/privileges/" + f.open, model.Privilege{Access: "full"}, 400, ""},
		{"unknown access", "PUT", "/api/v2/groups/" + g.ID + "/privileges/" + f.root, model.Privilege{Access: "owner"}, 400, ""},
		{"permissions of a file", "GET", "/api/v2/assets/" + f.open + "/permissions", nil, 400, ""},
		{"not json", "POST", "/api/v2/groups", []byte("{"), 400, ""},
	} {
		wantStatus(t, tc.what, f.admin.Do(tc.method, tc.path, tc.body, nil), tc.status, tc.code)
	}
	var got model.Group
	wantStatus(t, "group after refusals", f.admin.Do("GET", "/api/v2/groups/"+g.ID, nil, &got), 200, "")
	if got.Name != "Editors" || len(got.UserIDs) != 1 || got.UserIDs[0] != f.erinID {
		t.Fatalf("refused changes changed the group: %+v", got)
	}
}

// A folder's permissions list records on it and those inherited from the
// folders above, nearest per user or group.
func TestFolderPermissionsShowInherited(t *testing.T) {
	f := newGroupFixture(t)
	g := f.group(t, "Editors", f.erinID, f.frankID)
	f.setGroup(t, g.ID, f.root, "download", true)
	for _, r := range []struct{ user, folder, access string }{
		{f.erinID, f.root, "preview"}, {f.erinID, f.private, "full"}, {f.frankID, f.root, "upload"},
	} {
		wantStatus(t, "privilege", f.admin.Do("PUT", "/api/v2/users/"+r.user+"/privileges/"+r.folder, model.Privilege{Access: r.access, Share: true}, nil), 200, "")
	}
	sub := mkdir(t, f.admin, f.private, "Sub")
	var perms []model.FolderPermission
	wantStatus(t, "permissions", f.admin.Do("GET", "/api/v2/assets/"+sub+"/permissions", nil, &perms), 200, "")
	type row struct {
		name, access, from string
		inherited          bool
	}
	var got []row
	for _, p := range perms {
		got = append(got, row{p.Name, p.Access, p.FromPath, p.Inherited})
	}
	want := []row{
		{"Member erin@x.example", "full", "/Private/", true},
		{"Member frank@x.example", "upload", "/", true},
		{"Editors", "download", "/", true},
	}
	if len(got) != len(want) {
		t.Fatalf("permissions of /Private/Sub: %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("permissions of /Private/Sub: %+v, want %+v", got, want)
		}
	}
	wantStatus(t, "permissions of /Private", f.admin.Do("GET", "/api/v2/assets/"+f.private+"/permissions", nil, &perms), 200, "")
	if len(perms) != 3 || perms[0].Inherited || perms[0].Access != "full" || perms[0].HolderType != "user" || perms[2].HolderType != "group" || !perms[2].Inherited {
		t.Fatalf("permissions of /Private: %+v", perms)
	}
}
