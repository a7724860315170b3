package api_test

import (
	"image/color"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// sharePage GETs a share page as a browser does (gzip accepted) and says
// whether it carries the gallery's data.
func sharePage(t *testing.T, base, path string) (gallery bool, html string) {
	t.Helper()
	res, err := http.Get(base + path) // the transport asks for gzip and decodes it
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	if !res.Uncompressed {
		t.Errorf("%s came uncompressed (Content-Encoding %q)", path, res.Header.Get("Content-Encoding"))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
	}
	return strings.Contains(string(b), `id="share-data"`), string(b)
}

// TestSharePageKept: a gallery page is rendered once and served from memory
// (the same bytes: go-app's renders differ in attribute order), each visit
// still counts, and nothing of one link shows on another's page.
func TestSharePageKept(t *testing.T) {
	f := newShareFixture(t)
	a := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}})
	b := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[1]}})
	for _, path := range []string{"/s/" + a.Key, "/s/" + a.Key + "/embed"} {
		g1, h1 := sharePage(t, f.s.URL, path)
		g2, h2 := sharePage(t, f.s.URL, path)
		if !g1 || !g2 || !strings.Contains(h1, "harbour-1.jpg") {
			t.Fatalf("%s: no gallery of harbour-1.jpg", path)
		}
		if h1 != h2 {
			t.Errorf("%s: the second visit was rendered again, not served as kept", path)
		}
		if strings.Contains(h1, "harbour-2.jpg") || strings.Contains(h1, b.Key) {
			t.Errorf("%s shows another link's file or key", path)
		}
	}
	gb, hb := sharePage(t, f.s.URL, "/s/"+b.Key)
	if !gb || !strings.Contains(hb, "harbour-2.jpg") || strings.Contains(hb, "harbour-1.jpg") || strings.Contains(hb, a.Key) {
		t.Fatalf("link b's page shows link a's content or not its own")
	}
	var got model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+a.ID, nil, &got)
	if got.Views != 4 {
		t.Errorf("views of a after 4 page visits (2 kept): %d, want 4", got.Views)
	}
	// A chat app drawing the link's preview, or a crawler, is no visit.
	for _, ua := range []string{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"facebookexternalhit/1.1", "WhatsApp/2.23.20.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"} {
		req, _ := http.NewRequest("GET", f.s.URL+"/s/"+a.Key, nil)
		req.Header.Set("User-Agent", ua)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", ua, res.StatusCode)
		}
	}
	f.admin.Do("GET", "/api/v2/share_links/"+a.ID, nil, &got)
	if got.Views != 4 {
		t.Errorf("link previews and crawlers counted as views: %d, want 4", got.Views)
	}
	// A query (an invitation, a visitor's own parameters) is rendered per
	// request; an invitation's view counts when the app claims it.
	if g, _ := sharePage(t, f.s.URL, "/s/"+a.Key+"?invite=nope"); !g {
		t.Fatal("a page with a query lost its gallery")
	}
	f.admin.Do("GET", "/api/v2/share_links/"+a.ID, nil, &got)
	if got.Views != 4 {
		t.Errorf("a page with ?invite= counted a view: %d", got.Views)
	}
}

