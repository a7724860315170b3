package api_test

import (
	"image/color"
	"net/http"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/testkit"
)

// TestEveryRouteRefusesStrangers sweeps the server's own route table:
// every /api/v2 route, called without credentials, with a token lacking
// its scope, as another member, and with path-traversal parameters,
// answers 4xx and never another user's data, never a 5xx; and nothing the
// admin owns changes.
func TestEveryRouteRefusesStrangers(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, root := linkProject(t, admin, "Secret project")
	asset := admin.Upload(root, "secret.jpg", jpegBytes(t, 64, 48, color.RGBA{1, 2, 3, 255}))
	var coll, ul, sl, me, tok struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	admin.Do("POST", "/api/v2/projects/"+projectID+"/collections", map[string]any{"name": "Secret picks", "asset_ids": []string{asset}}, &coll)
	admin.Do("POST", "/api/v2/upload_links", map[string]any{"project_id": projectID, "recipient_email": "a@b.example"}, &ul)
	admin.Do("POST", "/api/v2/share_links", map[string]any{"kind": "public", "asset_ids": []string{asset}, "password": "password-1"}, &sl)
	admin.Do("GET", "/api/v2/me", nil, &me)
	admin.Do("POST", "/api/v2/tokens", map[string]any{"name": "ci", "scopes": []string{"projects.read"}}, &tok)
	secrets := []string{projectID, root, asset, coll.ID, ul.ID, ul.Key, sl.ID, sl.Key}
	for _, x := range secrets {
		if x == "" {
			t.Fatalf("fixture incomplete: %v", secrets)
		}
	}
	createMember(t, admin, "eve@x.example", "eve password 123")
	eve := s.Login(t, "eve@x.example", "eve password 123")
	anon := s.Client(t)
	scopeless := s.TokenClient(t, "users.read")

	fill := func(path, value string) string {
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if !strings.HasPrefix(seg, ":") && !strings.Contains(seg, ".:") {
				continue
			}
			if value != "" {
				segs[i] = value
				continue
			}
			prev := ""
			if i > 0 {
				prev = segs[i-1]
			}
			switch {
			case strings.HasSuffix(seg, ".:format"):
				segs[i] = strings.TrimSuffix(seg, ":format") + "png"
			case seg == ":key":
				segs[i] = sl.Key
			case seg == ":name":
				segs[i] = "thumb"
			case prev == "projects":
				segs[i] = projectID
			case prev == "assets":
				segs[i] = asset
			case prev == "collections":
				segs[i] = coll.ID
			case prev == "upload_links":
				segs[i] = ul.ID
			case prev == "share_links":
				segs[i] = sl.ID
			case prev == "users":
				segs[i] = me.ID
			case prev == "tokens":
				segs[i] = tok.ID
			case prev == "outbox":
				segs[i] = "00000000-0000-0000-0000-000000000000"
			default:
				segs[i] = asset
			}
		}
		return strings.Join(segs, "/")
	}
	public := func(path string) bool {
		for _, p := range []string{"/api/v2/public/", "/api/v2/auth/", "/api/v2/setup", "/api/v2/tus", "/d/", "/api/v2/openapi.json"} {
			if strings.HasPrefix(path, p) {
				return true
			}
		}
		return false
	}
	call := func(c *testkit.Client, method, path string) (*http.Response, string) {
		var in any
		if method == "POST" || method == "PUT" || method == "PATCH" {
			in = map[string]any{}
		}
		res := c.Do(method, path, in, nil)
		return res, body(res)
	}
	leaks := func(b string) string {
		for _, x := range secrets {
			if strings.Contains(b, x) {
				return x
			}
		}
		return ""
	}
	seen := map[string]bool{}
	n := 0
	for _, r := range s.Routes {
		method, route := r[0], r[1]
		if method == "HEAD" || method == "OPTIONS" || method == "CONNECT" || method == "TRACE" || strings.Contains(route, "*") ||
			!strings.HasPrefix(route, "/api/v2/") && !strings.HasPrefix(route, "/d/") || seen[method+route] {
			continue
		}
		seen[method+route] = true
		n++
		path := fill(route, "")
		what := method + " " + route
		if !public(route) {
			if res, b := call(anon, method, path); res.StatusCode != 401 {
				t.Errorf("%s without credentials: %d %.200s", what, res.StatusCode, b)
			}
		}
		for who, c := range map[string]*testkit.Client{"another member": eve, "a token without the scope": scopeless} {
			res, b := call(c, method, path)
			if res.StatusCode >= 500 {
				t.Errorf("%s as %s: %d %.200s", what, who, res.StatusCode, b)
			}
			if res.StatusCode < 300 && !public(route) {
				if x := leaks(b); x != "" {
					t.Errorf("%s as %s answered %d with %s: %.300s", what, who, res.StatusCode, x, b)
				}
				// Members may make their own projects and tokens; nothing else changes.
				if method != "GET" && !(method == "POST" && (route == "/api/v2/projects" || route == "/api/v2/tokens")) {
					t.Errorf("%s as %s succeeded: %d %.200s", what, who, res.StatusCode, b)
				}
			}
		}
		if strings.Contains(route, ":") {
			for _, bad := range []string{"..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..%5C..%5Cwindows"} {
				res, b := call(admin, method, fill(route, bad))
				if res.StatusCode < 400 || res.StatusCode >= 500 {
					t.Errorf("%s with %s: %d %.200s", what, bad, res.StatusCode, b)
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("swept only %d routes; the route table was not read", n)
	}
	// Nothing the admin owns changed.
	for _, p := range []string{"/api/v2/projects/" + projectID, "/api/v2/assets/" + asset, "/api/v2/collections/" + coll.ID,
		"/api/v2/upload_links/" + ul.ID, "/api/v2/share_links/" + sl.ID} {
		if res := admin.Do("GET", p, nil, nil); res.StatusCode != 200 {
			t.Errorf("after the sweep %s answers %d", p, res.StatusCode)
		}
	}
	var l struct {
		Status string `json:"status"`
	}
	admin.Do("GET", "/api/v2/upload_links/"+ul.ID, nil, &l)
	if l.Status == "revoked" {
		t.Error("the sweep revoked the admin's upload link")
	}
	// A key of one kind of link opens nothing of another.
	for _, p := range []string{"/api/v2/public/links/" + ul.Key + "/zip", "/api/v2/public/links/" + ul.Key + "/assets/" + asset + "/original",
		"/d/" + sl.Key, "/d/" + ul.Key} {
		if res, b := call(anon, "GET", p); res.StatusCode != 404 {
			t.Errorf("%s: %d %.200s", p, res.StatusCode, b)
		}
	}
	t.Logf("swept %d routes", n)
}
