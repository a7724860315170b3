package api_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/testkit"
)

// FuzzContentDisposition: no file name can break the header.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"a.jpg", "naïve \"quote\".pdf", "x\r\nSet-Cookie: a=b", "%41;filename=evil", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		h := api.ContentDisposition("attachment", name)
		if strings.ContainsAny(h, "\r\n\x00") || !strings.HasPrefix(h, `attachment; filename="`) {
			t.Fatalf("ContentDisposition(%q) = %q", name, h)
		}
		if strings.Count(h, `"`) != 2 {
			t.Fatalf("ContentDisposition(%q) = %q: quotes inside the ASCII name", name, h)
		}
	})
}

// fuzzServer starts a server for one fuzz target, with an upload link and
// a share link whose keys the corpus aims at.
func fuzzServer(f *testing.F) (*testkit.Server, []string) {
	s := testkit.Start(f)
	admin := s.Admin(f)
	var p model.Project
	admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Fuzz"}, &p)
	id := admin.Upload(p.RootAssetID, "a.txt", []byte("hello"))
	var ul model.UploadLink
	var sl model.ShareLink
	admin.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: p.ID, RecipientEmail: "a@b.example"}, &ul)
	admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, Password: "password-1"}, &sl)
	if ul.Key == "" || sl.Key == "" {
		f.Fatal("fuzz fixture: links not created")
	}
	return s, []string{ul.Key, sl.Key}
}

// FuzzPublicLinks: whatever a stranger sends to the public link routes and
// tus through a link, the answer is never a 5xx.
func FuzzPublicLinks(f *testing.F) {
	s, keys := fuzzServer(f)
	for _, k := range keys {
		f.Add(k, `{"passcode":"123456"}`, "filename aGVsbG8=", int64(5))
		f.Add(k, `{"password":"password-1"}`, "relative_path Li4vLi4vZXRjL3Bhc3N3ZA==,filename eA==", int64(0))
	}
	f.Add("nope", `{"passcode":"12345678901234567890"}`, "filename", int64(-1))
	f.Add("../x", `[1,2`, "", int64(1<<62))
	f.Fuzz(func(t *testing.T, key, unlockBody, meta string, size int64) {
		c := s.Client(t)
		c.Header = http.Header{"Ferry-Link": {headerSafe(key)}}
		check := func(what string, res *http.Response) {
			if res.StatusCode >= 500 {
				t.Fatalf("%s (key %q): %d %s", what, key, res.StatusCode, body(res))
			}
		}
		k := url.PathEscape(key)
		if k == "" {
			k = "x"
		}
		check("public", c.Do("GET", "/api/v2/public/links/"+k, nil, nil))
		check("unlock", c.Do("POST", "/api/v2/public/links/"+k+"/unlock", []byte(unlockBody), nil))
		check("zip", c.Do("GET", "/api/v2/public/links/"+k+"/zip", nil, nil))
		req, _ := http.NewRequest("POST", s.URL+testkit.TusEndpoint, nil)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Length", strconv.FormatInt(size, 10))
		req.Header.Set("Upload-Metadata", headerSafe(meta))
		check("tus create", c.Send(req, nil))
	})
}

// FuzzCreateBodies: malformed JSON bodies for the create endpoints answer 4xx.
func FuzzCreateBodies(f *testing.F) {
	s, _ := fuzzServer(f)
	admin := s.Admin(f)
	f.Add(`{"project_id":"x","recipient_email":"a@b","max_files":-1}`)
	f.Add(`{"kind":"public","asset_ids":["` + strings.Repeat("a", 36) + `"],"max_uses":1e99}`)
	f.Add(`{"kind":"download","folder_id":null,"expires_at":"yesterday"}`)
	f.Add(`{"name":"\u0000","allow_proxies":[null]}`)
	f.Fuzz(func(t *testing.T, in string) {
		admin := *admin
		admin.T = t
		for _, path := range []string{"/api/v2/upload_links", "/api/v2/share_links", "/api/v2/projects"} {
			req, _ := http.NewRequest("POST", s.URL+path, bytes.NewReader([]byte(in)))
			req.Header.Set("Content-Type", "application/json")
			res := admin.Send(req, nil)
			if res.StatusCode >= 500 {
				t.Fatalf("POST %s %q: %d %s", path, in, res.StatusCode, body(res))
			}
		}
	})
}

// headerSafe drops what Go's HTTP client refuses to send in a header, so
// the corpus tests the server rather than the client.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 {
			return -1
		}
		return r
	}, s)
}
