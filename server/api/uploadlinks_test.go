package api_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// linkProject makes a project and returns its ID and root folder ID.
func linkProject(t *testing.T, c *testkit.Client, name string) (string, string) {
	t.Helper()
	p, err := c.API().CreateProject(name)
	wantErr(t, "create project", err, 0, "")
	return p.ID, p.RootAssetID
}

func createLink(t *testing.T, c *testkit.Client, req model.NewUploadLink) model.UploadLink {
	t.Helper()
	l, err := c.API().CreateUploadLink(req)
	wantErr(t, "create upload link", err, 0, "")
	if !regexp.MustCompile(`^\d{6}$`).MatchString(l.Passcode) || len(l.Key) != 22 {
		t.Fatalf("create answered passcode %q key %q", l.Passcode, l.Key)
	}
	return l
}

// recipient is an anonymous browser-like client of one upload link,
// unlocked with passcode.
func recipient(t *testing.T, s *testkit.Server, l model.UploadLink, passcode string) *testkit.Client {
	t.Helper()
	c := s.Client(t)
	if res := c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Passcode: passcode}, nil); res.StatusCode != 200 {
		t.Fatalf("unlock: %d %s", res.StatusCode, body(res))
	}
	c.Header = http.Header{"Ferry-Link": {l.Key}}
	return c
}

