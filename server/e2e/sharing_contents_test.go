package e2e

import (
	"fmt"
	"image/color"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestSharingContentsUI edits a selection link's files from its page
// (Contents: remove one, add another), checks the change over the API and
// in the access log, then deletes a shared file from the asset browser: the
// confirmation names its link, and the Sharing list shows it as "Target
// deleted". At a desktop width and on a phone.
func TestSharingContentsUI(t *testing.T) {
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		srv := testkit.Start(t)
		admin := srv.Admin(t)
		project, root := ulProject(t, admin, "Campaign")
		red := slUploadImage(t, admin, root, "red.jpg", color.RGBA{200, 40, 40, 255})
		green := slUploadImage(t, admin, root, "green.jpg", color.RGBA{40, 180, 60, 255})
		blue := slUploadImage(t, admin, root, "blue.jpg", color.RGBA{40, 80, 200, 255})
		poster := slUploadImage(t, admin, root, "poster.jpg", color.RGBA{220, 200, 40, 255})
		var folder model.Asset
		if res := admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "folder", Name: "Drafts"}, &folder); res.StatusCode != 201 {
			t.Fatalf("creating folder: status %d", res.StatusCode)
		}
		type link struct {
			ID         string `json:"id"`
			TargetType string `json:"target_type"`
			TargetID   string `json:"target_id"`
			Status     string `json:"status"`
		}
		mk := func(body model.NewShareLink) link {
			t.Helper()
			var l link
			if res := admin.Do("POST", "/api/v2/share_links", body, &l); res.StatusCode != 201 {
				t.Fatalf("creating link %v: status %d (%s)", body.Name, res.StatusCode, testkit.ErrorCode(res))
			}
			return l
		}
		sel := mk(model.NewShareLink{Kind: "public", AssetIDs: []string{red, green}, Name: "Client picks"})
		posterLink := mk(model.NewShareLink{Kind: "public", AssetIDs: []string{poster}, Name: "Poster only"})
		folderLink := mk(model.NewShareLink{Kind: "public", FolderID: folder.ID, Name: "Drafts folder"})
		items := func() []string {
			t.Helper()
			var l link
			admin.Do("GET", "/api/v2/share_links/"+sel.ID, nil, &l)
			if l.TargetType != "collection" {
				t.Fatalf("selection link targets %s", l.TargetType)
			}
			return collectionIDs(admin, l.TargetID)
		}
		if got := items(); !slices.Equal(got, sortedIDs(red, green)) {
			t.Fatalf("link items before: %v", got)
		}

		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")
		file := func(id string) string { return `#sharing-files .sharing-file[data-id="` + id + `"]` }

		// A folder link has no Contents tab: its folder decides.
		run(t, ctx, "folder link page",
			chromedp.Navigate(srv.URL+"/sharing/links/"+folderLink.ID),
			visible("#sharing-link-tab-log"),
			waitFor(`!document.querySelector('#sharing-link-tab-contents')`),
		)

		run(t, ctx, "contents tab",
			chromedp.Navigate(srv.URL+"/sharing/links/"+sel.ID),
			visible("#sharing-link-tab-contents"),
			click("#sharing-link-tab-contents"),
			visible(file(red)),
			visible(file(green)),
			waitFor(`document.querySelectorAll('#sharing-files .sharing-file').length === 2`),
		)
		testkit.Screenshot(t, ctx, "sharing-contents-"+size.name)

		run(t, ctx, "remove green", removeFile(file, green, red))
		if got := items(); !slices.Equal(got, []string{red}) {
			t.Fatalf("link items after removing green: %v", got)
		}

		run(t, ctx, "add blue", pickFile("", blue, red))
		testkit.Screenshot(t, ctx, "sharing-contents-picker-"+size.name)
		run(t, ctx, "confirm add",
			click("#sharing-add-confirm"),
			gone("#sharing-picker"),
		)
		if got := items(); !slices.Equal(got, sortedIDs(red, blue)) {
			t.Fatalf("link items after adding blue: %v (red %s, blue %s)", got, red, blue)
		}
		run(t, ctx, "blue shown", visible(file(blue)))

		// The access log records both changes, by whom and what.
		wantContentsChanges(t, admin, sel.ID, 2)
		run(t, ctx, "access log tab",
			click("#sharing-link-tab-log"),
			waitFor(`document.querySelectorAll('#sl-log-table .sl-log-row[data-action="contents_changed"]').length === 2`),
			waitFor(`[...document.querySelectorAll('#sl-log-table .sl-log-row[data-action="contents_changed"]')].some(r => r.textContent.includes('Files changed +1 −0 by '))`),
		)
		testkit.Screenshot(t, ctx, "sharing-contents-log-"+size.name)

		// Deleting the poster: the confirmation names its link.
		run(t, ctx, "delete the shared poster",
			chromedp.Navigate(srv.URL+"/projects/"+project),
			click("#view-list"),
			present(`.row-name[data-id="`+poster+`"]`),
			chromedp.Evaluate(`window.confirm = m => { window.__asked = m; return true }`, nil),
			click(`#asset-table tr:has(.row-name[data-id="`+poster+`"]) .item-actions .danger`),
			waitFor(`(window.__asked || '').includes('These share links will stop working: "Poster only".')`),
			waitFor(`!(window.__asked || '').includes('Client picks')`),
			slToast("Deleted"),
			gone(`.row-name[data-id="`+poster+`"]`),
		)
		var after link
		admin.Do("GET", "/api/v2/share_links/"+posterLink.ID, nil, &after)
		if after.Status != "target_deleted" {
			t.Fatalf("poster link status after delete: %q", after.Status)
		}

		row := fmt.Sprintf(`tr.sharing-row[data-id="%s"]`, posterLink.ID)
		run(t, ctx, "sharing list",
			chromedp.Navigate(srv.URL+"/sharing"),
			visible(row),
			waitAttr(row, "data-status", "target_deleted"),
			waitFor(`document.querySelector('`+row+`').textContent.includes('Target deleted')`),
			setValue("#sharing-status", "active"),
			gone(row),
			visible(fmt.Sprintf(`tr.sharing-row[data-id="%s"]`, sel.ID)),
			setValue("#sharing-status", "target_deleted"),
			visible(row),
			waitFor(`document.querySelectorAll('tr.sharing-row').length === 1`),
			setValue("#sharing-status", ""),
		)
		testkit.Screenshot(t, ctx, "sharing-target-deleted-"+size.name)
	})
}

