package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// start runs a test server. Every request of a test comes from 127.0.0.1, so
// per-address login throttling is raised out of the way unless a test sets it.
func start(t *testing.T, mod ...func(*config.Config)) *testkit.Server {
	t.Helper()
	return startAt(t, nil, mod...)
}

// startAt is start with the server's time on clk (nil: the real time).
func startAt(t *testing.T, clk *clock.Clock, mod ...func(*config.Config)) *testkit.Server {
	t.Helper()
	return testkit.StartAt(t, clk, append([]func(*config.Config){func(c *config.Config) { c.Auth.MaxFailures = 1000 }}, mod...)...)
}

// wantStatus fails unless res has status and, when code is set, that error code.
func wantStatus(t *testing.T, what string, res *http.Response, status int, code string) {
	t.Helper()
	if res.StatusCode != status {
		b, _ := io.ReadAll(res.Body)
		res.Body = io.NopCloser(bytes.NewReader(b))
		t.Fatalf("%s: status %d, want %d: %s", what, res.StatusCode, status, b)
	}
	if code != "" {
		if got := testkit.ErrorCode(res); got != code {
			t.Fatalf("%s: error code %q, want %q", what, got, code)
		}
	}
}

func body(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// withoutOrigin copies c (sharing its cookies) without the Origin header.
func withoutOrigin(c *testkit.Client) *testkit.Client {
	n := *c
	n.Origin = ""
	return &n
}

// createMember makes a member through the API as the admin and returns it.
func createMember(t *testing.T, admin *testkit.Client, email, password string) model.User {
	t.Helper()
	u, err := admin.API().CreateUser(model.NewUser{Email: email, Name: "Member " + email, Role: "member", Password: password})
	wantErr(t, "create member", err, 0, "")
	return u
}

func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", api.SessionCookie, res.Header.Values("Set-Cookie"))
	return nil
}

func TestLoginSessionAndToken(t *testing.T) {
	s := start(t)
	c := s.Client(t)
	var u model.Me
	res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: "ADMIN@example.com", Password: testkit.AdminPassword}, &u)
	wantStatus(t, "login", res, 200, "")
	if u.Email != testkit.AdminEmail || u.Role != "admin" || u.ID == "" {
		t.Fatalf("login answer = %+v", u)
	}
	if strings.Contains(body(res), "password") {
		t.Fatalf("login answer leaks the password hash: %s", body(res))
	}
	ck := sessionCookie(t, res)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Fatalf("cookie HttpOnly=%v SameSite=%v Path=%q, want HttpOnly, Lax, /", ck.HttpOnly, ck.SameSite, ck.Path)
	}
	if ck.Secure {
		t.Fatal("cookie is Secure on plain HTTP: browsers would drop it")
	}
	if until := time.Until(ck.Expires); until < 13*24*time.Hour || until > 15*24*time.Hour {
		t.Fatalf("cookie expires in %v, want the 14-day session TTL", until)
	}

	var me model.Me
	wantStatus(t, "me with cookie", c.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if me.Email != testkit.AdminEmail || me.SiteName != "Ferry" || me.Scopes != nil {
		t.Fatalf("me with cookie = %+v", me)
	}

	tc := s.TokenClient(t, "projects.read")
	me = model.Me{}
	wantStatus(t, "me with bearer", tc.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if me.Email != testkit.AdminEmail || strings.Join(me.Scopes, ",") != "projects.read" {
		t.Fatalf("me with bearer = %+v", me)
	}

	anon := s.Client(t)
	wantStatus(t, "me without credentials", anon.Do("GET", "/api/v2/me", nil, nil), 401, "unauthorized")
	bad := []struct{ name, header string }{
		{"unknown token", "Bearer fy_notarealtoken"},
		{"not fy_", "Bearer abc"},
		{"basic auth", "Basic YWRtaW46cGFzcw=="},
		{"empty bearer", "Bearer "},
	}
	for _, b := range bad {
		req, _ := http.NewRequest("GET", s.URL+"/api/v2/me", nil)
		req.Header.Set("Authorization", b.header)
		wantStatus(t, b.name, anon.Send(req, nil), 401, "")
	}
	// A session cookie with a forged secret is refused.
	req, _ := http.NewRequest("GET", s.URL+"/api/v2/me", nil)
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: u.ID + ".forged"})
	wantStatus(t, "forged cookie", s.Client(t).Send(req, nil), 401, "")
}

