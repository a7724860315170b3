package api_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

const appOrigin = "http://uploader.example:3000"

func allowApp(c *config.Config) { c.CORS.AllowedOrigins = []string{appOrigin} }

func preflight(t *testing.T, s *testkit.Server, path, origin, method, headers string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("OPTIONS", s.URL+path, nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	req.Header.Set("Access-Control-Request-Headers", headers)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func hasAll(list string, want ...string) string {
	have := map[string]bool{}
	for _, x := range strings.Split(list, ",") {
		have[strings.ToLower(strings.TrimSpace(x))] = true
	}
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			return w
		}
	}
	return ""
}

// TestCORSForAllowedOrigins: a web app on an allowed origin (Uppy with
// @uppy/tus) gets its preflights answered and can read the tus headers of
// an upload made with a bearer token; other origins get no CORS headers;
// credentials are never allowed.
func TestCORSForAllowedOrigins(t *testing.T) {
	s := start(t, allowApp)
	tusHeaders := "authorization,content-type,tus-resumable,upload-length,upload-metadata,upload-offset"
	for _, path := range []string{"/api/v2/tus/", "/api/v2/tus/00000000-0000-0000-0000-000000000000", "/api/v2/assets/x/children", "/api/v2/me"} {
		res := preflight(t, s, path, appOrigin, "PATCH", tusHeaders)
		if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != appOrigin {
			t.Fatalf("preflight %s from %s: %d ACAO %q", path, appOrigin, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
		}
		if miss := hasAll(res.Header.Get("Access-Control-Allow-Headers"), strings.Split(tusHeaders+",upload-defer-length,upload-concat,x-http-method-override,ferry-link,ferry-session", ",")...); miss != "" {
			t.Fatalf("preflight %s: Allow-Headers %q lacks %s", path, res.Header.Get("Access-Control-Allow-Headers"), miss)
		}
		if miss := hasAll(res.Header.Get("Access-Control-Allow-Methods"), "POST", "PATCH", "HEAD", "DELETE", "PUT"); miss != "" {
			t.Fatalf("preflight %s: Allow-Methods %q lacks %s", path, res.Header.Get("Access-Control-Allow-Methods"), miss)
		}
		if res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("preflight %s allows credentials", path)
		}
		other := preflight(t, s, path, "http://evil.example", "PATCH", tusHeaders)
		if got := other.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Fatalf("preflight %s from an unlisted origin got ACAO %q", path, got)
		}
	}

	// A tus upload with a bearer token from the allowed origin.
	_, root := linkProject(t, s.Admin(t), "Uppy")
	c := s.TokenClient(t, "assets.create", "assets.read")
	c.Origin = appOrigin
	data := randomBytes(64 << 10)
	res := c.TusCreate(map[string]string{"filename": "u.bin", "filetype": "application/octet-stream", "parent_id": root}, int64(len(data)), nil)
	wantStatus(t, "tus create from the app", res, 201, "")
	loc := res.Header.Get("Location")
	for name, r := range map[string]*http.Response{"create": res, "patch": c.TusPatch(loc, 0, bytes.NewReader(data), int64(len(data)))} {
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != appOrigin {
			t.Fatalf("tus %s: status %d, ACAO %q", name, r.StatusCode, got)
		}
		if miss := hasAll(r.Header.Get("Access-Control-Expose-Headers"), "Location", "Upload-Offset", "Upload-Length", "Tus-Resumable",
			"Tus-Version", "Tus-Max-Size", "Tus-Extension", "Upload-Expires"); miss != "" {
			t.Fatalf("tus %s: Expose-Headers %q lacks %s", name, r.Header.Get("Access-Control-Expose-Headers"), miss)
		}
		if !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Fatalf("tus %s: no Vary: Origin", name)
		}
	}
	if off, r := c.TusHead(loc); off != int64(len(data)) || r.Header.Get("Access-Control-Allow-Origin") != appOrigin {
		t.Fatalf("HEAD after the upload: offset %d, ACAO %q", off, r.Header.Get("Access-Control-Allow-Origin"))
	}
	// The same token from an unlisted origin: the browser gets no ACAO.
	c.Origin = "http://evil.example"
	if off, r := c.TusHead(loc); r.Header.Get("Access-Control-Allow-Origin") != "" || off != int64(len(data)) {
		t.Fatalf("HEAD from an unlisted origin: ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	// Cookies never cross: a session's state change from the app's origin is refused.
	admin := s.Admin(t)
	admin.Origin = appOrigin
	wantStatus(t, "cookie POST from the app's origin", admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "x"}, nil), 403, "origin_mismatch")
}

func TestCORSOffByDefault(t *testing.T) {
	s := start(t)
	res := preflight(t, s, "/api/v2/tus/", appOrigin, "POST", "authorization,tus-resumable")
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("no origins configured, yet ACAO %q", got)
	}
}

