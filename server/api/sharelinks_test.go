package api_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

func jpegBytes(t *testing.T, w, h int, c color.RGBA) []byte { return testkit.JPEG(t, w, h, c) }

// shareFixture is a project with three images (proxies ready) and a PDF.
type shareFixture struct {
	s       *testkit.Server
	admin   *testkit.Client
	project string
	root    string
	images  []string
	pdf     string
	data    map[string][]byte
}

func newShareFixture(t *testing.T, mod ...func(*config.Config)) *shareFixture {
	t.Helper()
	return newShareFixtureAt(t, nil, mod...)
}

// newShareFixtureAt is newShareFixture with the server's time on clk.
func newShareFixtureAt(t *testing.T, clk *clock.Clock, mod ...func(*config.Config)) *shareFixture {
	t.Helper()
	s := startAt(t, clk, mod...)
	f := &shareFixture{s: s, admin: s.Admin(t), data: map[string][]byte{}}
	f.project, f.root = linkProject(t, f.admin, "Harbour")
	for i, c := range []color.RGBA{{200, 40, 40, 255}, {40, 160, 40, 255}, {40, 40, 200, 255}} {
		b := jpegBytes(t, 900, 600, c)
		id := f.admin.Upload(f.root, fmt.Sprintf("harbour-%d.jpg", i+1), b, "filetype", "image/jpeg")
		f.images = append(f.images, id)
		f.data[id] = b
	}
	f.pdf = f.admin.Upload(f.root, "terms.pdf", []byte("%PDF-1.4 not really"), "filetype", "application/pdf")
	f.data[f.pdf] = []byte("%PDF-1.4 not really")
	f.admin.WaitProxies(t, 20*time.Second, f.images...)
	return f
}

func (f *shareFixture) create(t *testing.T, req model.NewShareLink) model.ShareLink {
	t.Helper()
	l, err := f.admin.API().CreateShareLink(req)
	wantErr(t, fmt.Sprintf("create share link %+v", req), err, 0, "")
	return l
}

func get(t *testing.T, c *testkit.Client, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+path, nil)
	res := c.Send(req, nil)
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res, b
}

func TestShareLinkGalleryAndDownloads(t *testing.T) {
	f := newShareFixture(t)
	ids := append(append([]string{}, f.images...), f.pdf)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: ids, AllowOriginal: model.Ptr(true), CollectionName: "Selects for Mia", Description: "Final picks"})
	if l.TargetType != "collection" || l.TargetName != "Selects for Mia" || !strings.HasPrefix(l.Name, "Link from ") ||
		l.URL != f.s.Config.PublicURL+"/s/"+l.Key || !strings.Contains(l.EmbedCode, "/s/"+l.Key+"/embed") {
		t.Fatalf("multi-asset link: %+v", l)
	}
	v := f.s.Client(t)
	var pub model.PublicShare
	if res := v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub); res.StatusCode != 200 {
		t.Fatalf("public: %d %s", res.StatusCode, body(res))
	}
	if pub.Kind != "share" || len(pub.Items) != 4 || pub.Items[0].ThumbURL == "" || pub.ZipURL == "" {
		t.Fatalf("public view: %+v", pub)
	}

	// Download all: a ZIP of the originals, stored, byte-identical.
	res, zb := get(t, v, pub.ZipURL)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %s", res.StatusCode, zb)
	}
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, id := range ids {
		for _, it := range pub.Items {
			if it.ID == id {
				byName[it.Name] = id
			}
		}
	}
	if len(zr.File) != 4 {
		t.Fatalf("zip holds %d files", len(zr.File))
	}
	for _, zf := range zr.File {
		if zf.Method != zip.Store {
			t.Errorf("%s is compressed (method %d)", zf.Name, zf.Method)
		}
		rc, _ := zf.Open()
		got, _ := io.ReadAll(rc)
		rc.Close()
		if sha256.Sum256(got) != sha256.Sum256(f.data[byName[zf.Name]]) {
			t.Errorf("%s in the zip differs from the original", zf.Name)
		}
	}
	// An original downloads with Range.
	req, _ := http.NewRequest("GET", f.s.URL+"/api/v2/public/links/"+l.Key+"/assets/"+f.images[0]+"/original?download=1", nil)
	req.Header.Set("Range", "bytes=0-9")
	if res := v.Send(req, nil); res.StatusCode != 206 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("ranged original: %d %v", res.StatusCode, res.Header)
	}
	// A file that is not in the link is not reachable through it.
	other := f.admin.Upload(f.root, "private.jpg", jpegBytes(t, 10, 10, color.RGBA{1, 2, 3, 255}))
	if res, _ := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+other+"/original"); res.StatusCode != 404 {
		t.Fatalf("a file outside the link: %d", res.StatusCode)
	}

	// The access log has the view, the download and the zip (written in
	// the background); CSV exports it.
	var log []model.AccessLogEntry
	poll.True(10*time.Second, func() bool {
		log = nil
		f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/access_log", nil, &log)
		return len(log) >= 3
	})
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
		if e.Address == "" {
			t.Errorf("log entry without address: %+v", e)
		}
		if e.Action == "zip" && e.Bytes < int64(len(zb))-100 {
			t.Errorf("zip logged %d bytes of %d", e.Bytes, len(zb))
		}
	}
	if actions["view"] != 1 || actions["zip"] != 1 || actions["download"] != 1 {
		t.Fatalf("access log: %+v", log)
	}
	res, csvb := get(t, f.admin, "/api/v2/share_links/"+l.ID+"/access_log?format=csv")
	if res.StatusCode != 200 || !strings.HasPrefix(string(csvb), "time,address,user_agent,action") || strings.Count(string(csvb), "\n") != 4 {
		t.Fatalf("csv: %d %s", res.StatusCode, csvb)
	}

	// Deleting the link: "Share not found" everywhere.
	if res := f.admin.Do("DELETE", "/api/v2/share_links/"+l.ID, nil, nil); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	for _, p := range []string{"/api/v2/public/links/" + l.Key, pub.ZipURL, "/api/v2/public/links/" + l.Key + "/assets/" + f.images[0] + "/thumb"} {
		if res, b := get(t, v, p); res.StatusCode != 404 || !strings.Contains(string(b), "Share not found") {
			t.Errorf("%s after delete: %d %s", p, res.StatusCode, b)
		}
	}
}

