package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestUploadLinkRecipient is an outside contributor on a phone: the link's
// page asks for the passcode (a wrong one is refused with a reason), then
// takes files; a file over the link's per-file limit is refused before it
// is sent; a big file cut off by closing the page resumes when picked again,
// without a new passcode; what arrived is listed.
func TestUploadLinkRecipient(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p model.Project
	c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Autumn Campaign"}, &p)
	var l model.UploadLink
	res := c.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: p.ID, Name: "Harbour shoot", RecipientEmail: "jane@photo.example", RecipientName: "Jane", ExpiresInDays: model.Ptr[int](14), MaxFileMB: model.Ptr[int64](64), Message: "Hi Jane, RAW files from Tuesday please.\nName them HARBOUR_###."}, &l)
	if res.StatusCode != 201 {
		t.Fatalf("create link: %d", res.StatusCode)
	}
	dir := t.TempDir()
	data := make([]byte, 48<<20)
	rand.Read(data)
	big := filepath.Join(dir, "HARBOUR_001.CR3")
	os.WriteFile(big, data, 0o600)
	tooBig := filepath.Join(dir, "HARBOUR_002.MOV")
	if f, err := os.Create(tooBig); err == nil {
		f.Truncate(65 << 20) // sparse: the server refuses it by its size
		f.Close()
	}

	ctx := testkit.Browser(t, 390, 844)
	run(t, ctx, "open the link",
		chromedp.Navigate(srv.URL+"/u/"+l.Key),
		present("#app-ready"),
		visible("#passcode"),
	)
	run(t, ctx, "numeric keyboard", waitAttr("#passcode", "inputmode", "numeric"))
	testkit.Screenshot(t, ctx, "upload-link-passcode-phone")
	wrong := "000000"
	if l.Passcode == wrong {
		wrong = "111111"
	}
	run(t, ctx, "a wrong passcode",
		setValue("#passcode", wrong),
		click("#passcode-submit"),
		waitFor(`document.querySelector('.alert-error').innerText.toLowerCase().includes('wrong passcode')`),
	)
	testkit.Screenshot(t, ctx, "upload-link-wrong-passcode-phone")
	run(t, ctx, "the right passcode, pasted with a space",
		setValue("#passcode", l.Passcode[:3]+" "+l.Passcode[3:]),
		click("#passcode-submit"),
		visible("#link-drop"),
	)
	testkit.Screenshot(t, ctx, "upload-link-drop-phone")

	var errText string
	run(t, ctx, "a file over the per-file limit",
		pickFiles("#link-file-input", tooBig),
		evalUntil("the over-limit error", `(() => { const s = window.ferryUploads.state().find(x => x.name === 'HARBOUR_002.MOV');
			return s && s.status === 'failed' ? s.error : '' })()`, &errText,
			func(s string) bool { return strings.Contains(s, "accepts files up to 64.0 MiB") }),
	)
	var sent float64
	runFor(t, ctx, 3*time.Minute, "start the big file and cut it",
		chromedp.Evaluate(`window.ferryUploads.chunkSize = 256 * 1024`, nil),
		pickFiles("#link-file-input", big),
		evalUntil("2 MiB sent, then paused", `(() => { const s = window.ferryUploads.state().find(x => x.name === 'HARBOUR_001.CR3');
			if (s && s.sent > 2*1024*1024) { window.ferryUploads.pauseAll(); return s.sent } return 0 })()`, &sent,
			func(n float64) bool { return n > 0 }),
	)
	testkit.Screenshot(t, ctx, "upload-link-progress-phone")
	runFor(t, ctx, 3*time.Minute, "close the page and come back: still unlocked",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(srv.URL+"/u/"+l.Key),
		visible("#link-drop"),
		pickFiles("#link-file-input", big),
		visible(`#received .pub-file`),
	)
	testkit.Screenshot(t, ctx, "upload-link-received-phone")
	var listed string
	run(t, ctx, "the list", waitText("#received", &listed, "HARBOUR_001.CR3"))
	if strings.Contains(listed, "HARBOUR_002") {
		t.Errorf("received list: %q", listed)
	}
	if n := metric(t, srv.URL, `ferry_http_requests_total{method="POST",route="/api/v2/tus",status="201"}`); n != 1 {
		t.Errorf("%d tus creations, want 1 (the upload restarted instead of resuming)", n)
	}
	var got []model.Asset
	c.Do("GET", "/api/v2/assets/"+l.FolderID+"/children", nil, &got)
	if len(got) != 1 || got[0].Name != "HARBOUR_001.CR3" || got[0].CreatorName != "Jane via upload link Harbour shoot" {
		t.Fatalf("the link's folder holds %+v", got)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v2/assets/"+got[0].ID+"/original", nil)
	b, _ := io.ReadAll(c.Send(req, nil).Body)
	if sha256.Sum256(b) != sha256.Sum256(data) {
		t.Fatal("the resumed upload is not byte-identical")
	}

	// The same page on a desktop, and after the owner revokes the link.
	desk := testkit.Browser(t, 1280, 800)
	run(t, desk, "desktop", chromedp.Navigate(srv.URL+"/u/"+l.Key), visible("#passcode"))
	testkit.Screenshot(t, desk, "upload-link-passcode-desktop")
	c.Do("DELETE", "/api/v2/upload_links/"+l.ID, nil, nil)
	run(t, ctx, "revoked",
		chromedp.Navigate(srv.URL+"/u/"+l.Key),
		visible("#link-closed"),
		waitFor(`document.querySelector('#link-closed').innerText === 'This link is no longer active'`),
	)
	testkit.Screenshot(t, ctx, "upload-link-revoked-phone")
	noBrowserErrors(t, ctx)
}
