//go:build !js

package serve_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/admin"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
)

// The data of an older ferry, kept to prove every later build still reads
// it. testdata/schema1/backup.tar is a `ferry backup` (with originals) of a
// data directory built through the API by makeFixture with main at
// a3e4a13 (2026-12-07, schema 1); fixture.json records what it holds. Keep old
// fixtures; when the schema moves on, add testdata/schema<N> made by that
// build and keep every test green. See docs/migrations.md.
//
// Remake (only for a new schema version, into a new directory):
//
//	go test ./server/serve -run TestMakeFixture -make-fixture=testdata/schema2
var makeFixtureDir = flag.String("make-fixture", "", "write a data fixture (backup.tar, fixture.json) into this directory")

// fixture is what the fixture's data directory holds, by ID, key and secret.
type fixture struct {
	MadeAt       time.Time         `json:"made_at"`
	Schema       int               `json:"schema"`
	MemberEmail  string            `json:"member_email"`
	MemberPass   string            `json:"member_password"`
	MemberID     string            `json:"member_id"`
	Token        string            `json:"token"`         // the member's API token
	Session      string            `json:"session"`       // the admin's session cookie
	SessionUntil time.Time         `json:"session_until"` // when it expires
	ProjectID    string            `json:"project_id"`
	RootID       string            `json:"root_id"`
	FolderID     string            `json:"folder_id"`
	Files        map[string]string `json:"files"` // asset ID → sha256 of its original
	StackID      string            `json:"stack_id"`
	Versions     []string          `json:"versions"`   // newest first
	Attachment   string            `json:"attachment"` // of Files' first image
	CollectionID string            `json:"collection_id"`
	Public       link              `json:"public_link"`        // password, with a visitor session
	Download     link              `json:"download_link"`      // direct download
	Registered   link              `json:"register_link"`      // form and clickwrap, one registration
	Review       link              `json:"review_link"`        // a reviewer, comment, approval
	Upload       link              `json:"upload_link"`        // passcode, one upload
	FormID       string            `json:"form_id"`            // registration form
	ClickwrapID  string            `json:"clickwrap_id"`       // clickwrap agreement
	CommentID    string            `json:"comment_id"`         // the owner's comment, with a reply
	Outbox       int               `json:"outbox"`             // mails waiting (no SMTP)
	LinkUpload   string            `json:"link_upload_id"`     // the file the upload link received
	GroupID      string            `json:"group_id,omitempty"` // schema 2: Editors, the member in it, upload on the folder
}

// link is one link of the fixture and its visitor's session.
type link struct {
	ID, Key, Secret string // Secret: the password or passcode
	Cookie          string // the visitor's session cookie (name=value)
	CookieUntil     time.Time
}

const (
	fixtureMember   = "mia@example.com"
	fixtureMemberPw = "mia's long password"
	fixturePassword = "harbour-pass-1"
)

func fixtureFile(i int) []byte { return testkit.BlankPNG(2+i, 2, 8, 2) }

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func cookieOf(t *testing.T, c *testkit.Client, name string) string {
	t.Helper()
	base, _ := url.Parse(c.Base)
	for _, ck := range c.HTTP.Jar.Cookies(base) {
		if ck.Name == name {
			return ck.Name + "=" + ck.Value
		}
	}
	t.Fatalf("no cookie %s", name)
	return ""
}

// must fails the test unless res has status.
func must(t *testing.T, what string, res *http.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("%s: %d, want %d: %s", what, res.StatusCode, status, b)
	}
}

// TestMakeFixture builds the fixture's data directory through the API and
// writes its backup; it runs only with -make-fixture.
func TestMakeFixture(t *testing.T) {
	if *makeFixtureDir == "" {
		t.Skip("writes a data fixture only with -make-fixture=DIR")
	}
	f, backup := makeFixture(t)
	dir := *makeFixtureDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "backup.tar"), backup, 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "fixture.json"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes of backup)", dir, len(backup))
}