func TestShareLinkRights(t *testing.T) {
	f := newShareFixture(t)
	img := f.images[0]
	v := f.s.Client(t)
	base := func(l model.ShareLink) string { return "/api/v2/public/links/" + l.Key + "/assets/" + img + "/" }
	open := func(l model.ShareLink) {
		if res := v.Do("GET", "/api/v2/public/links/"+l.Key, nil, nil); res.StatusCode != 200 {
			t.Fatalf("open: %d", res.StatusCode)
		}
	}

	// View only: thumbnails and previews to look at; no original, no download, no zip.
	view := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img}})
	open(view)
	for path, want := range map[string]int{"thumb": 200, "preview": 200, "original": 403, "original?download=1": 403,
		"preview?download=1": 403, "large": 403, "huge": 404} {
		if res, b := get(t, v, base(view)+path); res.StatusCode != want {
			t.Errorf("view-only %s: %d %s (want %d)", path, res.StatusCode, b, want)
		}
	}
	if res, _ := get(t, v, "/api/v2/public/links/"+view.Key+"/zip"); res.StatusCode != 403 {
		t.Errorf("view-only zip: %d", res.StatusCode)
	}

	// Proxy only, large: the large rendition downloads; the original does not.
	px := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img}, AllowProxies: []string{"large"}})
	open(px)
	for path, want := range map[string]int{"large?download=1": 200, "large": 200, "preview?download=1": 403, "original": 403} {
		if res, b := get(t, v, base(px)+path); res.StatusCode != want {
			t.Errorf("proxy-only %s: %d %s (want %d)", path, res.StatusCode, b, want)
		}
	}
	res, zb := get(t, v, "/api/v2/public/links/"+px.Key+"/zip")
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if res.StatusCode != 200 || err != nil || len(zr.File) != 1 || zr.File[0].Name != "harbour-1 (large).jpg" {
		t.Fatalf("proxy-only zip: %d %v", res.StatusCode, err)
	}

	// Watermark: the same rendition changes with it; the original does not.
	logo := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range logo.Pix {
		logo.Pix[i] = 255
	}
	var lb bytes.Buffer
	png.Encode(&lb, logo)
	if res := f.admin.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "NORDLICHT", Position: "center", Opacity: 0.6}, nil); res.StatusCode != 200 {
		t.Fatalf("set watermark: %d %s", res.StatusCode, body(res))
	}
	wm := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img}, AllowOriginal: model.Ptr(true), Watermark: true, AllowProxies: []string{"preview"}})
	open(wm)
	_, plain := get(t, v, base(px)+"preview")
	_, marked := get(t, v, base(wm)+"preview")
	if len(marked) == 0 || bytes.Equal(plain, marked) {
		t.Fatal("the watermarked preview is the plain one")
	}
	if _, _, err := image.Decode(bytes.NewReader(marked)); err != nil {
		t.Fatalf("watermarked preview is not an image: %v", err)
	}
	if _, orig := get(t, v, base(wm)+"original"); !bytes.Equal(orig, f.data[img]) {
		t.Fatal("the original of a watermarked link is not the original")
	}
	var ws model.WatermarkSettings
	req, _ := http.NewRequest("PUT", f.s.URL+"/api/v2/settings/watermark/logo", bytes.NewReader(lb.Bytes()))
	req.Header.Set("Content-Type", "image/png")
	if res := f.admin.Send(req, &ws); res.StatusCode != 200 || !ws.HasLogo || !ws.Configured {
		t.Fatalf("logo: %d %s", res.StatusCode, body(res))
	}
	req, _ = http.NewRequest("PUT", f.s.URL+"/api/v2/settings/watermark/logo", strings.NewReader("GIF89a"))
	req.Header.Set("Content-Type", "image/png")
	if res := f.admin.Send(req, nil); res.StatusCode != 415 {
		t.Fatalf("a non-PNG logo: %d %s", res.StatusCode, body(res))
	}
	if res, b := get(t, f.admin, "/api/v2/settings/watermark/preview.jpg"); res.StatusCode != 200 || len(b) < 1000 {
		t.Fatalf("watermark preview: %d", res.StatusCode)
	}

	// Direct download link: /d/{key} is the original itself.
	d := f.create(t, model.NewShareLink{Kind: "download", AssetIDs: []string{f.pdf}})
	if d.URL != f.s.Config.PublicURL+"/d/"+d.Key {
		t.Fatalf("download link url %s", d.URL)
	}
	res, b := get(t, f.s.Client(t), "/d/"+d.Key)
	if res.StatusCode != 200 || !bytes.Equal(b, f.data[f.pdf]) || !strings.Contains(res.Header.Get("Content-Disposition"), "terms.pdf") {
		t.Fatalf("direct download: %d %v", res.StatusCode, res.Header)
	}

	// A folder link is live: a file added later appears, a deleted one vanishes.
	var folder model.Asset
	f.admin.Do("POST", "/api/v2/assets/"+f.root+"/children", model.NewAsset{Type: "folder", Name: "Day 2"}, &folder)
	fl := f.create(t, model.NewShareLink{Kind: "public", FolderID: folder.ID, AllowOriginal: model.Ptr(true)})
	late := f.admin.Upload(folder.ID, "late.jpg", jpegBytes(t, 20, 20, color.RGBA{9, 9, 9, 255}))
	var pub model.PublicShare
	v.Do("GET", "/api/v2/public/links/"+fl.Key, nil, &pub)
	if len(pub.Items) != 1 || pub.Items[0].ID != late {
		t.Fatalf("folder link after an upload: %+v", pub.Items)
	}
	f.admin.Do("DELETE", "/api/v2/assets/"+late, nil, nil)
	v.Do("GET", "/api/v2/public/links/"+fl.Key, nil, &pub)
	if len(pub.Items) != 0 {
		t.Fatalf("folder link after a delete: %+v", pub.Items)
	}
	if res, b := get(t, v, "/api/v2/public/links/"+fl.Key+"/zip"); res.StatusCode != 404 || !strings.Contains(string(b), "no files") {
		t.Fatalf("zip of an empty link: %d %s", res.StatusCode, b)
	}
	var shared map[string]int
	f.admin.Do("GET", "/api/v2/projects/"+f.project+"/shared", nil, &shared)
	if shared[folder.ID] != 1 || shared[img] != 3 {
		t.Fatalf("shared map: %v", shared)
	}
}