// Error answers share one shape: {"errors":[{"status","code","title","detail"}]}.
func TestErrorShape(t *testing.T) {
	s := start(t)
	c := s.Client(t)
	plain, _ := http.NewRequest("POST", s.URL+"/api/v2/auth/login", strings.NewReader(`{}`))
	plain.Header.Set("Content-Type", "text/plain")
	tests := []struct {
		name   string
		res    *http.Response
		status int
		code   string
		title  string
	}{
		{"bad password", c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: "wrong password"}, nil),
			401, "invalid_credentials", "Unauthorized"},
		{"unknown endpoint", c.Do("GET", "/api/v2/nothing-here", nil, nil), 404, "not_found", "Not Found"},
		{"no session", c.Do("GET", "/api/v2/me", nil, nil), 401, "unauthorized", "Unauthorized"},
		{"wrong content type", c.Send(plain, nil), 415, "unsupported_media_type", "Unsupported Media Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", tt.res.StatusCode, tt.status, body(tt.res))
			}
			if ct := tt.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
			var doc map[string][]map[string]any
			dec := json.NewDecoder(strings.NewReader(body(tt.res)))
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("not an error document: %s: %v", body(tt.res), err)
			}
			if len(doc) != 1 || len(doc["errors"]) != 1 {
				t.Fatalf("document %s: want exactly {\"errors\":[one item]}", body(tt.res))
			}
			item := doc["errors"][0]
			if len(item) != 4 {
				t.Fatalf("error item %v: want exactly status, code, title, detail", item)
			}
			if item["status"] != float64(tt.status) || item["code"] != tt.code || item["title"] != tt.title {
				t.Fatalf("error item %v, want status %d code %q title %q", item, tt.status, tt.code, tt.title)
			}
			if d, _ := item["detail"].(string); d == "" {
				t.Fatalf("error item %v has no detail", item)
			}
		})
	}
}

func TestLoginThrottled(t *testing.T) {
	clk := clock.New(time.Now())
	s := testkit.StartAt(t, clk, func(c *config.Config) {
		c.Auth.MaxFailures = 2
		c.Auth.LockDuration = config.Duration(10 * time.Minute)
	})
	c := s.Client(t)
	for i := 0; i < 2; i++ {
		res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: "wrong password"}, nil)
		wantStatus(t, "wrong password", res, 401, "invalid_credentials")
		if res.Header.Get("Retry-After") != "" {
			t.Fatal("Retry-After on a plain failure")
		}
	}
	// Even the right password is refused while locked.
	res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil)
	wantStatus(t, "locked login", res, 429, "too_many_attempts")
	ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 600 {
		t.Fatalf("Retry-After = %q, want whole seconds in 1..600", res.Header.Get("Retry-After"))
	}
	if len(res.Cookies()) != 0 {
		t.Fatal("a throttled login set a cookie")
	}
	// The lock lifts after lock_duration on the server's clock.
	clk.Advance(10*time.Minute - time.Second)
	wantStatus(t, "a second before the lock lifts", c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil), 429, "too_many_attempts")
	clk.Advance(time.Second)
	wantStatus(t, "after the lock", c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil), 200, "")
}

// A session ends session_ttl after login on the server's clock.
func TestSessionExpiry(t *testing.T) {
	clk := clock.New(time.Now())
	s := startAt(t, clk)
	ttl := time.Duration(s.Config.Auth.SessionTTL)
	c := s.Admin(t)
	u, _ := url.Parse(s.URL)
	cookies := c.HTTP.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Name != api.SessionCookie {
		t.Fatalf("cookies after login: %v", cookies)
	}
	sendCookie := func() *http.Response {
		req, _ := http.NewRequest("GET", s.URL+"/api/v2/me", nil)
		req.AddCookie(cookies[0])
		return s.Client(t).Send(req, nil)
	}
	clk.Advance(ttl - time.Second)
	wantStatus(t, "me within the TTL", sendCookie(), 200, "")
	clk.Advance(time.Second)
	// A browser drops the cookie by now; send it anyway, as a thief would.
	wantStatus(t, "me after the TTL", sendCookie(), 401, "session_expired")
}

func TestLogout(t *testing.T) {
	s := start(t)
	c := s.Client(t)
	res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil)
	wantStatus(t, "login", res, 200, "")
	stolen := sessionCookie(t, res)

	res = c.Do("POST", "/api/v2/auth/logout", nil, nil)
	wantStatus(t, "logout", res, 204, "")
	if ck := sessionCookie(t, res); ck.Value != "" || ck.Expires.After(time.Now()) {
		t.Fatalf("logout cookie %+v, want it cleared", ck)
	}
	wantStatus(t, "me after logout", c.Do("GET", "/api/v2/me", nil, nil), 401, "")

	// The session is gone on the server, not only from the browser.
	req, _ := http.NewRequest("GET", s.URL+"/api/v2/me", nil)
	req.AddCookie(&http.Cookie{Name: stolen.Name, Value: stolen.Value})
	wantStatus(t, "old cookie after logout", s.Client(t).Send(req, nil), 401, "unauthorized")

	// Logging out twice, or with no session, is harmless.
	wantStatus(t, "second logout", c.Do("POST", "/api/v2/auth/logout", nil, nil), 204, "")
}

