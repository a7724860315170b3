package e2e

import (
	"context"
	"encoding/binary"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// shareFixture is a project with three photos and a PDF, ready to share.
type shareFixture struct {
	srv     *testkit.Server
	c       *testkit.Client
	project string
	root    string
	ids     []string // harbour, sunset, pier (JPEG), notes (PDF)
	folder  string   // "Day 2" under the root, holding one more photo
}

func newShareFixture(t *testing.T) *shareFixture {
	t.Helper()
	srv := testkit.Start(t)
	f := &shareFixture{srv: srv, c: srv.Admin(t)}
	var p model.Project
	if res := f.c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Harbour Campaign"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	f.project, f.root = p.ID, p.RootAssetID
	dir := t.TempDir()
	jpeg := func(name string, w, h int, tint color.RGBA) []byte {
		b, err := os.ReadFile(jpegFile(t, dir, name, w, h, tint))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f.ids = []string{
		f.c.Upload(f.root, "harbour.jpg", withCameraEXIF(jpeg("harbour.jpg", 1600, 1067, color.RGBA{40, 120, 220, 255}))),
		f.c.Upload(f.root, "sunset.jpg", jpeg("sunset.jpg", 1200, 1600, color.RGBA{240, 120, 40, 255})),
		f.c.Upload(f.root, "pier.jpg", jpeg("pier.jpg", 1400, 1400, color.RGBA{60, 200, 140, 255})),
		f.c.Upload(f.root, "shot-list.pdf", minimalPDF),
	}
	var folder model.Asset
	if res := f.c.Do("POST", "/api/v2/assets/"+f.root+"/children", model.NewAsset{Type: "folder", Name: "Day 2"}, &folder); res.StatusCode != 201 {
		t.Fatalf("create folder: %d", res.StatusCode)
	}
	f.folder = folder.ID
	extra := f.c.Upload(f.folder, "lighthouse.jpg", jpeg("lighthouse.jpg", 1000, 1500, color.RGBA{200, 60, 200, 255}))
	for _, id := range append(f.ids[:3:3], extra) {
		f.waitReady(t, id)
	}
	return f
}

// waitReady waits until the server has made an image's renditions.
func (f *shareFixture) waitReady(t *testing.T, id string) {
	t.Helper()
	waitProxiesReady(t, f.c, id)
}

func (f *shareFixture) link(t *testing.T, body model.NewShareLink) model.ShareLink {
	t.Helper()
	l := visCreateLink(t, f.c, body)
	if l.Key == "" || !strings.HasSuffix(l.URL, "/s/"+l.Key) {
		t.Fatalf("share link answer %+v", l)
	}
	return l
}

// withCameraEXIF puts an EXIF block into a JPEG: a camera, a lens, the
// exposure and when the photo was taken.
func withCameraEXIF(jpg []byte) []byte {
	type entry struct {
		id  uint16
		val any // string (ASCII), uint16 (SHORT), uint32 (LONG), [2]uint32 (RATIONAL)
	}
	ifd0 := []entry{{0x010F, "FUJIFILM"}, {0x0110, "X-T5"}, {0x8769, uint32(0)}}
	exif := []entry{{0x829A, [2]uint32{1, 250}}, {0x829D, [2]uint32{28, 10}}, {0x8827, uint16(160)},
		{0x9003, "2026:11:17 07:42:10"}, {0x920A, [2]uint32{35, 1}}, {0xA434, "XF23mmF1.4 R LM WR"}}
	be := binary.BigEndian
	exifOff := 8 + 2 + 12*len(ifd0) + 4
	dataOff := exifOff + 2 + 12*len(exif) + 4
	ifd0[2].val = uint32(exifOff)
	out := be.AppendUint32([]byte("MM\x00*"), 8)
	var data []byte
	for _, ifd := range [][]entry{ifd0, exif} {
		out = be.AppendUint16(out, uint16(len(ifd)))
		for _, e := range ifd {
			var typ uint16
			var v []byte
			switch x := e.val.(type) {
			case string:
				typ, v = 2, append([]byte(x), 0)
			case uint16:
				typ, v = 3, be.AppendUint16(nil, x)
			case uint32:
				typ, v = 4, be.AppendUint32(nil, x)
			case [2]uint32:
				typ, v = 5, be.AppendUint32(be.AppendUint32(nil, x[0]), x[1])
			}
			count := uint32(1)
			if typ == 2 {
				count = uint32(len(v))
			}
			out = be.AppendUint32(be.AppendUint16(be.AppendUint16(out, e.id), typ), count)
			if len(v) <= 4 {
				out = append(out, append(v, make([]byte, 4-len(v))...)...)
			} else {
				out = be.AppendUint32(out, uint32(dataOff+len(data)))
				data = append(data, v...)
			}
		}
		out = be.AppendUint32(out, 0)
	}
	payload := append([]byte("Exif\x00\x00"), append(out, data...)...)
	seg := be.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	return append(append(append([]byte{0xFF, 0xD8}, seg...), payload...), jpg[2:]...)
}

// minimalPDF is a one-page PDF with a line of text.
var minimalPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n" +
	"4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 20 70 Td (Shot list) Tj ET\nendstream endobj\n" +
	"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n")

// TestGalleryPasswordLink is a visitor without an account opening a
// password-protected share link of three photos and a PDF: the password page
// first (a wrong password is refused with the server's reason), then the
// gallery with Download all, the viewer with the file's details and
// downloads, arrows and Esc; on a desktop and on a phone.
func TestGalleryPasswordLink(t *testing.T) {
	f := newShareFixture(t)
	expires := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	l := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour selects", Description: "Selects from Tuesday's harbour shoot.\nFinal grades follow on Friday.", AllowOriginal: model.Ptr(true), AllowProxies: []string{"large"}, Password: "harbour-2026", ExpiresAt: model.Set(expires)})
	linkURL := f.srv.URL + "/s/" + l.Key

	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		run(t, ctx, "open the link",
			chromedp.Navigate(linkURL),
			present("#app-ready"),
			visible("#share-password"),
		)
		run(t, ctx, "no files before the password", waitFor(`document.querySelectorAll('.gallery-tile').length === 0`))
		testkit.Screenshot(t, ctx, "share-password-"+size.name)

		run(t, ctx, "a wrong password",
			setValue("#share-password", "harbour-2025"),
			click("#share-password-submit"),
			waitFor(`document.querySelector('.gal-password .alert-error').innerText.toLowerCase().includes('wrong password')`),
		)
		if size.name == "phone" {
			testkit.Screenshot(t, ctx, "share-password-wrong-phone")
		}
		run(t, ctx, "the right password",
			setValue("#share-password", "harbour-2026"),
			click("#share-password-submit"),
			visible(".gallery-tile"),
		)
		run(t, ctx, "the gallery",
			waitFor(`document.querySelectorAll('.gallery-tile[data-id]').length === 4`),
			waitFor(`document.querySelector('#share-title').innerText === 'Harbour selects' && document.title === 'Harbour selects'`),
			waitText(".gal-head", nil, "Selects from Tuesday", "Shared by", "Available until "+expires.Format("2 Jan 2006"), "4 files"),
			waitAttr("#download-all", "href", "/api/v2/public/links/"+l.Key+"/zip"),
			waitText("#download-all", nil, "Download all", "iB"),
			// Every thumbnail has loaded (watermarked or not, the server's).
			waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
			waitFor(`!!document.querySelector('.gallery-tile.is-pdf .gallery-file')`),
		)
		testkit.Screenshot(t, ctx, "share-gallery-"+size.name)

		var first, second string
		run(t, ctx, "open the viewer",
			click(".gallery-tile:first-child"),
			visible("#share-viewer"),
			waitFor(`(() => { const i = document.querySelector('#share-viewer-img'); return i && i.complete && i.naturalWidth > 0 })()`),
			attr("#share-viewer", "data-id", &first),
			waitText(".sv-meta", nil, "1600 × 1067 px", "image/jpeg", "FUJIFILM X-T5", "XF23mmF1.4 R LM WR", "f/2.8", "1/250 s", "ISO 160", "17 Nov 2026"),
			// Downloads: the original and the large rendition.
			waitFor(`[...document.querySelectorAll('#share-viewer .share-download')].map(a => a.dataset.kind).join() === 'original,large'`),
			// The page behind does not scroll.
			waitFor(`document.documentElement.classList.contains('sv-lock')`),
			settled(),
		)
		testkit.Screenshot(t, ctx, "share-viewer-"+size.name)
		run(t, ctx, "next with the arrow key",
			chromedp.KeyEvent(kb.ArrowRight),
			waitFor(fmt.Sprintf(`document.querySelector('#share-viewer').dataset.id !== %q`, first)),
			attr("#share-viewer", "data-id", &second),
			chromedp.KeyEvent(kb.ArrowLeft),
			waitFor(fmt.Sprintf(`document.querySelector('#share-viewer').dataset.id === %q`, first)),
		)
		if size.name == "phone" {
			run(t, ctx, "next with the button",
				click("#share-viewer-next"),
				waitFor(fmt.Sprintf(`document.querySelector('#share-viewer').dataset.id === %q`, second)),
				click("#share-viewer-close"),
				gone("#share-viewer"),
			)
		} else {
			run(t, ctx, "Esc closes", chromedp.KeyEvent(kb.Escape), gone("#share-viewer"))
		}
		run(t, ctx, "the PDF in the viewer",
			click(".gallery-tile.is-pdf"),
			visible("#share-viewer .sv-file"),
			visible(`#share-viewer .share-download[data-kind="original"]`),
			settled(),
		)
		testkit.Screenshot(t, ctx, "share-viewer-pdf-"+size.name)

		// The download buttons fetch the file for this visitor (the
		// password cookie goes along).
		var status int
		run(t, ctx, "a download works",
			chromedp.Evaluate(`(async () => (await fetch(document.querySelector('#share-viewer .share-download').href)).status)()`, &status, awaitPromise),
		)
		if status != 200 {
			t.Errorf("download status %d", status)
		}
		noBrowserErrors(t, ctx)
	})
}