// linkCookie is the Cookie header value of c's session for link key.
func linkCookie(t *testing.T, c *testkit.Client, key string) string {
	t.Helper()
	secret := c.LinkSession(key)
	if secret == "" {
		t.Fatalf("no link cookie for %s", key)
	}
	return api.LinkCookie(key) + "=" + secret
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// waitLink polls link id as c sees it until ok holds.
func waitLink(t *testing.T, c *testkit.Client, id string, ok func(model.UploadLink) bool) model.UploadLink {
	t.Helper()
	var l model.UploadLink
	poll.Until(t, 20*time.Second, func() error {
		l = model.UploadLink{}
		wantStatus(t, "get upload link", c.Do("GET", "/api/v2/upload_links/"+id, nil, &l), 200, "")
		if ok(l) {
			return nil
		}
		return fmt.Errorf("upload link never reached the wanted state: %+v", l)
	})
	return l
}

// The whole recipient journey against a real mailpit and tus-js-client:
// two mails with the right contents, Pending → Active with Setup complete,
// unlock with the passcode read from the mail, an interrupted and resumed
// 30 MiB upload, the file in the project under the recipient's name.
func TestUploadLinkJourney(t *testing.T) {
	mp := testkit.Mailpit(t)
	s := start(t, withSMTP("smtp://"+mp.SMTPAddr, "Studio Desk <desk@nordlicht.example>"))
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Autumn Campaign")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Harbour shoot", RecipientEmail: "jane@photo.example", RecipientName: "Jane Doe", ExpiresInDays: model.Ptr[int](14), Message: "RAW and JPEG please.\nName files SHOOT_###."})
	if l.Status != "pending" || l.SetupComplete || l.FolderName != "Harbour shoot" || l.URL != s.Config.PublicURL+"/u/"+l.Key {
		t.Fatalf("new link: %+v", l)
	}

	msgs := mp.WaitMessages(t, 2, 15*time.Second)
	var invite, code testkit.MailMessage
	for _, m := range msgs {
		full := mp.Message(t, m.ID)
		if len(full.To) != 1 || full.To[0].Address != "jane@photo.example" {
			t.Fatalf("mail to %+v", full.To)
		}
		if strings.Contains(full.Subject, "passcode") {
			code = full
		} else {
			invite = full
		}
	}
	if !strings.Contains(invite.Text, "/u/"+l.Key) || !strings.Contains(invite.Text, "RAW and JPEG please.") ||
		strings.Contains(invite.Text+invite.HTML, l.Passcode) {
		t.Fatalf("invitation mail: subject %q\n%s", invite.Subject, invite.Text)
	}
	if !strings.Contains(code.Text, l.Passcode) || strings.Contains(code.Text+code.HTML, l.Key) || strings.Contains(code.Text, "/u/") {
		t.Fatalf("passcode mail: subject %q\n%s", code.Subject, code.Text)
	}
	passcode := regexp.MustCompile(`\b\d{6}\b`).FindString(code.Text)

	l = waitLink(t, admin, l.ID, func(l model.UploadLink) bool { return l.Status == "active" })
	if !l.SetupComplete {
		t.Fatalf("active link without setup complete: %+v", l)
	}

	// Before the passcode the page shows who asks, not what arrived.
	anon := s.Client(t)
	var pub model.PublicUploadLink
	if res := anon.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub); res.StatusCode != 200 {
		t.Fatalf("public link: %d %s", res.StatusCode, body(res))
	}
	if pub.Kind != "upload" || pub.Unlocked || pub.ProjectName != "Autumn Campaign" || pub.SenderName != "Admin" ||
		!strings.Contains(pub.Message, "RAW and JPEG") {
		t.Fatalf("public view: %+v", pub)
	}
	// Without the passcode no upload starts.
	anon.Header = http.Header{"Ferry-Link": {l.Key}}
	if res := anon.TusCreate(map[string]string{"filename": "x.jpg"}, 10, nil); res.StatusCode != 401 {
		t.Fatalf("upload without passcode: %d %s", res.StatusCode, body(res))
	}

	rc := recipient(t, s, l, passcode)
	dir := t.TempDir()
	data := randomBytes(30 << 20)
	file := filepath.Join(dir, "SHOOT_001.CR3")
	os.WriteFile(file, data, 0o600)
	args := []string{"--endpoint", s.URL + testkit.TusEndpoint, "--file", file, "--chunk-size", strconv.Itoa(4 << 20),
		"--header", "Ferry-Link: " + l.Key, "--header", "Cookie: " + linkCookie(t, rc, l.Key),
		"--header", "Origin: " + s.URL, "--metadata", "filename=SHOOT_001.CR3", "--metadata", "filetype=image/x-canon-cr3"}
	out, err := testkit.TusUpload(t, append(args, "--stop-after", strconv.Itoa(10<<20))...)
	if err != nil {
		t.Fatal(err)
	}
	cut := testkit.ParseTusResult(t, out)
	if cut.Offset < 10<<20 || cut.Offset >= int64(len(data)) {
		t.Fatalf("interrupted upload stopped at %d", cut.Offset)
	}
	var mid model.UploadLink
	admin.Do("GET", "/api/v2/upload_links/"+l.ID, nil, &mid)
	if mid.FilesReceived != 0 {
		t.Fatalf("half a file counted as received: %+v", mid)
	}
	out, err = testkit.TusUpload(t, append(args, "--resume-url", cut.URL)...)
	if err != nil {
		t.Fatal(err)
	}
	if done := testkit.ParseTusResult(t, out); done.Offset != int64(len(data)) || done.URL != cut.URL {
		t.Fatalf("resumed upload: %+v (first %s)", done, cut.URL)
	}
	assetID := cut.URL[strings.LastIndex(cut.URL, "/")+1:]

	var a model.Asset
	if res := admin.Do("GET", "/api/v2/assets/"+assetID, nil, &a); res.StatusCode != 200 {
		t.Fatalf("asset: %d %s", res.StatusCode, body(res))
	}
	if a.ParentID != l.FolderID || a.Filesize != int64(len(data)) || a.CreatorName != "Jane Doe via upload link Harbour shoot" {
		t.Fatalf("asset %+v, link folder %s", a, l.FolderID)
	}
	res := admin.Do("GET", "/api/v2/assets/"+assetID+"/original", nil, nil)
	if got, _ := io.ReadAll(res.Body); !bytes.Equal(got, data) {
		t.Fatalf("the original differs from what was sent (%d bytes)", len(got))
	}

	// A dropped folder keeps its structure under the link's folder.
	id := rc.Upload("", "b.jpg", randomBytes(1000), "relative_path", "Day 2/Selects/b.jpg")
	var ancestors []model.Asset
	admin.Do("GET", "/api/v2/assets/"+id+"/ancestors", nil, &ancestors)
	var names []string
	for _, x := range ancestors {
		names = append(names, x.Name)
	}
	if strings.Join(names, "/") != "Autumn Campaign/Harbour shoot/Day 2/Selects" && !strings.HasSuffix(strings.Join(names, "/"), "Harbour shoot/Day 2/Selects") {
		t.Fatalf("ancestors of a file in a dropped folder: %v", names)
	}

	// The recipient sees what arrived; the owner sees the counts.
	rc.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub)
	if !pub.Unlocked || len(pub.Files) != 2 || pub.Files[0].Name != "SHOOT_001.CR3" || pub.Files[0].Size != int64(len(data)) {
		t.Fatalf("recipient's list: %+v", pub)
	}
	admin.Do("GET", "/api/v2/upload_links/"+l.ID, nil, &l)
	if l.FilesReceived != 2 || l.BytesReceived != int64(len(data))+1000 {
		t.Fatalf("link counts: %+v", l)
	}
	// The recipient reaches nothing else: not the project, not other assets.
	if res := rc.Do("GET", "/api/v2/assets/"+assetID, nil, nil); res.StatusCode != 401 {
		t.Fatalf("recipient reading the asset API: %d", res.StatusCode)
	}
}

