package api_test

import (
	"bytes"
	"fmt"
	"image/color"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// sdkClient is a token client that sends what python-frameio-client 2.0.0
// sends besides the bearer token.
func sdkClient(t *testing.T, s *testkit.Server, token string) *testkit.Client {
	c := s.Client(t)
	c.Token, c.Origin = token, ""
	c.Header = http.Header{"X-Frameio-Client": {"python/2.0.0"}, "User-Agent": {"python-requests/2.31.0"}}
	return c
}

// v2Invalid is the status a Frame.io SDK (x-frameio-client) gets for
// invalid arguments, as v2 answers them: its SDK retries a 400 for hours.
const v2Invalid = 422

// mintToken makes a token of the client's user with scopes.
func mintToken(t *testing.T, c *testkit.Client, scopes ...string) string {
	t.Helper()
	tok, err := c.API().CreateToken(model.NewToken{Name: "sdk", Scopes: scopes})
	wantErr(t, "token", err, 0, "")
	return tok.Secret
}

// v2Project is a project as a Frame.io v2 client reads it: model.Project
// plus the Frame.io fields (_type, team_id) the server adds.
type v2Project struct {
	ID          string `json:"id"`
	Type        string `json:"_type"`
	Name        string `json:"name"`
	TeamID      string `json:"team_id"`
	RootAssetID string `json:"root_asset_id"`
}

// TestFrameioAccountsAndTeams walks the SDK's way in: users.get_me →
// account_id → teams.list(account_id) → projects.create(team_id) and
// teams.list_projects(team_id), as the admin, a member who sees only their
// own projects, a token without the scope, and nobody.
func TestFrameioAccountsAndTeams(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	var secret model.Project
	wantStatus(t, "admin project", admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Admin only"}, &secret), 201, "")
	createMember(t, admin, "carol@x.example", "carol password 1")
	carol := s.Login(t, "carol@x.example", "carol password 1")
	sdk := sdkClient(t, s, mintToken(t, carol, "projects.read", "projects.create"))

	var me model.Me
	wantStatus(t, "me", sdk.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if len(me.AccountID) != 36 {
		t.Fatalf("me has no account_id: %+v", me)
	}
	// Frame.io v2 accounts and teams are answered in Frame.io's shape, which has no model type.
	var accounts []struct {
		ID   string `json:"id"`
		Type string `json:"_type"`
	}
	wantStatus(t, "accounts", sdk.Do("GET", "/api/v2/accounts", nil, &accounts), 200, "")
	if len(accounts) != 1 || accounts[0].ID != me.AccountID || accounts[0].Type != "account" {
		t.Fatalf("accounts: %+v, want the one account %s", accounts, me.AccountID)
	}
	wantStatus(t, "account", sdk.Do("GET", "/api/v2/accounts/"+me.AccountID, nil, nil), 200, "")
	var teams []struct {
		ID        string `json:"id"`
		Type      string `json:"_type"`
		Name      string `json:"name"`
		AccountID string `json:"account_id"`
	}
	wantStatus(t, "account teams", sdk.Do("GET", "/api/v2/accounts/"+me.AccountID+"/teams", nil, &teams), 200, "")
	if len(teams) != 1 || teams[0].AccountID != me.AccountID || teams[0].Type != "team" || teams[0].ID == me.AccountID {
		t.Fatalf("teams: %+v", teams)
	}
	team := teams[0].ID
	var all []struct {
		ID string `json:"id"`
	}
	wantStatus(t, "teams", sdk.Do("GET", "/api/v2/teams", nil, &all), 200, "")
	if len(all) != 1 || all[0].ID != team {
		t.Fatalf("GET /teams: %+v, want %s", all, team)
	}
	wantStatus(t, "team", sdk.Do("GET", "/api/v2/teams/"+team, nil, nil), 200, "")

	// projects.create(team_id, name=...) makes a Ferry project of Carol's.
	var made v2Project
	wantStatus(t, "create", sdk.Do("POST", "/api/v2/teams/"+team+"/projects", model.NewProject{Name: "Spring campaign"}, &made), 201, "")
	if made.Name != "Spring campaign" || made.TeamID != team || made.Type != "project" || made.RootAssetID == "" {
		t.Fatalf("created %+v", made)
	}
	wantStatus(t, "as a Ferry project", carol.Do("GET", "/api/v2/projects/"+made.ID, nil, nil), 200, "")
	var listed []v2Project
	res := sdk.Do("GET", "/api/v2/teams/"+team+"/projects?page=1&page_size=10", nil, &listed)
	wantStatus(t, "list", res, 200, "")
	if len(listed) != 1 || listed[0].ID != made.ID || res.Header.Get("total") != "1" {
		t.Fatalf("Carol sees %+v (total %s), want only her project", listed, res.Header.Get("total"))
	}
	var adminSees []v2Project
	admin.Do("GET", "/api/v2/teams/"+team+"/projects", nil, &adminSees)
	if len(adminSees) != 2 {
		t.Fatalf("the admin sees %+v, want both projects", adminSees)
	}

	// Unknown ids, bad input, and viewers without the right.
	anon := s.Client(t)
	reader := sdkClient(t, s, mintToken(t, carol, "projects.read"))
	noScope := sdkClient(t, s, mintToken(t, carol, "assets.read"))
	for _, tc := range []struct {
		who     string
		c       *testkit.Client
		method  string
		path    string
		body    any
		status  int
		errCode string
	}{
		{"sdk", sdk, "GET", "/api/v2/accounts/" + team, nil, 404, "not_found"},
		{"sdk", sdk, "GET", "/api/v2/accounts/" + secret.ID + "/teams", nil, 404, "not_found"},
		{"sdk", sdk, "GET", "/api/v2/teams/" + me.AccountID, nil, 404, "not_found"},
		{"sdk", sdk, "GET", "/api/v2/teams/" + secret.ID + "/projects", nil, 404, "not_found"},
		{"sdk", sdk, "POST", "/api/v2/teams/" + me.AccountID + "/projects", model.NewProject{Name: "X"}, 404, "not_found"},
		{"sdk", sdk, "POST", "/api/v2/teams/" + team + "/projects", model.NewProject{}, v2Invalid, ""},
		// Raw: an unknown field, on purpose.
		{"sdk", sdk, "POST", "/api/v2/teams/" + team + "/projects", map[string]any{"name": "X", "colour": "red"}, v2Invalid, "invalid_json"},
		{"read-only token", reader, "POST", "/api/v2/teams/" + team + "/projects", model.NewProject{Name: "X"}, 403, "insufficient_scope"},
		{"token without projects", noScope, "GET", "/api/v2/teams/" + team + "/projects", nil, 403, "insufficient_scope"},
		{"token without projects", noScope, "GET", "/api/v2/accounts", nil, 403, "insufficient_scope"},
		{"nobody", anon, "GET", "/api/v2/accounts", nil, 401, ""},
		{"nobody", anon, "GET", "/api/v2/teams/" + team + "/projects", nil, 401, ""},
		{"nobody", anon, "POST", "/api/v2/teams/" + team + "/projects", model.NewProject{Name: "X"}, 401, ""},
	} {
		wantStatus(t, tc.who+" "+tc.method+" "+tc.path, tc.c.Do(tc.method, tc.path, tc.body, nil), tc.status, tc.errCode)
	}
	var after []v2Project
	admin.Do("GET", "/api/v2/projects", nil, &after)
	if len(after) != 2 {
		t.Errorf("refused creates made projects: %+v", after)
	}
}

// manyShapes is an annotation in Ferry's format with n shapes.
func manyShapes(n int) string {
	shapes := make([]string, n)
	for i := range shapes {
		shapes[i] = `{"type":"rect","color":"#f00","points":[[1,1],[2,2]]}`
	}
	return `{"width":100,"height":100,"shapes":[` + strings.Join(shapes, ",") + `]}`
}

// TestFrameioComments: comments.create with v2's double timestamp,
// duration, private and page; comments.update of text, annotation and
// timestamp; bad input refused with its reason and nothing stored; private
// replies hidden from reviewers; others may not edit.
func TestFrameioComments(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, root := linkProject(t, admin, "Film")
	asset := admin.Upload(root, "still.jpg", jpegBytes(t, 64, 48, color.RGBA{9, 9, 9, 255}))
	sdk := sdkClient(t, s, mintToken(t, admin, "comments.create", "comments.read", "comments.update", "assets.read"))
	ann := `{"width":900,"height":600,"shapes":[{"type":"arrow","color":"#ff0000","points":[[10,10],[40,60]]}]}`

	// The SDK's comments.create(asset_id, text=..., timestamp=12.5, ...).
	var c1 model.Comment
	wantStatus(t, "create", sdk.Do("POST", "/api/v2/assets/"+asset+"/comments",
		[]byte(`{"text":"Cut here","timestamp":12.5,"duration":24,"private":false,"page":2,"annotation":`+strconv.Quote(ann)+`}`), &c1), 201, "")
	if c1.Timestamp == nil || *c1.Timestamp != 12 || c1.Duration == nil || *c1.Duration != 24 || c1.Page == nil || *c1.Page != 2 ||
		c1.Annotation == nil || c1.Private || c1.Type != "comment" {
		t.Fatalf("created %+v; want frame 12 (12.5 falls in it), duration 24, page 2", c1)
	}
	for _, ts := range []string{"0", "7", "1e3", "0.999"} {
		var c model.Comment
		wantStatus(t, "timestamp "+ts, sdk.Do("POST", "/api/v2/assets/"+asset+"/comments", []byte(`{"text":"t","timestamp":`+ts+`}`), &c), 201, "")
		if want, _ := strconv.ParseFloat(ts, 64); c.Timestamp == nil || *c.Timestamp != int64(want) {
			t.Errorf("timestamp %s stored as %v", ts, c.Timestamp)
		}
	}
	countComments := func() int {
		var cs []model.Comment
		wantStatus(t, "list", admin.Do("GET", "/api/v2/assets/"+asset+"/comments", nil, &cs), 200, "")
		return len(cs)
	}
	before := countComments()
	for _, tc := range []struct{ body, reason string }{
		{`{"text":"x","timestamp":-1}`, "timestamp is a frame number"},
		{`{"text":"x","timestamp":-0.5}`, "timestamp is a frame number"},
		{`{"text":"x","timestamp":"NaN"}`, `timestamp\" must be float64`},
		{`{"text":"x","timestamp":NaN}`, "malformed JSON"},
		{`{"text":"x","timestamp":"12"}`, `timestamp\" must be float64`},
		{`{"text":"x","timestamp":1e300}`, "timestamp is a frame number"},
		{`{"text":"x","timestamp":1,"duration":-3}`, "duration is a number of frames"},
		{`{"text":"x","timestamp":1,"duration":2.5}`, `duration\" must be int64`},
		{`{"text":"x","duration":10}`, "duration needs a timestamp"},
		{`{"text":"x","private":"yes"}`, `private\" must be bool`},
		{`{"text":"x","page":0}`, "page counts from 1"},
		{`{"text":"x","annotation":"not json"}`, "annotation must be a JSON string"},
		{`{"text":"x","annotation":` + strconv.Quote(manyShapes(10000)) + `}`, "annotation"},
		{`{"text":"x","annotation":` + strconv.Quote(manyShapes(1001)) + `}`, "at most 1000"},
	} {
		res := sdk.Do("POST", "/api/v2/assets/"+asset+"/comments", []byte(tc.body), nil)
		if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(body(res), tc.reason) {
			t.Errorf("%.80s: %d %.300s, want 4xx naming %q", tc.body, res.StatusCode, body(res), tc.reason)
		}
	}
	if n := countComments(); n != before {
		t.Fatalf("refused comments were stored: %d, want %d", n, before)
	}

	// comments.update(comment_id, text=..., annotation=..., timestamp=...).
	var up model.Comment
	wantStatus(t, "update", sdk.Do("PUT", "/api/v2/comments/"+c1.ID,
		model.CommentPatch{Text: model.Ptr("Cut later"), Timestamp: model.Ptr[float64](30.25), Annotation: model.Ptr(strings.Replace(ann, "arrow", "rect", 1))}, &up), 200, "")
	if up.Text != "Cut later" || up.Timestamp == nil || *up.Timestamp != 30 || up.Annotation == nil || !strings.Contains(*up.Annotation, "rect") ||
		up.Duration == nil || *up.Duration != 24 {
		t.Fatalf("updated %+v", up)
	}
	for _, bad := range []string{`{"timestamp":-1}`, `{"timestamp":"NaN"}`, `{"annotation":"{"}`,
		`{"annotation":` + strconv.Quote(manyShapes(1001)) + `}`, `{"text":"Changed","timestamp":-2}`, `{"text":""}`} {
		res := sdk.Do("PUT", "/api/v2/comments/"+c1.ID, []byte(bad), nil)
		if res.StatusCode != v2Invalid {
			t.Errorf("PUT %.60s: %d %.200s", bad, res.StatusCode, body(res))
		}
	}
	var kept model.Comment
	admin.Do("GET", "/api/v2/comments/"+c1.ID, nil, &kept)
	if kept.Text != "Cut later" || *kept.Timestamp != 30 || !strings.Contains(*kept.Annotation, "rect") {
		t.Fatalf("a refused update changed the comment: %+v", kept)
	}

	// Who may not: another member (not in the project), a member of the
	// project who is not the author, a token without comments.update.
	createMember(t, admin, "eve@x.example", "eve password 123")
	eve := s.Login(t, "eve@x.example", "eve password 123")
	createMember(t, admin, "carol@x.example", "carol password 1")
	carol := s.Login(t, "carol@x.example", "carol password 1")
	var me model.Me
	carol.Do("GET", "/api/v2/me", nil, &me)
	wantStatus(t, "add carol", admin.Do("PUT", "/api/v2/projects/"+project, model.ProjectPatch{MemberIDs: model.Ptr([]string{me.ID})}, nil), 200, "")
	reader := sdkClient(t, s, mintToken(t, admin, "comments.read"))
	for _, tc := range []struct {
		who    string
		c      *testkit.Client
		status int
	}{{"an outsider", eve, 404}, {"a member who is not the author", carol, 403}, {"a token without comments.update", reader, 403}} {
		wantStatus(t, tc.who, tc.c.Do("PUT", "/api/v2/comments/"+c1.ID, model.CommentPatch{Timestamp: model.Ptr[float64](1)}, nil), tc.status, "")
	}
	admin.Do("GET", "/api/v2/comments/"+c1.ID, nil, &kept)
	if *kept.Timestamp != 30 {
		t.Fatalf("a refused update moved the comment to %d", *kept.Timestamp)
	}

	// A private reply in a reviewer's thread stays with the team.
	v, base := reviewerMia(t, s, admin, project, asset)
	var thread model.Comment
	wantStatus(t, "reviewer comment", v.Do("POST", base, model.NewComment{Text: "Too dark", Timestamp: model.Ptr(3.5), Private: true}, &thread), 201, "")
	if thread.Private || *thread.Timestamp != 3 {
		t.Fatalf("a reviewer's comment: %+v (reviewers' comments are never private)", thread)
	}
	wantStatus(t, "public reply", sdk.Do("POST", "/api/v2/comments/"+thread.ID+"/replies", model.NewComment{Text: "We will fix it"}, nil), 201, "")
	wantStatus(t, "private reply", sdk.Do("POST", "/api/v2/comments/"+thread.ID+"/replies", model.NewComment{Text: "Client is wrong", Private: true}, nil), 201, "")
	var seen []model.Comment
	wantStatus(t, "reviewer list", v.Do("GET", base, nil, &seen), 200, "")
	var texts []string
	for _, c := range seen {
		texts = append(texts, c.Text)
	}
	if got := strings.Join(texts, "|"); got != "Too dark|We will fix it" {
		t.Fatalf("the reviewer sees %q", got)
	}
}

// rmw is a read-modify-write as v2 scripts do it: GET the object, change
// fields, PUT the whole of it back. change is a model patch (or, for a
// field Ferry does not model, a map): its JSON fields replace the object's.
func rmw(t *testing.T, c *testkit.Client, path string, change any) *http.Response {
	t.Helper()
	var obj map[string]any
	wantStatus(t, "read "+path, c.Do("GET", path, nil, &obj), 200, "")
	for k, v := range jsonFields(t, change) {
		obj[k] = v
	}
	return c.Do("PUT", path, obj, nil)
}

// TestFrameioLenientFields: fields v2 defines that Ferry does not
// implement, and read-only fields echoed back, are accepted and ignored on
// the v2 routes of projects, assets, review links and comments; a field
// neither API knows is refused by name, and nothing changes.
func TestFrameioLenientFields(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	sdk := sdkClient(t, s, mintToken(t, admin, "projects.read", "projects.create", "projects.update", "assets.read",
		"assets.create", "assets.update", "review_links.read", "review_links.create", "review_links.update",
		"comments.read", "comments.create", "comments.update"))
	var me model.Me
	sdk.Do("GET", "/api/v2/me", nil, &me)
	// Frame.io's team shape (no model type).
	var teams []struct {
		ID string `json:"id"`
	}
	sdk.Do("GET", "/api/v2/accounts/"+me.AccountID+"/teams", nil, &teams)

	// The creates below stay raw maps: they send the v2 fields Ferry does
	// not model (description, private, shared, source, label, fov, ...) to
	// prove they are accepted and ignored.
	var pr v2Project
	wantStatus(t, "team project", sdk.Do("POST", "/api/v2/teams/"+teams[0].ID+"/projects",
		map[string]any{"name": "P", "description": "spring", "private": true}, &pr), 201, "")
	wantStatus(t, "project", sdk.Do("POST", "/api/v2/projects", map[string]any{"name": "Q", "shared": false, "id": "x"}, nil), 201, "")
	wantStatus(t, "project rmw", rmw(t, sdk, "/api/v2/projects/"+pr.ID, model.ProjectPatch{Name: model.Ptr("P2")}), 200, "")
	var folder v2Asset
	wantStatus(t, "folder", sdk.Do("POST", "/api/v2/assets/"+pr.RootAssetID+"/children",
		map[string]any{"type": "folder", "name": "Dailies", "description": "d", "source": map[string]any{"url": "x"}}, &folder), 201, "")
	file := v2Asset{ID: admin.Upload(folder.ID, "a.jpg", jpegBytes(t, 8, 8, color.RGBA{1, 1, 1, 255}))}
	createV2File(t, sdk, folder.ID, "pending.mov", "video/quicktime", 10) // the SDK's create, with description below
	wantStatus(t, "file rmw", rmw(t, sdk, "/api/v2/assets/"+file.ID, model.AssetPatch{Name: model.Ptr("b.jpg")}), 200, "")
	wantStatus(t, "root rmw", rmw(t, sdk, "/api/v2/assets/"+pr.RootAssetID, model.AssetPatch{}), 200, "")
	wantStatus(t, "folder rmw", rmw(t, sdk, "/api/v2/assets/"+folder.ID, map[string]any{"label": "approved"}), 200, "")
	var rl model.ReviewLink
	wantStatus(t, "review link", sdk.Do("POST", "/api/v2/projects/"+pr.ID+"/review_links",
		map[string]any{"name": "R", "requires_passphrase": false, "is_active": true, "enable_comments": true}, &rl), 201, "")
	wantStatus(t, "review rmw", rmw(t, sdk, "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{Name: model.Ptr("R2")}), 200, "")
	var cm model.Comment
	wantStatus(t, "comment", sdk.Do("POST", "/api/v2/assets/"+folder.ID+"/comments",
		map[string]any{"text": "hi", "fov": 90, "_type": "comment"}, &cm), 201, "")
	wantStatus(t, "comment rmw", rmw(t, sdk, "/api/v2/comments/"+cm.ID, model.CommentPatch{Text: model.Ptr("hello"), Timestamp: model.Ptr[float64](5.5)}), 200, "")

	// What each read-modify-write changed: only what the script changed.
	var got struct {
		Name string `json:"name"`
		Text string `json:"text"`
		Ts   *int64 `json:"timestamp"`
	}
	for path, want := range map[string]string{"/api/v2/projects/" + pr.ID: "P2", "/api/v2/assets/" + file.ID: "b.jpg",
		"/api/v2/assets/" + pr.RootAssetID: "P2", "/api/v2/review_links/" + rl.ID: "R2", "/api/v2/comments/" + cm.ID: "hello"} {
		got.Name, got.Text = "", ""
		sdk.Do("GET", path, nil, &got)
		if got.Name+got.Text != want {
			t.Errorf("%s: %+v, want %s", path, got, want)
		}
	}
	if sdk.Do("GET", "/api/v2/comments/"+cm.ID, nil, &got); got.Ts == nil || *got.Ts != 5 {
		t.Errorf("the comment's timestamp after the PUT: %v, want frame 5", got.Ts)
	}

	// Fields neither API knows, and is_active false, are refused by name
	// and change nothing.
	for _, tc := range []struct{ method, path, field string }{
		{"POST", "/api/v2/projects", "colour"},
		{"POST", "/api/v2/teams/" + teams[0].ID + "/projects", "colour"},
		{"PUT", "/api/v2/projects/" + pr.ID, "colour"},
		{"POST", "/api/v2/assets/" + folder.ID + "/children", "colour"},
		{"PUT", "/api/v2/assets/" + file.ID, "colour"},
		{"POST", "/api/v2/projects/" + pr.ID + "/review_links", "colour"},
		{"PUT", "/api/v2/review_links/" + rl.ID, "colour"},
		{"POST", "/api/v2/assets/" + folder.ID + "/comments", "colour"},
		{"PUT", "/api/v2/comments/" + cm.ID, "colour"},
		{"POST", "/api/v2/comments/" + cm.ID + "/replies", "colour"},
		{"PUT", "/api/v2/review_links/" + rl.ID, "is_active"},
	} {
		in := map[string]any{"name": "Changed", "text": "Changed", "type": "folder", tc.field: "red", "description": "x", "id": "y"}
		if tc.field == "is_active" {
			in = map[string]any{"name": "Changed", "is_active": false}
		}
		if strings.Contains(tc.path, "comments") {
			delete(in, "name")
			delete(in, "type")
		}
		if strings.Contains(tc.path, "review_links") {
			delete(in, "text")
			delete(in, "type")
		}
		res := sdk.Do(tc.method, tc.path, in, nil)
		if res.StatusCode != v2Invalid || !strings.Contains(body(res), tc.field) {
			t.Errorf("%s %s with %s: %d %.200s, want 422 naming it", tc.method, tc.path, tc.field, res.StatusCode, body(res))
		}
	}
	for path, want := range map[string]string{"/api/v2/projects/" + pr.ID: "P2", "/api/v2/assets/" + file.ID: "b.jpg",
		"/api/v2/review_links/" + rl.ID: "R2", "/api/v2/comments/" + cm.ID: "hello"} {
		got.Name, got.Text = "", ""
		sdk.Do("GET", path, nil, &got)
		if got.Name+got.Text != want {
			t.Errorf("after refusals %s: %+v, want %s", path, got, want)
		}
	}
	var projects []v2Project
	sdk.Do("GET", "/api/v2/projects", nil, &projects)
	if len(projects) != 2 {
		t.Errorf("refused creates made projects: %d", len(projects))
	}
	var kids []v2Asset
	sdk.Do("GET", "/api/v2/assets/"+folder.ID+"/children", nil, &kids)
	if len(kids) != 1 { // a.jpg (the pending upload is not listed)
		t.Errorf("refused creates made assets: %+v", kids)
	}
}

// TestFrameioShortLinkPassword: the SDK's example review link password
// "abc123" is refused with a code and a reason that says the minimum, and
// no link is made.
func TestFrameioShortLinkPassword(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, _ := linkProject(t, admin, "P")
	sdk := sdkClient(t, s, mintToken(t, admin, "review_links.create", "review_links.read", "review_links.update"))
	res := sdk.Do("POST", "/api/v2/projects/"+project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut 1"), Password: model.Ptr("abc123")}, nil)
	wantStatus(t, "abc123", res, v2Invalid, "password_too_short")
	if b := body(res); !strings.Contains(b, "has 6 characters") || !strings.Contains(b, "at least 8") || strings.Contains(b, "abc123") {
		t.Errorf("the reason: %s", b)
	}
	var links []model.ReviewLink
	sdk.Do("GET", "/api/v2/projects/"+project+"/review_links", nil, &links)
	if len(links) != 0 {
		t.Fatalf("a refused link was made: %+v", links)
	}
	var rl model.ReviewLink
	wantStatus(t, "8 characters", sdk.Do("POST", "/api/v2/projects/"+project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut 1"), Password: model.Ptr("abc12345")}, &rl), 201, "")
	wantStatus(t, "change to short", sdk.Do("PUT", "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{Password: model.Ptr("ab")}, nil), v2Invalid, "password_too_short")
	var got model.ReviewLink
	if sdk.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &got); !got.HasPassword {
		t.Errorf("a refused change took the password away: %+v", got)
	}
}

// TestFrameioCopy: the SDK's assets.copy(destination_folder_id, id=...)
// makes a file with the same bytes, through the access policy: download
// on the source and upload at the destination, for members and their
// tokens; strangers get 404, and refusals make nothing.
func TestFrameioCopy(t *testing.T) {
	f := newAccessFixture(t)
	dan := sdkClient(t, f.s, mintToken(t, f.dan, "assets.create", "assets.read"))
	var cp v2Asset
	wantStatus(t, "copy", dan.Do("POST", "/api/v2/assets/"+f.private+"/copy", model.CopySource{ID: f.open}, &cp), 200, "")
	if cp.ID == "" || cp.ID == f.open || cp.Name != "open.jpg" || cp.Type != "file" || cp.Original == "" {
		t.Fatalf("copy: %+v", cp)
	}
	if res, b := getURL(t, cp.Original); res.StatusCode != 200 || !bytes.Equal(b, f.openData) {
		t.Fatalf("the copy's original: %d, %d bytes, want the %d bytes of open.jpg", res.StatusCode, len(b), len(f.openData))
	}
	var same v2Asset
	wantStatus(t, "copy beside", dan.Do("POST", "/api/v2/assets/"+f.root+"/copy", model.CopySource{ID: f.open}, &same), 200, "")
	if same.Name != "open copy.jpg" {
		t.Errorf("a copy into its own folder is named %q", same.Name)
	}
	wantStatus(t, "carol's own", f.carol.Do("POST", "/api/v2/assets/"+f.root+"/copy", model.CopySource{ID: f.carols}, nil), 200, "")

	count := func(folder string) int {
		var kids []v2Asset
		wantStatus(t, "children", f.admin.Do("GET", "/api/v2/assets/"+folder+"/children?page_size=100", nil, &kids), 200, "")
		return len(kids)
	}
	inRoot, inPrivate := count(f.root), count(f.private)
	createMember(t, f.admin, "eve@x.example", "eve password 123")
	eve := f.s.Login(t, "eve@x.example", "eve password 123")
	danReader := sdkClient(t, f.s, mintToken(t, f.dan, "assets.read"))
	carolToken := sdkClient(t, f.s, mintToken(t, f.carol, "assets.create", "assets.read"))
	for _, tc := range []struct {
		who       string
		c         *testkit.Client
		dst, src  string
		status    int
		errorCode string
	}{
		{"Carol (preview only on /Private) copying out of it", f.carol, f.root, f.secret, 403, ""},
		{"Carol's token copying out of /Private", carolToken, f.root, f.secret, 403, ""},
		{"Carol copying into /Private", f.carol, f.private, f.open, 403, ""},
		{"an outsider", eve, f.root, f.open, 404, ""},
		{"an outsider, into their own view", eve, f.private, f.secret, 404, ""},
		{"a token without assets.create", danReader, f.root, f.open, 403, "insufficient_scope"},
		{"Carol copying /Private (a file in it she may not download)", f.carol, f.root, f.private, 403, ""},
		{"a folder into itself", dan, f.private, f.private, v2Invalid, "copy_into_itself"},
		{"the root into a folder inside it", dan, f.private, f.root, v2Invalid, "copy_into_itself"},
		{"into a file", dan, f.open, f.carols, v2Invalid, ""},
		{"no id", dan, f.root, "", v2Invalid, ""},
		{"no id, from Ferry's own app", f.carol, f.root, "", 400, ""},
		{"an unknown id", dan, f.root, "00000000-0000-0000-0000-000000000000", 404, ""},
	} {
		wantStatus(t, tc.who, tc.c.Do("POST", "/api/v2/assets/"+tc.dst+"/copy", model.CopySource{ID: tc.src}, nil), tc.status, tc.errorCode)
	}
	if r, p := count(f.root), count(f.private); r != inRoot || p != inPrivate {
		t.Fatalf("refused copies made files: root %d→%d, /Private %d→%d", inRoot, r, inPrivate, p)
	}
}

// TestFrameioSearchLibrary: GET /search/library?query= and the SDK's POST
// (get_newest_assets' payload) find names within what the caller sees,
// paginated as v2 does; strangers find nothing of it.
func TestFrameioSearchLibrary(t *testing.T) {
	f := newAccessFixture(t)
	_, otherRoot := linkProject(t, f.admin, "Other")
	f.admin.Upload(otherRoot, "other-open.jpg", jpegBytes(t, 8, 8, color.RGBA{1, 2, 3, 255}))
	names := func(c *testkit.Client, method, path string, in any) ([]string, *http.Response) {
		t.Helper()
		var found []v2Asset
		res := c.Do(method, path, in, &found)
		var out []string
		for _, a := range found {
			out = append(out, a.Name)
		}
		return out, res
	}
	want := func(what string, got []string, res *http.Response, list string) {
		t.Helper()
		if res.StatusCode != 200 || strings.Join(got, ",") != list {
			t.Errorf("%s: %d %v, want [%s] %.200s", what, res.StatusCode, got, list, body(res))
		}
	}
	got, res := names(f.admin, "GET", "/api/v2/search/library?query=OPEN", nil)
	want("the admin", got, res, "open.jpg,other-open.jpg")
	carolSDK := sdkClient(t, f.s, mintToken(t, f.carol, "assets.read"))
	got, res = names(carolSDK, "GET", "/api/v2/search/library?q=open", nil)
	want("Carol's token", got, res, "open.jpg")
	got, res = names(f.carol, "GET", "/api/v2/search/library?query=.jpg&type=file&page=2&page_size=2", nil)
	want("Carol, page 2 (carol, open | secret)", got, res, "secret.jpg")
	if res.Header.Get("total") != "3" || res.Header.Get("page-number") != "2" {
		t.Errorf("pages: total %s page %s", res.Header.Get("total"), res.Header.Get("page-number"))
	}
	got, res = names(f.carol, "GET", "/api/v2/search/library?query=Private&type=folder", nil)
	want("a folder", got, res, "Private")

	// The SDK's get_newest_assets(account_id, project_id, limit).
	var me model.Me
	carolSDK.Do("GET", "/api/v2/me", nil, &me)
	payload := model.SearchRequest{AccountID: me.AccountID, Page: model.Ptr(1), PageSize: model.Ptr(50), Include: "children", Sort: "-inserted_at",
		Filter: map[string]model.SearchFilter{"project_id": {Op: "eq", Value: f.project}}}
	got, res = names(carolSDK, "POST", "/api/v2/search/library", payload)
	want("newest assets", got, res, "carol.jpg,secret.jpg,open.jpg,Private")

	createMember(t, f.admin, "eve@x.example", "eve password 123")
	eve := f.s.Login(t, "eve@x.example", "eve password 123")
	got, res = names(eve, "GET", "/api/v2/search/library?query=open", nil)
	want("an outsider", got, res, "")
	noScope := sdkClient(t, f.s, mintToken(t, f.carol, "projects.read"))
	for _, tc := range []struct {
		who    string
		c      *testkit.Client
		method string
		path   string
		in     any
		status int
		code   string
	}{
		{"an outsider naming the project", eve, "POST", "/api/v2/search/library", payload, 404, "not_found"},
		{"nobody", f.s.Client(t), "GET", "/api/v2/search/library?query=open", nil, 401, ""},
		{"a token without assets.read", noScope, "GET", "/api/v2/search/library?query=open", nil, 403, "insufficient_scope"},
		{"no query", f.carol, "GET", "/api/v2/search/library", nil, 400, ""},
		{"a bad type", f.carol, "GET", "/api/v2/search/library?query=a&type=movie", nil, 400, ""},
		{"another account", f.carol, "GET", "/api/v2/search/library?query=a&account_id=" + f.project, nil, 404, "not_found"},
		{"an unsupported filter", carolSDK, "POST", "/api/v2/search/library",
			model.SearchRequest{Q: "a", Filter: map[string]model.SearchFilter{"updated_at": {Op: "gte", Value: "2020-01-01T00:00:00Z"}}}, v2Invalid, "not_supported"},
		{"a bad sort", f.carol, "GET", "/api/v2/search/library?query=a&sort=colour", nil, 400, ""},
		{"a long query", f.carol, "GET", "/api/v2/search/library?query=" + strings.Repeat("a", 201), nil, 400, ""},
	} {
		wantStatus(t, tc.who, tc.c.Do(tc.method, tc.path, tc.in, nil), tc.status, tc.code)
	}
}

// TestFrameioNotSupported: v2 routes with no meaning in Ferry say so
// (404 not_supported, and why); other unknown routes stay plain 404s.
func TestFrameioNotSupported(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	var me model.Me
	admin.Do("GET", "/api/v2/me", nil, &me)
	for _, tc := range []struct{ method, path, code string }{
		{"POST", "/api/v2/accounts/" + me.AccountID + "/teams", "not_supported"},
		{"DELETE", "/api/v2/teams/x", "not_supported"},
		{"GET", "/api/v2/teams/x/members", "not_supported"},
		{"POST", "/api/v2/teams/x/hooks", "not_supported"},
		{"GET", "/api/v2/projects/x/presentations", "not_supported"},
		{"GET", "/api/v2/accounts/x/membership", "not_supported"},
		{"GET", "/api/v2/projects/x/pending_collaborators", "not_supported"},
		{"GET", "/api/v2/colours", "not_found"},
	} {
		res := admin.Do(tc.method, tc.path, nil, nil)
		wantStatus(t, tc.method+" "+tc.path, res, 404, tc.code)
		if tc.code == "not_supported" && !strings.Contains(body(res), "not supported by Ferry: ") {
			t.Errorf("%s %s: %s", tc.method, tc.path, body(res))
		}
	}
	// A real route is not shadowed.
	wantStatus(t, "teams", admin.Do("GET", "/api/v2/accounts/"+me.AccountID+"/teams", nil, nil), 200, "")
}

// TestFrameioBatchCopy: v2's POST /batch/assets/{destination}/copy copies
// every asset or, when one is refused, none.
func TestFrameioBatchCopy(t *testing.T) {
	f := newAccessFixture(t)
	count := func(folder string) int {
		var kids []v2Asset
		f.admin.Do("GET", "/api/v2/assets/"+folder+"/children?page_size=100", nil, &kids)
		return len(kids)
	}
	dst := mkdir(t, f.admin, f.root, "Selects")
	batch := func(ids ...string) model.BatchCopy {
		b := model.BatchCopy{CopyComments: "none"}
		for _, id := range ids {
			b.Batch = append(b.Batch, model.CopySource{ID: id})
		}
		return b
	}
	// Carol may not take /Private's original out: the whole batch is refused.
	wantStatus(t, "with a refused item", f.carol.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", batch(f.open, f.secret), nil), 403, "")
	if n := count(dst); n != 0 {
		t.Fatalf("a refused batch copied %d files", n)
	}
	var made []v2Asset
	wantStatus(t, "batch", f.carol.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", batch(f.open, f.carols), &made), 200, "")
	if len(made) != 2 || made[0].Name != "open.jpg" || made[1].Name != "carol.jpg" || count(dst) != 2 {
		t.Fatalf("batch made %+v", made)
	}
	createMember(t, f.admin, "eve@x.example", "eve password 123")
	eve := f.s.Login(t, "eve@x.example", "eve password 123")
	wantStatus(t, "an outsider", eve.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", batch(f.open), nil), 404, "")
	wantStatus(t, "comments", f.admin.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", model.BatchCopy{Batch: []model.CopySource{{ID: f.open}}, CopyComments: "all"}, nil), 400, "not_supported")
	wantStatus(t, "empty", f.admin.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", model.BatchCopy{Batch: []model.CopySource{}}, nil), 400, "")
	// An ignored field's name inside a value is not dropped: it is refused by
	// name. (Raw body: model.CopySource has no "name", which is the point.)
	res := f.admin.Do("POST", "/api/v2/batch/assets/"+dst+"/copy", map[string]any{"batch": []map[string]string{{"id": f.open, "name": "x"}}}, nil)
	if res.StatusCode != 400 || !strings.Contains(body(res), `unknown field \"name\"`) {
		t.Errorf("a nested unknown field: %d %s", res.StatusCode, body(res))
	}
	if n := count(dst); n != 2 {
		t.Fatalf("refused batches copied: %d files", n)
	}
}

// TestFrameioCollaborators: v2's projects.get_collaborators lists the
// project's owner and members for whoever sees it; addresses only for
// admins and the owner; disabled accounts drop out; strangers get 404.
func TestFrameioCollaborators(t *testing.T) {
	f := newAccessFixture(t)
	type collab struct {
		Type   string `json:"_type"`
		UserID string `json:"user_id"`
		Email  string `json:"email"`
		Role   string `json:"role"`
		User   struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"user"`
	}
	list := func(c *testkit.Client) (string, string) {
		t.Helper()
		var cs []collab
		wantStatus(t, "collaborators", c.Do("GET", "/api/v2/projects/"+f.project+"/collaborators", nil, &cs), 200, "")
		var who, emails []string
		for _, x := range cs {
			who = append(who, x.Role+":"+x.User.Name)
			emails = append(emails, x.Email+x.User.Email)
		}
		return strings.Join(who, ","), strings.Join(emails, "")
	}
	carolSDK := sdkClient(t, f.s, mintToken(t, f.carol, "projects.read"))
	who, emails := list(carolSDK)
	if who != "owner:Admin,member:Member carol@x.example,member:Member dan@x.example" || emails != "" {
		t.Fatalf("Carol sees %s with addresses %q", who, emails)
	}
	if _, emails := list(f.admin); !strings.Contains(emails, "carol@x.example") || !strings.Contains(emails, "dan@x.example") {
		t.Fatalf("the admin sees addresses %q", emails)
	}
	var dan model.Me
	f.dan.Do("GET", "/api/v2/me", nil, &dan)
	wantStatus(t, "disable dan", f.admin.Do("PUT", "/api/v2/users/"+dan.ID, model.UserPatch{Disabled: model.Ptr(true)}, nil), 200, "")
	if who, _ := list(f.carol); who != "owner:Admin,member:Member carol@x.example" {
		t.Fatalf("after disabling Dan, Carol sees %s", who)
	}
	createMember(t, f.admin, "eve@x.example", "eve password 123")
	eve := f.s.Login(t, "eve@x.example", "eve password 123")
	wantStatus(t, "an outsider", eve.Do("GET", "/api/v2/projects/"+f.project+"/collaborators", nil, nil), 404, "")
	wantStatus(t, "nobody", f.s.Client(t).Do("GET", "/api/v2/projects/"+f.project+"/collaborators", nil, nil), 401, "")
	noScope := sdkClient(t, f.s, mintToken(t, f.carol, "assets.read"))
	wantStatus(t, "no projects.read", noScope.Do("GET", "/api/v2/projects/"+f.project+"/collaborators", nil, nil), 403, "insufficient_scope")
}

// TestFrameioMemberReadModifyWrite: a member who is not the project's
// owner renames it with a read-modify-write PUT (member_ids echoed back
// unchanged); changing the members stays the owner's.
func TestFrameioMemberReadModifyWrite(t *testing.T) {
	f := newAccessFixture(t)
	sdk := sdkClient(t, f.s, mintToken(t, f.carol, "projects.read", "projects.update"))
	wantStatus(t, "rename", rmw(t, sdk, "/api/v2/projects/"+f.project, model.ProjectPatch{Name: model.Ptr("Agency 2")}), 200, "")
	wantStatus(t, "members", rmw(t, sdk, "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{f.carolID})}), 403, "")
	var p model.Project
	f.admin.Do("GET", "/api/v2/projects/"+f.project, nil, &p)
	if p.Name != "Agency 2" || len(p.MemberIDs) != 2 {
		t.Fatalf("project after: %+v", p)
	}
}

// TestFrameioAuditLogs: v2's GET /accounts/{id}/audit_logs gives admins
// the access logs of every link; members, tokens without settings.read,
// nobody and other account ids get nothing.
func TestFrameioAuditLogs(t *testing.T) {
	f := newAccessFixture(t)
	sl := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: []string{f.open}})
	wantStatus(t, "visit", f.s.Client(t).Do("GET", "/api/v2/public/links/"+sl.Key, nil, nil), 200, "")
	var me model.Me
	f.admin.Do("GET", "/api/v2/me", nil, &me)
	path := "/api/v2/accounts/" + me.AccountID + "/audit_logs"
	type entry struct {
		Type      string `json:"_type"`
		LinkID    string `json:"link_id"`
		Action    string `json:"action"`
		AccountID string `json:"account_id"`
		Inserted  string `json:"inserted_at"`
	}
	var logs []entry
	poll.True(5*time.Second, func() bool {
		logs = nil
		wantStatus(t, "audit logs", f.admin.Do("GET", path, nil, &logs), 200, "")
		return len(logs) > 0
	})
	if len(logs) == 0 || logs[0].Type != "audit_log" || logs[0].LinkID != sl.ID || logs[0].Action != "view" ||
		logs[0].AccountID != me.AccountID || logs[0].Inserted == "" {
		t.Fatalf("audit logs: %+v", logs)
	}
	adminToken := sdkClient(t, f.s, mintToken(t, f.admin, "projects.read"))
	for _, tc := range []struct {
		who    string
		c      *testkit.Client
		path   string
		status int
	}{
		{"a member", f.carol, path, 403},
		{"a member's token", sdkClient(t, f.s, mintToken(t, f.carol, "settings.read")), path, 403},
		{"an admin token without settings.read", adminToken, path, 403},
		{"nobody", f.s.Client(t), path, 401},
		{"another account", f.admin, "/api/v2/accounts/" + f.project + "/audit_logs", 404},
	} {
		res := tc.c.Do("GET", tc.path, nil, nil)
		wantStatus(t, tc.who, res, tc.status, "")
		if strings.Contains(body(res), sl.ID) {
			t.Errorf("%s read the log", tc.who)
		}
	}
}

// TestFrameioCopyFolder: POST /assets/{dst}/copy of a folder copies it
// with everything inside, folders as folders and files byte-identical.
func TestFrameioCopyFolder(t *testing.T) {
	f := newAccessFixture(t)
	day := mkdir(t, f.admin, f.private, "Day 1")
	deep := randomBytes(70 << 10)
	deepID := f.admin.Upload(day, "deep.bin", deep)
	dan := sdkClient(t, f.s, mintToken(t, f.dan, "assets.create", "assets.read"))

	var cp v2Asset
	wantStatus(t, "copy /Private beside itself", dan.Do("POST", "/api/v2/assets/"+f.root+"/copy", model.CopySource{ID: f.private}, &cp), 200, "")
	if cp.Type != "folder" || cp.Name != "Private copy" || cp.ID == f.private {
		t.Fatalf("copy = %+v", cp)
	}
	list := func(id string) map[string]v2Asset {
		var kids []v2Asset
		wantStatus(t, "children", dan.Do("GET", "/api/v2/assets/"+id+"/children", nil, &kids), 200, "")
		out := map[string]v2Asset{}
		for _, k := range kids {
			out[k.Name] = k
		}
		return out
	}
	top := list(cp.ID)
	if len(top) != 2 || top["Day 1"].Type != "folder" || top["secret.jpg"].Type != "file" {
		t.Fatalf("the copy holds %v", top)
	}
	inner := list(top["Day 1"].ID)
	if len(inner) != 1 || inner["deep.bin"].ID == deepID || inner["deep.bin"].Original == "" {
		t.Fatalf("the copy's Day 1 holds %+v", inner)
	}
	if res, b := getURL(t, inner["deep.bin"].Original); res.StatusCode != 200 || !bytes.Equal(b, deep) {
		t.Fatalf("the copied file: %d, %d bytes, want the %d bytes of deep.bin", res.StatusCode, len(b), len(deep))
	}
	// The source is untouched.
	if src := list(day); len(src) != 1 || src["deep.bin"].ID != deepID {
		t.Fatalf("the source Day 1 now holds %v", src)
	}
}

// TestFrameioReviewLinkFolder: v2 takes folders as review-link items;
// Ferry adds the files inside (subfolders too) as they are now. Who may
// not share a file inside is refused and nothing is added; an empty folder
// and another project's folder are refused with the reason.
func TestFrameioReviewLinkFolder(t *testing.T) {
	f := newAccessFixture(t)
	day := mkdir(t, f.admin, f.private, "Day 1")
	deep := f.admin.Upload(day, "deep.jpg", jpegBytes(t, 16, 16, color.RGBA{1, 2, 3, 255}))
	empty := mkdir(t, f.admin, f.root, "Empty")
	_, otherRoot := linkProject(t, f.admin, "Other")
	otherDir := mkdir(t, f.admin, otherRoot, "Elsewhere")
	f.admin.Upload(otherDir, "x.jpg", jpegBytes(t, 8, 8, color.RGBA{1, 2, 3, 255}))

	var rl model.ReviewLink
	wantStatus(t, "review link", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Folder")}, &rl), 201, "")
	items := func() []string {
		var its []model.ReviewLinkItem
		wantStatus(t, "items", f.admin.Do("GET", "/api/v2/review_links/"+rl.ID+"/items", nil, &its), 200, "")
		var ids []string
		for _, it := range its {
			ids = append(ids, it.AssetID)
		}
		sort.Strings(ids)
		return ids
	}
	// Carol has preview only on /Private: sharing it is refused, nothing added.
	res := f.carol.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.private}}, nil)
	if res.StatusCode != 403 && res.StatusCode != 404 {
		t.Fatalf("Carol adding /Private: %d %s", res.StatusCode, body(res))
	}
	for _, tc := range []struct{ name, id, reason string }{
		{"an empty folder", empty, "holds no files"},
		{"another project's folder", otherDir, "another project"},
	} {
		res := f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{tc.id}}, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), tc.reason) {
			t.Fatalf("%s: %d %s, want 400 naming %q", tc.name, res.StatusCode, body(res), tc.reason)
		}
	}
	if got := items(); len(got) != 0 {
		t.Fatalf("refused adds left items %v", got)
	}
	wantStatus(t, "add /Private", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.private, f.secret}}, nil), 200, "")
	want := []string{deep, f.secret}
	sort.Strings(want)
	if got := items(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("items %v, want the files of /Private and /Private/Day 1 once each %v", got, want)
	}
}

// TestFrameioCopyFolderTooLarge: a folder copy that would make more than
// MaxCopyAssets files and folders is refused before anything is made.
func TestFrameioCopyFolderTooLarge(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Many")
	many := mkdir(t, admin, root, "Many")
	for i := range api.MaxCopyAssets { // with Many itself, one more than a copy makes
		mkdir(t, admin, many, fmt.Sprintf("f%04d", i))
	}
	dst := mkdir(t, admin, root, "Dst")
	wantStatus(t, "copy", admin.Do("POST", "/api/v2/assets/"+dst+"/copy", model.CopySource{ID: many}, nil), 400, "copy_too_large")
	var kids []v2Asset
	wantStatus(t, "children", admin.Do("GET", "/api/v2/assets/"+dst+"/children", nil, &kids), 200, "")
	if len(kids) != 0 {
		t.Fatalf("a refused copy made %d assets", len(kids))
	}
}

// TestFrameioAddRemoveCollaborator: the SDK's projects.add_collaborator
// (POST .../collaborators {"email"}) makes that Ferry user a member, and
// remove_collaborator (DELETE .../collaborators/_?email=) takes them out;
// only the owner or an admin may, with the projects.update scope.
func TestFrameioAddRemoveCollaborator(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, _ := linkProject(t, admin, "Film")
	bob := createMember(t, admin, "bob@x.example", "bob password 123")
	createMember(t, admin, "carol@x.example", "carol password 1")
	createMember(t, admin, "eve@x.example", "eve password 123")
	bobC := s.Login(t, "bob@x.example", "bob password 123")
	sdk := sdkClient(t, s, mintToken(t, admin, "projects.read", "projects.update"))
	base := "/api/v2/projects/" + project + "/collaborators"
	members := func() string {
		var pr model.Project
		wantStatus(t, "project", admin.Do("GET", "/api/v2/projects/"+project, nil, &pr), 200, "")
		return strings.Join(pr.MemberIDs, ",")
	}
	wantStatus(t, "bob cannot see it yet", bobC.Do("GET", "/api/v2/projects/"+project, nil, nil), 404, "")
	// Frame.io v2's collaborator answer has no model type.
	var added struct {
		UserID string `json:"user_id"`
		Role   string `json:"role"`
	}
	for range 2 { // adding twice adds once
		wantStatus(t, "add bob", sdk.Do("POST", base, model.NewCollaborator{Email: "Bob@X.example"}, &added), 200, "")
	}
	if added.UserID != bob.ID || added.Role != "member" || members() != bob.ID {
		t.Fatalf("added %+v, members %q", added, members())
	}
	wantStatus(t, "bob sees it", bobC.Do("GET", "/api/v2/projects/"+project, nil, nil), 200, "")

	eve := s.Login(t, "eve@x.example", "eve password 123")
	reader := sdkClient(t, s, mintToken(t, admin, "projects.read"))
	for _, tc := range []struct {
		who    string
		c      *testkit.Client
		body   any // a model.NewCollaborator, or raw where the field is unknown on purpose
		status int
		code   string
	}{
		{"a member who is not the owner", bobC, model.NewCollaborator{Email: "carol@x.example"}, 403, ""},
		{"an outsider", eve, model.NewCollaborator{Email: "carol@x.example"}, 404, ""},
		{"nobody", s.Client(t), model.NewCollaborator{Email: "carol@x.example"}, 401, ""},
		{"a token without projects.update", reader, model.NewCollaborator{Email: "carol@x.example"}, 403, "insufficient_scope"},
		{"an address no user has", sdk, model.NewCollaborator{Email: "nobody@x.example"}, 404, ""},
		{"no address", sdk, model.NewCollaborator{Email: ""}, v2Invalid, ""},
		{"the owner", sdk, model.NewCollaborator{Email: testkit.AdminEmail}, v2Invalid, ""},
		{"an unknown field", sdk, map[string]string{"email": "carol@x.example", "colour": "red"} /* raw */, v2Invalid, "invalid_json"},
	} {
		wantStatus(t, tc.who, tc.c.Do("POST", base, tc.body, nil), tc.status, tc.code)
	}
	if members() != bob.ID {
		t.Fatalf("refused adds changed the members to %q", members())
	}
	wantStatus(t, "bob removing himself", bobC.Do("DELETE", base+"/_?email=bob@x.example", nil, nil), 403, "")
	wantStatus(t, "remove bob", sdk.Do("DELETE", base+"/_?email=bob@x.example", []byte("{}"), nil), 200, "")
	if members() != "" {
		t.Fatalf("members after the removal: %q", members())
	}
	wantStatus(t, "bob sees it no more", bobC.Do("GET", "/api/v2/projects/"+project, nil, nil), 404, "")
	wantStatus(t, "add again", sdk.Do("POST", base, model.NewCollaborator{Email: "bob@x.example"}, nil), 200, "")
	wantStatus(t, "remove by user id", sdk.Do("DELETE", base+"/"+bob.ID, []byte("{}"), nil), 200, "")
	if members() != "" {
		t.Fatalf("members after removal by id: %q", members())
	}
}
