package api_test

import (
	"image/color"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
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
	var coll model.Collection
	var ul model.UploadLink
	var sl model.ShareLink
	var me model.Me
	var tok model.NewTokenAnswer
	admin.Do("POST", "/api/v2/projects/"+projectID+"/collections", model.NewCollection{Name: "Secret picks", AssetIDs: []string{asset}}, &coll)
	admin.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: projectID, RecipientEmail: "a@b.example"}, &ul)
	admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{asset}, Password: "password-1"}, &sl)
	admin.Do("GET", "/api/v2/me", nil, &me)
	admin.Do("POST", "/api/v2/tokens", model.NewToken{Name: "ci", Scopes: []string{"projects.read"}}, &tok)
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

	ids := map[string]string{":key": sl.Key, ":name": "thumb", "projects": projectID, "assets": asset,
		"collections": coll.ID, "upload_links": ul.ID, "share_links": sl.ID, "users": me.ID, "tokens": tok.ID,
		"outbox": "00000000-0000-0000-0000-000000000000", "": asset}
	fill := func(path, value string) string {
		if value != "" {
			return fillRoute(path, map[string]string{"": value, ".:format": value})
		}
		return fillRoute(path, ids)
	}
	call := func(c *testkit.Client, method, path string) (*http.Response, string) {
		var in any
		if method == "POST" || method == "PUT" || method == "PATCH" {
			in = []byte("{}") // every route gets the same empty object
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
		if !publicRoute(route) {
			if res, b := call(anon, method, path); res.StatusCode != 401 {
				t.Errorf("%s without credentials: %d %.200s", what, res.StatusCode, b)
			}
		}
		for who, c := range map[string]*testkit.Client{"another member": eve, "a token without the scope": scopeless} {
			res, b := call(c, method, path)
			if res.StatusCode >= 500 {
				t.Errorf("%s as %s: %d %.200s", what, who, res.StatusCode, b)
			}
			if res.StatusCode < 300 && !publicRoute(route) {
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
	var l model.UploadLink
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

// TestEveryRouteAsEveryViewerKind sweeps the route table again as each
// kind of viewer the access policy knows, against a project where the
// member Carol may only preview /Private and not share from it, and links
// the admin made: Carol through her session and through a token with
// every scope (the token's user's rights still hold), a visitor holding
// a session of Carol's share link to the whole project and a reviewer of
// the admin's review link. Every :id is the /Private file. Nobody gets a
// 5xx, another's link key, or the private file's bytes; nothing changes
// except what a member may make for themselves.
func TestEveryRouteAsEveryViewerKind(t *testing.T) {
	f := newAccessFixture(t)
	admin := f.admin
	var sl model.ShareLink
	var ul model.UploadLink
	admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", FolderID: f.root, AllowOriginal: model.Ptr(true)}, &sl)
	admin.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: f.project, RecipientEmail: "a@b.example"}, &ul)
	var rl model.ReviewLink
	admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), EnableDownloading: model.Ptr(true)}, &rl)
	wantStatus(t, "review item", admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.secret}}, nil), 200, "")
	var coll model.Collection
	admin.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "Picks", AssetIDs: []string{f.open}}, &coll)
	collLink := createShare(t, admin, model.NewShareLink{Kind: "public", CollectionID: coll.ID})
	carolLink := createShare(t, f.carol, model.NewShareLink{Kind: "public", FolderID: f.root, AllowOriginal: model.Ptr(true)})
	secrets := []string{sl.Key, ul.Key, rl.Key, collLink.Key}
	for _, x := range append(secrets, sl.ID, ul.ID, rl.ID, coll.ID) {
		if x == "" {
			t.Fatal("fixture incomplete")
		}
	}

	// The scopes list has no model type (it is built in the handler).
	var scopes struct {
		Scopes []string `json:"scopes"`
	}
	f.carol.Do("GET", "/api/v2/scopes", nil, &scopes)
	var tok model.NewTokenAnswer
	wantStatus(t, "carol's token", f.carol.Do("POST", "/api/v2/tokens", model.NewToken{Name: "all", Scopes: scopes.Scopes}, &tok), 201, "")
	carolToken := f.s.Client(t)
	carolToken.Token, carolToken.Origin = tok.Secret, ""
	visitor := f.s.Client(t)
	wantStatus(t, "visit", visitor.Do("GET", "/api/v2/public/links/"+carolLink.Key, nil, nil), 200, "")
	reviewer := f.s.Client(t)
	wantStatus(t, "review", reviewer.Do("GET", "/api/v2/public/links/"+rl.Key, nil, nil), 200, "")

	fill := func(path, key string) string {
		return fillRoute(path, map[string]string{":key": key, ":name": "original", "projects": f.project,
			"collections": coll.ID, "upload_links": ul.ID, "share_links": sl.ID, "review_links": rl.ID,
			"users": f.carolID, "": f.secret})
	}
	// What a member may change for themselves, or do with what they may
	// see: make projects, tokens, collections and comments; preview
	// /Private; (re)order nothing of the admin's.
	mayChange := map[string]bool{
		"POST /api/v2/projects": true, "POST /api/v2/tokens": true, "POST /api/v2/projects/:id/collections": true,
		"POST /api/v2/assets/:id/comments": true, "POST /api/v2/share_links/revoke": true, // revokes nothing of another's: counts it as skipped
		"POST /api/v2/projects/:id/review_links": true, // her own, empty
		// Empty patches change nothing (checked below).
		"PUT /api/v2/assets/:id": true, "PUT /api/v2/projects/:id": true, "PUT /api/v2/collections/:id": true,
	}
	seen := map[string]bool{}
	n := 0
	for _, r := range f.s.Routes {
		method, route := r[0], r[1]
		if method == "HEAD" || method == "OPTIONS" || method == "CONNECT" || method == "TRACE" || strings.Contains(route, "*") ||
			!strings.HasPrefix(route, "/api/v2/") && !strings.HasPrefix(route, "/d/") || seen[method+route] ||
			strings.HasPrefix(route, "/api/v2/auth/") { // logging out would end the sweep's sessions
			continue
		}
		seen[method+route] = true
		n++
		what := method + " " + route
		for _, who := range []struct {
			name string
			c    *testkit.Client
			key  string
		}{{"Carol", f.carol, carolLink.Key}, {"Carol's token", carolToken, carolLink.Key}, {"a visitor of Carol's link", visitor, carolLink.Key},
			{"a reviewer", reviewer, rl.Key}} {
			var in any
			if method == "POST" || method == "PUT" || method == "PATCH" {
				in = []byte("{}") // every route gets the same empty object
			}
			res := who.c.Do(method, fill(route, who.key), in, nil)
			b := body(res)
			if res.StatusCode >= 500 {
				t.Errorf("%s as %s: %d %.200s", what, who.name, res.StatusCode, b)
			}
			loggedIn := who.name == "Carol" || who.name == "Carol's token"
			if !publicRoute(route) && !loggedIn && res.StatusCode != 401 {
				t.Errorf("%s as %s: %d, want 401", what, who.name, res.StatusCode)
			}
			if os.Getenv("SWEEP_DEBUG") != "" && strings.Contains(what, os.Getenv("SWEEP_DEBUG")) {
				t.Logf("%s as %s: %d %.150s", what, who.name, res.StatusCode, b)
			}
			if res.StatusCode >= 300 {
				continue
			}
			for _, x := range secrets {
				if x != who.key && strings.Contains(b, x) {
					t.Errorf("%s as %s answered %d with another's link key: %.300s", what, who.name, res.StatusCode, b)
				}
			}
			if strings.HasSuffix(route, "/original") || strings.HasSuffix(route, "/:name") || strings.HasPrefix(route, "/d/") {
				if who.name != "a reviewer" { // the admin shared it for review with downloads
					t.Errorf("%s as %s: %d: the /Private original came out", what, who.name, res.StatusCode)
				}
			}
			if method != "GET" && !publicRoute(route) && !mayChange[what] {
				t.Errorf("%s as %s succeeded: %d %.200s", what, who.name, res.StatusCode, b)
			}
		}
	}
	if n < 50 {
		t.Fatalf("swept only %d routes", n)
	}
	// Nothing of the admin's changed.
	var got model.ShareLink
	admin.Do("GET", "/api/v2/share_links/"+sl.ID, nil, &got)
	if got.Key != sl.Key {
		t.Errorf("the admin's share link changed: %+v", got)
	}
	var rgot model.ReviewLink
	admin.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &rgot)
	if rgot.Key != rl.Key || rgot.ItemCount != 1 || !rgot.EnableDownloading {
		t.Errorf("the admin's review link changed: %+v", rgot)
	}
	if a, st := assetOf(t, admin, f.secret); st != 200 || a.ParentID != f.private || a.Name != "secret.jpg" {
		t.Errorf("the private file changed: %d %+v", st, a)
	}
	var c model.Collection
	if res := admin.Do("GET", "/api/v2/collections/"+coll.ID, nil, &c); res.StatusCode != 200 || c.Name != "Picks" || len(c.AssetIDs) != 1 {
		t.Errorf("the shared collection changed: %d %+v", res.StatusCode, c)
	}
	var p model.Project
	if admin.Do("GET", "/api/v2/projects/"+f.project, nil, &p); p.Name != "Agency" {
		t.Errorf("the project changed: %+v", p)
	}
	t.Logf("swept %d routes as 4 kinds of viewer", n)
}

// fillRoute puts ids into a route's parameters: ids[":key"] for :key, or
// the id named by the segment before it ("projects" → a project id), else
// ids[""]; ".:format" becomes ids[".:format"] or ".png".
func fillRoute(path string, ids map[string]string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		switch {
		case strings.HasSuffix(seg, ".:format") && ids[".:format"] != "":
			segs[i] = ids[".:format"]
		case strings.HasSuffix(seg, ".:format"):
			segs[i] = strings.TrimSuffix(seg, ":format") + "png"
		case !strings.HasPrefix(seg, ":"):
		case ids[seg] != "":
			segs[i] = ids[seg]
		case i > 0 && ids[segs[i-1]] != "":
			segs[i] = ids[segs[i-1]]
		default:
			segs[i] = ids[""]
		}
	}
	return strings.Join(segs, "/")
}

// publicRoute reports whether a route is open without a login (it then
// decides by its key, signature or body).
func publicRoute(path string) bool {
	for _, p := range []string{"/api/v2/public/", "/api/v2/auth/", "/api/v2/setup", "/api/v2/tus", "/api/v2/signed/", "/d/", "/api/v2/openapi.json"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
