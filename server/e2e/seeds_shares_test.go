package e2e

import (
	"image/color"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// mixedProject is a project with harbour.jpg at the top and a folder
// "Day 1" holding dock.jpg and a subfolder "Selects" with crane.jpg.
type mixedProject struct {
	id, root, harbour, day1, dock, selects, crane string
}

func newMixedProject(t *testing.T, c *testkit.Client, name string) mixedProject {
	t.Helper()
	var m mixedProject
	m.id, m.root = ulProject(t, c, name)
	m.harbour = slUploadImage(t, c, m.root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
	m.day1 = visMkdir(t, c, m.root, "Day 1")
	m.selects = visMkdir(t, c, m.day1, "Selects")
	m.dock = slUploadImage(t, c, m.day1, "dock.jpg", color.RGBA{220, 160, 40, 255})
	m.crane = slUploadImage(t, c, m.selects, "crane.jpg", color.RGBA{60, 180, 90, 255})
	return m
}

// dragToDrawer drags the Files row of asset id onto the share drawer, as
// a pointer would: dragstart on the row, dragover and drop on the drawer,
// one DataTransfer between them.
func dragToDrawer(id string) chromedp.Action {
	return waitUntil("drag "+id+" onto the drawer", `(() => {
		const row = document.querySelector('[draggable="true"][data-id=`+jsString(id)+`]');
		const drawer = document.querySelector('#share-drawer');
		if (!row || !drawer) return false;
		const dt = new DataTransfer();
		const ev = (type) => new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt});
		row.dispatchEvent(ev('dragstart'));
		drawer.dispatchEvent(ev('dragenter'));
		drawer.dispatchEvent(ev('dragover'));
		drawer.dispatchEvent(ev('drop'));
		return true;
	})()`)
}

// A visitor of a share holding a file and a folder together sees both at
// the top, opens the folder and its subfolder, comes back by the
// breadcrumbs, and gets no upload tools; Download all is offered.
func TestMixedShareVisitor(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		m := newMixedProject(t, admin, "Mixed "+size.name)
		l := visCreateLink(t, admin, model.NewShareLink{Kind: "public", AssetIDs: []string{m.harbour, m.day1}, AllowOriginal: model.Ptr(true),
			CollectionName: "For Mia", Name: "Harbour and Day 1"})
		ctx := testkit.Browser(t, size.w, size.h)
		run(t, ctx, "open the link",
			chromedp.Navigate(srv.URL+"/s/"+l.Key),
			present("#app-ready"),
			visible("#share-browser"),
			visible(`.vis-folder[data-path="Day 1"]`),
			visible(`.gallery-tile[data-id="`+m.harbour+`"]`),
			waitText(`.vis-folder[data-path="Day 1"] .gallery-sub`, nil, "2 files"),
			waitFor(`document.querySelector('#download-all').getAttribute('href').endsWith('/zip')`),
			gone("#share-new-folder"),
			gone("#share-file-input"),
			settled(),
		)
		testkit.Screenshot(t, ctx, "seeds-mixed-share-top-"+size.name)
		run(t, ctx, "into Day 1",
			click(`.vis-folder[data-path="Day 1"]`),
			waitAttr("#share-browser", "data-path", "Day 1"),
			visible(`.gallery-tile[data-id="`+m.dock+`"]`),
			visible(`.vis-folder[data-path="Day 1/Selects"]`),
			gone(`.gallery-tile[data-id="`+m.harbour+`"]`),
			settled(),
		)
		testkit.Screenshot(t, ctx, "seeds-mixed-share-folder-"+size.name)
		run(t, ctx, "into Selects and back to the top",
			click(`.vis-folder[data-path="Day 1/Selects"]`),
			visible(`.gallery-tile[data-id="`+m.crane+`"]`),
			click("#share-crumb-root"),
			waitFor(`!document.querySelector("#share-browser").dataset.path`),
			visible(`.gallery-tile[data-id="`+m.harbour+`"]`),
		)
		run(t, ctx, "a file in a folder opens in the viewer with its download",
			click(`.vis-folder[data-path="Day 1"]`),
			click(`.gallery-tile[data-id="`+m.dock+`"]`),
			visible("#share-viewer"),
			waitFor(`[...document.querySelectorAll('#share-viewer a[href*="/original"]')].length > 0`),
		)
		noBrowserErrors(t, ctx)
	})
}