func TestOriginCheck(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	newToken := model.NewToken{Name: "o", Scopes: []string{"projects.read"}}
	otherPort := "http://127.0.0.1:1"
	if strings.HasSuffix(s.URL, ":1") {
		otherPort = "http://127.0.0.1:2"
	}
	tests := []struct {
		name   string
		origin string // "" sends none
		status int
		code   string
	}{
		{"same origin", s.URL, 201, ""},
		{"foreign origin", "https://evil.example", 403, "origin_mismatch"},
		{"same host, other port", otherPort, 403, "origin_mismatch"},
		{"same host, other scheme", strings.Replace(s.URL, "http://", "https://", 1), 403, "origin_mismatch"},
		{"opaque origin", "null", 403, "origin_mismatch"},
		{"no origin", "", 403, "origin_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(newToken)
			req, _ := http.NewRequest("POST", s.URL+"/api/v2/tokens", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			wantStatus(t, "cookie POST", withoutOrigin(admin).Send(req, nil), tt.status, tt.code)
		})
	}
	// A refused request changed nothing.
	var list []model.NewTokenAnswer
	wantStatus(t, "list", admin.Do("GET", "/api/v2/tokens", nil, &list), 200, "")
	if len(list) != 1 {
		t.Fatalf("%d tokens after one allowed create, want 1", len(list))
	}

	// Bearer tokens are not sent by browsers on their own: no Origin needed.
	tc := s.TokenClient(t, "projects.read")
	if tc.Origin != "" {
		t.Fatal("token client sends an Origin")
	}
	wantStatus(t, "bearer POST without Origin", tc.Do("POST", "/api/v2/tokens", newToken, nil), 201, "")

	// Login is refused from a foreign page too (login CSRF).
	req, _ := http.NewRequest("POST", s.URL+"/api/v2/auth/login",
		strings.NewReader(`{"email":"admin@example.com","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	wantStatus(t, "cross-site login", s.Client(t).Send(req, nil), 403, "origin_mismatch")
}

func TestScopesAndRoles(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	createMember(t, admin, "member@example.com", "member password")

	noUsers := s.TokenClient(t, "projects.read")
	wantStatus(t, "token without users.read", noUsers.Do("GET", "/api/v2/users", nil, nil), 403, "insufficient_scope")

	usersRead := s.TokenClient(t, "users.read")
	var list []model.Me
	wantStatus(t, "token with users.read", usersRead.Do("GET", "/api/v2/users", nil, &list), 200, "")
	if len(list) != 2 {
		t.Fatalf("%d users, want 2", len(list))
	}
	wantStatus(t, "users.read cannot create", usersRead.Do("POST", "/api/v2/users",
		model.NewUser{Email: "x@example.com", Name: "X", Password: "long enough"}, nil), 403, "insufficient_scope")

	member := s.Login(t, "member@example.com", "member password")
	wantStatus(t, "member session on /users", member.Do("GET", "/api/v2/users", nil, nil), 403, "forbidden")
	// A member's token with users.read is still a member's.
	var mt model.NewTokenAnswer
	wantStatus(t, "member token", member.Do("POST", "/api/v2/tokens", model.NewToken{Name: "m", Scopes: []string{"users.read"}}, &mt), 201, "")
	mc := s.Client(t)
	mc.Token, mc.Origin = mt.Secret, ""
	wantStatus(t, "member token on /users", mc.Do("GET", "/api/v2/users", nil, nil), 403, "forbidden")

	// A token mints tokens only within its own scopes.
	mint := []struct {
		name   string
		scopes []string
		status int
	}{
		{"lacking scope", []string{"users.read"}, 403},
		{"one lacking of two", []string{"projects.read", "users.read"}, 403},
		{"own scope", []string{"projects.read"}, 201},
	}
	for _, m := range mint {
		code := ""
		if m.status == 403 {
			code = "insufficient_scope"
		}
		wantStatus(t, "mint "+m.name, noUsers.Do("POST", "/api/v2/tokens", model.NewToken{Name: "child", Scopes: m.scopes}, nil), m.status, code)
	}
}

func TestUserManagement(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	var m model.Me
	res := admin.Do("POST", "/api/v2/users", model.NewUser{Email: "Member@Example.com", Name: "Mia", Role: "member", Password: "member password"}, &m)
	wantStatus(t, "create", res, 201, "")
	if m.Email != "member@example.com" || m.Role != "member" || m.Disabled {
		t.Fatalf("created %+v", m)
	}
	if strings.Contains(body(res), "password") {
		t.Fatalf("answer leaks the password hash: %s", body(res))
	}

	bad := []struct {
		name   string
		in     model.NewUser
		status int
		code   string
	}{
		{"duplicate email", model.NewUser{Email: "MEMBER@example.com", Name: "M2", Password: "long enough"}, 409, "email_taken"},
		{"bad email", model.NewUser{Email: "member", Name: "M2", Password: "long enough"}, 400, "invalid"},
		{"short password", model.NewUser{Email: "m2@example.com", Name: "M2", Password: "short"}, 400, "invalid"},
		{"bad role", model.NewUser{Email: "m2@example.com", Name: "M2", Role: "owner", Password: "long enough"}, 400, "invalid"},
	}
	for _, b := range bad {
		wantStatus(t, b.name, admin.Do("POST", "/api/v2/users", b.in, nil), b.status, b.code)
	}

	member := s.Login(t, "member@example.com", "member password")
	var me model.Me
	wantStatus(t, "member me", member.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if me.ID != m.ID || me.Role != "member" {
		t.Fatalf("member me = %+v", me)
	}
	// Token lists are per user.
	var tl []model.NewTokenAnswer
	res = member.Do("GET", "/api/v2/tokens", nil, &tl)
	wantStatus(t, "member tokens", res, 200, "")
	if strings.TrimSpace(body(res)) != "[]" {
		t.Fatalf("member's token list = %s, want []", body(res))
	}

	var got model.Me
	wantStatus(t, "get user", admin.Do("GET", "/api/v2/users/"+m.ID, nil, &got), 200, "")
	if got.Email != m.Email {
		t.Fatalf("get user = %+v", got)
	}
	wantStatus(t, "get unknown user", admin.Do("GET", "/api/v2/users/00000000-0000-0000-0000-000000000000", nil, nil), 404, "not_found")

	// Disabling ends the member's session at once.
	wantStatus(t, "disable", admin.Do("PUT", "/api/v2/users/"+m.ID, model.UserPatch{Disabled: model.Ptr(true)}, &got), 200, "")
	if !got.Disabled {
		t.Fatalf("after disable: %+v", got)
	}
	wantStatus(t, "disabled member's session", member.Do("GET", "/api/v2/me", nil, nil), 401, "")
	wantStatus(t, "disabled member's login", s.Client(t).Do("POST", "/api/v2/auth/login",
		model.LoginRequest{Email: "member@example.com", Password: "member password"}, nil), 403, "user_disabled")

	// Enable and reset the password.
	wantStatus(t, "enable and reset", admin.Do("PUT", "/api/v2/users/"+m.ID,
		model.UserPatch{Disabled: model.Ptr(false), Password: model.Ptr("a new password")}, nil), 200, "")
	wantStatus(t, "old password", s.Client(t).Do("POST", "/api/v2/auth/login",
		model.LoginRequest{Email: "member@example.com", Password: "member password"}, nil), 401, "invalid_credentials")
	s.Login(t, "member@example.com", "a new password")

	// The site keeps an admin.
	var adminMe model.Me
	admin.Do("GET", "/api/v2/me", nil, &adminMe)
	wantStatus(t, "demote last admin", admin.Do("PUT", "/api/v2/users/"+adminMe.ID, model.UserPatch{Role: model.Ptr("member")}, nil), 409, "conflict")
	wantStatus(t, "disable last admin", admin.Do("PUT", "/api/v2/users/"+adminMe.ID, model.UserPatch{Disabled: model.Ptr(true)}, nil), 409, "conflict")
	wantStatus(t, "admin still works", admin.Do("GET", "/api/v2/users", nil, nil), 200, "")
	wantStatus(t, "unknown field in patch", admin.Do("PUT", "/api/v2/users/"+m.ID, map[string]any{"email": "x@example.com"}, nil) /* raw: model.UserPatch has no email, which is the point */, 400, "invalid_json")
}

func TestTokensAPI(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	var tok model.NewTokenAnswer
	res := admin.Do("POST", "/api/v2/tokens", model.NewToken{Name: "ci", Scopes: []string{"projects.read", "assets.create"}}, &tok)
	wantStatus(t, "create", res, 201, "")
	if !strings.HasPrefix(tok.Secret, "fy_") || tok.ID == "" || tok.Prefix != tok.Secret[:7] ||
		strings.Join(tok.Scopes, ",") != "assets.create,projects.read" {
		t.Fatalf("created %+v", tok)
	}
	if tok.InsertedAt.IsZero() { // decoding it as a time.Time checked RFC 3339
		t.Fatalf("inserted_at missing: %+v", tok)
	}

	var list []model.NewTokenAnswer
	res = admin.Do("GET", "/api/v2/tokens", nil, &list)
	wantStatus(t, "list", res, 200, "")
	if len(list) != 1 || list[0].ID != tok.ID {
		t.Fatalf("list = %+v", list)
	}
	if strings.Contains(body(res), tok.Secret) {
		t.Fatal("the list shows the secret again")
	}

	tc := s.Client(t)
	tc.Token, tc.Origin = tok.Secret, ""
	wantStatus(t, "token works", tc.Do("GET", "/api/v2/me", nil, nil), 200, "")

	for _, b := range []struct {
		name string
		in   model.NewToken
	}{
		{"unknown scope", model.NewToken{Name: "x", Scopes: []string{"projects.write"}}},
		{"no scopes", model.NewToken{Name: "x", Scopes: []string{}}},
		{"no name", model.NewToken{Scopes: []string{"projects.read"}}},
	} {
		wantStatus(t, b.name, admin.Do("POST", "/api/v2/tokens", b.in, nil), 400, "invalid")
	}

	wantStatus(t, "delete", admin.Do("DELETE", "/api/v2/tokens/"+tok.ID, nil, nil), 204, "")
	wantStatus(t, "deleted token", tc.Do("GET", "/api/v2/me", nil, nil), 401, "unauthorized")
	wantStatus(t, "delete again", admin.Do("DELETE", "/api/v2/tokens/"+tok.ID, nil, nil), 404, "not_found")
	res = admin.Do("GET", "/api/v2/tokens", nil, nil)
	if strings.TrimSpace(body(res)) != "[]" {
		t.Fatalf("list after delete = %s, want []", body(res))
	}
}

func TestBadInput(t *testing.T) {
	const limit = 2048
	s := start(t, func(c *config.Config) { c.Limits.MaxJSONBytes = limit })
	admin := s.Admin(t)
	big := `{"name":"` + strings.Repeat("n", limit) + `","scopes":["projects.read"]}`
	tests := []struct {
		name    string
		ct      string
		body    string
		chunked bool
		status  int
		code    string
	}{
		{"malformed JSON", "application/json", `{"name":"x","scopes":[`, false, 400, "invalid_json"},
		{"unknown field", "application/json", `{"name":"x","scopes":["projects.read"],"admin":true}`, false, 400, "invalid_json"},
		{"wrong type", "application/json", `{"name":5,"scopes":["projects.read"]}`, false, 400, "invalid_json"},
		{"array not object", "application/json", `[]`, false, 400, "invalid_json"},
		{"two values", "application/json", `{"name":"x","scopes":["projects.read"]} {}`, false, 400, "invalid_json"},
		{"empty body", "application/json", ``, false, 400, "invalid_json"},
		{"text/plain", "text/plain", `{"name":"x","scopes":["projects.read"]}`, false, 415, "unsupported_media_type"},
		{"form", "application/x-www-form-urlencoded", `name=x&scopes=projects.read`, false, 415, "unsupported_media_type"},
		{"no content type", "", `{"name":"x","scopes":["projects.read"]}`, false, 415, "unsupported_media_type"},
		{"over max_json_bytes", "application/json", big, false, 413, "body_too_large"},
		{"over max_json_bytes, chunked", "application/json", big, true, 413, "body_too_large"},
		{"good", "application/json", `{"name":"x","scopes":["projects.read"]}`, false, 201, ""},
		{"good with charset", "application/json; charset=utf-8", `{"name":"y","scopes":["projects.read"]}`, false, 201, ""},
		{"good, chunked", "application/json", `{"name":"z","scopes":["projects.read"]}`, true, 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				r = io.MultiReader(r) // unknown length: sent chunked
			}
			req, _ := http.NewRequest("POST", s.URL+"/api/v2/tokens", r)
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			wantStatus(t, tt.name, admin.Send(req, nil), tt.status, tt.code)
		})
	}
	// A body far over the limit is refused without being read whole: the
	// server answers 413 and closes the connection, which a client still
	// writing may see as a reset instead. Either way nothing is stored and
	// the server serves the next request.
	for _, chunked := range []bool{false, true} {
		var r io.Reader = bytes.NewReader([]byte(`{"name":"` + strings.Repeat("n", 8<<20) + `"}`))
		if chunked {
			r = io.MultiReader(r)
		}
		req, _ := http.NewRequest("POST", s.URL+"/api/v2/tokens", r)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", s.URL)
		for _, ck := range admin.HTTP.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != 413 {
				t.Fatalf("8 MiB body (chunked %v): status %d, want 413", chunked, res.StatusCode)
			}
		}
	}

	// Bad input stored nothing; the good requests stored theirs.
	var list []model.NewTokenAnswer
	wantStatus(t, "list", admin.Do("GET", "/api/v2/tokens", nil, &list), 200, "")
	if len(list) != 3 {
		t.Fatalf("%d tokens stored, want the 3 good ones", len(list))
	}

	// The public login endpoint decodes the same way.
	login := []struct {
		name, ct, body string
		status         int
		code           string
	}{
		{"malformed", "application/json", `{"email":`, 400, "invalid_json"},
		{"unknown field", "application/json", `{"email":"a@example.com","password":"long enough","remember":true}`, 400, "invalid_json"},
		{"text/plain", "text/plain", `{"email":"a@example.com","password":"long enough"}`, 415, "unsupported_media_type"},
		{"too large", "application/json", `{"email":"a@example.com","password":"` + strings.Repeat("p", limit) + `"}`, 413, "body_too_large"},
		{"empty", "application/json", ``, 400, "invalid_json"},
		{"missing fields", "application/json", `{}`, 400, "invalid"},
	}
	anon := s.Client(t)
	for _, tt := range login {
		req, _ := http.NewRequest("POST", s.URL+"/api/v2/auth/login", strings.NewReader(tt.body))
		if tt.ct != "" {
			req.Header.Set("Content-Type", tt.ct)
		}
		wantStatus(t, "login "+tt.name, anon.Send(req, nil), tt.status, tt.code)
	}

	// Pagination parameters are checked.
	for _, q := range []string{"page=0", "page=-1", "page=x", "page_size=0", "page_size=1001", "page_size=ten"} {
		wantStatus(t, "GET /users?"+q, admin.Do("GET", "/api/v2/users?"+q, nil, nil), 400, "invalid")
	}
	// The server still serves normally.
	wantStatus(t, "me", admin.Do("GET", "/api/v2/me", nil, nil), 200, "")
}

// A request body the handler never reads (refused before decoding) must not
// stay on a kept-alive connection, where its bytes would be taken for the
// next request: a smuggled request inside it must never be answered.
func TestUnreadBodyDoesNotReachNextRequest(t *testing.T) {
	s := start(t)
	smuggled := "GET /api/v2/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, size := range []int{100, 20 << 10, 1 << 20} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			body := strings.Repeat(" ", size-len(smuggled)) + smuggled
			go fmt.Fprintf(conn, "POST /api/v2/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\n"+
				"Content-Length: %d\r\n\r\n%sGET /healthz HTTP/1.1\r\nHost: %[1]s\r\n\r\n",
				strings.TrimPrefix(s.URL, "http://"), len(body), body)
			br := bufio.NewReader(conn)
			res, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			if res.StatusCode != 415 {
				t.Fatalf("first answer %d, want 415", res.StatusCode)
			}
			res, err = http.ReadResponse(br, nil)
			if err != nil {
				if res == nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "reset")) {
					return // the server closed the connection: also safe
				}
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) {
				t.Fatalf("second answer %d %.300s, want /healthz's (the body's tail was parsed as a request)", res.StatusCode, b)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	createMember(t, admin, "member@example.com", "member password")

	pages := []struct {
		query               string
		items               int
		page, per, pagesHdr string
		links               []string
	}{
		{"page=1&page_size=1", 1, "1", "1", "2", []string{`</api/v2/users?page=2&page_size=1>; rel="next"`, `rel="last"`}},
		{"page=2&page_size=1", 1, "2", "1", "2", []string{`</api/v2/users?page=1&page_size=1>; rel="prev"`, `</api/v2/users?page=2&page_size=1>; rel="last"`}},
		{"page=3&page_size=1", 0, "3", "1", "2", []string{`rel="prev"`}},
		{"", 2, "1", "50", "1", []string{`rel="last"`}},
	}
	seen := map[string]bool{}
	for _, p := range pages {
		t.Run(p.query, func(t *testing.T) {
			var list []model.Me
			res := admin.Do("GET", "/api/v2/users?"+p.query, nil, &list)
			wantStatus(t, "list", res, 200, "")
			if strings.TrimSpace(body(res))[0] != '[' {
				t.Fatalf("answer %s is not a JSON array", body(res))
			}
			if len(list) != p.items {
				t.Fatalf("%d items, want %d", len(list), p.items)
			}
			h := res.Header
			if h.Get("page-number") != p.page || h.Get("per-page") != p.per || h.Get("total") != "2" || h.Get("total-pages") != p.pagesHdr {
				t.Fatalf("headers page-number=%q per-page=%q total=%q total-pages=%q, want %s %s 2 %s",
					h.Get("page-number"), h.Get("per-page"), h.Get("total"), h.Get("total-pages"), p.page, p.per, p.pagesHdr)
			}
			for _, l := range p.links {
				if !strings.Contains(h.Get("link"), l) {
					t.Fatalf("link %q lacks %q", h.Get("link"), l)
				}
			}
			if p.query != "" {
				for _, u := range list {
					if seen[u.ID] {
						t.Fatalf("user %s on two pages", u.ID)
					}
					seen[u.ID] = true
				}
			}
		})
	}
	if len(seen) != 2 {
		t.Fatalf("pages held %d distinct users, want 2", len(seen))
	}
}

func TestHealthAndMetrics(t *testing.T) {
	s := start(t)
	c := s.Client(t)
	var health map[string]string
	wantStatus(t, "healthz", c.Do("GET", "/healthz", nil, &health), 200, "")
	if health["status"] != "ok" {
		t.Fatalf("healthz = %v", health)
	}
	c.Do("GET", "/api/v2/me", nil, nil) // a 401 to count
	admin := s.Admin(t)
	admin.Do("GET", "/api/v2/users/some-id", nil, nil)

	// Metrics are for admins (see TestMetricsNeedAnAdmin); they used to be public.
	wantStatus(t, "metrics without login", c.Do("GET", "/metrics", nil, nil), 401, "unauthorized")
	res := admin.Do("GET", "/metrics", nil, nil)
	wantStatus(t, "metrics", res, 200, "")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("metrics Content-Type %q", ct)
	}
	text := body(res)
	for _, want := range []string{
		`ferry_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`ferry_http_requests_total{method="GET",route="/api/v2/me",status="401"} 1`,
		`ferry_http_requests_total{method="GET",route="/metrics",status="401"} 1`,
		`ferry_http_requests_total{method="POST",route="/api/v2/auth/login",status="200"} 1`,
		// The route pattern, not the path: IDs do not explode the label set.
		`ferry_http_requests_total{method="GET",route="/api/v2/users/:id",status="404"} 1`,
		`ferry_http_request_duration_seconds_bucket{route="/api/v2/me",le="+Inf"} 1`,
		`ferry_http_request_duration_seconds_count{route="/healthz"} 1`,
		`ferry_badger_bytes{part="lsm"} `,
		`ferry_badger_bytes{part="vlog"} `,
		"# TYPE ferry_badger_bytes gauge",
		"ferry_uploads_in_flight 0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(text, "some-id") {
		t.Error("metrics carry a raw path")
	}
	if t.Failed() {
		t.Log(text)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := start(t)
	c := s.Client(t)
	for _, path := range []string{"/login", "/", "/api/v2/me", "/healthz", "/api/v2/nothing"} {
		t.Run(path, func(t *testing.T) {
			res := c.Do("GET", path, nil, nil)
			if path == "/login" {
				wantStatus(t, "login page", res, 200, "")
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("login page Content-Type %q", ct)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"'wasm-unsafe-eval'", "frame-ancestors 'none'", "default-src 'self'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %s", csp, want)
				}
			}
			if strings.Contains(csp, "'unsafe-eval'") {
				t.Errorf("CSP %q allows unsafe-eval", csp)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := res.Header.Get("Referrer-Policy"); got != "same-origin" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			if res.Header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS on plain HTTP")
			}
		})
	}
}

// The setup secret is only printed to the terminal, so this test runs the
// real binary and reads it from standard error.
func TestSetupFlow(t *testing.T) {
	bin := ferryBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"))
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	setupURL := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`https?://\S+/setup\?token=\S+`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindString(sc.Text()); m != "" {
				setupURL <- m
			}
		}
	}()
	var link string
	select {
	case link = <-setupURL:
	case <-time.After(20 * time.Second):
		t.Fatal("no setup URL printed within 20s")
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	secret := u.Query().Get("token")
	base := u.Scheme + "://" + u.Host
	srv := &testkit.Server{URL: base}
	c := srv.Client(t)

	var status map[string]bool
	wantStatus(t, "setup status", c.Do("GET", "/api/v2/setup", nil, &status), 200, "")
	if !status["needed"] {
		t.Fatalf("setup status = %v, want needed", status)
	}
	wantStatus(t, "me before setup", c.Do("GET", "/api/v2/me", nil, nil), 401, "")

	form := func(token, email, password string) model.SetupRequest {
		return model.SetupRequest{Token: token, Email: email, Name: "First Admin", Password: password}
	}
	wantStatus(t, "wrong token", c.Do("POST", "/api/v2/setup", form("wrong", "boss@example.com", "long enough"), nil), 403, "bad_setup_token")
	wantStatus(t, "empty token", c.Do("POST", "/api/v2/setup", form("", "boss@example.com", "long enough"), nil), 403, "bad_setup_token")
	// Mistakes in the form do not burn the one-time secret.
	wantStatus(t, "short password", c.Do("POST", "/api/v2/setup", form(secret, "boss@example.com", "short"), nil), 400, "invalid")
	wantStatus(t, "bad email", c.Do("POST", "/api/v2/setup", form(secret, "boss", "long enough"), nil), 400, "invalid")

	var admin model.Me
	res := c.Do("POST", "/api/v2/setup", form(secret, "Boss@Example.com", "long enough"), &admin)
	wantStatus(t, "setup", res, 201, "")
	if admin.Role != "admin" || admin.Email != "boss@example.com" {
		t.Fatalf("setup created %+v", admin)
	}
	ck := sessionCookie(t, res)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("setup cookie %+v", ck)
	}
	var me model.Me
	wantStatus(t, "me after setup", c.Do("GET", "/api/v2/me", nil, &me), 200, "")
	if me.ID != admin.ID {
		t.Fatalf("me = %+v, want the new admin", me)
	}

	wantStatus(t, "setup status after", c.Do("GET", "/api/v2/setup", nil, &status), 200, "")
	if status["needed"] {
		t.Fatal("setup still needed after it was done")
	}
	wantStatus(t, "second use", freshBrowser(c).Do("POST", "/api/v2/setup", form(secret, "other@example.com", "long enough"), nil), 410, "setup_done")
	srv.Login(t, "boss@example.com", "long enough")
}

// freshBrowser is another, anonymous browser for the same server.
func freshBrowser(c *testkit.Client) *testkit.Client {
	n := *c
	n.HTTP = &http.Client{Timeout: c.HTTP.Timeout}
	return &n
}

// ferryBinary returns $FERRY_BIN or the ferry command built for these tests.
func ferryBinary(t *testing.T) string { return testkit.FerryBinary(t) }

// cleanEnv is the environment without the caller's FERRY_* settings.
func cleanEnv() []string { return testkit.CleanEnv() }

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBuiltBinary()
	os.Exit(code)
}