func TestUploadLinkLimits(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Limits")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Capped", RecipientEmail: "a@b.example", MaxFiles: model.Ptr[int](4), MaxFileMB: model.Ptr[int64](1), MaxTotalMB: model.Ptr[int64](2)})
	if *l.MaxFiles != 4 || *l.MaxFileMB != 1 || *l.MaxTotalMB != 2 {
		t.Fatalf("limits: %+v", l)
	}
	rc := recipient(t, s, l, l.Passcode)

	// Over the per-file limit: refused at creation, before any byte is sent.
	res := rc.TusCreate(map[string]string{"filename": "big.mov"}, 1<<20+1, nil)
	if res.StatusCode != 413 || !strings.Contains(body(res), "accepts files up to 1.0 MiB") {
		t.Fatalf("file over the per-file limit: %d %s", res.StatusCode, body(res))
	}

	// 50 clients (200 with make soak) race for the 2 MiB total with 700 KiB
	// files: exactly two fit, every other one is refused for the total, and
	// none meets a server error (a Badger conflict must be retried).
	clients := testkit.SoakScale(50, 200)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, refused := 0, 0
	var unexpected []string
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := *rc
			res := c.TusCreate(map[string]string{"filename": fmt.Sprintf("f%03d.jpg", i)}, 700<<10, nil)
			mu.Lock()
			defer mu.Unlock()
			switch b := body(res); {
			case res.StatusCode == 201:
				created++
			case res.StatusCode == 413 && strings.HasPrefix(b, "ERR_TOTAL_LIMIT_REACHED:"):
				refused++
			default:
				unexpected = append(unexpected, fmt.Sprintf("%d %s", res.StatusCode, b))
			}
		}(i)
	}
	wg.Wait()
	if created != 2 || refused != clients-2 || len(unexpected) > 0 {
		t.Fatalf("%d racing creations: %d created (want 2), %d refused for the total (want %d), other answers: %q",
			clients, created, refused, clients-2, unexpected)
	}
	// Terminating an unfinished upload releases its share of the total.
	again := rc.TusCreate(map[string]string{"filename": "again.jpg"}, 640<<10, nil)
	if again.StatusCode != 201 {
		t.Fatalf("a file that just fits the total: %d %s", again.StatusCode, body(again))
	}
	if res := rc.TusCreate(map[string]string{"filename": "x.jpg"}, 100<<10, nil); res.StatusCode != 413 || !strings.Contains(body(res), "left of its 2.0 MiB") {
		t.Fatalf("a file over what is left of the total: %d %s", res.StatusCode, body(res))
	}
	if res := rc.TusDelete(again.Header.Get("Location")); res.StatusCode != 204 {
		t.Fatalf("terminate: %d %s", res.StatusCode, body(res))
	}
	if res := rc.TusCreate(map[string]string{"filename": "x.jpg"}, 100<<10, nil); res.StatusCode != 201 {
		t.Fatalf("after the termination released its reservation: %d %s", res.StatusCode, body(res))
	}
	// Max files: two reserved, x and a fourth make four; the fifth is refused.
	if res := rc.TusCreate(map[string]string{"filename": "fourth.jpg"}, 10, nil); res.StatusCode != 201 {
		t.Fatalf("fourth file: %d %s", res.StatusCode, body(res))
	}
	res = rc.TusCreate(map[string]string{"filename": "fifth.jpg"}, 10, nil)
	if res.StatusCode != 403 || !strings.Contains(body(res), "accepts 4 files") {
		t.Fatalf("fifth file: %d %s", res.StatusCode, body(res))
	}
}