// TestGalleryOpenLinkAndEmbed covers a link without a password: the server
// prerenders the gallery (a visitor sees it before the wasm runs), the
// compact embed page works in an iframe of another site, a folder link
// groups files by folder, and unknown or used-up links say so.
func TestGalleryOpenLinkAndEmbed(t *testing.T) {
	f := newShareFixture(t)
	// A file name that would add an attribute if written into the page as is.
	evil := `pier" onload=window.pwned=1 x=".jpg`
	if res := f.c.Do("PUT", "/api/v2/assets/"+f.ids[2], model.AssetPatch{Name: model.Ptr(evil)}, nil); res.StatusCode != 200 {
		t.Fatalf("rename: %d", res.StatusCode)
	}
	open := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: `Harbour "open" selects`, AllowOriginal: model.Ptr(true), AllowProxies: []string{"preview", "large"}})

	// Prerendered: plain HTTP, no browser, no wasm.
	res, err := http.Get(f.srv.URL + "/s/" + open.Key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	html := string(b)
	if n := strings.Count(html, `class="gallery-tile`); n != 4 {
		t.Errorf("prerendered page has %d tiles, want 4", n)
	}
	for _, want := range []string{`id="download-all"`, `id="share-data"`, "<title>Harbour ”open” selects</title>"} {
		if !strings.Contains(html, want) {
			t.Errorf("prerendered page lacks %s", want)
		}
	}
	if strings.Contains(html, `\"`) {
		t.Error(`a " reached a prerendered attribute unescaped (go-app writes them with strconv.Quote)`)
	}

	// The tiles are there from the first paint and stay while the app takes
	// over: no "Loading…" in between.
	desk := testkit.Browser(t, 1280, 800)
	var counts []int
	run(t, desk, "the app takes over without a flash",
		chromedp.ActionFunc(func(ctx context.Context) error {
			// Counted from the parsed document on: while the (gzipped,
			// streamed) HTML is still being parsed the tiles arrive one
			// chunk at a time, which is not a flash.
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.tileCounts = [];
				const count = () => { const n = document.querySelectorAll('.gallery-tile').length;
					if (window.tileCounts[window.tileCounts.length - 1] !== n) window.tileCounts.push(n) };
				new MutationObserver(() => { if (document.readyState !== 'loading') count() })
				.observe(document, {childList: true, subtree: true});
				document.addEventListener('DOMContentLoaded', count);`).Do(ctx)
			return err
		}),
		chromedp.Navigate(f.srv.URL+"/s/"+open.Key),
		present("#app-ready"),
		// The app's own fetch of the link has been drawn.
		waitAttr(".pub", "data-state", "ready"),
		chromedp.Evaluate(`window.tileCounts`, &counts),
	)
	for len(counts) > 0 && counts[0] == 0 {
		counts = counts[1:] // the document before the body is parsed
	}
	if len(counts) != 1 || counts[0] != 4 {
		t.Errorf("tile counts from the first paint: %v, want 4 throughout", counts)
	}
	var served []string
	run(t, desk, "names",
		waitFor(`(n => n.length === 4 && n[2] === `+jsString(evil)+`)([...document.querySelectorAll('.gallery-tile')].map(a => a.title))`),
		waitFor(`document.title === 'Harbour "open" selects'`),
		// The prerendered page as the browser parses it: the names are whole
		// and no attribute came out of one.
		chromedp.Evaluate(`(async () => {
			const doc = new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html');
			return [...doc.querySelectorAll('.gallery-tile')].map(a => a.title + '|' + (a.querySelector('img') || {}).alt +
				'|' + [...a.querySelectorAll('*')].concat(a).some(e => e.hasAttribute('onload') || e.hasAttribute('x')));
		})()`, &served, awaitPromise),
	)
	if len(served) != 4 || served[2] != evil+"|"+evil+"|false" {
		t.Errorf("prerendered tiles as parsed: %q", served)
	}

	// Dark theme.
	dark := testkit.Browser(t, 1280, 800)
	run(t, dark, "dark theme",
		emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
		chromedp.Navigate(f.srv.URL+"/s/"+open.Key),
		present("#app-ready"),
		waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
	)
	testkit.Screenshot(t, dark, "share-gallery-dark-desktop")
	run(t, dark, "dark viewer",
		click(".gallery-tile:first-child"),
		visible("#share-viewer"),
		settled(),
	)
	testkit.Screenshot(t, dark, "share-viewer-dark-desktop")

	// The embed route: compact, no site header, the viewer still opens.
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		ctx := testkit.Browser(t, size.w, size.h)
		run(t, ctx, "embed "+size.name,
			chromedp.Navigate(f.srv.URL+"/s/"+open.Key+"/embed"),
			present("#app-ready"),
			waitAttr(".pub", "data-state", "ready"),
			visible(".gal-embed .gallery-tile"),
			waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
			// The embed page has no site header.
			waitFor(`!document.querySelector('.pub-top')`),
		)
		testkit.Screenshot(t, ctx, "share-embed-"+size.name)
		run(t, ctx, "embed viewer "+size.name,
			click(".gallery-tile:nth-child(2)"),
			visible("#share-viewer .share-download"),
			settled(),
		)
		testkit.Screenshot(t, ctx, "share-embed-viewer-"+size.name)
	}

	// In an iframe of another site.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>Harbour Times</title><body style="font:16px sans-serif;margin:40px;background:#f4efe6">
<h1>Our harbour, in pictures</h1><p>Photos by the Harbour Campaign team.</p>
<iframe id="f" src="%s/s/%s/embed" style="width:760px;height:560px;border:1px solid #ccc;border-radius:8px"
 onload="document.body.dataset.framed='1'"></iframe></body>`, f.srv.URL, open.Key)
	}))
	defer host.Close()
	run(t, desk, "framed by another site",
		chromedp.Navigate(strings.Replace(host.URL, "127.0.0.1", "localhost", 1)),
		present(`body[data-framed="1"]`),
	)
	waitInFrame(t, desk, "/s/"+open.Key+"/embed",
		`!!document.querySelector('.pub[data-state="ready"]') && [...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`)
	testkit.Screenshot(t, desk, "share-embed-iframe-desktop")

	// A folder link: files grouped by folder.
	folderLink := f.link(t, model.NewShareLink{Kind: "public", FolderID: f.root, Name: "Whole campaign", AllowOriginal: model.Ptr(true)})
	run(t, desk, "folder link: the top level, then Day 2",
		chromedp.Navigate(f.srv.URL+"/s/"+folderLink.Key),
		present("#app-ready"),
		waitFor(`[...document.querySelectorAll('.gal-group')].map(g => g.dataset.path || '').join('|') === '|Day 2'`),
	)
	testkit.Screenshot(t, desk, "share-folder-desktop")

	// A key that does not exist, and a link whose one use is taken.
	phone := testkit.Browser(t, 390, 844)
	unknownKeyPage(t, phone, f.srv.URL+"/s/doesNotExist42", "share-missing")
	once := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids[:1], Name: "One look", MaxUses: model.Ptr[int](1)})
	if res := f.srv.Client(t).Do("GET", "/api/v2/public/links/"+once.Key, nil, nil); res.StatusCode != 200 {
		t.Fatalf("first visit: %d", res.StatusCode)
	}
	run(t, phone, "used up",
		chromedp.Navigate(f.srv.URL+"/s/"+once.Key),
		visible("#share-closed"),
		waitFor(`document.querySelector('#share-closed h1').innerText === 'This link has reached its maximum number of uses'`),
	)
	testkit.Screenshot(t, phone, "share-used-up-phone")
	for _, ctx := range []context.Context{desk, dark, phone} {
		noBrowserErrors(t, ctx)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