func TestRobotsTxt(t *testing.T) {
	custom := "User-agent: *\nDisallow: /s/\n"
	tests := []struct {
		name string
		mod  func(*config.Config)
		want string
	}{
		{"default keeps crawlers out of everything", func(*config.Config) {}, "User-agent: *\nDisallow: /\n"},
		{"robots_txt configured", func(c *config.Config) { c.RobotsTxt = custom }, custom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := start(t, tt.mod).Client(t)
			res := c.Do("GET", "/robots.txt", nil, nil)
			wantStatus(t, "robots.txt", res, 200, "")
			if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if got := body(res); got != tt.want {
				t.Errorf("robots.txt = %q, want %q", got, tt.want)
			}
			head := c.Do("HEAD", "/robots.txt", nil, nil)
			wantStatus(t, "HEAD robots.txt", head, 200, "")
		})
	}
}

func TestNoIndexOnLinkPages(t *testing.T) {
	c := start(t).Client(t)
	for path, want := range map[string]string{
		"/s/AAAAAAAAAAAAAAAAAAAAAA":                   "noindex, nofollow",
		"/d/AAAAAAAAAAAAAAAAAAAAAA":                   "noindex, nofollow",
		"/r/AAAAAAAAAAAAAAAAAAAAAA":                   "noindex, nofollow",
		"/u/AAAAAAAAAAAAAAAAAAAAAA":                   "noindex, nofollow",
		"/api/v2/public/links/AAAAAAAAAAAAAAAAAAAAAA": "noindex, nofollow",
		"/login":      "",
		"/robots.txt": "",
	} {
		res := c.Do("GET", path, nil, nil)
		res.Body.Close()
		if got := res.Header.Get("X-Robots-Tag"); got != want {
			t.Errorf("%s: X-Robots-Tag %q, want %q", path, got, want)
		}
	}
}

// go-app proxies these from /web/, which the binary does not carry: they
// answered 500 and logged an error for every crawler that asked.
func TestNoSitemapOrAdsTxt(t *testing.T) {
	c := start(t).Client(t)
	for _, path := range []string{"/sitemap.xml", "/ads.txt"} {
		wantStatus(t, path, c.Do("GET", path, nil, nil), 404, "not_found")
	}
}
