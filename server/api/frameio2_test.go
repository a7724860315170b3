package api_test

import (
	"net/http"
	"testing"

	"github.com/ferryhq/ferry/server/testkit"
)

// sdkClient is a token client that sends what python-frameio-client 2.0.0
// sends besides the bearer token.
func sdkClient(t *testing.T, s *testkit.Server, token string) *testkit.Client {
	c := s.Client(t)
	c.Token, c.Origin = token, ""
	c.Header = http.Header{"X-Frameio-Client": {"python/2.0.0"}, "User-Agent": {"python-requests/2.31.0"}}
	return c
}

// mintToken makes a token of the client's user with scopes.
func mintToken(t *testing.T, c *testkit.Client, scopes ...string) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	wantStatus(t, "token", c.Do("POST", "/api/v2/tokens", map[string]any{"name": "sdk", "scopes": scopes}, &tok), 201, "")
	return tok.Token
}

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
	var secret struct {
		ID string `json:"id"`
	}
	wantStatus(t, "admin project", admin.Do("POST", "/api/v2/projects", map[string]any{"name": "Admin only"}, &secret), 201, "")
	createMember(t, admin, "carol@x.example", "carol password 1")
	carol := s.Login(t, "carol@x.example", "carol password 1")
	sdk := sdkClient(t, s, mintToken(t, carol, "projects.read", "projects.create"))

	var me struct {
		AccountID string `json:"account_id"`
	}
	wantStatus(t, "me", sdk.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if len(me.AccountID) != 36 {
		t.Fatalf("me has no account_id: %+v", me)
	}
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
	wantStatus(t, "create", sdk.Do("POST", "/api/v2/teams/"+team+"/projects", map[string]any{"name": "Spring campaign"}, &made), 201, "")
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
		{"sdk", sdk, "POST", "/api/v2/teams/" + me.AccountID + "/projects", map[string]any{"name": "X"}, 404, "not_found"},
		{"sdk", sdk, "POST", "/api/v2/teams/" + team + "/projects", map[string]any{"name": ""}, 400, ""},
		{"sdk", sdk, "POST", "/api/v2/teams/" + team + "/projects", map[string]any{"name": "X", "colour": "red"}, 400, "invalid_json"},
		{"read-only token", reader, "POST", "/api/v2/teams/" + team + "/projects", map[string]any{"name": "X"}, 403, "insufficient_scope"},
		{"token without projects", noScope, "GET", "/api/v2/teams/" + team + "/projects", nil, 403, "insufficient_scope"},
		{"token without projects", noScope, "GET", "/api/v2/accounts", nil, 403, "insufficient_scope"},
		{"nobody", anon, "GET", "/api/v2/accounts", nil, 401, ""},
		{"nobody", anon, "GET", "/api/v2/teams/" + team + "/projects", nil, 401, ""},
		{"nobody", anon, "POST", "/api/v2/teams/" + team + "/projects", map[string]any{"name": "X"}, 401, ""},
	} {
		wantStatus(t, tc.who+" "+tc.method+" "+tc.path, tc.c.Do(tc.method, tc.path, tc.body, nil), tc.status, tc.errCode)
	}
	var after []v2Project
	admin.Do("GET", "/api/v2/projects", nil, &after)
	if len(after) != 2 {
		t.Errorf("refused creates made projects: %+v", after)
	}
}