func makeFixture(t *testing.T) (fixture, []byte) {
	dataDir := t.TempDir()
	// User sessions last as long as the fixture is kept (link sessions are
	// capped at 30 days by the store).
	s := testkit.StartIn(t, dataDir, func(c *config.Config) { c.Auth.SessionTTL = config.Duration(20 * 365 * 24 * time.Hour) })
	adm := s.Admin(t)
	f := fixture{MadeAt: time.Now().UTC(), Schema: store.SchemaVersion, MemberEmail: fixtureMember, MemberPass: fixtureMemberPw,
		Files: map[string]string{}, Session: cookieOf(t, adm, "ferry_session"),
		SessionUntil: time.Now().Add(20 * 365 * 24 * time.Hour).UTC()}

	var u model.User
	must(t, "member", adm.Do("POST", "/api/v2/users", model.NewUser{Email: fixtureMember, Name: "Mia Chen", Role: "member", Password: fixtureMemberPw}, &u), 201)
	f.MemberID = u.ID
	var tok model.NewTokenAnswer
	must(t, "token", s.Login(t, fixtureMember, fixtureMemberPw).Do("POST", "/api/v2/tokens", model.NewToken{Name: "fixture", Scopes: []string{"projects.read", "assets.read"}}, &tok), 201)
	f.Token = tok.Secret

	var p model.Project
	must(t, "project", adm.Do("POST", "/api/v2/projects", model.NewProject{Name: "Harbour"}, &p), 201)
	f.ProjectID, f.RootID = p.ID, p.RootAssetID
	var folder model.Asset
	must(t, "folder", adm.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "folder", Name: "Selects"}, &folder), 201)
	f.FolderID = folder.ID
	must(t, "project member", adm.Do("PUT", "/api/v2/projects/"+p.ID, model.ProjectPatch{MemberIDs: model.Ptr([]string{u.ID})}, nil), 200)
	must(t, "privilege", adm.Do("PUT", "/api/v2/users/"+u.ID+"/privileges/"+folder.ID, model.PrivilegeInput{Access: "download", Share: model.Ptr(false)}, nil), 200)
	var g model.Group
	must(t, "group", adm.Do("POST", "/api/v2/groups", model.GroupPatch{Name: model.Ptr("Editors"), UserIDs: model.Ptr([]string{u.ID})}, &g), 201)
	f.GroupID = g.ID
	must(t, "group privilege", adm.Do("PUT", "/api/v2/groups/"+g.ID+"/privileges/"+folder.ID, model.PrivilegeInput{Access: "upload", Share: model.Ptr(false)}, nil), 200)
	var images []string
	for i := range 3 {
		b := fixtureFile(i)
		id := adm.Upload(folder.ID, "harbour-"+string(rune('1'+i))+".png", b, "filetype", "image/png")
		images = append(images, id)
		f.Files[id] = sum(b)
	}
	att := []byte("%PDF-1.4 shot list")
	f.Attachment = adm.Upload("", "shot-list.pdf", att, "filetype", "application/pdf", "attachment_of", images[0])
	f.Files[f.Attachment] = sum(att)
	v2 := fixtureFile(9)
	next := adm.Upload(folder.ID, "harbour-1-v2.png", v2, "filetype", "image/png")
	f.Files[next] = sum(v2)
	var stack model.Asset
	must(t, "version", adm.Do("POST", "/api/v2/assets/"+images[0]+"/version", model.NewVersion{NextAssetID: next}, &stack), 200)
	f.StackID, f.Versions = stack.ID, []string{next, images[0]}

	// Share links: a collection with a password and a visitor session, a
	// direct download, and one behind a registration form and a clickwrap.
	var sl model.ShareLink
	must(t, "public link", adm.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: images[1:], CollectionName: "Selects for Mia", Password: fixturePassword, AllowOriginal: model.Ptr(true), ExpiresAt: model.Set(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))}, &sl), 201)
	f.Public, f.CollectionID = link{ID: sl.ID, Key: sl.Key, Secret: fixturePassword}, sl.TargetID
	vis := s.Client(t)
	must(t, "unlock", vis.Do("POST", "/api/v2/public/links/"+sl.Key+"/unlock", model.Unlock{Password: fixturePassword}, nil), 200)
	must(t, "visit", vis.Do("GET", "/api/v2/public/links/"+sl.Key+"/assets/"+images[1]+"/original", nil, nil), 200)
	f.Public.Cookie, f.Public.CookieUntil = cookieOf(t, vis, "ferry_link_"+sl.Key), time.Now().Add(30*24*time.Hour).UTC()

	must(t, "download link", adm.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "download", AssetIDs: []string{images[2]}, Name: "Press kit"}, &sl), 201)
	f.Download = link{ID: sl.ID, Key: sl.Key}
	must(t, "direct download", s.Client(t).Do("GET", "/d/"+sl.Key, nil, nil), 200)

	var form model.ShareForm
	must(t, "form", adm.Do("POST", "/api/v2/share_forms", model.ShareFormInput{Title: "Press", StandardFields: model.Ptr([]string{"name", "email"}), Fields: []model.FormField{model.FormField{Label: "Outlet", Type: "short", Required: true}}}, &form), 201)
	var cw model.Clickwrap
	must(t, "clickwrap", adm.Do("POST", "/api/v2/clickwraps", model.ClickwrapInput{Name: "Embargo", Body: "No publication before 1 December."}, &cw), 201)
	f.FormID, f.ClickwrapID = form.ID, cw.ID
	must(t, "registration link", adm.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{images[1]}, FormID: form.ID, ClickwrapID: cw.ID}, &sl), 201)
	f.Registered = link{ID: sl.ID, Key: sl.Key}
	reg := s.Client(t)
	must(t, "register", reg.Do("POST", "/api/v2/public/links/"+sl.Key+"/register", model.RegisterRequest{Answers: map[string]string{
		"name": "Tom Reed", "email": "tom@daily.example", form.Fields[0].ID: "The Daily"}, AcceptClickwrap: true}, nil), 200)
	f.Registered.Cookie, f.Registered.CookieUntil = cookieOf(t, reg, "ferry_link_"+sl.Key), time.Now().Add(30*24*time.Hour).UTC()

	// A review link with a reviewer's approval and comment, and the owner's
	// comment with a reply.
	var rl model.ReviewLink
	must(t, "review link", adm.Do("POST", "/api/v2/projects/"+p.ID+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Campaign cut")}, &rl), 201)
	must(t, "review items", adm.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: images[1:]}, nil), 200)
	f.Review = link{ID: rl.ID, Key: rl.Key}
	rev := s.Client(t)
	must(t, "reviewer", rev.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Ann Lee"}, nil), 200)
	base := "/api/v2/public/links/" + rl.Key + "/assets/" + images[1]
	must(t, "approval", rev.Do("PUT", base+"/approval", model.ApprovalInput{Status: model.Ptr("approved")}, nil), 200)
	must(t, "reviewer comment", rev.Do("POST", base+"/comments", model.NewComment{Text: "Warmer here", Timestamp: model.Ptr[float64](3)}, nil), 201)
	f.Review.Cookie, f.Review.CookieUntil = cookieOf(t, rev, "ferry_link_"+rl.Key), time.Now().Add(30*24*time.Hour).UTC()
	var cm model.Comment
	must(t, "comment", adm.Do("POST", "/api/v2/assets/"+images[2]+"/comments", model.NewComment{Text: "Crop tighter"}, &cm), 201)
	must(t, "reply", adm.Do("POST", "/api/v2/comments/"+cm.ID+"/replies", model.NewComment{Text: "Done"}, nil), 201)
	f.CommentID = cm.ID

	// An upload link: its two mails wait in the outbox (no SMTP); the
	// recipient unlocks it with the passcode and uploads a file.
	var ul model.UploadLink
	must(t, "upload link", adm.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: p.ID, Name: "Harbour shoot",
		RecipientEmail: "jane@photo.example", RecipientName: "Jane Doe"}, &ul), 201) // no expiry: never
	f.Upload = link{ID: ul.ID, Key: ul.Key, Secret: ul.Passcode}
	rc := s.Client(t)
	must(t, "passcode", rc.Do("POST", "/api/v2/public/links/"+ul.Key+"/unlock", model.Unlock{Passcode: ul.Passcode}, nil), 200)
	rc.Header = http.Header{"Ferry-Link": {ul.Key}}
	up := []byte("RAW bytes of SHOOT_001")
	f.LinkUpload = rc.Upload("", "SHOOT_001.raw", up, "filetype", "application/octet-stream")
	f.Files[f.LinkUpload] = sum(up)
	f.Upload.Cookie, f.Upload.CookieUntil = cookieOf(t, rc, "ferry_link_"+ul.Key), time.Now().Add(30*24*time.Hour).UTC()
	var out []json.RawMessage
	must(t, "outbox", adm.Do("GET", "/api/v2/outbox", nil, &out), 200)
	f.Outbox = len(out)
	if f.Outbox == 0 {
		t.Fatal("no mail in the outbox")
	}

	s.Stop()
	in := openData(t, dataDir)
	var buf bytes.Buffer
	if err := in.Ops.Backup(&buf, true); err != nil {
		t.Fatal(err)
	}
	in.Close()
	return f, buf.Bytes()
}

