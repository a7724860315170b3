package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// slLink is the part of a share link the UI test checks over the API.
type slLink struct {
	ID           string     `json:"id"`
	Key          string     `json:"key"`
	Kind         string     `json:"kind"`
	URL          string     `json:"url"`
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	TargetType   string     `json:"target_type"`
	TargetID     string     `json:"target_id"`
	TargetName   string     `json:"target_name"`
	AllowOrig    bool       `json:"allow_original"`
	AllowProxies []string   `json:"allow_proxies"`
	ExpiresAt    *time.Time `json:"expires_at"`
	HasPassword  bool       `json:"has_password"`
	MaxUses      *int       `json:"max_uses"`
	Watermark    bool       `json:"watermark"`
	Status       string     `json:"status"`
}

// slFind returns the link named name, or fails.
func slFind(t *testing.T, c *testkit.Client, name string) slLink {
	t.Helper()
	var ls []slLink
	if res := c.Do("GET", "/api/v2/share_links", nil, &ls); res.StatusCode != 200 {
		t.Fatalf("listing share links: status %d", res.StatusCode)
	}
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no share link named %q among %d", name, len(ls))
	return slLink{}
}

// slUploadImage uploads a JPEG into parent and waits for its proxies.
func slUploadImage(t *testing.T, c *testkit.Client, parent, name string, tint color.RGBA) string {
	t.Helper()
	b, err := os.ReadFile(jpegFile(t, t.TempDir(), name, 900, 600, tint))
	if err != nil {
		t.Fatal(err)
	}
	id := c.Upload(parent, name, b)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var a struct {
			ProxyStatus string `json:"proxy_status"`
		}
		c.Do("GET", "/api/v2/assets/"+id, nil, &a)
		if a.ProxyStatus == "ready" {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: proxies still %q after 30 s", name, a.ProxyStatus)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// slText reads the text of the first element matching sel.
func slText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	run(t, ctx, "text of "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// slEval evaluates a JavaScript expression.
func slEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	var v T
	run(t, ctx, "evaluate "+expr, chromedp.Evaluate(expr, &v))
	return v
}

// slToast waits for a toast saying want.
func slToast(want string) chromedp.Action {
	return waitUntil("a toast "+jsString(want), `[...document.querySelectorAll('.toast')].some(e => e.textContent === `+jsString(want)+`)`)
}

func TestShareUI(t *testing.T) {
	srv := testkit.Start(t)
	logo := filepath.Join(t.TempDir(), "logo.png")
	{
		img := image.NewNRGBA(image.Rect(0, 0, 120, 40))
		for y := 10; y < 30; y++ {
			for x := 10; x < 110; x++ {
				img.Set(x, y, color.NRGBA{255, 255, 255, 220})
			}
		}
		f, err := os.Create(logo)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			admin := srv.Admin(t)
			project, root := ulProject(t, admin, "Harbour share "+size.name)
			harbour := slUploadImage(t, admin, root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
			sunset := slUploadImage(t, admin, root, "sunset.jpg", color.RGBA{240, 120, 40, 255})
			ctx := testkit.Browser(t, size.w, size.h)
			login(t, ctx, srv, "")

			// The asset page: Share opens a menu of the three kinds of link.
			run(t, ctx, "asset page",
				chromedp.Navigate(srv.URL+"/assets/"+harbour),
				visible("#share-button"),
				visible("#share-section"),
				click("#share-button"),
				visible("#share-menu"),
			)
			menu := slText(t, ctx, "#share-menu")
			for _, w := range []string{"Create download link", "Create public link", "Copy link"} {
				if !strings.Contains(menu, w) {
					t.Errorf("share menu lacks %q: %q", w, menu)
				}
			}
			ulViewShot(t, ctx, "share-ui-menu-"+size.name)
			run(t, ctx, "copy internal link",
				click("#share-copy-internal"),
				slToast("Link copied"),
				gone("#share-menu"),
			)

			// A public link with a password, through the dialog.
			run(t, ctx, "open the public link dialog",
				click("#share-button"),
				click("#share-create-public"),
				visible("#sl-form"),
			)
			if !slEval[bool](t, ctx, `document.querySelector('#sl-allow-attachments').disabled`) {
				t.Error("Attachments is offered for a file without attachments")
			}
			if !strings.Contains(slText(t, ctx, "#sl-form"), "This file has no attachments") {
				t.Error("the dialog does not say why Attachments is off")
			}
			if size.name == "desktop" {
				// No watermark is configured yet (the phone run comes after Settings).
				run(t, ctx, "watermark reason", waitFor(`document.querySelector('#sl-watermark').disabled && document.querySelector('#sl-form').textContent.includes('No watermark is configured (Settings > Watermark)')`))
			}
			if ph := slEval[string](t, ctx, `document.querySelector('#sl-name').placeholder`); !strings.HasPrefix(ph, "Link from ") {
				t.Errorf("link name placeholder = %q", ph)
			}
			name := "Harbour for the client " + size.name
			run(t, ctx, "fill the dialog",
				setValue("#sl-name", name),
				click("#sl-allow-proxy"),
				visible("#sl-proxy-large"),
				click("#sl-proxy-thumb"), // only preview and large
				click("#sl-expires-toggle"),
				visible("#sl-expires"),
				click("#sl-password-toggle"),
				visible("#sl-password"),
				// The toast of the copy above still shows: a tap goes through it.
				click("#sl-generate"),
				slToast("Password copied"),
				setValue("#sl-max-uses", "25"),
				setValue("#sl-description", "Selects from the harbour day."),
			)
			var password string
			run(t, ctx, "password", chromedp.Value("#sl-password", &password, chromedp.ByQuery))
			if len(password) != 16 {
				t.Errorf("generated password %q is not 16 characters", password)
			}
			ulViewShot(t, ctx, "share-ui-create-"+size.name)
			run(t, ctx, "create",
				click("#sl-submit"),
				visible("#sl-created-url"),
			)
			url := slText(t, ctx, "#sl-created-url")
			if !strings.Contains(url, "/s/") {
				t.Errorf("created URL = %q", url)
			}
			ulViewShot(t, ctx, "share-ui-created-"+size.name)
			l := slFind(t, admin, name)
			if !l.HasPassword || l.Kind != "public" || l.TargetID != harbour || l.URL != url || l.ExpiresAt == nil ||
				l.MaxUses == nil || *l.MaxUses != 25 || strings.Join(l.AllowProxies, ",") != "preview,large" || !l.AllowOrig ||
				l.Description != "Selects from the harbour day." {
				t.Errorf("created link = %+v", l)
			}
			// 7 days ahead, through the end of that day.
			if got, want := l.ExpiresAt.Local().Format("2006-01-02 15:04"), time.Now().AddDate(0, 0, 7).Format("2006-01-02")+" 23:59"; got != want {
				t.Errorf("expires at %s, want %s", got, want)
			}

			// A visitor in a fresh browser: the password page, then the gallery.
			visitor := testkit.Browser(t, size.w, size.h)
			var tiles int
			run(t, visitor, "open the link as a visitor",
				chromedp.Navigate(url),
				visible("#share-password"),
				setValue("#share-password", password),
				click("#share-password-submit"),
				visible(".gallery-tile"),
				chromedp.Evaluate(`document.querySelectorAll('.gallery-tile').length`, &tiles),
			)
			if tiles != 1 {
				t.Errorf("the visitor sees %d tiles, want 1", tiles)
			}
			testkit.Screenshot(t, visitor, "share-ui-visitor-gallery-"+size.name)

			run(t, ctx, "copy embed", click("#sl-copy-embed"), slToast("Embed code copied"))
			run(t, ctx, "QR code",
				click("#sl-qr"),
				visible("#sl-qr-img"),
				waitFor(`document.querySelector('#sl-qr-img').complete && document.querySelector('#sl-qr-img').naturalWidth > 0`),
			)
			for sel, want := range map[string]string{"#sl-qr-png": "/api/v2/share_links/" + l.ID + "/qr.png?download=1", "#sl-qr-svg": "/api/v2/share_links/" + l.ID + "/qr.svg?download=1"} {
				if got := slEval[string](t, ctx, `document.querySelector('`+sel+`').getAttribute('href')`); got != want {
					t.Errorf("%s links to %q, want %q", sel, got, want)
				}
			}
			ulViewShot(t, ctx, "share-ui-qr-"+size.name)
			run(t, ctx, "close QR", click("#sl-qr-close"), gone("#sl-qr-img"))

			// The Share section lists it; the title carries the chain icon.
			row := `#share-section .share-link-row[data-id="` + l.ID + `"]`
			run(t, ctx, "share section", visible(row), visible(".insp-title .chain-icon"))
			if tip := slEval[string](t, ctx, `document.querySelector('.insp-title .chain-icon').title`); tip != "Public link is active." {
				t.Errorf("chain icon tooltip = %q", tip)
			}
			if s := slText(t, ctx, row); !strings.Contains(s, "Active") || !strings.Contains(s, "0 / 25 uses") || !strings.Contains(s, "Expires "+l.ExpiresAt.Local().Format("2 Jan 2006")) {
				t.Errorf("link row = %q", s)
			}

			// Editing keeps the password unless a new one is typed.
			run(t, ctx, "edit",
				click(row+" .sl-edit"),
				visible("#sl-form"),
				visible("#sl-password"),
			)
			if v := slEval[string](t, ctx, `document.querySelector('#sl-name').value`); v != name {
				t.Errorf("edit dialog name = %q", v)
			}
			if v := slEval[string](t, ctx, `document.querySelector('#sl-password').value`); v != "" {
				t.Errorf("edit dialog shows a password: %q", v)
			}
			if !slEval[bool](t, ctx, `document.querySelector('#sl-proxy-large').checked && !document.querySelector('#sl-proxy-thumb').checked`) {
				t.Error("edit dialog lost the proxy sizes")
			}
			name += " (edited)"
			run(t, ctx, "save edit",
				setValue("#sl-name", " (edited)"),
				click("#sl-submit"),
				gone("#sl-form"),
				slToast("Link saved"),
			)
			if e := slFind(t, admin, name); !e.HasPassword || e.ID != l.ID {
				t.Errorf("edited link = %+v", e)
			}

			// A wrong password shows in the access log.
			anon := srv.Client(t)
			if res := anon.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", map[string]string{"password": "not the password"}, nil); res.StatusCode < 400 {
				t.Errorf("wrong password: status %d", res.StatusCode)
			}
			run(t, ctx, "access log",
				click(row+" .sl-log-btn"),
				visible("#sl-log"),
				visible(`.sl-log-row[data-action="failed_password"]`),
			)
			if got := slEval[string](t, ctx, `document.querySelector('#sl-log-csv').getAttribute('href')`); got != "/api/v2/share_links/"+l.ID+"/access_log?format=csv" {
				t.Errorf("Export CSV links to %q", got)
			}
			ulViewShot(t, ctx, "share-ui-access-log-"+size.name)
			run(t, ctx, "close log", click(".modal-head .icon-btn"), gone("#sl-log"))

			// A direct download link takes a name and an expiry only.
			run(t, ctx, "download link",
				click("#share-button"),
				click("#share-create-download"),
				visible("#sl-form"),
			)
			if n := slEval[int](t, ctx, `document.querySelectorAll('#sl-allow-original, #sl-password-toggle, #sl-watermark, #sl-max-uses').length`); n != 0 {
				t.Errorf("download link dialog has %d public-link options", n)
			}
			dlName := "Harbour original " + size.name
			run(t, ctx, "create download link",
				setValue("#sl-name", dlName),
				click("#sl-submit"),
				visible("#sl-created-url"),
			)
			if u := slText(t, ctx, "#sl-created-url"); !strings.Contains(u, "/d/") {
				t.Errorf("download link URL = %q", u)
			}
			dl := slFind(t, admin, dlName)
			run(t, ctx, "close created", click("#sl-done"), gone("#sl-created-url"),
				visible(`#share-section .share-link-row[data-id="`+dl.ID+`"]`))
			run(t, ctx, "scroll to the share section", chromedp.ScrollIntoView("#share-section", chromedp.ByQuery))
			testkit.Screenshot(t, ctx, "share-ui-asset-section-"+size.name)

			if size.name == "desktop" {
				// Settings > Watermark: a text and a logo, then the preview.
				run(t, ctx, "watermark settings",
					chromedp.Navigate(srv.URL+"/settings"),
					visible("#wm-form"),
					setValue("#wm-text", "© Harbour Studio"),
					setValue("#wm-position", "bottom-right"),
					click("#wm-save"),
					slToast("Watermark saved"),
					visible("img#wm-preview"),
					chromedp.SetUploadFiles("#wm-logo-input", []string{logo}, chromedp.ByQuery),
					waitFor(`document.querySelector('#wm-logo-state').textContent === 'PNG logo uploaded'`),
					waitFor(`document.querySelector('img#wm-preview').complete && document.querySelector('img#wm-preview').naturalWidth > 0`),
					chromedp.ScrollIntoView("#watermark", chromedp.ByQuery),
				)
				var wm struct {
					Text       string `json:"text"`
					Position   string `json:"position"`
					HasLogo    bool   `json:"has_logo"`
					Configured bool   `json:"configured"`
				}
				admin.Do("GET", "/api/v2/settings/watermark", nil, &wm)
				if wm.Text != "© Harbour Studio" || wm.Position != "bottom-right" || !wm.HasLogo || !wm.Configured {
					t.Errorf("watermark settings = %+v", wm)
				}
				ulViewShot(t, ctx, "share-ui-settings-watermark-desktop")
			}

			// The folder page: the chain marks the shared file only.
			tile := `#asset-grid .tile[data-id="%s"]`
			run(t, ctx, "folder page",
				chromedp.Navigate(srv.URL+"/projects/"+project),
				visible(fmt.Sprintf(tile, harbour)+" .chain-icon"),
			)
			if n := slEval[int](t, ctx, `document.querySelectorAll('`+fmt.Sprintf(tile, sunset)+` .chain-icon').length`); n != 0 {
				t.Error("the unshared file carries a chain icon")
			}
			if tip := slEval[string](t, ctx, `document.querySelector('`+fmt.Sprintf(tile, harbour)+` .chain-icon').title`); !strings.HasPrefix(tip, "Public link is active.") {
				t.Errorf("tile chain tooltip = %q", tip)
			}

			// The list view marks it too; deleting it warns what is lost. (On
			// a phone the list hides its name column.)
			run(t, ctx, "list view",
				click("#view-list"),
				present(`.row-name[data-id="`+harbour+`"] .chain-icon`),
				chromedp.Evaluate(`window.confirm = m => { window.__asked = m; return false }`, nil),
				click(`#asset-table tr:has(.row-name[data-id="`+harbour+`"]) .item-actions .danger`),
			)
			if asked := slEval[string](t, ctx, `window.__asked || ''`); !strings.Contains(asked, "Access via 2 links will be lost.") {
				t.Errorf("deleting a shared file asks %q", asked)
			}
			run(t, ctx, "grid view", click(".seg-btn[aria-label=Grid]"), visible("#asset-grid"))

			// The folder's own Share menu: no direct download of a folder.
			run(t, ctx, "folder share menu",
				click("#share-folder"),
				visible("#share-menu"),
			)
			if !slEval[bool](t, ctx, `document.querySelector('#share-create-download').disabled`) {
				t.Error("a folder offers a direct download link")
			}
			run(t, ctx, "folder link dialog",
				click("#share-create-public"),
				visible("#sl-form"),
			)
			if s := slText(t, ctx, ".modal-head h2"); s != "Create link to folder" {
				t.Errorf("folder dialog title = %q", s)
			}
			run(t, ctx, "cancel", click(".modal-head .icon-btn"), gone("#sl-form"))

			// Both selected: a link for 2 assets makes a collection.
			run(t, ctx, "select both",
				click(fmt.Sprintf(tile, harbour)+" .item-check"),
				visible("#share-selection"),
				click(fmt.Sprintf(tile, sunset)+" .item-check"),
				waitFor(`document.querySelector('#share-selection').textContent === 'Share 2'`),
			)
			if s := slEval[string](t, ctx, `document.querySelector('#share-selection').textContent`); s != "Share 2" {
				t.Errorf("selection share button = %q", s)
			}
			run(t, ctx, "share selection",
				click("#share-selection"),
				visible("#sl-collection-name"),
			)
			if s := slText(t, ctx, ".modal-head h2"); s != "Create link for 2 assets" {
				t.Errorf("dialog title = %q", s)
			}
			if ph := slEval[string](t, ctx, `document.querySelector('#sl-collection-name').placeholder`); !strings.HasPrefix(ph, "New collection from ") {
				t.Errorf("collection name placeholder = %q", ph)
			}
			// The watermark is configured now, and both are images.
			run(t, ctx, "watermark on", waitFor(`!document.querySelector('#sl-watermark').disabled`))
			coll := "Client picks " + size.name
			run(t, ctx, "create the collection link",
				setValue("#sl-collection-name", coll),
				click("#sl-watermark"),
			)
			ulViewShot(t, ctx, "share-ui-create-selection-"+size.name)
			run(t, ctx, "submit",
				click("#sl-submit"),
				visible("#sl-created-url"),
			)
			var ls []slLink
			admin.Do("GET", "/api/v2/share_links?project_id="+project, nil, &ls)
			var cl *slLink
			for i := range ls {
				if ls[i].TargetType == "collection" {
					cl = &ls[i]
				}
			}
			if cl == nil || cl.TargetName != coll || !cl.Watermark {
				t.Fatalf("links of the project = %+v, want one for the collection %q with the watermark", ls, coll)
			}
			var c struct {
				AssetIDs []string `json:"asset_ids"`
			}
			admin.Do("GET", "/api/v2/collections/"+cl.TargetID, nil, &c)
			if len(c.AssetIDs) != 2 {
				t.Errorf("collection holds %v", c.AssetIDs)
			}
			run(t, ctx, "collection chip with chain",
				click("#sl-done"),
				visible(`.chip-link[data-id="`+cl.TargetID+`"] .chain-icon`),
			)
			testkit.Screenshot(t, ctx, "share-ui-folder-"+size.name)

			// The collection view lists its links.
			run(t, ctx, "collection view",
				click(`.chip-link[data-id="`+cl.TargetID+`"]`),
				visible(`#share-panel .share-link-row[data-id="`+cl.ID+`"]`),
				visible("#share-collection"),
				visible(".sl-title .chain-icon"),
			)
			testkit.Screenshot(t, ctx, "share-ui-collection-"+size.name)

			// Links > Share lists them all; deleting asks first.
			run(t, ctx, "links page",
				chromedp.Navigate(srv.URL+"/links/share"),
				visible(`.share-link-row[data-id="`+dl.ID+`"]`),
				visible(`.share-link-row[data-id="`+cl.ID+`"]`),
			)
			if s := slText(t, ctx, `.share-link-row[data-id="`+cl.ID+`"]`); !strings.Contains(s, coll) || !strings.Contains(s, "Collection") {
				t.Errorf("collection link row = %q", s)
			}
			testkit.Screenshot(t, ctx, "share-ui-links-page-"+size.name)
			run(t, ctx, "delete",
				click(`.share-link-row[data-id="`+dl.ID+`"] .sl-delete`),
				visible("#sl-delete-confirm"),
			)
			if s := slText(t, ctx, ".modal"); !strings.Contains(s, "permanent") {
				t.Errorf("delete dialog = %q", s)
			}
			ulViewShot(t, ctx, "share-ui-delete-"+size.name)
			run(t, ctx, "confirm delete",
				click("#sl-delete-confirm"),
				gone(`.share-link-row[data-id="`+dl.ID+`"]`),
			)
			if res := admin.Do("GET", "/api/v2/share_links/"+dl.ID, nil, nil); res.StatusCode != 404 {
				t.Errorf("deleted link: status %d", res.StatusCode)
			}

			if overflow := slEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
				t.Errorf("page scrolls sideways by %d px", overflow)
			}
			if size.name == "desktop" {
				// The rows follow the list: after the delete above, the row that
				// took the deleted link's place edits its own link. Then the same
				// dialog in the dark.
				run(t, ctx, "edit after a delete",
					click(`.share-link-row[data-id="`+l.ID+`"] .sl-edit`),
					visible("#sl-password"),
				)
				if v := slEval[string](t, ctx, `document.querySelector('#sl-name').value`); v != name {
					t.Errorf("edit from the links page opened %q, want %q", v, name)
				}
				run(t, ctx, "dark",
					emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
					chromedp.Sleep(300*time.Millisecond), // the toggles' transitions
				)
				ulViewShot(t, ctx, "share-ui-edit-dark-desktop")
				run(t, ctx, "light again", click(".modal-head .icon-btn"),
					emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}))
			}
			if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
				t.Errorf("console errors: %q", errs)
			}
		})
	}
}