func TestUploadLinkPasscodes(t *testing.T) {
	s := start(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Codes")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Codes", RecipientEmail: "a@b.example"})
	from := func(addr string) *testkit.Client {
		c := s.Client(t)
		c.Header = http.Header{"X-Forwarded-For": {addr}}
		return c
	}
	unlock := func(c *testkit.Client, code string) *http.Response {
		return c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Passcode: code}, nil)
	}
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, l.Passcode)+1)%1000000)

	// Bad shapes are refused with a reason and cost nothing.
	for _, bad := range []string{"abcdef", "1234567", "12345", ""} {
		res := unlock(from("10.0.0.1"), bad)
		if res.StatusCode != 400 || !strings.Contains(body(res), "6 digits") {
			t.Fatalf("passcode %q: %d %s", bad, res.StatusCode, body(res))
		}
	}
	// Five wrong tries from one address: the sixth waits.
	c := from("10.0.0.2")
	for i := 0; i < 5; i++ {
		if res := unlock(c, wrong); res.StatusCode != 401 || !strings.Contains(body(res), "more tries") {
			t.Fatalf("wrong passcode %d: %d %s", i, res.StatusCode, body(res))
		}
	}
	if res := unlock(c, l.Passcode); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 wrong passcodes from one address: %d %s", res.StatusCode, body(res))
	}
	// Five more from elsewhere lock the link for everyone, the right code included.
	for i := 0; i < 5; i++ {
		res := unlock(from(fmt.Sprintf("10.0.1.%d", i)), wrong)
		if i < 4 && res.StatusCode != 401 || i == 4 && res.StatusCode != 423 {
			t.Fatalf("wrong passcode from address %d: %d %s", i, res.StatusCode, body(res))
		}
	}
	if res := unlock(from("10.0.2.1"), l.Passcode); res.StatusCode != 423 || !strings.Contains(body(res), "resend") {
		t.Fatalf("right passcode on a locked link: %d %s", res.StatusCode, body(res))
	}
	var got model.UploadLink
	admin.Do("GET", "/api/v2/upload_links/"+l.ID, nil, &got)
	if !got.Locked {
		t.Fatalf("owner does not see the lock: %+v", got)
	}

	// Resend: a new passcode, the old one dead, the lock gone.
	var re model.UploadLink
	if res := admin.Do("POST", "/api/v2/upload_links/"+l.ID+"/resend", nil, &re); res.StatusCode != 200 || re.Passcode == "" || re.Locked {
		t.Fatalf("resend: %d %s", res.StatusCode, body(res))
	}
	if re.Passcode != l.Passcode {
		if res := unlock(from("10.0.3.1"), l.Passcode); res.StatusCode != 401 {
			t.Fatalf("old passcode after resend: %d %s", res.StatusCode, body(res))
		}
	}
	if res := unlock(from("10.0.3.2"), re.Passcode); res.StatusCode != 200 {
		t.Fatalf("new passcode: %d %s", res.StatusCode, body(res))
	}
	// The cookie of one link does not open another.
	other := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Other", RecipientEmail: "a@b.example"})
	rc := recipient(t, s, l, re.Passcode)
	rc.Header = http.Header{"Ferry-Link": {other.Key}}
	if res := rc.TusCreate(map[string]string{"filename": "x.jpg"}, 10, nil); res.StatusCode != 401 {
		t.Fatalf("a cookie of another link: %d %s", res.StatusCode, body(res))
	}
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUploadLinkExpiryAndRevoke(t *testing.T) {
	clk := clock.New(time.Now())
	s := startAt(t, clk)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Closing")

	soon := clk.Now().Add(time.Hour)
	exp := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Short", RecipientEmail: "a@b.example", ExpiresAt: model.Ptr(soon)})
	rc := recipient(t, s, exp, exp.Passcode)
	clk.Advance(time.Hour - time.Second)
	kept := rc.Upload("", "before.jpg", randomBytes(500))
	clk.Advance(time.Second)
	res := s.Client(t).Do("GET", "/api/v2/public/links/"+exp.Key, nil, nil)
	if res.StatusCode != 410 || testkit.ErrorCode(res) != "link_expired" {
		t.Fatalf("expired link page: %d %s", res.StatusCode, body(res))
	}
	if res := rc.TusCreate(map[string]string{"filename": "late.jpg"}, 10, nil); res.StatusCode != 410 {
		t.Fatalf("upload after expiry: %d %s", res.StatusCode, body(res))
	}
	if res := admin.Do("GET", "/api/v2/assets/"+kept, nil, nil); res.StatusCode != 200 {
		t.Fatalf("a file sent before expiry is gone: %d", res.StatusCode)
	}
	var got model.UploadLink
	admin.Do("GET", "/api/v2/upload_links/"+exp.ID, nil, &got)
	if got.Status != "expired" {
		t.Fatalf("expired link status %q", got.Status)
	}
	if res := admin.Do("POST", "/api/v2/upload_links/"+exp.ID+"/resend", nil, nil); res.StatusCode != 409 {
		t.Fatalf("resend of an expired link: %d %s", res.StatusCode, body(res))
	}

	// Revoke while a PATCH is streaming: the PATCH ends, the upload cannot
	// go on, the finished file stays.
	l := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Revoked", RecipientEmail: "a@b.example"})
	rc = recipient(t, s, l, l.Passcode)
	done := rc.Upload("", "done.jpg", randomBytes(800))
	create := rc.TusCreate(map[string]string{"filename": "long.mov"}, 64<<20, nil)
	if create.StatusCode != 201 {
		t.Fatalf("create: %d %s", create.StatusCode, body(create))
	}
	loc := create.Header.Get("Location")
	pr, pw := io.Pipe()
	// The server may answer, or cut the connection while the body still
	// flows: either way the PATCH ends. (Raw client: a cut is no test failure.)
	patched := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("PATCH", rc.Base+loc[strings.Index(loc, "/api/"):], pr)
		req.ContentLength = 64 << 20
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", "0")
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Origin", rc.Origin)
		req.Header.Set("Ferry-Link", l.Key)
		res, err := rc.HTTP.Do(req)
		if err != nil {
			patched <- 0
			return
		}
		res.Body.Close()
		patched <- res.StatusCode
	}()
	pw.Write(randomBytes(1 << 20))
	if res := admin.Do("DELETE", "/api/v2/upload_links/"+l.ID, nil, nil); res.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", res.StatusCode, body(res))
	}
	go func() { // keep feeding: the server must stop reading on its own
		for i := 0; i < 63; i++ {
			if _, err := pw.Write(randomBytes(1 << 20)); err != nil {
				return
			}
		}
		pw.Close()
	}()
	select {
	case status := <-patched:
		if status != 0 && status < 400 {
			t.Fatalf("PATCH after revoke answered %d", status)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the PATCH kept running after revoke")
	}
	pr.CloseWithError(io.ErrClosedPipe)
	if off, res := rc.TusHead(loc); res.StatusCode != 410 {
		t.Fatalf("HEAD after revoke: %d offset %d %s", res.StatusCode, off, body(res))
	}
	if res := rc.TusCreate(map[string]string{"filename": "new.jpg"}, 10, nil); res.StatusCode != 410 || !strings.Contains(body(res), "revoked") {
		t.Fatalf("upload after revoke: %d %s", res.StatusCode, body(res))
	}
	if res := admin.Do("GET", "/api/v2/assets/"+done, nil, nil); res.StatusCode != 200 {
		t.Fatalf("the finished file went with the revoke: %d", res.StatusCode)
	}
	id := loc[strings.LastIndex(loc, "/")+1:]
	if res := admin.Do("GET", "/api/v2/assets/"+id, nil, nil); res.StatusCode != 404 {
		t.Fatalf("the unfinished upload outlived the revoke: %d", res.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, "uploads", id)); !os.IsNotExist(err) {
		t.Fatalf("its bytes are still in data/uploads: %v", err)
	}
	admin.Do("GET", "/api/v2/upload_links/"+l.ID, nil, &got)
	if got.Status != "revoked" || got.FilesReceived != 1 {
		t.Fatalf("revoked link: %+v", got)
	}
	if res := s.Client(t).Do("GET", "/api/v2/public/links/"+l.Key, nil, nil); res.StatusCode != 410 || testkit.ErrorCode(res) != "link_revoked" {
		t.Fatalf("revoked link page: %d %s", res.StatusCode, body(res))
	}
}