// TestTusAnswersCarryTusResumable: Ferry's own refusals on the tus
// endpoint carry Tus-Resumable as tusd's answers do.
func TestTusAnswersCarryTusResumable(t *testing.T) {
	s := start(t)
	anon := s.Client(t)
	c := s.TokenClient(t, "assets.create")
	for name, res := range map[string]*http.Response{
		"401":           anon.TusCreate(map[string]string{"filename": "x"}, 10, nil),
		"404":           func() *http.Response { _, r := c.TusHead("/api/v2/tus/00000000-0000-0000-0000-000000000000"); return r }(),
		"404 bad id":    func() *http.Response { _, r := c.TusHead("/api/v2/tus/not-an-id"); return r }(),
		"400 no parent": c.TusCreate(map[string]string{"filename": "x"}, 10, nil),
	} {
		if res.StatusCode < 400 || res.Header.Get("Tus-Resumable") != "1.0.0" {
			t.Errorf("%s: status %d, Tus-Resumable %q", name, res.StatusCode, res.Header.Get("Tus-Resumable"))
		}
	}
}

// TestUppyRelativePath: Uppy names a dropped folder's path relativePath;
// through an upload link its folders are made like relative_path's, and
// "null" (a file dropped alone) lands in the link's folder.
func TestUppyRelativePath(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Drops")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Drop", RecipientEmail: "a@b.example"})
	rc := recipient(t, s, l, l.Passcode)
	path := func(id string) string {
		var ancestors []model.Asset
		wantStatus(t, "ancestors", admin.Do("GET", "/api/v2/assets/"+id+"/ancestors", nil, &ancestors), 200, "")
		var names []string
		for _, x := range ancestors {
			names = append(names, x.Name)
		}
		return strings.Join(names, "/")
	}
	snake := path(rc.Upload("", "a.jpg", randomBytes(100), "relative_path", "Shoot/Day 1/a.jpg"))
	camel := path(rc.Upload("", "b.jpg", randomBytes(100), "relativePath", "Shoot/Day 1/b.jpg"))
	alone := path(rc.Upload("", "c.jpg", randomBytes(100), "relativePath", "null"))
	if !strings.HasSuffix(snake, "/Shoot/Day 1") || camel != snake || alone+"/Shoot/Day 1" != snake {
		t.Fatalf("relative_path → %q, relativePath → %q, relativePath null → %q", snake, camel, alone)
	}
}

// TestUploadLinkFromAllowedOrigin: a web app on an allowed origin (Uppy
// with @uppy/tus) unlocks an upload link, gets its session in the answer
// (it gets no cookie) and uploads with it in Ferry-Session. Ferry's own
// pages get no session in the answer; an unlisted origin is refused; a
// wrong or missing session uploads nothing.
func TestUploadLinkFromAllowedOrigin(t *testing.T) {
	s := start(t, allowApp)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Drops")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Drop", RecipientEmail: "a@b.example"})
	unlock := func(origin string) (*http.Response, string) {
		c := s.Client(t)
		c.Origin = origin
		// Only the session: the unlock answer has no model type (it is built in the handler).
		var v struct {
			Session *string `json:"session"`
		}
		res := c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Passcode: l.Passcode}, &v)
		if v.Session == nil {
			return res, ""
		}
		return res, *v.Session
	}
	res, session := unlock(appOrigin)
	if res.StatusCode != 200 || session == "" || res.Header.Get("Access-Control-Allow-Origin") != appOrigin {
		t.Fatalf("unlock from the app: %d, session %t, ACAO %q", res.StatusCode, session != "", res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res, own := unlock(s.URL); res.StatusCode != 200 || own != "" {
		t.Fatalf("unlock from Ferry's own page: %d, session in the answer %t (the HttpOnly cookie is enough)", res.StatusCode, own != "")
	}
	if res, _ := unlock("http://evil.example"); res.StatusCode != 403 || testkit.ErrorCode(res) != "origin_mismatch" {
		t.Fatalf("unlock from an unlisted origin: %d %s", res.StatusCode, testkit.ErrorCode(res))
	}

	data := randomBytes(40 << 10)
	upload := func(origin, secret string) *http.Response {
		c := s.Client(t)
		c.Origin = origin
		c.Header = http.Header{"Ferry-Link": {l.Key}}
		if secret != "" {
			c.Header.Set("Ferry-Session", secret)
		}
		return c.TusCreate(map[string]string{"filename": "a.bin", "relativePath": "Shoot/a.bin"}, int64(len(data)), data)
	}
	for _, tc := range []struct {
		name, origin, secret string
		status               int
	}{
		{"an unlisted origin with the session", "http://evil.example", session, 403},
		{"the app without a session", appOrigin, "", 401},
		{"the app with a made-up session", appOrigin, strings.Repeat("x", 43), 401},
	} {
		if res := upload(tc.origin, tc.secret); res.StatusCode != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.StatusCode, testkit.ErrorCode(res), tc.status)
		}
	}
	res = upload(appOrigin, session)
	if res.StatusCode != 201 || res.Header.Get("Upload-Offset") != strconv.Itoa(len(data)) || res.Header.Get("Access-Control-Allow-Origin") != appOrigin {
		t.Fatalf("the app with the session: %d %s offset %q", res.StatusCode, testkit.ErrorCode(res), res.Header.Get("Upload-Offset"))
	}
}