// TestShareDialogContentsUI edits a selection link's files from the share
// dialog (Sharing > Edit > Contents > Edit): remove one, add another; the
// API and the access log see both changes. At a desktop width and on a
// phone.
func TestShareDialogContentsUI(t *testing.T) {
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		srv := testkit.Start(t)
		admin := srv.Admin(t)
		_, root := ulProject(t, admin, "Campaign")
		red := slUploadImage(t, admin, root, "red.jpg", color.RGBA{200, 40, 40, 255})
		green := slUploadImage(t, admin, root, "green.jpg", color.RGBA{40, 180, 60, 255})
		blue := slUploadImage(t, admin, root, "blue.jpg", color.RGBA{40, 80, 200, 255})
		var sel model.ShareLink
		body := model.NewShareLink{Kind: "public", AssetIDs: []string{red, green}, Name: "Client picks"}
		if res := admin.Do("POST", "/api/v2/share_links", body, &sel); res.StatusCode != 201 {
			t.Fatalf("creating link: status %d (%s)", res.StatusCode, testkit.ErrorCode(res))
		}
		items := func() []string { return collectionIDs(admin, sel.TargetID) }

		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")
		file := func(id string) string { return `#sl-contents .sharing-file[data-id="` + id + `"]` }
		row := fmt.Sprintf(`tr.sharing-row[data-id="%s"]`, sel.ID)
		run(t, ctx, "open the edit dialog",
			chromedp.Navigate(srv.URL+"/sharing"),
			visible(row),
			click(row+" .sharing-edit"),
			visible("#sl-contents-edit"),
			click("#sl-contents-edit"),
			visible(file(red)),
			visible(file(green)),
			waitFor(`document.querySelectorAll('#sl-contents .sharing-file').length === 2`),
		)
		testkit.Screenshot(t, ctx, "share-dialog-contents-"+size.name)

		run(t, ctx, "remove green", removeFile(file, green, red))
		if got := items(); !slices.Equal(got, []string{red}) {
			t.Fatalf("link items after removing green: %v", got)
		}
		run(t, ctx, "add blue", pickFile("#sl-contents ", blue, red))
		testkit.Screenshot(t, ctx, "share-dialog-contents-picker-"+size.name)
		run(t, ctx, "confirm add",
			click("#sharing-add-confirm"),
			gone("#sharing-picker"),
			visible(file(blue)),
			// The dialog stays open, on the same link.
			visible("#sl-form"),
		)
		if got := items(); !slices.Equal(got, sortedIDs(red, blue)) {
			t.Fatalf("link items after adding blue: %v", got)
		}
		wantContentsChanges(t, admin, sel.ID, 2)
	})
}

// collectionIDs is the sorted asset IDs of the collection id.
func collectionIDs(admin *testkit.Client, id string) []string {
	var c model.Collection
	admin.Do("GET", "/api/v2/collections/"+id, nil, &c)
	return sortedIDs(slices.Clone(c.AssetIDs)...)
}

func sortedIDs(ids ...string) []string { slices.Sort(ids); return ids }

// removeFile removes drop from a link's contents list, whose rows file
// selects, and waits until only keep's row is left of the two.
func removeFile(file func(id string) string, drop, keep string) chromedp.Tasks {
	return chromedp.Tasks{
		click(file(drop) + " .sharing-file-remove"),
		slToast("Link contents updated"),
		gone(file(drop)),
		visible(file(keep)),
	}
}

// pickFile opens the file picker of the contents list inside scope (""
// or a selector and a space) and picks add; held, which the link already
// holds, is not offered again, and the picker confirms only once a file
// is picked.
func pickFile(scope, add, held string) chromedp.Tasks {
	return chromedp.Tasks{
		click(scope + "#sharing-add-files"),
		visible(scope + "#sharing-picker"),
		present(`.sharing-pick[value="` + add + `"]`),
		waitFor(`!document.querySelector('.sharing-pick[value="` + held + `"]')`),
		waitFor(`document.querySelector('#sharing-add-confirm').disabled`),
		click(`.sharing-pick[value="` + add + `"]`),
		waitFor(`!document.querySelector('#sharing-add-confirm').disabled`),
	}
}

// wantContentsChanges fails unless the access log of link records n
// changes of its contents, each with by whom and what.
func wantContentsChanges(t *testing.T, admin *testkit.Client, link string, n int) {
	t.Helper()
	var log []model.AccessLogEntry
	admin.Do("GET", "/api/v2/share_links/"+link+"/access_log", nil, &log)
	changes := 0
	for _, e := range log {
		if e.Action == "contents_changed" && e.By != "" && e.Detail != "" {
			changes++
		}
	}
	if changes != n {
		t.Fatalf("access log: %d contents changes, want %d: %+v", changes, n, log)
	}
}