func TestUploadLinkBadInput(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Bad")
	ok := model.NewUploadLink{ProjectID: projectID, Name: "x", RecipientEmail: "a@b.example"}
	// The patches stay raw maps: they send wrong values, wrong types and
	// unknown fields on purpose, over a valid model.NewUploadLink.
	for _, tc := range []struct {
		patch map[string]any
		raw   string
		want  string
	}{
		{patch: map[string]any{"recipient_email": "not-an-email"}, want: "not an email address"},
		{patch: map[string]any{"recipient_email": ""}, want: "recipient_email is required"},
		{patch: map[string]any{"recipient_email": "a@b.example\r\nBcc: x@y.example"}, want: "one line"},
		{patch: map[string]any{"max_files": -1}, want: "max_files must be"},
		{patch: map[string]any{"max_file_mb": 0}, want: "max_file_mb must be"},
		{patch: map[string]any{"max_total_mb": -5}, want: "max_total_mb must be"},
		{patch: map[string]any{"max_files": "ten"}, want: "max_files"},
		{patch: map[string]any{"max_file_mb": 10, "max_total_mb": 5}, want: "larger than max_total_mb"},
		{patch: map[string]any{"expires_in_days": 0}, want: "expires_in_days must be"},
		{patch: map[string]any{"expires_at": "2001-01-01T00:00:00Z"}, want: "in the past"},
		{patch: map[string]any{"project_id": ""}, want: "project_id is required"},
		{patch: map[string]any{"folder_id": "00000000-0000-0000-0000-000000000000"}, want: "not a folder"},
		{patch: map[string]any{"colour": "red"}, want: "colour"},
	} {
		req := jsonFields(t, ok)
		for k, v := range tc.patch {
			req[k] = v
		}
		res := admin.Do("POST", "/api/v2/upload_links", req, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), tc.want) {
			t.Errorf("%v: %d %s (want 400 naming %q)", tc.patch, res.StatusCode, body(res), tc.want)
		}
	}
	if res := admin.Do("GET", "/api/v2/upload_links?status=sleeping", nil, nil); res.StatusCode != 400 {
		t.Errorf("unknown status filter: %d", res.StatusCode)
	}
	var list []model.UploadLink
	admin.Do("GET", "/api/v2/upload_links", nil, &list)
	if len(list) != 0 {
		t.Fatalf("refused creations stored links: %+v", list)
	}
	for _, key := range []string{"nope", "a/../b", strings.Repeat("x", 200)} {
		if res := s.Client(t).Do("GET", "/api/v2/public/links/"+key, nil, nil); res.StatusCode != 404 {
			t.Errorf("public link %q: %d", key, res.StatusCode)
		}
	}
	// Another member sees neither the links nor the project's counts.
	createMember(t, admin, "m@b.example", "member password 123")
	mem := s.Login(t, "m@b.example", "member password 123")
	l := createLink(t, admin, ok)
	for _, path := range []string{"/api/v2/upload_links/" + l.ID, "/api/v2/upload_links/" + l.ID + "/resend"} {
		method := "GET"
		if strings.HasSuffix(path, "resend") {
			method = "POST"
		}
		if res := mem.Do(method, path, nil, nil); res.StatusCode != 404 {
			t.Errorf("%s %s as another member: %d", method, path, res.StatusCode)
		}
	}
	if res := mem.Do("DELETE", "/api/v2/upload_links/"+l.ID, nil, nil); res.StatusCode != 404 {
		t.Errorf("revoke as another member: %d", res.StatusCode)
	}
	var theirs []model.UploadLink
	mem.Do("GET", "/api/v2/upload_links", nil, &theirs)
	if len(theirs) != 0 {
		t.Errorf("another member lists %d links", len(theirs))
	}
	tok := s.TokenClient(t, "upload_links.read")
	if res := tok.Do("POST", "/api/v2/upload_links", ok, nil); res.StatusCode != 403 || !strings.Contains(body(res), "upload_links.create") {
		t.Errorf("token without upload_links.create: %d %s", res.StatusCode, body(res))
	}
}