// The share drawer in Files: New share opens it, a row's chain icon and a
// row dragged onto it add a file and a folder, it keeps them while the
// user opens another folder, a selection goes in with Add to share, items
// come out again, and Create link opens the share dialog for what it holds
// and makes one link for the files and folders together. Sharing's New
// share opens it in Files.
func TestShareDrawer(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		m := newMixedProject(t, admin, "Drawer "+size.name)
		pier := slUploadImage(t, admin, m.root, "pier.jpg", color.RGBA{200, 60, 60, 255})
		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")
		run(t, ctx, "Files",
			chromedp.Navigate(srv.URL+"/projects/"+m.id),
			waitPageReady(),
			visible(`.tile[data-id="`+m.harbour+`"]`),
			click("#new-share"),
			visible("#share-drawer"),
			visible("#share-drawer-empty"),
			waitFor(`document.querySelector('#share-drawer-create').disabled`),
		)
		run(t, ctx, "a row's chain icon",
			click(`.tile[data-id="`+m.harbour+`"] .add-share`),
			waitAttr("#share-drawer", "data-count", "1"),
			visible(`.sd-item[data-id="`+m.harbour+`"]`),
		)
		run(t, ctx, "drag the folder onto the drawer",
			dragToDrawer(m.day1),
			waitAttr("#share-drawer", "data-count", "2"),
			waitText("#share-drawer-count", nil, "1 file and 1 folder"),
		)
		run(t, ctx, "a selection with Add to share",
			click(`.tile[data-id="`+pier+`"] .item-check`),
			click("#add-selection-to-share"),
			waitAttr("#share-drawer", "data-count", "3"),
		)
		run(t, ctx, "into Day 1: the drawer stays",
			chromedp.Navigate(srv.URL+"/projects/"+m.id+"/folders/"+m.day1),
			waitPageReady(),
			visible(`.tile[data-id="`+m.dock+`"]`),
			waitAttr("#share-drawer", "data-count", "3"),
			click(`.tile[data-id="`+m.dock+`"] .add-share`),
			waitAttr("#share-drawer", "data-count", "4"),
			settled(),
		)
		ulViewShot(t, ctx, "seeds-share-drawer-"+size.name)
		run(t, ctx, "collapse and expand",
			click("#share-drawer-handle"),
			waitAttr("#share-drawer-handle", "aria-expanded", "false"),
			gone("#share-drawer-body"),
			click("#share-drawer-handle"),
			visible("#share-drawer-body"),
		)
		run(t, ctx, "take two out",
			click(`.sd-item[data-id="`+m.dock+`"] .sd-remove`),
			waitAttr("#share-drawer", "data-count", "3"),
			click(`.sd-item[data-id="`+pier+`"] .sd-remove`),
			waitAttr("#share-drawer", "data-count", "2"),
		)
		run(t, ctx, "Create link",
			click("#share-drawer-create"),
			visible("#sl-form"),
			waitText(".modal-head h2", nil, "Create link for 1 file and 1 folder"),
			setValue("#sl-collection-name", "Drawer picks "+size.name),
			setValue("#sl-name", "Drawer link "+size.name),
			settled(),
		)
		ulViewShot(t, ctx, "seeds-share-drawer-dialog-"+size.name)
		run(t, ctx, "submit",
			click("#sl-submit"),
			visible("#sl-created-url"),
			gone("#share-drawer"),
		)
		l := slFind(t, admin, "Drawer link "+size.name)
		var c model.Collection
		admin.Do("GET", "/api/v2/collections/"+l.TargetID, nil, &c)
		if l.TargetType != "collection" || c.Name != "Drawer picks "+size.name || len(c.AssetIDs) != 2 ||
			!slices.Contains(c.AssetIDs, m.harbour) || !slices.Contains(c.AssetIDs, m.day1) {
			t.Fatalf("the drawer's link %+v shares %+v, want harbour.jpg and Day 1", l, c)
		}
		var pub model.PublicShare
		srv.Client(t).Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub)
		if len(pub.Items) != 3 || len(pub.Folders) != 2 {
			t.Errorf("its visitors get %d files and %d folders, want 3 and 2", len(pub.Items), len(pub.Folders))
		}
		run(t, ctx, "Sharing's New share opens the drawer in Files",
			click("#sl-done"),
			chromedp.Navigate(srv.URL+"/sharing"),
			waitPageReady(),
			click("#sharing-new"),
			visible("#share-drawer"),
			waitFor(`location.pathname.startsWith('/projects')`),
			visible("#share-drawer-empty"),
			settled(),
		)
		ulViewShot(t, ctx, "seeds-share-drawer-from-sharing-"+size.name)
		run(t, ctx, "close it", click("#share-drawer-close"), gone("#share-drawer"))
		noBrowserErrors(t, ctx)
	})
}