// TestSharePageKeptRefusals: every change that closes a link or changes
// what it shows reaches the next visitor of a kept page.
func TestSharePageKeptRefusals(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	visit := func(t *testing.T, l model.ShareLink) string {
		t.Helper()
		g, h := sharePage(t, f.s.URL, "/s/"+l.Key)
		g2, h2 := sharePage(t, f.s.URL, "/s/"+l.Key) // now kept
		if !g || !g2 || h != h2 {
			t.Fatalf("the gallery of %s was not kept", l.Key)
		}
		return h
	}
	closed := func(t *testing.T, path, what string) {
		t.Helper()
		g, h := sharePage(t, f.s.URL, path)
		if g || strings.Contains(h, "harbour-") {
			t.Fatalf("%s: the kept gallery was served after %s", path, what)
		}
	}
	link := func(t *testing.T, change func(*model.NewShareLink)) model.ShareLink {
		req := model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}}
		if change != nil {
			change(&req)
		}
		return f.create(t, req)
	}
	edit := func(t *testing.T, l model.ShareLink, req model.ShareLinkPatch) {
		t.Helper()
		wantStatus(t, "edit", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, req, nil), 200, "")
	}
	t.Run("revoked", func(t *testing.T) {
		l := link(t, nil)
		visit(t, l)
		wantStatus(t, "revoke", f.admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil), 204, "")
		closed(t, "/s/"+l.Key, "a revoke")
		closed(t, "/s/"+l.Key+"/embed", "a revoke")
	})
	t.Run("password", func(t *testing.T) {
		l := link(t, nil)
		visit(t, l)
		edit(t, l, model.ShareLinkPatch{Password: model.Ptr("a-new-secret")})
		closed(t, "/s/"+l.Key, "a password was set")
		closed(t, "/s/"+l.Key, "a password was set") // the gate is not kept as the gallery either
	})
	t.Run("expired", func(t *testing.T) {
		l := link(t, func(r *model.NewShareLink) { r.ExpiresAt = model.Set(clk.Now().Add(time.Hour)) })
		visit(t, l)
		clk.Advance(time.Hour)
		closed(t, "/s/"+l.Key, "expiry (no write in between)")
	})
	t.Run("max uses", func(t *testing.T) {
		l := link(t, nil)
		visit(t, l)
		edit(t, l, model.ShareLinkPatch{MaxUses: model.Set(1)})
		closed(t, "/s/"+l.Key, "max uses were set") // a visit is a use: the page no longer carries the gallery
	})
	t.Run("rekeyed", func(t *testing.T) {
		wantStatus(t, "allow custom keys", f.admin.Do("PUT", "/api/v2/settings/sharing", model.SharingSettings{AllowCustomURLs: true}, nil), 200, "")
		l := link(t, nil)
		visit(t, l)
		edit(t, l, model.ShareLinkPatch{Key: model.Ptr("Kept" + l.Key[:8])})
		res, err := http.Get(f.s.URL + "/s/" + l.Key)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), "harbour-") || strings.Contains(string(b), `id="share-data"`) {
			t.Fatal("the old key still serves the kept gallery")
		}
	})
	t.Run("file renamed and deleted", func(t *testing.T) {
		id := f.admin.Upload(f.root, "pier.jpg", jpegBytes(t, 300, 200, color.RGBA{90, 90, 200, 255}), "filetype", "image/jpeg")
		l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{id, f.images[2]}})
		if h := visit(t, l); !strings.Contains(h, "pier.jpg") {
			t.Fatal("pier.jpg missing")
		}
		wantStatus(t, "rename", f.admin.Do("PUT", "/api/v2/assets/"+id, model.AssetPatch{Name: model.Ptr("jetty.jpg")}, nil), 200, "")
		if _, h := sharePage(t, f.s.URL, "/s/"+l.Key); strings.Contains(h, "pier.jpg") || !strings.Contains(h, "jetty.jpg") {
			t.Fatal("the kept page still shows the old name")
		}
		wantStatus(t, "delete", f.admin.Do("DELETE", "/api/v2/assets/"+id, nil, nil), 200, "")
		if _, h := sharePage(t, f.s.URL, "/s/"+l.Key); strings.Contains(h, "jetty.jpg") || !strings.Contains(h, "harbour-3.jpg") {
			t.Fatal("the kept page still shows the deleted file")
		}
	})
}

// TestShareThumbsKeptRefusals: what a visitor without a session may look at
// is decided once per change of the database; every change that closes a
// link or takes a file out of it refuses the next request.
func TestShareThumbsKeptRefusals(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	status := func(t *testing.T, key, id, rest string) int {
		t.Helper()
		res, err := http.Get(f.s.URL + "/api/v2/public/links/" + key + "/assets/" + id + "/" + rest)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	looked := func(t *testing.T, l model.ShareLink, id string) {
		t.Helper()
		for i := 0; i < 2; i++ { // the second is the kept decision
			if got := status(t, l.Key, id, "thumb"); got != 200 {
				t.Fatalf("thumb %d of %s: %d", i+1, l.Key, got)
			}
		}
	}
	link := func(t *testing.T, change func(*model.NewShareLink)) model.ShareLink {
		req := model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, AllowProxies: []string{}}
		if change != nil {
			change(&req)
		}
		return f.create(t, req)
	}
	cases := []struct {
		name   string
		change func(t *testing.T, l model.ShareLink)
		want   int
	}{
		{"revoked", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "revoke", f.admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil), 204, "")
		}, 404},
		{"password set", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "password", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{Password: model.Ptr("a-new-secret")}, nil), 200, "")
		}, 401},
		{"max uses set", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "max uses", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{MaxUses: model.Set(1)}, nil), 200, "")
		}, 401},
		{"expired (no write)", func(t *testing.T, l model.ShareLink) { clk.Advance(2 * time.Hour) }, 410},
		{"file deleted", func(t *testing.T, l model.ShareLink) {
			wantStatus(t, "delete", f.admin.Do("DELETE", "/api/v2/assets/"+f.images[2], nil, nil), 200, "")
		}, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := f.images[0]
			l := link(t, func(r *model.NewShareLink) {
				r.ExpiresAt = model.Set(clk.Now().Add(time.Hour))
				if c.name == "file deleted" {
					id = f.images[2]
					r.AssetIDs = []string{id, f.images[1]} // the link stays
				}
			})
			looked(t, l, id)
			c.change(t, l)
			if got := status(t, l.Key, id, "thumb"); got != c.want {
				t.Fatalf("thumb after the change: %d, want %d", got, c.want)
			}
		})
	}
	t.Run("across links and downloads", func(t *testing.T) {
		a := link(t, nil)
		b := link(t, func(r *model.NewShareLink) { r.AssetIDs = []string{f.images[1]} })
		looked(t, a, f.images[0])
		looked(t, b, f.images[1])
		if got := status(t, a.Key, f.images[1], "thumb"); got != 404 {
			t.Errorf("link b's file through link a: %d", got)
		}
		// Looking was kept; downloading is decided on its own and this
		// link allows none.
		if got := status(t, a.Key, f.images[0], "thumb?download=1"); got != 403 {
			t.Errorf("a download through a link without downloads: %d", got)
		}
		if got := status(t, a.Key, f.images[0], "large"); got != 403 {
			t.Errorf("large through a link that allows none: %d", got)
		}
	})
}