// Stat cards and filters follow the data.
func TestUploadLinkStatsAndFilters(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Stats")
	otherProject, _ := linkProject(t, admin, "Elsewhere")
	a := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Alpha shoot", RecipientEmail: "alpha@x.example", ExpiresInDays: model.Ptr[int](7)})
	createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Beta", RecipientEmail: "beta@x.example", ExpiresInDays: model.Ptr[int](30)})
	c := createLink(t, admin, model.NewUploadLink{ProjectID: projectID, Name: "Gamma", RecipientEmail: "gamma@x.example"})
	createLink(t, admin, model.NewUploadLink{ProjectID: otherProject, Name: "Delta", RecipientEmail: "delta@x.example"})
	rc := recipient(t, s, a, a.Passcode)
	rc.Upload("", "1.jpg", randomBytes(1000))
	rc.Upload("", "2.jpg", randomBytes(2000))
	admin.Do("DELETE", "/api/v2/upload_links/"+c.ID, nil, nil)

	stats := func(q string) model.UploadLinkStats {
		var st model.UploadLinkStats
		if res := admin.Do("GET", "/api/v2/upload_links/stats?project_id="+projectID+q, nil, &st); res.StatusCode != 200 {
			t.Fatalf("stats: %d %s", res.StatusCode, body(res))
		}
		return st
	}
	list := func(q string) []string {
		var ls []model.UploadLink
		admin.Do("GET", "/api/v2/upload_links?project_id="+projectID+q, nil, &ls)
		var names []string
		for _, l := range ls {
			names = append(names, l.Name)
		}
		return names
	}
	if st := stats(""); st != (model.UploadLinkStats{TotalLinks: 3, FilesReceived: 2, BytesReceived: 3000, ExpiringSoon: 1}) {
		t.Fatalf("all: %+v", st)
	}
	if st := stats("&status=revoked"); st != (model.UploadLinkStats{TotalLinks: 1}) {
		t.Fatalf("revoked: %+v", st)
	}
	// No SMTP server here: the mails never go out, so the links stay pending.
	if got := strings.Join(list("&status=pending"), ","); got != "Beta,Alpha shoot" {
		t.Fatalf("pending: %s", got)
	}
	if got := strings.Join(list("&status=active"), ","); got != "" {
		t.Fatalf("active: %s", got)
	}
	if got := strings.Join(list("&q=BETA@x"), ","); got != "Beta" {
		t.Fatalf("search by email: %s", got)
	}
	if st := stats("&q=alpha"); st.TotalLinks != 1 || st.FilesReceived != 2 {
		t.Fatalf("stats of a search: %+v", st)
	}
	var all []model.UploadLink
	admin.Do("GET", "/api/v2/upload_links", nil, &all)
	if len(all) != 4 {
		t.Fatalf("links of every project: %d", len(all))
	}
}
