package api_test

import (
	"image/color"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// uploadPage GETs an upload link's page with c's cookies as a browser does
// (gzip accepted) and says whether the passcode gate is prerendered in it.
func uploadPage(t *testing.T, c *testkit.Client, key, cookie string) (gate bool, html string) {
	t.Helper()
	h := gatePage(t, c, "/u/"+key, cookie)
	gate = strings.Contains(h, `id="passcode-form"`)
	if gate != strings.Contains(h, `id="upload-data"`) {
		t.Errorf("/u/%s: the gate and its data come together or not at all", key)
	}
	return gate, h
}

// gatePage GETs a link's page with c's cookies (and cookie) as a browser
// does (gzip accepted), uncached.
func gatePage(t *testing.T, c *testkit.Client, path, cookie string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+path, nil)
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
		t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
	}
	return string(b)
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

// TestReviewPagePrerendered: a review link's page carries its gate (the
// password, or the reviewer's name) for a reviewer without a session, with
// no item, and without starting a session or counting a view; a reviewer
// with a session and a used or unknown link get the page the app fills in.
func TestReviewPagePrerendered(t *testing.T) {
	s := testkit.Start(t)
	admin := s.Admin(t)
	project, root := linkProject(t, admin, "Autumn")
	id := admin.Upload(root, "harbour-secret.jpg", jpegBytes(t, 300, 200, color.RGBA{90, 90, 200, 255}), "filetype", "image/jpeg")
	mk := func(in model.ReviewLinkInput) model.ReviewLink {
		rl, err := admin.API().CreateReviewLink(project, in)
		wantErr(t, "create review link", err, 0, "")
		if _, err := admin.API().AddReviewAssets(rl.ID, []string{id}); err != nil {
			t.Fatal(err)
		}
		return rl
	}
	open := mk(model.ReviewLinkInput{Name: model.Ptr("Open review")})
	locked := mk(model.ReviewLinkInput{Name: model.Ptr("Locked review"), Password: model.Ptr("reviewer-pass-1")})
	anon := s.Client(t)
	for _, c := range []struct {
		rl   model.ReviewLink
		gate string
	}{{open, `id="reviewer-name-form"`}, {locked, `id="review-password-form"`}} {
		h := gatePage(t, anon, "/r/"+c.rl.Key, "")
		if !strings.Contains(h, c.gate) || !strings.Contains(h, c.rl.Name) || !strings.Contains(h, `method="post"`) {
			t.Errorf("%s: no prerendered gate %s", c.rl.Name, c.gate)
		}
		if c.rl.Key == open.Key && !strings.Contains(h, "feedback on 1 item.") {
			t.Errorf("%s: the name gate does not say how many items wait", c.rl.Name)
		}
		if strings.Contains(h, "harbour-secret") || strings.Contains(h, id) {
			t.Errorf("%s: the gate page shows an item", c.rl.Name)
		}
		base, _ := url.Parse(anon.Base)
		for _, ck := range anon.HTTP.Jar.Cookies(base) {
			if ck.Name == "ferry_link_"+c.rl.Key {
				t.Errorf("%s: the prerendered page started a session", c.rl.Name)
			}
		}
		got, err := admin.API().ReviewLink(c.rl.ID)
		wantErr(t, "get review link", err, 0, "")
		if got.ViewCount != 0 {
			t.Errorf("%s: %d views after the prerendered page, want 0", c.rl.Name, got.ViewCount)
		}
	}
	// With a session (the app's first load starts one), the app draws it.
	var v model.PublicReview
	if res := anon.Do("GET", "/api/v2/public/links/"+open.Key, nil, &v); res.StatusCode != 200 {
		t.Fatalf("public review: %d", res.StatusCode)
	}
	if h := gatePage(t, anon, "/r/"+open.Key, ""); strings.Contains(h, "reviewer-name-form") {
		t.Error("a reviewer with a session got the prerendered gate")
	}
	if h := gatePage(t, anon, "/r/NoSuchKey0000000000000", ""); strings.Contains(h, "-form") {
		t.Error("an unknown review link got a gate")
	}
	if err := admin.API().DeleteReviewLink(open.ID); err != nil {
		t.Fatal(err)
	}
	if h := gatePage(t, s.Client(t), "/r/"+open.Key, ""); strings.Contains(h, "reviewer-name-form") {
		t.Error("a deleted review link still asks for the reviewer's name")
	}
}