func TestShareLinkPasswordAndUses(t *testing.T) {
	f := newShareFixture(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, Password: "harbour-2026", AllowOriginal: model.Ptr(true)})
	if !l.HasPassword {
		t.Fatalf("has_password: %+v", l)
	}
	from := func(addr string) *testkit.Client {
		c := f.s.Client(t)
		c.Header = http.Header{"X-Forwarded-For": {addr}}
		return c
	}
	v := from("10.1.0.1")
	var pub model.PublicShare
	v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub)
	if !pub.NeedsPassword || len(pub.Items) != 0 {
		t.Fatalf("password link before the password: %+v", pub)
	}
	if res, _ := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+f.images[0]+"/thumb"); res.StatusCode != 401 {
		t.Fatalf("a file before the password: %d", res.StatusCode)
	}
	unlock := func(c *testkit.Client, pw string) *http.Response {
		return c.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: pw}, nil)
	}
	for i := 0; i < 5; i++ {
		if res := unlock(v, "wrong-password"); res.StatusCode != 401 {
			t.Fatalf("wrong password %d: %d %s", i, res.StatusCode, body(res))
		}
	}
	if res := unlock(v, "harbour-2026"); res.StatusCode != 429 {
		t.Fatalf("after 5 wrong passwords from one address: %d", res.StatusCode)
	}
	ok := from("10.1.0.2")
	if res := unlock(ok, "harbour-2026"); res.StatusCode != 200 {
		t.Fatalf("right password elsewhere: %d %s", res.StatusCode, body(res))
	}
	if res, _ := get(t, ok, "/api/v2/public/links/"+l.Key+"/assets/"+f.images[0]+"/original"); res.StatusCode != 200 {
		t.Fatalf("original after the password: %d", res.StatusCode)
	}
	// 20 wrong passwords within an hour lock the link until its owner unlocks it.
	for i := 0; i < 15; i++ {
		unlock(from(fmt.Sprintf("10.2.%d.%d", i/4, i%4)), "wrong-password")
	}
	if res := unlock(from("10.3.0.1"), "harbour-2026"); res.StatusCode != 423 {
		t.Fatalf("right password on a locked link: %d %s", res.StatusCode, body(res))
	}
	// The lock keeps new visitors out, not those who unlocked before it.
	if res, _ := get(t, ok, "/api/v2/public/links/"+l.Key); res.StatusCode != 200 {
		t.Fatalf("a visitor who unlocked before the lock: %d", res.StatusCode)
	}
	if res, _ := get(t, from("10.3.0.2"), "/api/v2/public/links/"+l.Key); res.StatusCode != 423 {
		t.Fatalf("a new visitor of a locked link: %d", res.StatusCode)
	}
	var got model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &got)
	if !got.Locked || got.Status != "locked" {
		t.Fatalf("owner view of a locked link: %+v", got)
	}
	if res := f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, model.ShareLinkPatch{Locked: model.Ptr(false), Password: model.Ptr("new-password-1")}, &got); res.StatusCode != 200 || got.Locked {
		t.Fatalf("unlock: %d %s", res.StatusCode, body(res))
	}
	if res := unlock(from("10.4.0.1"), "harbour-2026"); res.StatusCode != 401 {
		t.Fatalf("the old password after a change: %d", res.StatusCode)
	}
	if res := unlock(from("10.4.0.2"), "new-password-1"); res.StatusCode != 200 {
		t.Fatalf("the new password: %d", res.StatusCode)
	}

	// Max uses 3 under 50 concurrent new visitors (17 under 200 with make
	// soak): exactly that many get in, every other one is told the link is
	// used up, and none meets a server error (a Badger conflict must be retried).
	maxUses, visitors := testkit.SoakScale(3, 17), testkit.SoakScale(50, 200)
	m := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[1]}, MaxUses: model.Ptr(maxUses)})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var admitted []*testkit.Client
	refused := 0
	var unexpected []string
	for i := 0; i < visitors; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := f.s.Client(t)
			res := c.Do("GET", "/api/v2/public/links/"+m.Key, nil, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case res.StatusCode == 200:
				admitted = append(admitted, c)
			case res.StatusCode == 410 && testkit.ErrorCode(res) == "link_used_up":
				refused++
			default:
				unexpected = append(unexpected, fmt.Sprintf("%d %s", res.StatusCode, body(res)))
			}
		}()
	}
	wg.Wait()
	if len(admitted) != maxUses || refused != visitors-maxUses || len(unexpected) > 0 {
		t.Fatalf("%d visitors of a %d-use link: %d admitted, %d refused as used up, other answers: %q",
			visitors, maxUses, len(admitted), refused, unexpected)
	}
	// Those admitted come back without using more; a new one is refused everywhere.
	if res := admitted[0].Do("GET", "/api/v2/public/links/"+m.Key, nil, nil); res.StatusCode != 200 {
		t.Fatalf("an admitted visitor returning: %d", res.StatusCode)
	}
	if res, _ := get(t, admitted[0], "/api/v2/public/links/"+m.Key+"/assets/"+f.images[1]+"/thumb"); res.StatusCode != 200 {
		t.Fatalf("an admitted visitor's thumbnail: %d", res.StatusCode)
	}
	late := f.s.Client(t)
	if res := late.Do("GET", "/api/v2/public/links/"+m.Key, nil, nil); res.StatusCode != 410 || !strings.Contains(body(res), "link_used_up") {
		t.Fatalf("a visitor after the %d admitted: %d %s", maxUses, res.StatusCode, body(res))
	}
	f.admin.Do("GET", "/api/v2/share_links/"+m.ID, nil, &got)
	if got.Uses != maxUses || got.Status != "used_up" {
		t.Fatalf("uses (want %d): %+v", maxUses, got)
	}
}

