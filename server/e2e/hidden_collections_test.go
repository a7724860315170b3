package e2e

import (
	"fmt"
	"image/color"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// Files' collection strip and hidden collections (Picvario seed 001):
// collect two files as a hidden collection, find it only with "Show
// hidden", open it, share it and visit the link, then unhide and hide it.
func TestHiddenCollectionsUI(t *testing.T) {
	srv := testkit.Start(t)
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			admin := srv.Admin(t)
			project, root := ulProject(t, admin, "Hidden picks "+size.name)
			harbour := slUploadImage(t, admin, root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
			sunset := slUploadImage(t, admin, root, "sunset.jpg", color.RGBA{240, 120, 40, 255})
			var team model.Collection
			if res := admin.Do("POST", "/api/v2/projects/"+project+"/collections", model.NewCollection{Name: "Team picks", AssetIDs: []string{harbour}}, &team); res.StatusCode != 201 {
				t.Fatalf("team collection: status %d", res.StatusCode)
			}
			ctx := testkit.Browser(t, size.w, size.h)
			login(t, ctx, srv, "")
			// Each page starts with the toggle off, whatever an earlier run left.
			run(t, ctx, "folder page",
				chromedp.Navigate(srv.URL+"/projects/"+project),
				waitPageReady(),
				chromedp.Evaluate(`localStorage.removeItem('ferry.showHiddenCollections')`, nil),
				chromedp.Reload(),
				waitPageReady(),
				visible(`.chip-link[data-id="`+team.ID+`"]`),
				gone("#show-hidden-collections"),
			)

			tile := `#asset-grid .tile[data-id="%s"] .item-check`
			run(t, ctx, "collect as hidden",
				click(fmt.Sprintf(tile, harbour)),
				click(fmt.Sprintf(tile, sunset)),
				waitText("#make-collection", nil, "Collect 2 selected"),
				visible("#make-hidden-collection"),
				settled(),
			)
			ulViewShot(t, ctx, "hidden-collections-collect-"+size.name)
			run(t, ctx, "collected",
				click("#make-hidden-collection"),
				waitUntil("the hidden collection's toast", `[...document.querySelectorAll('.toast')].some(e => e.textContent.startsWith('Created the hidden collection "New collection from '))`),
				waitText(`label.coll-toggle`, nil, "Show hidden (1)"),
			)
			var all []model.Collection
			admin.Do("GET", "/api/v2/projects/"+project+"/collections?include_hidden=true", nil, &all)
			var hidden model.Collection
			for _, c := range all {
				if c.Hidden {
					hidden = c
				}
			}
			if hidden.ID == "" || len(hidden.AssetIDs) != 2 || len(all) != 2 {
				t.Fatalf("collections after collecting as hidden: %+v", all)
			}
			chip := `.chip-link[data-id="` + hidden.ID + `"]`
			run(t, ctx, "hidden until asked", gone(chip))
			run(t, ctx, "show hidden",
				click("#show-hidden-collections"),
				visible(chip),
				waitAttr(chip, "data-hidden", "true"),
				waitText(chip, nil, "(hidden)", "· 2"),
				settled(),
			)
			ulViewShot(t, ctx, "hidden-collections-strip-"+size.name)

			// The toggle is remembered; the hidden collection opens and shares.
			run(t, ctx, "open the hidden collection",
				chromedp.Reload(),
				waitPageReady(),
				visible(chip),
				click(chip),
				waitPageReady(),
				visible("#unhide-collection"),
				waitText(".project-actions .badge", nil, "Hidden"),
				visible(`#asset-grid .tile[data-id="`+sunset+`"]`),
				settled(),
			)
			ulViewShot(t, ctx, "hidden-collections-open-"+size.name)
			run(t, ctx, "share it",
				click("#share-collection"),
				visible("#sl-form"),
				click("#sl-submit"),
				visible("#sl-created-url"),
			)
			var links []model.ShareLink
			admin.Do("GET", "/api/v2/share_links?target_id="+hidden.ID, nil, &links)
			if len(links) != 1 || links[0].TargetType != "collection" {
				t.Fatalf("links of the hidden collection: %+v", links)
			}
			visitor := testkit.Browser(t, size.w, size.h)
			run(t, visitor, "visit the link of a hidden collection",
				chromedp.Navigate(srv.URL+"/s/"+links[0].Key),
				present("#app-ready"),
				waitText("main", nil, "harbour.jpg", "sunset.jpg"),
			)

			// Unhide lists it for everyone; Hide takes it out again.
			run(t, ctx, "unhide",
				click("#sl-done"),
				click("#unhide-collection"),
				slToast("Collection shown in the list again"),
				visible("#hide-collection"),
				waitAttr(chip, "data-hidden", "false"),
				gone("#show-hidden-collections"),
			)
			run(t, ctx, "hide again",
				click("#hide-collection"),
				slToast("Collection hidden: its links keep working"),
				visible("#unhide-collection"),
				waitAttr(chip, "data-hidden", "true"),
			)
			var after model.Collection
			admin.Do("GET", "/api/v2/collections/"+hidden.ID, nil, &after)
			if !after.Hidden {
				t.Errorf("after Hide: %+v", after)
			}
			if size.name == "desktop" {
				t.Run("axe", func(t *testing.T) {
					newAxeChecker(t, ctx).check("hidden-collection")
				})
			}
		})
	}
}
