package e2e

import (
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

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// slFind returns the link named name, or fails.
func slFind(t *testing.T, c *testkit.Client, name string) model.ShareLink {
	t.Helper()
	var ls []model.ShareLink
	if res := c.Do("GET", "/api/v2/share_links", nil, &ls); res.StatusCode != 200 {
		t.Fatalf("listing share links: status %d", res.StatusCode)
	}
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no share link named %q among %d", name, len(ls))
	return model.ShareLink{}
}

// slUploadImage uploads a 900×600 JPEG into parent and waits for its proxies.
func slUploadImage(t *testing.T, c *testkit.Client, parent, name string, tint color.RGBA) string {
	t.Helper()
	return uploadImage(t, c, parent, name, 900, 600, tint)
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
	atSizes(t, tallDesktopAndPhone, func(t *testing.T, size viewport) {
		admin := srv.Admin(t)
		project, root := ulProject(t, admin, "Harbour share "+size.name)
		harbour := slUploadImage(t, admin, root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
		sunset := slUploadImage(t, admin, root, "sunset.jpg", color.RGBA{240, 120, 40, 255})
		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")

		// The asset page: Share opens a menu of the three kinds of link.
		run(t, ctx, "asset page",
			chromedp.Navigate(srv.URL+"/assets/"+harbour),
			waitPageReady(),
			visible("#share-button"),
			visible("#share-section"),
			click("#share-button"),
			visible("#share-menu"),
			waitText("#share-menu", nil, "Create download link", "Create public link", "Copy link"),
		)
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
		run(t, ctx, "no Attachments for a file without attachments, and why",
			waitFor(`document.querySelector('#sl-allow-attachments').disabled`),
			waitText("#sl-form", nil, "This file has no attachments"),
		)
		if size.name == "desktop" {
			// No watermark is configured yet (the phone run comes after Settings).
			run(t, ctx, "watermark reason", waitFor(`document.querySelector('#sl-watermark').disabled && document.querySelector('#sl-form').textContent.includes('No watermark is configured (Settings > Watermark)')`))
		}
		run(t, ctx, "link name placeholder", waitFor(`document.querySelector('#sl-name').placeholder.startsWith('Link from ')`))
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
		run(t, ctx, "a generated password of 16 characters", evalUntil("16 characters", `document.querySelector('#sl-password').value`, &password,
			func(s string) bool { return len(s) == 16 }))
		ulViewShot(t, ctx, "share-ui-create-"+size.name)
		run(t, ctx, "create",
			click("#sl-submit"),
			visible("#sl-created-url"),
		)
		var url string
		run(t, ctx, "the created URL", waitText("#sl-created-url", &url, "/s/"))
		url = strings.TrimSpace(url)
		ulViewShot(t, ctx, "share-ui-created-"+size.name)
		l := slFind(t, admin, name)
		if !l.HasPassword || l.Kind != "public" || l.TargetID != harbour || l.URL != url || l.ExpiresAt == nil ||
			l.MaxUses == nil || *l.MaxUses != 25 || strings.Join(l.AllowProxies, ",") != "preview,large" || !l.AllowOriginal ||
			l.Description != "Selects from the harbour day." {
			t.Errorf("created link = %+v", l)
		}
		// 7 days ahead, through the end of that day.
		if got, want := l.ExpiresAt.Local().Format("2006-01-02 15:04"), time.Now().AddDate(0, 0, 7).Format("2006-01-02")+" 23:59"; got != want {
			t.Errorf("expires at %s, want %s", got, want)
		}

		// A visitor in a fresh browser: the password page, then the gallery.
		visitor := testkit.Browser(t, size.w, size.h)
		run(t, visitor, "open the link as a visitor: one tile",
			chromedp.Navigate(url),
			visible("#share-password"),
			setValue("#share-password", password),
			click("#share-password-submit"),
			visible(".gallery-tile"),
			waitAttr(".pub", "data-state", "ready"),
			waitFor(`document.querySelectorAll('.gallery-tile').length === 1`),
		)
		testkit.Screenshot(t, visitor, "share-ui-visitor-gallery-"+size.name)

		run(t, ctx, "copy embed", click("#sl-copy-embed"), slToast("Embed code copied"))
		run(t, ctx, "QR code",
			click("#sl-qr"),
			visible("#sl-qr-img"),
			waitFor(`document.querySelector('#sl-qr-img').complete && document.querySelector('#sl-qr-img').naturalWidth > 0`),
		)
		run(t, ctx, "QR downloads",
			waitAttr("#sl-qr-png", "href", "/api/v2/share_links/"+l.ID+"/qr.png?download=1"),
			waitAttr("#sl-qr-svg", "href", "/api/v2/share_links/"+l.ID+"/qr.svg?download=1"))
		ulViewShot(t, ctx, "share-ui-qr-"+size.name)
		run(t, ctx, "close QR", click("#sl-qr-close"), gone("#sl-qr-img"))

		// The Share section lists it; the title carries the chain icon.
		row := `#share-section .share-link-row[data-id="` + l.ID + `"]`
		run(t, ctx, "share section", visible(row), visible(".insp-title .chain-icon"),
			waitAttr(".insp-title .chain-icon", "title", "Public link is active."),
			waitText(row, nil, "Active", "0 / 25 uses", "Expires "+l.ExpiresAt.Local().Format("2 Jan 2006")))

		// Editing keeps the password unless a new one is typed.
		run(t, ctx, "edit",
			click(row+" .sl-edit"),
			visible("#sl-form"),
			visible("#sl-password"),
			// The name, no password shown, the proxy sizes kept.
			waitFor(`document.querySelector('#sl-name').value === `+jsString(name)),
			waitFor(`document.querySelector('#sl-password').value === ''`),
			waitFor(`document.querySelector('#sl-proxy-large').checked && !document.querySelector('#sl-proxy-thumb').checked`),
		)
		name += " (edited)"
		run(t, ctx, "save edit",
			setValue("#sl-name", name),
			click("#sl-submit"),
			gone("#sl-form"),
			slToast("Link saved"),
		)
		if e := slFind(t, admin, name); !e.HasPassword || e.ID != l.ID {
			t.Errorf("edited link = %+v", e)
		}

		// A wrong password shows in the access log.
		anon := srv.Client(t)
		if res := anon.Do("POST", "/api/v2/public/links/"+l.Key+"/unlock", model.Unlock{Password: "not the password"}, nil); res.StatusCode < 400 {
			t.Errorf("wrong password: status %d", res.StatusCode)
		}
		run(t, ctx, "access log",
			click(row+" .sl-log-btn"),
			visible("#sl-log"),
			visible(`.sl-log-row[data-action="failed_password"]`),
			waitAttr("#sl-log-csv", "href", "/api/v2/share_links/"+l.ID+"/access_log?format=csv"),
		)
		ulViewShot(t, ctx, "share-ui-access-log-"+size.name)
		run(t, ctx, "close log", click(".modal-head .icon-btn"), gone("#sl-log"))

		// A direct download link takes a name and an expiry only.
		run(t, ctx, "download link",
			click("#share-button"),
			click("#share-create-download"),
			visible("#sl-form"),
			visible("#sl-name"),
			// None of the public link's options.
			waitFor(`document.querySelectorAll('#sl-allow-original, #sl-password-toggle, #sl-watermark, #sl-max-uses').length === 0`),
		)
		dlName := "Harbour original " + size.name
		run(t, ctx, "create download link",
			setValue("#sl-name", dlName),
			click("#sl-submit"),
			waitText("#sl-created-url", nil, "/d/"),
		)
		dl := slFind(t, admin, dlName)
		run(t, ctx, "close created", click("#sl-done"), gone("#sl-created-url"),
			visible(`#share-section .share-link-row[data-id="`+dl.ID+`"]`))
		run(t, ctx, "scroll to the share section", chromedp.ScrollIntoView("#share-section", chromedp.ByQuery), settled())
		testkit.Screenshot(t, ctx, "share-ui-asset-section-"+size.name)

		if size.name == "desktop" {
			// Settings > Watermark: a text and a logo, then the preview.
			run(t, ctx, "watermark settings",
				chromedp.Navigate(srv.URL+"/settings"),
				waitPageReady(),
				visible("#wm-form"),
				setValue("#wm-text", "© Harbour Studio"),
				setValue("#wm-position", "bottom-right"),
				click("#wm-save"),
				slToast("Watermark saved"),
				visible("img#wm-preview"),
				pickFiles("#wm-logo-input", logo),
				waitFor(`document.querySelector('#wm-logo-state').textContent === 'PNG logo uploaded'`),
				waitFor(`document.querySelector('img#wm-preview').complete && document.querySelector('img#wm-preview').naturalWidth > 0`),
				chromedp.ScrollIntoView("#watermark", chromedp.ByQuery),
				settled(),
			)
			var wm model.WatermarkSettings
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
			waitPageReady(),
			visible(fmt.Sprintf(tile, harbour)+" .chain-icon"),
			waitFor(`document.querySelector('`+fmt.Sprintf(tile, harbour)+` .chain-icon').title.startsWith('Public link is active.')`),
			// The unshared file carries no chain.
			visible(fmt.Sprintf(tile, sunset)),
			waitFor(`document.querySelectorAll('`+fmt.Sprintf(tile, sunset)+` .chain-icon').length === 0`),
		)

		// The list view marks it too; deleting it warns what is lost. (On
		// a phone the list hides its name column.)
		run(t, ctx, "list view",
			click("#view-list"),
			present(`.row-name[data-id="`+harbour+`"] .chain-icon`),
			chromedp.Evaluate(`window.confirm = m => { window.__asked = m; return false }`, nil),
			click(`#asset-table tr:has(.row-name[data-id="`+harbour+`"]) .item-actions .danger`),
			waitFor(`(window.__asked || '').includes('Access via 2 links will be lost.')`),
		)
		run(t, ctx, "grid view", click(".seg-btn[aria-label=Grid]"), visible("#asset-grid"))

		// The folder's own Share menu: no direct download of a folder.
		run(t, ctx, "folder share menu",
			click("#share-folder"),
			visible("#share-menu"),
			// No direct download of a folder.
			waitFor(`document.querySelector('#share-create-download').disabled`),
		)
		run(t, ctx, "folder link dialog",
			click("#share-create-public"),
			visible("#sl-form"),
			waitFor(`document.querySelector('.modal-head h2').innerText === 'Create link to folder'`),
		)
		run(t, ctx, "cancel", click(".modal-head .icon-btn"), gone("#sl-form"))

		// Both selected: a link for 2 assets makes a collection.
		run(t, ctx, "select both",
			click(fmt.Sprintf(tile, harbour)+" .item-check"),
			visible("#share-selection"),
			click(fmt.Sprintf(tile, sunset)+" .item-check"),
			waitFor(`document.querySelector('#share-selection').textContent === 'Share 2'`),
		)
		run(t, ctx, "share selection",
			click("#share-selection"),
			visible("#sl-collection-name"),
			waitFor(`document.querySelector('.modal-head h2').innerText === 'Create link for 2 files'`),
			waitFor(`document.querySelector('#sl-collection-name').placeholder.startsWith('New collection from ')`),
		)
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
		var ls []model.ShareLink
		admin.Do("GET", "/api/v2/share_links?project_id="+project, nil, &ls)
		var cl *model.ShareLink
		for i := range ls {
			if ls[i].TargetType == "collection" {
				cl = &ls[i]
			}
		}
		if cl == nil || cl.TargetName != coll || !cl.Watermark {
			t.Fatalf("links of the project = %+v, want one for the collection %q with the watermark", ls, coll)
		}
		var c model.Collection
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
			waitPageReady(),
			visible(`.share-link-row[data-id="`+dl.ID+`"]`),
			visible(`.share-link-row[data-id="`+cl.ID+`"]`),
			waitText(`.share-link-row[data-id="`+cl.ID+`"]`, nil, coll, "Collection"),
		)
		testkit.Screenshot(t, ctx, "share-ui-links-page-"+size.name)
		run(t, ctx, "delete",
			click(`.share-link-row[data-id="`+dl.ID+`"] .sl-delete`),
			visible("#sl-delete-confirm"),
			waitText(".modal", nil, "permanent"),
		)
		ulViewShot(t, ctx, "share-ui-delete-"+size.name)
		run(t, ctx, "confirm delete",
			click("#sl-delete-confirm"),
			gone(`.share-link-row[data-id="`+dl.ID+`"]`),
		)
		if res := admin.Do("GET", "/api/v2/share_links/"+dl.ID, nil, nil); res.StatusCode != 404 {
			t.Errorf("deleted link: status %d", res.StatusCode)
		}

		run(t, ctx, "no sideways scroll", waitFor(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`))
		if size.name == "desktop" {
			// The rows follow the list: after the delete above, the row that
			// took the deleted link's place edits its own link. Then the same
			// dialog in the dark.
			run(t, ctx, "edit after a delete",
				click(`.share-link-row[data-id="`+l.ID+`"] .sl-edit`),
				visible("#sl-password"),
				waitFor(`document.querySelector('#sl-name').value === `+jsString(name)),
			)
			run(t, ctx, "dark",
				emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
				settled(), // the toggles' transitions
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