// The collections feed (Picvario seed 001): cards with hidden ones behind
// Show hidden, a card selected brings the bulk bar with Share and the
// right sidebar whose Share tab lists the collection's links; Share with
// two selected is refused (a link shares one collection); Share and the
// sidebar's Create link open the share dialog for the collection, and the
// new link shows in the tab.
func TestCollectionsFeed(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	api := admin.API()
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		m := newMixedProject(t, admin, "Feed "+size.name)
		mk := func(name string, hidden bool, ids ...string) model.Collection {
			c, err := api.CreateCollection(m.id, model.NewCollection{Name: name, AssetIDs: ids, Hidden: hidden})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		selects := mk("Selects", false, m.harbour, m.dock)
		press := mk("Press", false, m.crane)
		mk("Internal", true, m.dock)
		old := visCreateLink(t, admin, model.NewShareLink{Kind: "public", CollectionID: selects.ID, Name: "Selects for Mia"})
		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")
		card := func(c model.Collection) string { return `.coll-card[data-id="` + c.ID + `"]` }
		run(t, ctx, "the feed from Files",
			chromedp.Navigate(srv.URL+"/projects/"+m.id),
			waitPageReady(),
			click("#project-collections"),
			waitPageReady(),
			visible(card(selects)),
			visible(card(press)),
			waitFor(`document.querySelectorAll('.coll-card').length === 2`),
			click("#feed-show-hidden"),
			waitFor(`document.querySelectorAll('.coll-card').length === 3`),
			click("#feed-show-hidden"),
			waitFor(`document.querySelectorAll('.coll-card').length === 2`),
		)
		run(t, ctx, "select Selects: the bulk bar and the Share tab",
			click(card(selects)+" .coll-check"),
			visible("#coll-bulk-bar"),
			waitText("#coll-bulk-count", nil, "1 collection selected"),
			visible("#coll-side"),
			waitAttr("#coll-side", "data-id", selects.ID),
			visible(`#coll-side-share .share-link-row[data-id="`+old.ID+`"]`),
			settled(),
		)
		ulViewShot(t, ctx, "seeds-collections-feed-"+size.name)
		run(t, ctx, "two selected: Share is for one",
			click(card(press)+" .coll-check"),
			waitText("#coll-bulk-count", nil, "2 collections selected"),
			waitFor(`document.querySelector('#coll-bulk-share').disabled`),
			waitText("#coll-bulk-share", nil, "Share 1/2"),
			click(card(press)+" .coll-check"),
			waitFor(`!document.querySelector('#coll-bulk-share').disabled`),
		)
		run(t, ctx, "Share from the bulk bar",
			click("#coll-bulk-share"),
			visible("#sl-form"),
			waitText(".modal-head h2", nil, "Create link to collection"),
			waitText(".sl-target-name", nil, "Selects"),
			setValue("#sl-name", "Feed link "+size.name),
			click("#sl-submit"),
			visible("#sl-created-url"),
			click("#sl-done"),
			gone("#sl-created-url"),
		)
		l := slFind(t, admin, "Feed link "+size.name)
		if l.TargetType != "collection" || l.TargetID != selects.ID {
			t.Fatalf("the feed's Share made %+v, want a link to Selects", l)
		}
		run(t, ctx, "the new link in the Share tab",
			visible(`#coll-side-share .share-link-row[data-id="`+l.ID+`"]`),
			waitText("#coll-tab-share", nil, "2"),
		)
		run(t, ctx, "the sidebar of Press: Info, then Share with Create link",
			click(card(press)+" .coll-card-open"),
			waitAttr("#coll-side", "data-id", press.ID),
			visible("#coll-side-share .sl-none"),
			click("#coll-tab-info"),
			visible("#coll-side-info"),
			click("#coll-tab-share"),
			click("#coll-create-link"),
			visible("#sl-form"),
			waitText(".sl-target-name", nil, "Press"),
			settled(),
		)
		ulViewShot(t, ctx, "seeds-collections-create-link-"+size.name)
		run(t, ctx, "cancel", click(".modal-head .icon-btn"), gone("#sl-form"))
		noBrowserErrors(t, ctx)
	})
}