func TestShareLinkExpiry(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	at := clk.Now().Add(time.Hour)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}, AllowOriginal: model.Ptr(true), ExpiresAt: model.Set(at)})
	d := f.create(t, model.NewShareLink{Kind: "download", AssetIDs: []string{f.images[0]}, ExpiresAt: model.Set(at)})
	v := f.s.Client(t)
	clk.Advance(time.Hour - time.Second)
	for _, p := range []string{"/api/v2/public/links/" + l.Key, "/d/" + d.Key} {
		if res, _ := get(t, v, p); res.StatusCode != 200 {
			t.Fatalf("%s a second before expiry: %d", p, res.StatusCode)
		}
	}
	clk.Advance(time.Second)
	for _, p := range []string{"/api/v2/public/links/" + l.Key, "/api/v2/public/links/" + l.Key + "/zip",
		"/api/v2/public/links/" + l.Key + "/assets/" + f.images[0] + "/original",
		"/api/v2/public/links/" + l.Key + "/assets/" + f.images[0] + "/thumb", "/d/" + d.Key} {
		if res, b := get(t, v, p); res.StatusCode != 410 || !strings.Contains(string(b), "This link has expired") {
			t.Errorf("%s after expiry: %d %s", p, res.StatusCode, b)
		}
	}
	if res := v.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: "whatever1"}, nil); res.StatusCode != 410 {
		t.Errorf("unlock after expiry: %d", res.StatusCode)
	}
}

