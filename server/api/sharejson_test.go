package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// publicJSON GETs a link's public JSON as a browser without a session
// does, gzip accepted or not, and returns the status and the plain body.
func publicJSON(t *testing.T, base, key string, gzip bool) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v2/public/links/"+key, nil)
	if !gzip {
		req.Header.Set("Accept-Encoding", "identity")
	}
	res, err := http.DefaultClient.Do(req) // without the header, the transport asks for gzip and decodes it
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode == 200 && len(b) >= 1024 && gzip != res.Uncompressed {
		t.Errorf("gzip accepted %v, but Content-Encoding %q", gzip, res.Header.Get("Content-Encoding"))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	return res.StatusCode, string(b)
}

// TestShareJSONKept: an open link's JSON is encoded once and served from
// memory, plain or gzip, the same document; each request still counts as
// a view; nothing of one link shows in another's.
func TestShareJSONKept(t *testing.T) {
	f := newShareFixture(t)
	a := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}})
	b := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[1]}})
	var first string
	for i, gz := range []bool{false, false, true, true} {
		status, body := publicJSON(t, f.s.URL, a.Key, gz)
		if status != 200 {
			t.Fatalf("request %d: %d %s", i+1, status, body)
		}
		var p model.PublicShare
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if p.Key != a.Key || len(p.Items) != 1 || p.Items[0].Name != "harbour-1.jpg" || strings.Contains(body, b.Key) {
			t.Fatalf("request %d: not link a's own document: %s", i+1, body)
		}
		if first == "" {
			first = body
		} else if body != first {
			t.Fatalf("request %d differs from the first:\n%s\n%s", i+1, body, first)
		}
	}
	if status, body := publicJSON(t, f.s.URL, b.Key, true); status != 200 || !strings.Contains(body, "harbour-2.jpg") || strings.Contains(body, "harbour-1.jpg") {
		t.Fatalf("link b: %d %s", status, body)
	}
	var got model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+a.ID, nil, &got)
	if got.Views != 4 {
		t.Errorf("views of a after 4 requests (3 kept): %d, want 4", got.Views)
	}
	// The kept document is the one a visitor gets answered anew: compare
	// with the answer to a visitor who holds a session header (never kept).
	req, _ := http.NewRequest("GET", f.s.URL+"/api/v2/public/links/"+a.Key, nil)
	req.Header.Set("Ferry-Session", "not-a-session")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(bytes.TrimSpace(fresh), []byte(first)) {
		t.Errorf("kept and fresh answers differ:\n%s\n%s", first, fresh)
	}
}

// TestShareJSONKeptRefusals: every change that closes a link or changes
// what it shows reaches the next request for a kept document; links that
// are not open to everyone alike are never kept.
func TestShareJSONKeptRefusals(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	kept := func(t *testing.T, l model.ShareLink) {
		t.Helper()
		for i := 0; i < 2; i++ { // the second is the kept one
			if status, body := publicJSON(t, f.s.URL, l.Key, true); status != 200 || !strings.Contains(body, "harbour-") {
				t.Fatalf("request %d of %s: %d %s", i+1, l.Key, status, body)
			}
		}
	}
	link := func(t *testing.T) model.ShareLink {
		return f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, ExpiresAt: model.Set(clk.Now().Add(time.Hour))})
	}
	edit := func(t *testing.T, l model.ShareLink, req model.ShareLinkPatch) {
		t.Helper()
		wantStatus(t, "edit", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, req, nil), 200, "")
	}
	cases := []struct {
		name   string
		change func(t *testing.T, l model.ShareLink)
		status int
		check  func(t *testing.T, p model.PublicShare)
	}{
		{"revoked", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "revoke", f.admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil), 204, "")
		}, 404, nil},
		{"expired (no write)", func(t *testing.T, l model.ShareLink) { clk.Advance(2 * time.Hour) }, 410, nil},
		{"password set", func(t *testing.T, l model.ShareLink) {
			edit(t, l, model.ShareLinkPatch{Password: model.Ptr("a-new-secret")})
		}, 200,
			func(t *testing.T, p model.PublicShare) {
				if !p.NeedsPassword || len(p.Items) != 0 {
					t.Fatalf("a password link answered with its files: %+v", p)
				}
			}},
		{"max uses set", func(t *testing.T, l model.ShareLink) { edit(t, l, model.ShareLinkPatch{MaxUses: model.Set(1)}) }, 200,
			func(t *testing.T, p model.PublicShare) {
				// That visit was the one use: the next visitor is refused.
				if status, body := publicJSON(t, f.s.URL, p.Key, true); status != 410 {
					t.Fatalf("a second visitor of a link of one use: %d %s", status, body)
				}
			}},
		{"file renamed", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "rename", f.admin.Do("PUT", "/api/v2/assets/"+f.images[0], model.AssetPatch{Name: model.Ptr("jetty.jpg")}, nil), 200, "")
		}, 200, func(t *testing.T, p model.PublicShare) {
			if len(p.Items) != 1 || p.Items[0].Name != "jetty.jpg" {
				t.Fatalf("the kept document still shows the old name: %+v", p.Items)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := link(t)
			kept(t, l)
			c.change(t, l)
			status, body := publicJSON(t, f.s.URL, l.Key, true)
			if status != c.status {
				t.Fatalf("after the change: %d, want %d: %s", status, c.status, body)
			}
			if c.check != nil {
				var p model.PublicShare
				if err := json.Unmarshal([]byte(body), &p); err != nil {
					t.Fatal(err)
				}
				c.check(t, p)
			}
		})
	}
}
