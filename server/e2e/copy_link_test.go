package e2e

import (
	"fmt"
	"image/color"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// Files.com seed 003: a member without the share privilege on a folder
// sees "Copy link" (the folder's or file's own link in Ferry) where Share
// would be, on the folder page, for a selected file and on the file's
// page; where the privilege holds, Share stays. The server refuses the
// member a public link there all the same.
func TestCopyLinkInsteadOfShare(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	mia := govMember(t, admin, "Mia Member", "mia@example.com")
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			project, root := ulProject(t, admin, "Press "+size.name)
			press := govFolder(t, admin, root, "Press kit")
			kit := slUploadImage(t, admin, press, "kit.jpg", color.RGBA{40, 120, 220, 255})
			if res := admin.Do("PUT", "/api/v2/projects/"+project, model.ProjectPatch{MemberIDs: model.Ptr([]string{mia})}, nil); res.StatusCode != 200 {
				t.Fatalf("project members: status %d", res.StatusCode)
			}
			if res := admin.Do("PUT", "/api/v2/users/"+mia+"/privileges/"+press, model.PrivilegeInput{Access: "full", Share: model.Ptr(false)}, nil); res.StatusCode != 200 {
				t.Fatalf("privilege: status %d", res.StatusCode)
			}
			member := srv.Login(t, "mia@example.com", "a good long password")
			if res := member.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{kit}}, nil); res.StatusCode != 403 {
				t.Errorf("member's public link from the press kit: status %d, want 403", res.StatusCode)
			}

			ctx := testkit.Browser(t, size.w, size.h)
			run(t, ctx, "member login page", chromedp.Navigate(srv.URL+"/login"), present("#app-ready"))
			logIn(t, ctx, "mia@example.com", "a good long password")
			// Copies land in window.__copied instead of the clipboard.
			stub := chromedp.Evaluate(`navigator.clipboard.writeText = async s => { window.__copied = s }; window.__copied = ''`, nil)
			copied := func(suffix string) chromedp.Action {
				return waitUntil("copied …"+suffix, `(window.__copied || '').startsWith(location.origin) && window.__copied.endsWith(`+jsString(suffix)+`)`)
			}

			run(t, ctx, "the project root: Share stays",
				chromedp.Navigate(srv.URL+"/projects/"+project),
				waitPageReady(),
				visible("#share-folder"),
				gone("#copy-link"),
			)
			folderPath := "/projects/" + project + "/folders/" + press
			run(t, ctx, "the press kit: Copy link",
				chromedp.Navigate(srv.URL+folderPath),
				waitPageReady(),
				visible("#copy-link"),
				gone("#share-folder"),
				stub,
				click("#copy-link"),
				slToast("Link copied"),
				copied(folderPath),
				settled(),
			)
			ulViewShot(t, ctx, "copy-link-folder-"+size.name)
			run(t, ctx, "a selected file: Copy link",
				click(fmt.Sprintf(`#asset-grid .tile[data-id="%s"] .item-check`, kit)),
				visible("#review-selection"),
				visible("#copy-link"),
				gone("#share-selection"),
				click("#copy-link"),
				copied("/assets/"+kit),
			)
			run(t, ctx, "the file's page: Copy link, no Create link",
				chromedp.Navigate(srv.URL+"/assets/"+kit),
				waitPageReady(),
				visible("#copy-link"),
				gone("#share-button"),
				present("#share-not-permitted"),
				gone("#share-section-create"),
				stub,
				click("#copy-link"),
				copied("/assets/"+kit),
				settled(),
			)
			ulViewShot(t, ctx, "copy-link-asset-"+size.name)
			if size.name == "desktop" {
				t.Run("axe", func(t *testing.T) {
					a := newAxeChecker(t, ctx)
					a.check("copy-link-asset")
					run(t, ctx, "the press kit again", chromedp.Navigate(srv.URL+folderPath), waitPageReady(), visible("#copy-link"))
					a.check("copy-link-folder")
				})
			}
		})
	}
}