func TestShareLinkQRAndEmbed(t *testing.T) {
	f := newShareFixture(t)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0]}})
	res, b := get(t, f.admin, "/api/v2/share_links/"+l.ID+"/qr.png")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("qr.png: %d %s", res.StatusCode, b)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	got, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || got.GetText() != l.URL {
		t.Fatalf("QR decodes to %v (%v), want %s", got, err, l.URL)
	}
	res, b = get(t, f.admin, "/api/v2/share_links/"+l.ID+"/qr.svg?download=1")
	if res.StatusCode != 200 || !strings.HasPrefix(string(b), "<svg") || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("qr.svg: %d %s", res.StatusCode, b)
	}
	res, _ = get(t, f.s.Client(t), "/s/"+l.Key+"/embed")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("embed headers: %v", res.Header)
	}
	res, _ = get(t, f.s.Client(t), "/s/"+l.Key)
	if res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("the share page may be framed: %v", res.Header)
	}
}

func TestShareLinkBadInput(t *testing.T) {
	f := newShareFixture(t)
	_, otherRoot := linkProject(t, f.admin, "Other")
	foreign := f.admin.Upload(otherRoot, "foreign.jpg", []byte("x"))
	img := f.images[0]
	past := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	for _, tc := range []struct {
		req  model.NewShareLink
		want string
	}{
		{model.NewShareLink{Kind: "public", AssetIDs: []string{"00000000-0000-0000-0000-000000000000"}}, "not found"},
		{model.NewShareLink{Kind: "public", AssetIDs: []string{img, foreign}}, "project"},
		{model.NewShareLink{Kind: "download", FolderID: f.root}, "exactly one asset"},
		{model.NewShareLink{Kind: "download", AssetIDs: []string{f.root}}, "needs a file"},
		{model.NewShareLink{Kind: "public", AssetIDs: []string{img}, ExpiresAt: model.Set(past)}, "in the past"},
		{model.NewShareLink{Kind: "public", AssetIDs: []string{img}, Password: "short"}, "at least 8 characters"},
		{model.NewShareLink{Kind: "public", AssetIDs: []string{img}, AllowProxies: []string{"huge"}}, "unknown rendition"},
		{model.NewShareLink{Kind: "public", AssetIDs: []string{img}, MaxUses: model.Ptr(0)}, "max_uses"},
		{model.NewShareLink{Kind: "public"}, "exactly one of"},
		{model.NewShareLink{Kind: "secret", AssetIDs: []string{img}}, "kind must be"},
		{model.NewShareLink{Kind: "public", FolderID: img}, "not a folder"},
	} {
		res := f.admin.Do("POST", "/api/v2/share_links", tc.req, nil)
		if res.StatusCode != 400 || !strings.Contains(body(res), tc.want) {
			t.Errorf("%v: %d %s (want 400 naming %q)", tc.req, res.StatusCode, body(res), tc.want)
		}
	}
	var all []model.ShareLink
	f.admin.Do("GET", "/api/v2/share_links", nil, &all)
	if len(all) != 0 {
		t.Fatalf("refused creations stored %d links", len(all))
	}
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{img}})
	v := f.s.Client(t)
	v.Do("GET", "/api/v2/public/links/"+l.Key, nil, nil)
	for _, p := range []string{"/api/v2/public/links/" + l.Key + "/assets/" + img + "/huge",
		"/api/v2/public/links/" + l.Key + "/assets/../../etc/passwd/original", "/api/v2/public/links/nope", "/d/nope"} {
		if res, _ := get(t, v, p); res.StatusCode != 404 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	// Another member can neither see nor change the admin's links.
	createMember(t, f.admin, "m@x.example", "member password 123")
	mem := f.s.Login(t, "m@x.example", "member password 123")
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		var in any
		if m == "PUT" {
			in = model.ShareLinkPatch{Name: model.Ptr("mine")}
		}
		if res := mem.Do(m, "/api/v2/share_links/"+l.ID, in, nil); res.StatusCode != 404 {
			t.Errorf("%s as another member: %d", m, res.StatusCode)
		}
	}
	if res := mem.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{img}}, nil); res.StatusCode != 400 {
		t.Errorf("a member sharing another's asset: %d %s", res.StatusCode, body(res))
	}
	tok := f.s.TokenClient(t, "share_links.read")
	if res := tok.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{img}}, nil); res.StatusCode != 403 || !strings.Contains(body(res), "share_links.create") {
		t.Errorf("token without share_links.create: %d %s", res.StatusCode, body(res))
	}
	if res := mem.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "x"}, nil); res.StatusCode != 403 {
		t.Errorf("a member setting the watermark: %d", res.StatusCode)
	}
}

