package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// govMember makes a member over the API and returns their id.
func govMember(t *testing.T, admin *testkit.Client, name, email string) string {
	t.Helper()
	var u model.User
	if res := admin.Do("POST", "/api/v2/users", model.NewUser{Name: name, Email: email, Password: "a good long password", Role: "member"}, &u); res.StatusCode != 201 {
		t.Fatalf("creating %s: status %d", email, res.StatusCode)
	}
	return u.ID
}

// govFolder makes folder name in parent over the API.
func govFolder(t *testing.T, admin *testkit.Client, parent, name string) string {
	t.Helper()
	var a model.Asset
	if res := admin.Do("POST", "/api/v2/assets/"+parent+"/children", model.NewAsset{Type: "folder", Name: name}, &a); res.StatusCode != 201 {
		t.Fatalf("creating folder %s: status %d", name, res.StatusCode)
	}
	return a.ID
}

// Settings → Groups makes a group; a folder's Permissions gives it rights,
// shows them inherited in a subfolder and overrides them there; an upload
// link whose mail the SMTP server refused says so on its card.
func TestGroupsAndPermissionsUI(t *testing.T) {
	mp := testkit.Mailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	srv := testkit.Start(t, func(c *config.Config) { c.SMTP.URL = "smtp://" + mp.SMTPAddr })
	admin := srv.Admin(t)
	project, root := ulProject(t, admin, "Launch")
	press := govFolder(t, admin, root, "Press kit")
	drafts := govFolder(t, admin, press, "Drafts")
	mia := govMember(t, admin, "Mia Member", "mia@example.com")
	govMember(t, admin, "Noah Novak", "noah@example.com")
	if res := admin.Do("PUT", "/api/v2/projects/"+project, model.ProjectPatch{MemberIDs: model.Ptr([]string{mia})}, nil); res.StatusCode != 200 {
		t.Fatalf("project members: status %d", res.StatusCode)
	}
	ulCreate(t, admin, model.NewUploadLink{ProjectID: project, Name: "Harbour shoot", RecipientEmail: "jane@photo.elsewhere", RecipientName: "Jane Doe"})

	ctx := testkit.Browser(t, 1280, 900)
	login(t, ctx, srv, "")

	run(t, ctx, "new group",
		chromedp.Navigate(srv.URL+"/settings/groups"),
		waitPageReady(),
		visible("#groups-empty"),
		click("#new-group"),
		visible("#group-name"),
		setValue("#group-name", "Editors"),
		click(`#group-members input[value="`+mia+`"]`),
		waitFor(`document.querySelector('#group-members input[value="`+mia+`"]').checked`),
		settled(),
	)
	ulViewShot(t, ctx, "group-dialog-desktop")
	run(t, ctx, "save group",
		click("#group-save"),
		slToast("Group Editors saved"),
		waitText("#groups-table .group-row", nil, "Editors", "1 member", "Mia Member"),
	)
	ulViewShot(t, ctx, "groups-desktop")
	run(t, ctx, "a second Editors is refused with the reason",
		gone(".toast"),
		click("#new-group"),
		visible("#group-name"),
		setValue("#group-name", "editors"),
		click("#group-save"),
		waitText("#group-form .alert-error", nil, `already a group named "editors"`),
		click("#group-form .btn-ghost"),
		gone("#group-form"),
	)
	var groups []model.Group
	admin.Do("GET", "/api/v2/groups", nil, &groups)
	if len(groups) != 1 || groups[0].Name != "Editors" || len(groups[0].UserIDs) != 1 || groups[0].UserIDs[0] != mia {
		t.Fatalf("groups after saving: %+v", groups)
	}
	g := groups[0]

	run(t, ctx, "permissions of Press kit",
		chromedp.Navigate(srv.URL+"/projects/"+project+"/folders/"+press),
		waitPageReady(),
		click("#folder-permissions"),
		waitAttr("#permissions", "data-state", "ready"),
		visible("#perm-none"),
		waitFor(`[...document.querySelectorAll('#perm-holder option')].some(o => o.value === 'group:`+g.ID+`')`),
		setValue("#perm-holder", "group:"+g.ID),
		setValue("#perm-access", "upload"),
		click("#perm-add-submit"),
		slToast("Permissions saved"),
		visible(`#perm-table tr[data-holder="`+g.ID+`"]`),
		waitText(`#perm-table tr[data-holder="`+g.ID+`"]`, nil, "Editors", "This folder"),
		click("#perm-done"),
		gone("#permissions"),
	)
	var privs []model.Privilege
	admin.Do("GET", "/api/v2/groups/"+g.ID+"/privileges", nil, &privs)
	if len(privs) != 1 || privs[0].FolderID != press || privs[0].Access != "upload" || !privs[0].Share {
		t.Fatalf("group privileges after adding: %+v", privs)
	}

	// Drafts, from its tile: the rule shows as inherited, then is overridden.
	row := `#perm-table tr[data-holder="` + g.ID + `"]`
	run(t, ctx, "permissions of Drafts",
		gone(".toast"),
		click(`[data-id="`+drafts+`"] .item-permissions`),
		waitAttr("#permissions", "data-state", "ready"),
		waitText(row, nil, "Editors", "Inherited from /Press kit/"),
		waitText(".modal h2, .modal .modal-title", nil, "Permissions of Drafts"),
		settled(),
		// The tile's link was not followed: the page is still Press kit.
		waitText("main h1", nil, "Press kit"),
	)
	ulViewShot(t, ctx, "permissions-desktop")
	run(t, ctx, "override in Drafts",
		gone(".toast"),
		setValue(row+" .perm-access", "full"),
		slToast("Permissions saved"),
		waitText(row, nil, "This folder"),
	)
	admin.Do("GET", "/api/v2/groups/"+g.ID+"/privileges", nil, &privs)
	if len(privs) != 2 {
		t.Fatalf("group privileges after the override: %+v", privs)
	}
	for _, p := range privs {
		if p.FolderID == drafts && p.Access != "full" || p.FolderID == press && p.Access != "upload" {
			t.Fatalf("group privileges after the override: %+v", privs)
		}
	}

	run(t, ctx, "upload link card shows the refusal",
		chromedp.Navigate(srv.URL+"/links/upload"),
		waitPageReady(),
		waitText(".ul-card .ul-mail-error", nil, "Mail failed", "jane@photo.elsewhere"),
	)
	ulViewShot(t, ctx, "uploadlink-mail-error-desktop")

	// A member: no Groups in the navigation, and the page itself refuses.
	member := testkit.Browser(t, 1280, 900)
	run(t, member, "member login page", chromedp.Navigate(srv.URL+"/login"), present("#app-ready"))
	logIn(t, member, "mia@example.com", "a good long password")
	run(t, member, "member and groups",
		waitAttr(".nav", "data-role", "member"),
		gone(`.nav a[href="/settings/groups"]`),
		chromedp.Navigate(srv.URL+"/settings/groups"),
		waitUntil("the page refuses", `!!document.querySelector('main.content[data-state="error"]')`),
		waitText("main .alert-error", nil, "only admins"),
	)

	phone := testkit.Browser(t, 390, 844)
	login(t, phone, srv, "")
	govPhone(t, phone, srv.URL+"/projects/"+project+"/folders/"+press, `[data-id="`+drafts+`"] .item-permissions`, row)
	run(t, phone, "groups on a phone", chromedp.Navigate(srv.URL+"/settings/groups"), waitPageReady(), visible("#groups-table"))
	ulViewShot(t, phone, "groups-phone")
	run(t, phone, "edit a group on a phone", click("#groups-table .group-edit"), visible("#group-name"),
		waitFor(`document.querySelector('#group-members input[value="`+mia+`"]').checked`), settled())
	ulViewShot(t, phone, "group-dialog-phone")
	run(t, phone, "upload links on a phone", chromedp.Navigate(srv.URL+"/links/upload"), waitPageReady(), visible(".ul-mail-error"))
	ulViewShot(t, phone, "uploadlink-mail-error-phone")
}

func govPhone(t *testing.T, ctx context.Context, folderURL, open, row string) {
	t.Helper()
	run(t, ctx, "permissions on a phone",
		chromedp.Navigate(folderURL),
		waitPageReady(),
		click(open),
		waitAttr("#permissions", "data-state", "ready"),
		visible(row),
		settled(),
	)
	ulViewShot(t, ctx, "permissions-phone")
}
