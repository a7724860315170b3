package e2e

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestSharingUI drives the Sharing page as an admin: the site's sharing
// settings, a custom form with a dropdown, a clickwrap, a share link with a
// custom key, a note, registration and the clickwrap, the list with its
// security marks (a table on a desktop, cards on a phone), and revoking
// every visible link.
func TestSharingUI(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	project, root := ulProject(t, admin, "Launch")
	var folder model.Asset
	if res := admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "folder", Name: "Press kit"}, &folder); res.StatusCode != 201 {
		t.Fatalf("creating folder: status %d", res.StatusCode)
	}
	hero := slUploadImage(t, admin, folder.ID, "hero.jpg", color.RGBA{40, 120, 220, 255})
	// Two links made over the API: one holds the key the dialog tries
	// first, one is password protected.
	for _, body := range []model.NewShareLink{
		{Kind: "public", FolderID: folder.ID, Name: "Agency drop", Note: "for the agency"},
		{Kind: "public", AssetIDs: []string{hero}, Name: "Hero image", Password: "a long password", ExpiresAt: model.Null[time.Time]()},
	} {
		if res := admin.Do("POST", "/api/v2/share_links", body, nil); res.StatusCode != 201 {
			t.Fatalf("creating link %v: status %d (%s)", body.Name, res.StatusCode, testkit.ErrorCode(res))
		}
	}

	ctx := testkit.Browser(t, 1280, 900)
	login(t, ctx, srv, "")

	// Settings: custom URLs on, links expire after 7 days by default.
	run(t, ctx, "sharing settings",
		chromedp.Navigate(srv.URL+"/sharing/settings"),
		visible("#ss-custom-urls"),
		click("#ss-custom-urls"),
	)
	run(t, ctx, "the browser refuses 0 days before the app sends anything",
		waitFor(`!(e => (e.value = '0', e.checkValidity()))(document.querySelector('#ss-expiration'))`))
	run(t, ctx, "save settings",
		setValue("#ss-expiration", "7"),
		click("#ss-save"),
		slToast("Sharing settings saved"),
	)
	ulViewShot(t, ctx, "sharing-settings-desktop")
	var set model.SharingSettings
	admin.Do("GET", "/api/v2/settings/sharing", nil, &set)
	if !set.AllowCustomURLs || set.DefaultExpirationDays == nil || *set.DefaultExpirationDays != 7 {
		t.Fatalf("settings after save: %+v", set)
	}

	// A custom form with a required dropdown question.
	run(t, ctx, "new form",
		click("#sharing-tab-forms"),
		visible("#sharing-new-form"),
		click("#sharing-new-form"),
		visible("#sf-editor"),
		setValue("#sf-title", "Press registration"),
		click("#sf-std-company"),
		click("#sf-add-field"),
		visible(".sf-field .sf-label"),
		setValue(".sf-field .sf-label", "Outlet"),
		setValue(".sf-field .sf-desc", "Where the story will run"),
		setValue(".sf-field .sf-type", "dropdown"),
		visible(".sf-option-input"),
		setValue(".sf-option-input", "Print"),
		click(".sf-option-add"),
		waitFor(`document.querySelectorAll('.sf-option-input').length === 2`),
		setValue(".sf-option ~ .sf-option .sf-option-input", "Online"),
		click("#sf-required-0"),
		waitFor(`document.querySelectorAll('#sf-preview .sf-pv-q').length === 3`),
	)
	ulViewShot(t, ctx, "sharing-form-editor-desktop")
	run(t, ctx, "save form",
		click("#sf-save"),
		slToast("Form saved"),
		visible("#sf-table"),
	)
	var forms []model.ShareForm
	admin.Do("GET", "/api/v2/share_forms", nil, &forms)
	if len(forms) != 1 || forms[0].Title != "Press registration" || strings.Join(forms[0].StandardFields, ",") != "name,email" ||
		len(forms[0].Fields) != 1 || forms[0].Fields[0].Type != "dropdown" || strings.Join(forms[0].Fields[0].Options, ",") != "Print,Online" ||
		!forms[0].Fields[0].Required || forms[0].Fields[0].Description != "Where the story will run" {
		t.Fatalf("saved forms: %+v", forms)
	}

	// A clickwrap.
	run(t, ctx, "new clickwrap",
		click("#sharing-tab-clickwraps"),
		visible("#sharing-new-clickwrap"),
		click("#sharing-new-clickwrap"),
		visible("#cw-form"),
		setValue("#cw-name", "Embargo"),
		setValue("#cw-body", "Nothing here may be published before 9:00 on launch day."),
		click("#cw-save"),
		slToast("Clickwrap saved"),
		visible("#cw-table"),
	)
	var wraps []model.Clickwrap
	admin.Do("GET", "/api/v2/clickwraps", nil, &wraps)
	if len(wraps) != 1 || wraps[0].Name != "Embargo" {
		t.Fatalf("saved clickwraps: %+v", wraps)
	}

	// A link to the folder from its Share menu, with the new options.
	run(t, ctx, "share dialog",
		chromedp.Navigate(srv.URL+"/projects/"+project+"/folders/"+folder.ID),
		waitPageReady(),
		visible("#share-folder"),
		click("#share-folder"),
		visible("#share-create-public"),
		click("#share-create-public"),
		visible("#sl-form"),
		visible("#sl-key"), // the settings arrived
		// The expiry is pre-filled 7 days ahead; a folder offers 5 actions.
		waitFor(`document.querySelector('#sl-expires').value === `+jsString(time.Now().AddDate(0, 0, 7).Format("2006-01-02"))),
		waitFor(`document.querySelectorAll('.sl-mode:not(.is-off)').length === 5`),
	)
	run(t, ctx, "previews only",
		click(`.sl-mode[data-action=preview]`),
		waitFor(`document.querySelector('#sl-actions-says').textContent.includes('cannot download')`),
		waitFor(`document.querySelector('#sl-allow-original').disabled`),
		click(`.sl-mode[data-action=download]`),
		waitFor(`document.querySelector('#sl-actions-says').textContent === 'Visitors can download items in your share link.'`),
		setValue("#sl-key", "press-kit"),
		visible("#sl-key-error"),
	)
	run(t, ctx, "fill the dialog",
		setValue("#sl-name", "Launch press kit"),
		setValue("#sl-key", "Launch2025"),
		gone("#sl-key-error"),
		setValue("#sl-note", "Press list, launch week"),
		click("#sl-register"),
		visible("#sl-form-select"),
		waitFor(`document.querySelectorAll('#sl-form-select option').length === 2 && document.querySelectorAll('#sl-clickwrap option').length === 2`),
		setValue("#sl-form-select", forms[0].ID),
		setValue("#sl-clickwrap", wraps[0].ID),
	)
	run(t, ctx, "dialog top", chromedp.Evaluate(`document.querySelector('.modal').scrollTop = 0`, nil), settled())
	ulViewShot(t, ctx, "sharing-share-dialog-desktop")
	run(t, ctx, "scroll the dialog", chromedp.Evaluate(`document.querySelector('.modal').scrollTop = 10000`, nil), settled())
	ulViewShot(t, ctx, "sharing-share-dialog-bottom-desktop")

	// A key another link has: the server's 409 shows at the key field.
	var agency model.ShareLink
	{
		var ls []model.ShareLink
		admin.Do("GET", "/api/v2/share_links", nil, &ls)
		for _, l := range ls {
			if l.Name == "Agency drop" {
				agency = l
			}
		}
	}
	run(t, ctx, "taken key",
		setValue("#sl-key", agency.Key),
		click("#sl-submit"),
		waitText("#sl-key-error", nil, "taken"),
	)
	run(t, ctx, "create",
		setValue("#sl-key", "Launch2025"),
		click("#sl-submit"),
		visible("#sl-created"),
		waitFor(`document.querySelector('#sl-created-url').innerText.trim().endsWith('/s/Launch2025')`),
	)
	var made model.ShareLink
	{
		var ls []model.ShareLink
		admin.Do("GET", "/api/v2/share_links", nil, &ls)
		for _, l := range ls {
			if l.Key == "Launch2025" {
				admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &made)
			}
		}
	}
	if made.Note != "Press list, launch week" || !made.RequireRegistration || made.FormID != forms[0].ID || made.ClickwrapID != wraps[0].ID ||
		made.AllowedActions != "download" || made.ExpiresAt == nil || made.ExpiresAt.Sub(time.Now()) < 6*24*time.Hour {
		t.Errorf("created link: %+v", made)
	}
	run(t, ctx, "close", click("#sl-done"), gone("#sl-created"))

	// The Sharing list: three links, the new one with its security marks.
	row := `#sharing-table tr[data-key=Launch2025]`
	run(t, ctx, "sharing list",
		chromedp.Navigate(srv.URL+"/sharing"),
		waitAttr(".sharing-links", "data-state", "ready"),
		visible(row),
		waitFor(`document.querySelectorAll('#sharing-table tbody tr').length === 3`),
		waitFor(`[`+jsString(row+" .sec-registration")+`, `+jsString(row+" .sec-clickwrap")+`, '#sharing-table tr:has(.sec-password)'].every(s => document.querySelectorAll(s).length === 1)`),
		waitText(row, nil, "Press list, launch week", "Downloads", "0 / ∞"),
	)
	testkit.Screenshot(t, ctx, "sharing-desktop")

	// Search by note narrows the list.
	run(t, ctx, "search",
		setValue("#sharing-search", "agency"),
		waitFor(`document.querySelectorAll('#sharing-table tbody tr').length === 1`),
		waitFor(`document.querySelector('#sharing-count').innerText === '1 of 3 links'`),
	)
	run(t, ctx, "clear search", setValue("#sharing-search", ""), waitFor(`document.querySelectorAll('#sharing-table tbody tr').length === 3`))

	// The link's page: settings, registrations tab, email recipients.
	run(t, ctx, "link page",
		click(row+" .sharing-name a"),
		visible("#sharing-meta"),
		visible("#sharing-link-tab-registrations"),
		waitText("#sharing-meta", nil, "Custom form: Press registration", "Embargo"),
	)
	ulViewShot(t, ctx, "sharing-link-desktop")
	run(t, ctx, "email tab",
		click("#sharing-link-tab-email"),
		visible("#sl-email-form"),
		setValue("#sl-email-to", "ana@example.com, not-an-address"),
		click("#sl-email-send"),
		waitText("#sl-email-form .alert-error", nil, "not-an-address"),
	)
	run(t, ctx, "send",
		setValue("#sl-email-to", "ana@example.com"),
		setValue("#sl-email-company", "Daily Planet"),
		click("#sl-email-send"),
		waitText("#sl-recipients", nil, "ana@example.com", "Daily Planet"),
	)
	ulViewShot(t, ctx, "sharing-link-email-desktop")

	// On a phone the list is cards.
	phone := testkit.Browser(t, 390, 844)
	login(t, phone, srv, "")
	run(t, phone, "phone list",
		chromedp.Navigate(srv.URL+"/sharing"),
		waitAttr(".sharing-links", "data-state", "ready"),
		visible(row),
		// Cards: no table head, and nothing wider than the phone.
		waitFor(`getComputedStyle(document.querySelector('#sharing-table thead')).display === 'none'`),
		waitFor(`document.documentElement.scrollWidth <= 390`),
	)
	testkit.Screenshot(t, phone, "sharing-phone")
	// Edit from the card: the dialog holds what the link has.
	run(t, phone, "edit on a phone",
		click(row+" .sharing-edit"),
		visible("#sl-key"),
		waitFor(`document.querySelector('#sl-key').value === 'Launch2025' && document.querySelector('#sl-note').value === 'Press list, launch week'`),
	)
	ulViewShot(t, phone, "sharing-share-dialog-phone")

	// Users > a member > Privileges: a rule on the folder, changed, removed.
	var mia model.User
	if res := admin.Do("POST", "/api/v2/users", model.NewUser{Name: "Mia Member", Email: "mia@example.com", Password: "a good long password", Role: "member"}, &mia); res.StatusCode != 201 {
		t.Fatalf("creating a member: status %d", res.StatusCode)
	}
	miaRow := `#users-table tr:has(td[data-email="mia@example.com"])`
	run(t, ctx, "privileges",
		chromedp.Navigate(srv.URL+"/users"),
		waitPageReady(),
		visible(miaRow),
		click(miaRow+" .user-privileges"),
		visible("#priv-none"),
		click("#priv-add"),
		visible("#priv-project"),
		waitFor(`document.querySelectorAll('#priv-project option').length > 1`),
		setValue("#priv-project", project),
		waitFor(`[...document.querySelectorAll('#priv-folder option')].some(o => o.value === '`+folder.ID+`')`),
		setValue("#priv-folder", folder.ID),
		setValue("#priv-access", "upload"),
		click("#priv-share"),
		click("#priv-add-submit"),
		visible(`#priv-table tr[data-folder="`+folder.ID+`"]`),
	)
	ulViewShot(t, ctx, "sharing-privileges-desktop")
	var privs []model.Privilege
	admin.Do("GET", "/api/v2/users/"+mia.ID+"/privileges", nil, &privs)
	if len(privs) != 1 || privs[0].FolderID != folder.ID || privs[0].Access != "upload" || privs[0].Share {
		t.Errorf("privileges after adding: %+v", privs)
	}
	run(t, ctx, "change access",
		gone(".toast"),
		setValue(`#priv-table tr[data-folder="`+folder.ID+`"] .priv-access`, "preview"),
		slToast("Privileges saved"),
	)
	admin.Do("GET", "/api/v2/users/"+mia.ID+"/privileges", nil, &privs)
	if len(privs) != 1 || privs[0].Access != "preview" || privs[0].Share {
		t.Errorf("privileges after the change: %+v", privs)
	}
	run(t, ctx, "remove rule",
		click(`#priv-table tr[data-folder="`+folder.ID+`"] .priv-remove`),
		visible("#priv-none"),
		click("#priv-done"),
	)

	// Revoke all: the confirm names the count; the list ends empty.
	run(t, ctx, "revoke all",
		chromedp.Navigate(srv.URL+"/sharing"),
		waitAttr(".sharing-links", "data-state", "ready"),
		visible(row),
		click("#sharing-revoke-all"),
		visible("#sharing-revoke-all-dialog"),
		waitFor(`document.querySelector('.modal-head h2').innerText === 'Revoke 3 share links?'`),
	)
	ulViewShot(t, ctx, "sharing-revoke-all-desktop")
	run(t, ctx, "confirm",
		click("#sharing-revoke-all-confirm"),
		slToast("Revoked 3 links"),
		visible("#sharing-empty"),
	)
	var left []model.ShareLink
	admin.Do("GET", "/api/v2/share_links?view=sharing", nil, &left)
	if len(left) != 0 {
		t.Errorf("%d links left after revoking all", len(left))
	}
	if res := srv.Client(t).Do("GET", "/api/v2/public/links/Launch2025", nil, nil); res.StatusCode != 404 {
		t.Errorf("revoked link answers %d", res.StatusCode)
	}
	if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
		t.Errorf("console errors: %s", fmt.Sprint(errs))
	}
}