// restoreFixture unpacks the backup of testdata/<name> into a new data
// directory, as `ferry restore` does, and returns it with the fixture.
func restoreFixture(t *testing.T, name string) (fixture, string) {
	t.Helper()
	var f fixture
	b, err := os.ReadFile(filepath.Join("testdata", name, "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	tarball, err := os.Open(filepath.Join("testdata", name, "backup.tar"))
	if err != nil {
		t.Fatal(err)
	}
	defer tarball.Close()
	dir := filepath.Join(t.TempDir(), "data")
	if err := admin.Restore(tarball, dir); err != nil {
		t.Fatal(err)
	}
	return f, dir
}

// openData opens a data directory no server holds.
func openData(t *testing.T, dir string) *serve.Instance {
	t.Helper()
	in, err := serve.Open(load(t, map[string]string{"data_dir": dir}), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// fetch GETs path with c and returns the status and body.
func fetch(t *testing.T, c *testkit.Client, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+path, nil)
	res := c.Send(req, nil)
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// withCookie is an anonymous client carrying one cookie (name=value).
func withCookie(t *testing.T, s *testkit.Server, cookie string) *testkit.Client {
	c := s.Client(t)
	c.Header = http.Header{"Cookie": {cookie}}
	return c
}

// The schema-1 fixture, restored by this build, serves everything it
// holds: users and their sessions and tokens, projects, folders, version
// stacks, attachments, originals byte for byte, every kind of link with its
// visitors' sessions, registrations, comments, approvals and the outbox.
func TestRestoreSchema1Fixture(t *testing.T) { checkFixture(t, "schema1") }

// The schema-2 fixture adds a group holding the member and a privilege on
// the folder: restored, the member's rights are the union of both.
func TestRestoreSchema2Fixture(t *testing.T) {
	f, s := checkFixture(t, "schema2")
	adm := s.Admin(t)
	for _, c := range []struct{ what, path, holds string }{
		{"group", "/api/v2/groups/" + f.GroupID, f.MemberID},
		{"group privilege", "/api/v2/groups/" + f.GroupID + "/privileges", `"upload"`},
	} {
		if status, body := fetch(t, adm, c.path); status != 200 || !strings.Contains(body, c.holds) {
			t.Errorf("%s: GET %s = %d: %s", c.what, c.path, status, body)
		}
	}
	member := s.Login(t, f.MemberEmail, f.MemberPass)
	if status, body := fetch(t, member, "/api/v2/assets/"+f.FolderID+"/privileges"); status != 200 || !strings.Contains(body, `"access":"upload"`) {
		t.Errorf("the member's rights on the folder: %d %s, want upload (own download, the group's upload)", status, body)
	}
}

// checkFixture restores testdata/<name> and checks everything the
// schema-1 fixture holds through the API; it returns the running server.
func checkFixture(t *testing.T, name string) (fixture, *testkit.Server) {
	f, dir := restoreFixture(t, name)
	s := testkit.StartIn(t, dir)
	adm := s.Admin(t)
	member := s.Login(t, f.MemberEmail, f.MemberPass)
	token := s.Client(t)
	token.Token, token.Origin = f.Token, ""
	session := withCookie(t, s, f.Session)
	anon := s.Client(t)
	files := "/api/v2/assets/"
	checks := []struct {
		what   string
		c      *testkit.Client
		path   string
		status int
		holds  []string
	}{
		{"admin session", session, "/api/v2/me", 200, []string{testkit.AdminEmail}},
		{"member token", token, "/api/v2/projects", 200, []string{f.ProjectID}},
		{"member privilege", adm, "/api/v2/users/" + f.MemberID + "/privileges", 200, []string{f.FolderID, `"download"`}},
		{"project", adm, "/api/v2/projects/" + f.ProjectID, 200, []string{f.RootID, "Harbour"}},
		{"folder", adm, files + f.RootID + "/children", 200, []string{f.FolderID, "Selects"}},
		{"folder contents", member, files + f.FolderID + "/children", 200, []string{f.StackID, "harbour-2.png", "harbour-3.png"}},
		{"version stack", adm, files + f.StackID + "/children", 200, f.Versions},
		{"attachment", adm, files + f.Versions[1] + "/children", 200, []string{f.Attachment, "shot-list.pdf"}},
		{"collection", adm, "/api/v2/collections/" + f.CollectionID + "/items", 200, nil},
		{"public link", adm, "/api/v2/share_links/" + f.Public.ID, 200, []string{f.Public.Key, f.CollectionID}},
		{"public link log", adm, "/api/v2/share_links/" + f.Public.ID + "/access_log", 200, []string{`"action"`}},
		{"password asked", anon, "/api/v2/public/links/" + f.Public.Key, 200, []string{`"needs_password":true`}},
		{"download link", adm, "/api/v2/share_links/" + f.Download.ID, 200, []string{f.Download.Key, `"download"`}},
		{"form", adm, "/api/v2/share_forms/" + f.FormID, 200, []string{"Outlet"}},
		{"clickwrap", adm, "/api/v2/clickwraps/" + f.ClickwrapID, 200, []string{"No publication before 1 December."}},
		{"registrations", adm, "/api/v2/share_links/" + f.Registered.ID + "/registrations", 200, []string{"Tom Reed", "tom@daily.example", "The Daily"}},
		{"review link", adm, "/api/v2/review_links/" + f.Review.ID, 200, []string{f.Review.Key, `"item_count":2`}},
		{"review activity", adm, "/api/v2/review_links/" + f.Review.ID + "/activity", 200, []string{"Ann Lee", "approved", "Warmer here"}},
		{"review page", anon, "/api/v2/public/links/" + f.Review.Key, 200, []string{"Campaign cut"}},
		{"comment", adm, "/api/v2/comments/" + f.CommentID, 200, []string{"Crop tighter"}},
		{"upload link", adm, "/api/v2/upload_links/" + f.Upload.ID, 200, []string{f.Upload.Key, "jane@photo.example", `"files_received":1`}},
		{"upload stats", adm, "/api/v2/upload_links/stats", 200, []string{`"total_links":1`}},
		{"link upload", adm, files + f.LinkUpload, 200, []string{"SHOOT_001.raw"}},
	}
	for _, c := range checks {
		status, body := fetch(t, c.c, c.path)
		if status != c.status {
			t.Errorf("%s: GET %s = %d, want %d: %s", c.what, c.path, status, c.status, body)
			continue
		}
		for _, h := range c.holds {
			if !strings.Contains(body, h) {
				t.Errorf("%s: GET %s lacks %q: %s", c.what, c.path, h, body)
			}
		}
	}

	for id, want := range f.Files {
		if _, body := fetch(t, adm, files+id+"/original"); sum([]byte(body)) != want {
			t.Errorf("original %s changed", id)
		}
	}
	if status, body := fetch(t, anon, "/d/"+f.Download.Key); status != 200 || !hasSum(f.Files, sum([]byte(body))) {
		t.Errorf("direct download: %d, %d bytes that are no original of the fixture", status, len(body))
	}
	var outbox []json.RawMessage
	adm.Do("GET", "/api/v2/outbox", nil, &outbox)
	if len(outbox) != f.Outbox {
		t.Errorf("outbox holds %d mails, want %d", len(outbox), f.Outbox)
	}

	// Visitors' link sessions survive as long as the store keeps them (30
	// days, on real time); past that the link asks again. Either way its
	// password or passcode still opens it.
	sessions := []struct {
		l           link
		with, later string // what the answer holds with a live session, and once it is gone
	}{
		{f.Public, `"needs_password":false`, `"needs_password":true`},
		{f.Registered, `"needs":[]`, `"registration"`},
		{f.Upload, `"unlocked":true`, `"unlocked":false`},
		{f.Review, `"reviewer_name":"Ann Lee"`, `"reviewer_name":""`},
	}
	for _, c := range sessions {
		want := c.with
		if !time.Now().Before(c.l.CookieUntil) {
			want = c.later
		}
		if status, body := fetch(t, withCookie(t, s, c.l.Cookie), "/api/v2/public/links/"+c.l.Key); status != 200 || !strings.Contains(body, want) {
			t.Errorf("link %s with its visitor's session: %d, want %s: %s", c.l.Key, status, want, body)
		}
		if _, body := fetch(t, s.Client(t), "/api/v2/public/links/"+c.l.Key); !strings.Contains(body, c.later) {
			t.Errorf("link %s without a session: want %s: %s", c.l.Key, c.later, body)
		}
	}
	must(t, "password", anon.Do("POST", "/api/v2/public/links/"+f.Public.Key+"/unlock", model.Unlock{Password: f.Public.Secret}, nil), 200)
	must(t, "passcode", s.Client(t).Do("POST", "/api/v2/public/links/"+f.Upload.Key+"/unlock", model.Unlock{Passcode: f.Upload.Secret}, nil), 200)
	return f, s
}

func hasSum(files map[string]string, s string) bool {
	for _, v := range files {
		if v == s {
			return true
		}
	}
	return false
}

// setSchema rewrites the schema version of the data in dir (deletes it when v is 0).
func setSchema(t *testing.T, dir string, v int) {
	t.Helper()
	st, err := store.OpenUnmigrated(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(func(tx *store.Tx) error {
		if v == 0 {
			return tx.Delete(store.PrefixMeta + "schema")
		}
		return tx.Put(store.PrefixMeta+"schema", v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A ferry older than its data refuses to start, at once, naming both
// schema versions; the data is left as it was.
func TestOlderFerryRefusesNewerData(t *testing.T) {
	_, dir := restoreFixture(t, "schema1")
	setSchema(t, dir, store.SchemaVersion+1)
	cfg := load(t, map[string]string{"data_dir": dir, "listen": "127.0.0.1:0"})
	start := time.Now()
	err := serve.Run(context.Background(), cfg, serve.Options{Version: "test", Log: testLog(t)})
	want := fmt.Sprintf("schema version %d, newer than this ferry's schema version %d", store.SchemaVersion+1, store.SchemaVersion)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("serve on newer data: %v, want %q", err, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %v", d)
	}
	st, err := store.OpenUnmigrated(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Schema(); err != nil || v != store.SchemaVersion+1 {
		t.Fatalf("the refused data's schema is now %d, %v", v, err)
	}
}

// Data from before the schema key is schema 1: it is served, and the key
// is written.
func TestDataWithoutSchemaVersion(t *testing.T) {
	f, dir := restoreFixture(t, "schema1")
	setSchema(t, dir, 0)
	s := testkit.StartIn(t, dir)
	if _, body := fetch(t, s.Admin(t), "/api/v2/projects"); !strings.Contains(body, f.ProjectID) {
		t.Fatalf("projects: %s", body)
	}
	s.Stop()
	in := openData(t, dir)
	defer in.Close()
	if v, err := in.Store.Schema(); err != nil || v != store.SchemaVersion {
		t.Fatalf("schema after serving: %d, %v; want %d", v, err, store.SchemaVersion)
	}
}
