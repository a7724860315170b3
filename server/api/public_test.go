package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// errorCode is the code of an error answer ("" when res is no error).
func errorCode(t *testing.T, res *http.Response, raw string) string {
	t.Helper()
	var e model.ErrorBody
	if res.StatusCode < 400 || json.Unmarshal([]byte(raw), &e) != nil || len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Code
}

// TestPublicLinkDoors: the public link routes answer each key with the
// door of its kind (api/public.go). A route a kind does not offer is a 404
// whoever calls it, an unlock body with the other kind's secret is a 400,
// and tus uploads through a key go only where that kind takes them.
func TestPublicLinkDoors(t *testing.T) {
	f := newShareFixture(t)
	share := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}})
	var review model.ReviewLink
	name := "Doors"
	if res := f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: &name}, &review); res.StatusCode != 201 {
		t.Fatalf("create review link: %d %s", res.StatusCode, body(res))
	}
	if res := f.admin.Do("POST", "/api/v2/review_links/"+review.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[1]}}, nil); res.StatusCode != 200 {
		t.Fatalf("review assets: %d %s", res.StatusCode, body(res))
	}
	upload := createLink(t, f.admin, model.NewUploadLink{ProjectID: f.project, Name: "Doors in", RecipientEmail: "in@doors.example"})
	const unknown = "NoSuchKeyAnywhere"

	// Each kind's page, whoever asks.
	for _, who := range []struct {
		name string
		c    *testkit.Client
	}{{"anonymous", f.s.Client(t)}, {"admin", f.admin}} {
		for key, kind := range map[string]string{share.Key: "share", review.Key: "review", upload.Key: "upload"} {
			// Partial on purpose: the kind and key of any kind of link's page.
			var page struct {
				Kind string `json:"kind"`
				Key  string `json:"key"`
			}
			res := who.c.Do("GET", "/api/v2/public/links/"+key, nil, &page)
			if res.StatusCode != 200 || page.Kind != kind || page.Key != key || res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: page of a %s link: %d %+v cache %q", who.name, kind, res.StatusCode, page, res.Header.Get("Cache-Control"))
			}
		}
	}

	refusals := []struct {
		name, method, path string
		in                 any
		status             int
		code               string
	}{
		{"unknown key's page", "GET", "/api/v2/public/links/" + unknown, nil, 404, "not_found"},
		{"register on a review link", "POST", "/api/v2/public/links/" + review.Key + "/register", model.RegisterRequest{}, 404, "not_found"},
		{"register on an upload link", "POST", "/api/v2/public/links/" + upload.Key + "/register", model.RegisterRequest{}, 404, "not_found"},
		{"register on an unknown key", "POST", "/api/v2/public/links/" + unknown + "/register", model.RegisterRequest{}, 404, "not_found"},
		{"reviewer name on a share link", "POST", "/api/v2/public/links/" + share.Key + "/reviewer", model.ReviewerName{Name: "Eve"}, 404, "not_found"},
		{"reviewer name on an upload link", "POST", "/api/v2/public/links/" + upload.Key + "/reviewer", model.ReviewerName{Name: "Eve"}, 404, "not_found"},
		{"reviewer name on an unknown key", "POST", "/api/v2/public/links/" + unknown + "/reviewer", model.ReviewerName{Name: "Eve"}, 404, "not_found"},
		{"a file through an upload link", "GET", "/api/v2/public/links/" + upload.Key + "/assets/" + f.images[0] + "/thumb", nil, 404, "not_found"},
		{"a file through an unknown key", "GET", "/api/v2/public/links/" + unknown + "/assets/" + f.images[0] + "/thumb", nil, 404, "not_found"},
		{"a share link's file through a review link", "GET", "/api/v2/public/links/" + review.Key + "/assets/" + f.images[0] + "/thumb", nil, 404, ""},
		{"a password for an upload link", "POST", "/api/v2/public/links/" + upload.Key + "/unlock", model.Unlock{Password: "123456"}, 400, "invalid_json"},
		{"a passcode for a share link", "POST", "/api/v2/public/links/" + share.Key + "/unlock", model.Unlock{Passcode: "123456"}, 400, "invalid_json"},
		{"a passcode for a review link", "POST", "/api/v2/public/links/" + review.Key + "/unlock", model.Unlock{Passcode: "123456"}, 400, "invalid_json"},
		{"a wrong passcode for an upload link", "POST", "/api/v2/public/links/" + upload.Key + "/unlock", model.Unlock{Passcode: "000000"}, 401, "wrong_passcode"},
		{"unlock of an unknown key", "POST", "/api/v2/public/links/" + unknown + "/unlock", model.Unlock{Password: "whatever1"}, 404, "not_found"},
	}
	for _, who := range []struct {
		name string
		c    *testkit.Client
	}{{"anonymous", f.s.Client(t)}, {"admin", f.admin}, {"token", f.s.TokenClient(t, "share_links.read", "review_links.read", "upload_links.read")}} {
		for _, r := range refusals {
			if r.code == "wrong_passcode" && who.name != "anonymous" {
				continue // each wrong passcode counts towards the link's lock
			}
			res := who.c.Do(r.method, r.path, r.in, nil)
			raw := body(res)
			if res.StatusCode != r.status || (r.code != "" && errorCode(t, res, raw) != r.code) {
				t.Errorf("%s: %s: %d %s, want %d %s", who.name, r.name, res.StatusCode, raw, r.status, r.code)
			}
		}
	}

	// The doors that do answer: a reviewer names themself on the review
	// link; the recipient unlocks the upload link with the passcode.
	visitor := f.s.Client(t)
	if res := visitor.Do("POST", "/api/v2/public/links/"+review.Key+"/reviewer", model.ReviewerName{Name: "Rita"}, nil); res.StatusCode != 200 {
		t.Fatalf("reviewer on a review link: %d %s", res.StatusCode, body(res))
	}
	if res := visitor.Do("GET", "/api/v2/public/links/"+review.Key+"/assets/"+f.images[1]+"/thumb", nil, nil); res.StatusCode != 200 {
		t.Fatalf("a review link's own file: %d %s", res.StatusCode, body(res))
	}
	if res := visitor.Do("GET", "/api/v2/public/links/"+share.Key+"/assets/"+f.images[0]+"/thumb", nil, nil); res.StatusCode != 200 {
		t.Fatalf("a share link's own file: %d %s", res.StatusCode, body(res))
	}
	in := recipient(t, f.s, upload, upload.Passcode)

	// tus through a key: only the kinds that take uploads let it through.
	for _, key := range []string{review.Key, unknown} {
		c := f.s.Client(t)
		c.Header = http.Header{"Ferry-Link": {key}}
		if res := c.TusCreate(map[string]string{"filename": "x.jpg"}, 3, nil); res.StatusCode != 404 {
			t.Errorf("tus through %s: %d %s", key, res.StatusCode, body(res))
		}
	}
	if res := in.TusCreate(map[string]string{"filename": "x.jpg"}, 3, nil); res.StatusCode != 201 {
		t.Errorf("tus through the unlocked upload link: %d %s", res.StatusCode, body(res))
	}
	viewOnly := f.s.Client(t)
	viewOnly.Header = http.Header{"Ferry-Link": {share.Key}}
	if res := viewOnly.TusCreate(map[string]string{"filename": "x.jpg"}, 3, nil); res.StatusCode != 403 {
		t.Errorf("tus through a share link that takes no uploads: %d %s", res.StatusCode, body(res))
	}
}
