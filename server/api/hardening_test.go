package api_test

import (
	"bytes"
	"fmt"
	"image/color"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// Tests of issue 17's hardening holes: each failed on the main of
// 2026-12-07 and passes since.

// countChildren is how many assets are in folder id.
func countChildren(t *testing.T, c *testkit.Client, id string) int {
	t.Helper()
	return len(children(t, c, id))
}

// Hole 9: an original whose type can render as a page (XSL, XML, a list
// of types) is a download on every route, every original carries a
// sandbox CSP and nosniff, and a type that is not one type/subtype is
// refused at upload with nothing stored.
func TestOriginalsServedSafely(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, root := linkProject(t, admin, "Types")
	page := []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><form action="https://evil.example/"><input name="password"/></form></body></html>`)
	xsl := admin.Upload(root, "invoice.xsl", page, "filetype", "text/xsl")
	evil := admin.Upload(root, "invoice.xml", page, "filetype", "application/x-evil+xml")
	plain := admin.Upload(root, "notes.txt", page, "filetype", "text/plain")
	img := admin.Upload(root, "ok.jpg", jpegBytes(t, 32, 32, color.RGBA{1, 2, 3, 255}), "filetype", "image/jpeg")
	pdf := admin.Upload(root, "doc.pdf", []byte("%PDF-1.4 not really"), "filetype", "application/pdf")
	video := admin.Upload(root, "clip.mp4", []byte("not really a video"), "filetype", "video/mp4")

	var sl model.ShareLink
	res := admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{xsl, evil, plain, img, pdf, video}, AllowOriginal: model.Ptr(true)}, &sl)
	wantStatus(t, "share link", res, 201, "")
	var dl model.ShareLink
	res = admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "download", AssetIDs: []string{evil}}, &dl)
	wantStatus(t, "direct link", res, 201, "")
	anon := s.Client(t)

	check := func(what string, c *testkit.Client, path, wantType, wantDisposition string) {
		t.Helper()
		res, _ := get(t, c, path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", what, res.StatusCode)
		}
		if got := res.Header.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", what, got, wantType)
		}
		if got := res.Header.Get("Content-Disposition"); !strings.HasPrefix(got, wantDisposition+";") {
			t.Errorf("%s: Content-Disposition %q, want %s", what, got, wantDisposition)
		}
		csp := res.Header.Get("Content-Security-Policy")
		// PDFs, video and audio shown in place go without the sandbox
		// (Chromium's viewer and player would show nothing), never with a
		// script source.
		media := wantDisposition == "inline" && (strings.HasPrefix(wantType, "video/") || strings.HasPrefix(wantType, "audio/") || wantType == "application/pdf")
		if !strings.HasPrefix(csp, "sandbox;") && !media || !strings.HasPrefix(csp, "default-src 'none';") && media ||
			strings.Contains(csp, "script-src") {
			t.Errorf("%s: Content-Security-Policy %q, want default-src 'none' and a sandbox (media: without)", what, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", what)
		}
	}
	for _, tc := range []struct {
		id, typ, disposition string
	}{
		{xsl, "text/xsl", "attachment"},
		{evil, "application/x-evil+xml", "attachment"},
		{plain, "text/plain", "attachment"},
		{img, "image/jpeg", "inline"},
		{pdf, "application/pdf", "inline"},
		{video, "video/mp4", "inline"},
	} {
		check("member original "+tc.typ, admin, "/api/v2/assets/"+tc.id+"/original", tc.typ, tc.disposition)
		check("share link original "+tc.typ, anon, "/api/v2/public/links/"+sl.Key+"/assets/"+tc.id+"/original", tc.typ, tc.disposition)
	}
	check("a video downloaded", admin, "/api/v2/assets/"+video+"/original?download=1", "video/mp4", "attachment")
	check("a PDF downloaded", admin, "/api/v2/assets/"+pdf+"/original?download=1", "application/pdf", "attachment")
	check("direct download", s.Client(t), "/d/"+dl.Key, "application/x-evil+xml", "attachment")
	var rl model.ReviewLink
	wantStatus(t, "review link", admin.Do("POST", "/api/v2/projects/"+projectID+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Types"), EnableDownloading: model.Ptr(true)}, &rl), 201, "")
	wantStatus(t, "review items", admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{evil}}, nil), 200, "")
	check("review link download", s.Client(t), "/api/v2/public/links/"+rl.Key+"/assets/"+evil+"/original?download=1", "application/x-evil+xml", "attachment")
	waitReady(t, admin, img)
	check("rendition", admin, "/api/v2/assets/"+img+"/proxies/thumb", "image/jpeg", "inline")

	// Types that are not exactly one type/subtype are refused at upload,
	// through tus and the Frame.io-style create, and nothing is stored.
	before := countChildren(t, admin, root)
	for _, ft := range []string{"text/plain,text/html", "text/html\x00", "text/html; charset=\"x\"<script>", "text", "text/html/x", "/html", "image/png; charset=ü"} {
		res := admin.TusCreate(map[string]string{"filename": "x.html", "parent_id": root, "filetype": ft}, 10, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), "media type") {
			t.Errorf("tus create with filetype %q: %d %s, want 400 naming the media type", ft, res.StatusCode, body(res))
		}
		res = admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Name: "x.html", Type: "file", Filetype: ft, Filesize: model.Ptr[int64](10)}, nil)
		if res.StatusCode != 400 {
			t.Errorf("create with filetype %q: %d %s, want 400", ft, res.StatusCode, body(res))
		}
	}
	if after := countChildren(t, admin, root); after != before {
		t.Fatalf("refused uploads left assets: %d before, %d after", before, after)
	}
	// A charset is kept, canonical.
	id := admin.Upload(root, "readme.txt", []byte("hello"), "filetype", "Text/Plain; Charset=UTF-8")
	res, _ = get(t, admin, "/api/v2/assets/"+id+"/original")
	if res.Header.Get("Content-Type") != "text/plain" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("text with a charset: %q %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
}

// fromAddr is an anonymous client whose requests come from addr (the
// server trusts 127.0.0.1 as a proxy).
func fromAddr(s *testkit.Server, t *testing.T, addr string) *testkit.Client {
	c := s.Client(t)
	c.Header = http.Header{"X-Forwarded-For": {addr}}
	return c
}

func trustLoopback(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/32"} }

// adminRecord is the admin's user record as /users shows it.
func adminRecord(t *testing.T, admin *testkit.Client) string {
	t.Helper()
	var users []map[string]any
	admin.Do("GET", "/api/v2/users", nil, &users)
	for _, u := range users {
		if u["email"] == testkit.AdminEmail {
			return fmt.Sprint(u)
		}
	}
	t.Fatal("no admin in /users")
	return ""
}

// Hole 6: 40 parallel wrong passwords from one address get exactly
// max_failures password checks; the others are throttled before hashing.
func TestLoginThrottleDecidedBeforeHashing(t *testing.T) {
	s := testkit.Start(t, trustLoopback, func(c *config.Config) { c.Auth.MaxFailures = 5 })
	admin := fromAddr(s, t, "192.0.2.1")
	wantStatus(t, "admin login", admin.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil), 200, "")
	before := adminRecord(t, admin)
	got := testkit.Parallel(40, func(int) int {
		return fromAddr(s, t, "203.0.113.5").Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: "wrong password"}, nil).StatusCode
	})
	if got[401] != 5 || got[429] != 35 {
		t.Fatalf("40 parallel wrong passwords from one address: %v, want exactly 5 checked (401) and 35 throttled (429)", got)
	}
	res := fromAddr(s, t, "203.0.113.5").Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil)
	wantStatus(t, "right password from the guessing address", res, 429, "too_many_attempts")
	if res.Header.Get("Retry-After") == "" || len(res.Cookies()) != 0 {
		t.Fatalf("throttled login: Retry-After %q, cookies %v", res.Header.Get("Retry-After"), res.Cookies())
	}
	if after := adminRecord(t, admin); after != before {
		t.Fatalf("refused logins changed the user: %s → %s", before, after)
	}
}

// Hole 7: wrong passwords lock the guessing address, not the account for
// everyone: the owner logs in from another address, and an account-wide
// lock (many addresses) spares an address that logged in before.
func TestLoginLockDoesNotShutOutTheOwner(t *testing.T) {
	s := testkit.Start(t, trustLoopback, func(c *config.Config) { c.Auth.MaxFailures = 5 })
	login := func(addr, pw string) *http.Response {
		return fromAddr(s, t, addr).Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: pw}, nil)
	}
	wantStatus(t, "admin at the office", login("192.0.2.1", testkit.AdminPassword), 200, "")
	for i := 0; i < 5; i++ {
		wantStatus(t, "attacker guess", login("203.0.113.5", "wrong password"), 401, "invalid_credentials")
	}
	wantStatus(t, "attacker with the right password", login("203.0.113.5", testkit.AdminPassword), 429, "too_many_attempts")
	wantStatus(t, "admin from a new address after one address guessed", login("198.51.100.9", testkit.AdminPassword), 200, "")
	// With 15 more guesses from 15 addresses (20 in all, 4 × max_failures)
	// new addresses wait; known ones do not.
	for i := 0; i < 15; i++ {
		wantStatus(t, "spread guess", login(fmt.Sprintf("10.7.0.%d", i+1), "wrong password"), 401, "invalid_credentials")
	}
	wantStatus(t, "right password from a new address during an account-wide lock", login("10.8.0.1", testkit.AdminPassword), 429, "too_many_attempts")
	wantStatus(t, "admin at the office during an account-wide lock", login("192.0.2.1", testkit.AdminPassword), 200, "")
	wantStatus(t, "admin at the address used earlier", login("198.51.100.9", testkit.AdminPassword), 200, "")
}

// Hole 8: 25 parallel wrong passwords from one address get 5 checks and
// do not lock the link; when many addresses do lock it, visitors who had
// unlocked it keep their access while new ones are refused (share and
// review links alike).
func TestLinkPasswordThrottleAndLock(t *testing.T) {
	f := newShareFixture(t, trustLoopback)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, Password: "harbour-2026", AllowOriginal: model.Ptr(true)})
	var rl model.ReviewLink
	wantStatus(t, "review link", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut"), Password: model.Ptr("review-pass-1")}, &rl), 201, "")
	wantStatus(t, "review items", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0]}}, nil), 200, "")
	for _, tc := range []struct{ what, key, password, owner string }{
		{"share link", l.Key, "harbour-2026", "/api/v2/share_links/" + l.ID},
		{"review link", rl.Key, "review-pass-1", "/api/v2/review_links/" + rl.ID},
	} {
		unlock := func(c *testkit.Client, pw string) *http.Response {
			return c.Do("POST", "/api/v2/public/links/"+tc.key+"/unlock", model.Unlock{Password: pw}, nil)
		}
		earlier := fromAddr(f.s, t, "192.0.2.50")
		wantStatus(t, tc.what+": a visitor unlocks", unlock(earlier, tc.password), 200, "")
		file := "/api/v2/public/links/" + tc.key + "/assets/" + f.images[0] + "/thumb"
		got := testkit.Parallel(25, func(int) int { return unlock(fromAddr(f.s, t, "203.0.113.9"), "wrong-password").StatusCode })
		if got[401] != 5 || got[429] != 20 {
			t.Fatalf("%s: 25 parallel wrong passwords from one address: %v, want exactly 5 checked (401) and 20 throttled (429)", tc.what, got)
		}
		// Partial on purpose: the lock of a share link or a review link alike.
		var owner struct {
			Locked bool `json:"locked"`
		}
		f.admin.Do("GET", tc.owner, nil, &owner)
		if owner.Locked {
			t.Fatalf("%s: one address locked the link", tc.what)
		}
		wantStatus(t, tc.what+": right password from another address", unlock(fromAddr(f.s, t, "198.51.100.1"), tc.password), 200, "")
		// Many addresses lock it (20 wrong passwords within an hour) ...
		for i := 0; i < 15; i++ {
			unlock(fromAddr(f.s, t, fmt.Sprintf("10.2.%d.%d", i/4, i%4)), "wrong-password")
		}
		f.admin.Do("GET", tc.owner, nil, &owner)
		if !owner.Locked {
			t.Fatalf("%s: 20 wrong passwords from 5 addresses did not lock the link", tc.what)
		}
		wantStatus(t, tc.what+": right password on a locked link", unlock(fromAddr(f.s, t, "10.3.0.1"), tc.password), 423, "link_locked")
		// ... and the visitor who unlocked before still sees it.
		if res, _ := get(t, earlier, "/api/v2/public/links/"+tc.key); res.StatusCode != 200 {
			t.Fatalf("%s: the page for a visitor who unlocked before the lock: %d", tc.what, res.StatusCode)
		}
		if res, _ := get(t, earlier, file); res.StatusCode != 200 {
			t.Fatalf("%s: a file for a visitor who unlocked before the lock: %d", tc.what, res.StatusCode)
		}
		if res, _ := get(t, fromAddr(f.s, t, "10.3.0.2"), "/api/v2/public/links/"+tc.key); res.StatusCode != 423 {
			t.Fatalf("%s: a new visitor of a locked link: %d", tc.what, res.StatusCode)
		}
	}
}

// filesIn counts the files in dir (tus keeps an upload's bytes and its .info there).
func filesIn(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// Hole 13: declared sizes are booked against free disk, so an anonymous
// visitor cannot announce more than the disk holds (507), and one link's
// unfinished uploads are bounded in number and bytes (413); refusals
// store nothing.
func TestPendingUploadsAreBooked(t *testing.T) {
	s := start(t, testkit.OnDisk, func(c *config.Config) {
		c.Limits.MaxPendingBytesPerLink = 0
		c.Limits.MinFreeBytes = 1 << 20
	})
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Drops")
	l := createShare(t, admin, model.NewShareLink{FolderID: root, AllowedActions: "upload_download", Name: "Drop box"})
	v := shareVisitorClient(t, s, l.Key)
	var st syscall.Statfs_t
	if err := syscall.Statfs(s.DataDir, &st); err != nil {
		t.Fatal(err)
	}
	size := int64(st.Bavail*uint64(st.Bsize)) * 2 / 5 // two fit, three do not
	if size > s.Config.Limits.MaxUploadBytes {
		t.Skipf("SKIP: %d bytes free: more than the per-file limit allows to fill", size*5/2)
	}
	uploads := filepath.Join(s.DataDir, "uploads")
	got := testkit.Parallel(10, func(i int) int {
		return v.TusCreate(map[string]string{"filename": fmt.Sprintf("huge-%d.mov", i)}, size, nil).StatusCode
	})
	if got[201] != 2 || got[507] != 8 {
		t.Fatalf("10 parallel creations of %d bytes each on %d free: %v, want 2 × 201 and 8 × 507", size, size*5/2, got)
	}
	res := v.TusCreate(map[string]string{"filename": "one-more.mov"}, size, nil)
	if res.StatusCode != 507 || !strings.Contains(body(res), "unfinished uploads") {
		t.Fatalf("one more: %d %s", res.StatusCode, body(res))
	}
	if n := filesIn(t, uploads); n != 2*2 {
		t.Fatalf("data/uploads holds %d files after 2 accepted uploads, want 4 (bytes and .info each)", n)
	}
}

func TestPendingUploadsPerLink(t *testing.T) {
	s := start(t, testkit.OnDisk, func(c *config.Config) {
		c.Limits.MaxPendingUploadsPerLink = 3
		c.Limits.MaxPendingBytesPerLink = 10 << 10
	})
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Drops")
	l := createShare(t, admin, model.NewShareLink{FolderID: root, AllowedActions: "upload_download", Name: "Drop box"})
	other := createShare(t, admin, model.NewShareLink{FolderID: root, AllowedActions: "upload_download", Name: "Other box"})
	v := shareVisitorClient(t, s, l.Key)
	uploads := filepath.Join(s.DataDir, "uploads")
	create := func(c *testkit.Client, name string, size int64) *http.Response {
		return c.TusCreate(map[string]string{"filename": name}, size, nil)
	}
	refused := func(what string, res *http.Response) {
		t.Helper()
		if b := body(res); res.StatusCode != 413 || !strings.HasPrefix(b, "ERR_LINK_PENDING_LIMIT:") {
			t.Fatalf("%s: %d %s, want 413 ERR_LINK_PENDING_LIMIT", what, res.StatusCode, b)
		}
	}
	// Bytes: 6 KiB announced, 6 KiB more would pass the link's 10 KiB.
	first := create(v, "a.bin", 6<<10)
	wantStatus(t, "first upload", first, 201, "")
	refused("more bytes than the link may announce", create(v, "b.bin", 6<<10))
	// Number: three unfinished uploads, then no fourth.
	wantStatus(t, "second upload", create(v, "c.bin", 1<<10), 201, "")
	wantStatus(t, "third upload", create(v, "d.bin", 1<<10), 201, "")
	refused("a fourth unfinished upload", create(v, "e.bin", 1<<10))
	if n := filesIn(t, uploads); n != 3*2 {
		t.Fatalf("data/uploads holds %d files after 3 accepted uploads, want 6", n)
	}
	// Another link has its own allowance.
	wantStatus(t, "upload through another link", create(shareVisitorClient(t, s, other.Key), "f.bin", 1<<10), 201, "")
	// Sending the bytes of the first frees its share.
	data := bytes.Repeat([]byte("x"), 6<<10)
	wantStatus(t, "finish the first", v.TusPatch(first.Header.Get("Location"), 0, bytes.NewReader(data), int64(len(data))), 204, "")
	wantStatus(t, "after one finished", create(v, "g.bin", 6<<10), 201, "")
	refused("a fourth unfinished upload again", create(v, "h.bin", 1<<10))
	// Uploads announced and never sent stop holding the link once they
	// stall (30 minutes without a byte; their files' times are set back).
	es, _ := os.ReadDir(uploads)
	old := time.Now().Add(-time.Hour)
	for _, e := range es {
		os.Chtimes(filepath.Join(uploads, e.Name()), old, old)
	}
	wantStatus(t, "after the others stalled", create(v, "i.bin", 6<<10), 201, "")
}

// Hole 11: decoding is budgeted in bytes (width × height × bytes per
// pixel), read from the header: a 16-bit RGBA PNG over media.max_decode_bytes
// gets too_large, while a gray image of the same pixel count gets its
// proxies; the asset and its original are untouched either way.
func TestDecodeMemoryBudget(t *testing.T) {
	s := start(t, func(c *config.Config) { c.Media.MaxDecodeBytes = 64 << 20 })
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Scans")
	wide := testkit.BlankPNG(3000, 3000, 16, 6) // 9 MP × 8 bytes = 72 MB decoded
	gray := testkit.BlankPNG(3000, 3000, 8, 0)  // 9 MP × 1 byte
	wideID := admin.Upload(root, "wide.png", wide, "filetype", "image/png")
	grayID := admin.Upload(root, "gray.png", gray, "filetype", "image/png")
	waitReady(t, admin, grayID)
	if a := admin.WaitAsset(t, wideID, 30*time.Second, testkit.ProxiesSettled); a.ProxyStatus != model.ProxyTooLarge {
		t.Fatalf("a 16-bit RGBA PNG of 72 MB decoded with a 64 MiB budget: proxy status %q, want too_large", a.ProxyStatus)
	}
	res, b := get(t, admin, "/api/v2/assets/"+wideID+"/original")
	if res.StatusCode != 200 || !bytes.Equal(b, wide) {
		t.Fatalf("the original of the refused image: %d, %d bytes", res.StatusCode, len(b))
	}
	if res, _ := get(t, admin, "/api/v2/assets/"+wideID+"/proxies/thumb"); res.StatusCode != 404 {
		t.Fatalf("a thumbnail of the refused image: %d", res.StatusCode)
	}
}

// Hole 15: names that show as something else (bidirectional controls) or
// break lines are refused with a reason, on every way a name comes in,
// and nothing is stored.
func TestNamesRefuseBidiAndControls(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Names")
	folder := mkdir(t, admin, root, "Ok folder")
	drop := createShare(t, admin, model.NewShareLink{FolderID: root, AllowedActions: "upload_download", Name: "Drop box"})
	visitor := shareVisitorClient(t, s, drop.Key)
	before := names(children(t, admin, root))
	for _, bad := range []string{"a\u202egnp.exe", "x\u2066y.png", "\u200fname.jpg"} {
		res := admin.TusCreate(map[string]string{"filename": bad, "parent_id": root, "filetype": "image/png"}, 3, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), "bidirectional") {
			t.Errorf("tus upload named %q: %d %s", bad, res.StatusCode, body(res))
		}
		wantStatus(t, "file create "+bad, admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "file", Name: bad, Filesize: model.Ptr[int64](3)}, nil), 400, "")
		wantStatus(t, "folder "+bad, admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "folder", Name: bad}, nil), 400, "")
		wantStatus(t, "rename to "+bad, admin.Do("PUT", "/api/v2/assets/"+folder, model.AssetPatch{Name: model.Ptr(bad)}, nil), 400, "")
		res = visitor.TusCreate(map[string]string{"filename": "ok.png", "relative_path": bad + "/ok.png"}, 3, nil)
		if res.StatusCode != 400 {
			t.Errorf("a dropped folder named %q: %d %s", bad, res.StatusCode, body(res))
		}
	}
	if after := names(children(t, admin, root)); after != before {
		t.Fatalf("refused names changed the folder: %q → %q", before, after)
	}
	// User names: no line breaks, control characters or bidi controls.
	for _, bad := range []string{"Eve\r\nBcc: all@x.example", "Eve\nSmith", "Eve\x07", "Eve\u202e"} {
		wantStatus(t, "create user named "+bad, admin.Do("POST", "/api/v2/users", model.NewUser{Email: "eve@x.example", Name: bad, Role: "member", Password: "eve password 123"}, nil), 400, "")
	}
	eve := createMember(t, admin, "eve@x.example", "eve password 123")
	wantStatus(t, "rename user with CR LF", admin.Do("PUT", "/api/v2/users/"+eve.ID, model.UserPatch{Name: model.Ptr("Eve\r\nX")}, nil), 400, "")
	var got model.Me
	admin.Do("GET", "/api/v2/users/"+eve.ID, nil, &got)
	if got.Name != eve.Name {
		t.Fatalf("a refused rename changed the user's name to %q", got.Name)
	}
}

// Hole 15: prerendered pages carry no build-wide ETag and are not kept,
// so a gallery revoked since a visit is not answered 304 from the old tag.
func TestPagesAreNotCachedByBuild(t *testing.T) {
	f := newShareFixture(t)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, Name: "Gallery one"})
	anon := f.s.Client(t)
	res, page := get(t, anon, "/s/"+l.Key)
	if res.StatusCode != 200 || !strings.Contains(string(page), "Gallery one") {
		t.Fatalf("share page: %d %.300s", res.StatusCode, page)
	}
	if res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("share page: ETag %q, Cache-Control %q; want none and no-store", res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
	}
	// The tag every page used to carry: the build's, as app.js still has it.
	js, _ := get(t, anon, "/app.js")
	buildTag := js.Header.Get("ETag")
	if buildTag == "" {
		t.Fatal("app.js has no ETag")
	}
	wantStatus(t, "revoke", f.admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil), 204, "")
	req, _ := http.NewRequest("GET", anon.Base+"/s/"+l.Key, nil)
	req.Header.Set("If-None-Match", buildTag)
	res = anon.Send(req, nil)
	if res.StatusCode != 200 || strings.Contains(body(res), "Gallery one") {
		t.Fatalf("the page of a revoked link with the build's ETag: %d (gallery shown: %v), want 200 without it", res.StatusCode, strings.Contains(body(res), "Gallery one"))
	}
}

// Hole 16: /metrics needs an admin (a session, or a token with
// settings.read) on the main address; metrics_listen serves it without
// login on an address of its own.
func TestMetricsNeedAnAdmin(t *testing.T) {
	port := testkit.FreePort(t)
	s := start(t, func(c *config.Config) { c.MetricsListen = fmt.Sprintf("127.0.0.1:%d", port) })
	admin := s.Admin(t)
	createMember(t, admin, "carol@x.example", "carol password 1")
	wantStatus(t, "anonymous", s.Client(t).Do("GET", "/metrics", nil, nil), 401, "unauthorized")
	wantStatus(t, "a member", s.Login(t, "carol@x.example", "carol password 1").Do("GET", "/metrics", nil, nil), 403, "forbidden")
	wantStatus(t, "an admin token without settings.read", s.TokenClient(t, "users.read").Do("GET", "/metrics", nil, nil), 403, "insufficient_scope")
	wantStatus(t, "an admin token with settings.read", s.TokenClient(t, "settings.read").Do("GET", "/metrics", nil, nil), 200, "")
	res := admin.Do("GET", "/metrics", nil, nil)
	if res.StatusCode != 200 || !strings.Contains(body(res), "ferry_http_requests_total") {
		t.Fatalf("an admin session: %d", res.StatusCode)
	}
	scrape, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		t.Fatal(err)
	}
	defer scrape.Body.Close()
	if scrape.StatusCode != 200 {
		t.Fatalf("metrics_listen: %d", scrape.StatusCode)
	}
}

// Hole 16: an admin resetting a user's password revokes the user's
// sessions and API tokens; other users' stay.
func TestPasswordResetRevokesTokensAndSessions(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	eve := createMember(t, admin, "eve@x.example", "eve password 123")
	session := s.Login(t, "eve@x.example", "eve password 123")
	var tok model.NewTokenAnswer
	wantStatus(t, "eve's token", session.Do("POST", "/api/v2/tokens", model.NewToken{Name: "ci", Scopes: []string{"projects.read"}}, &tok), 201, "")
	bearer := s.Client(t)
	bearer.Token, bearer.Origin = tok.Secret, ""
	wantStatus(t, "token before", bearer.Do("GET", "/api/v2/me", nil, nil), 200, "")
	other := s.TokenClient(t, "users.read")
	wantStatus(t, "reset", admin.Do("PUT", "/api/v2/users/"+eve.ID, model.UserPatch{Password: model.Ptr("new password 456")}, nil), 200, "")
	wantStatus(t, "eve's token after the reset", bearer.Do("GET", "/api/v2/me", nil, nil), 401, "")
	wantStatus(t, "eve's session after the reset", session.Do("GET", "/api/v2/me", nil, nil), 401, "")
	wantStatus(t, "another user's token", other.Do("GET", "/api/v2/me", nil, nil), 200, "")
	wantStatus(t, "admin session", admin.Do("GET", "/api/v2/me", nil, nil), 200, "")
	fresh := s.Login(t, "eve@x.example", "new password 456")
	var toks []model.NewTokenAnswer
	fresh.Do("GET", "/api/v2/tokens", nil, &toks)
	if len(toks) != 0 {
		t.Fatalf("eve's tokens after the reset: %+v", toks)
	}
}

// Hole 8, upload links: parallel wrong passcodes from one address get the
// throttle's 5 checks, not enough to lock the link (10), so its recipient
// still gets in.
func TestUploadLinkPasscodeThrottleIsAtomic(t *testing.T) {
	s := start(t, trustLoopback)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Inbox")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, RecipientEmail: "ann@x.example"})
	wrong := "000000"
	if l.Passcode == wrong {
		wrong = "111111"
	}
	got := testkit.Parallel(25, func(int) int {
		return fromAddr(s, t, "203.0.113.9").Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Passcode: wrong}, nil).StatusCode
	})
	if got[401] != 5 || got[429] != 20 {
		t.Fatalf("25 parallel wrong passcodes from one address: %v, want 5 × 401 and 20 × 429", got)
	}
	wantStatus(t, "the recipient", fromAddr(s, t, "192.0.2.8").Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Passcode: l.Passcode}, nil), 200, "")
}
