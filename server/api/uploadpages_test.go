package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// uploadPage GETs an upload link's page with c's cookies as a browser does
// (gzip accepted) and says whether the passcode gate is prerendered in it.
func uploadPage(t *testing.T, c *testkit.Client, key, cookie string) (gate bool, html string) {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+"/u/"+key, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("/u/%s: %d %s", key, res.StatusCode, b)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("/u/%s: Cache-Control %q, want no-store", key, cc)
	}
	h := string(b)
	gate = strings.Contains(h, `id="passcode-form"`)
	if gate != strings.Contains(h, `id="upload-data"`) {
		t.Errorf("/u/%s: the gate and its data come together or not at all", key)
	}
	return gate, h
}

// TestUploadPagePrerendered: an upload link's page carries the passcode
// gate for a visitor without a session, so the passcode can be typed before
// the wasm runs, and only then: a recipient with a session, a made-up
// session, a revoked or unknown link get the page the app fills in.
func TestUploadPagePrerendered(t *testing.T) {
	s := testkit.Start(t)
	admin := s.Admin(t)
	project, _ := linkProject(t, admin, "Autumn")
	l := createLink(t, admin, model.NewUploadLink{ProjectID: project, Name: "Harbour drop", RecipientEmail: "jane@photo.example",
		RecipientName: "Jane", Message: "RAW files from Tuesday"})

	anon := s.Client(t)
	gate, h := uploadPage(t, anon, l.Key, "")
	if !gate {
		t.Fatal("a visitor without a session got no passcode gate")
	}
	for _, want := range []string{"Harbour drop", "RAW files from Tuesday", `method="post"`, "<title>Harbour drop</title>"} {
		if !strings.Contains(h, want) {
			t.Errorf("the gate page lacks %q", want)
		}
	}
	if strings.Contains(h, "jane@photo.example") {
		t.Error("the gate page shows the recipient's address")
	}
	// go-app writes Disabled(false) as disabled="false", which a browser
	// reads as disabled: the prerendered form must carry no such attribute.
	if form := h[strings.Index(h, `id="passcode-form"`):]; strings.Contains(form[:strings.Index(form, "</form>")], "disabled") {
		t.Error("the prerendered passcode form has a disabled control")
	}

	rc := recipient(t, s, l, l.Passcode)
	if gate, _ := uploadPage(t, rc, l.Key, ""); gate {
		t.Error("a recipient with a session got the passcode gate")
	}
	if gate, _ := uploadPage(t, anon, l.Key, "ferry_link_"+l.Key+"=made-up"); gate {
		t.Error("a made-up session got the prerendered gate (the app decides with the server)")
	}
	if gate, _ := uploadPage(t, anon, "NoSuchKey0000000000000", ""); gate {
		t.Error("an unknown link got a passcode gate")
	}
	if res := admin.Do("DELETE", "/api/v2/upload_links/"+l.ID, nil, nil); res.StatusCode >= 300 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if gate, h := uploadPage(t, anon, l.Key, ""); gate || strings.Contains(h, "RAW files from Tuesday") {
		t.Error("a revoked link's page still asks for the passcode")
	}
	res, err := http.Head(s.URL + "/u/" + l.Key)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", res, err)
	}
}