// A version stack stands in a link as its newest version; older versions
// and files outside the link stay out of reach, whatever the link's target.
func TestShareLinkVersionsAndMembership(t *testing.T) {
	f := newShareFixture(t)
	var folder model.Asset
	f.admin.Do("POST", "/api/v2/assets/"+f.root+"/children", model.NewAsset{Type: "folder", Name: "Deep"}, &folder)
	var sub model.Asset
	f.admin.Do("POST", "/api/v2/assets/"+folder.ID+"/children", model.NewAsset{Type: "folder", Name: "Deeper"}, &sub)
	v1 := f.admin.Upload(sub.ID, "cut.jpg", jpegBytes(t, 200, 100, color.RGBA{200, 10, 10, 255}))
	v2 := f.admin.Upload(sub.ID, "cut v2.jpg", jpegBytes(t, 200, 100, color.RGBA{10, 200, 10, 255}), "version_of", v1)
	var stack model.Asset
	f.admin.Do("GET", "/api/v2/assets/"+v2, nil, &stack)
	for _, req := range []model.NewShareLink{
		{Kind: "public", FolderID: folder.ID, AllowOriginal: model.Ptr(true)},
		{Kind: "public", AssetIDs: []string{stack.ParentID}, AllowOriginal: model.Ptr(true)},
		{Kind: "public", AssetIDs: []string{stack.ParentID, f.images[0]}, AllowOriginal: model.Ptr(true)},
	} {
		l := f.create(t, req)
		v := f.s.Client(t)
		var pub model.PublicShare
		v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub)
		found := false
		for _, it := range pub.Items {
			if it.ID == v1 {
				t.Errorf("%v lists the older version", req)
			}
			found = found || it.ID == v2
		}
		if !found {
			t.Errorf("%v does not list the newest version: %+v", req, pub.Items)
		}
		base := "/api/v2/public/links/" + l.Key + "/assets/"
		res, b := get(t, v, base+v2+"/original?download=1")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "cut.jpg") || len(b) == 0 {
			t.Errorf("%v newest version: %d %v", req, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		for _, other := range []string{v1, f.images[1], f.pdf} {
			if res, _ := get(t, v, base+other+"/original"); res.StatusCode != 404 {
				t.Errorf("%v: %s answers %d", req, other, res.StatusCode)
			}
		}
	}
}
