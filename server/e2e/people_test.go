package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestPeopleView: a member of a project names a person, merges two and
// hides one in the project's People view; a link's face strip then shows
// the people as the member left them, with names only once the link's
// owner shows them; and a password-protected link's selfie search works.
func TestPeopleView(t *testing.T) {
	ev := testkit.EventPhotos(t)
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	project, ids := faceGala(t, admin, ev)
	if res := admin.Do("POST", "/api/v2/users", model.NewUser{Email: "mia@example.com", Name: "Mia",
		Role: "member", Password: "member password 1"}, nil); res.StatusCode != 201 {
		t.Fatalf("create member: %d", res.StatusCode)
	}
	if res := admin.Do("POST", "/api/v2/projects/"+project+"/collaborators", model.NewCollaborator{Email: "mia@example.com"}, nil); res.StatusCode != 200 {
		t.Fatalf("add member to the project: %d", res.StatusCode)
	}
	// Which person is which John: by the photos they are in.
	people, err := admin.API().ProjectPeople(project, false)
	if err != nil || len(people) != 5 {
		t.Fatalf("people: %d, %v", len(people), err)
	}
	john := make([]string, 5)
	for _, p := range people {
		d, err := admin.API().ProjectPerson(project, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for who := range john {
			if slices.Equal(sortedCopy(d.AssetIDs), photosOf(ids, who)) {
				john[who] = p.ID
			}
		}
	}
	card := func(who int) string { return `.person-card[data-person="` + john[who] + `"]` }
	cards := `document.querySelectorAll('#people-grid .person-card').length === `

	var text string
	t.Run("desktop", func(t *testing.T) {
		ctx := testkit.Browser(t, 1280, 900)
		openPeople(t, ctx, srv, project)
		run(t, ctx, "the five Johns",
			waitFor(cards+`5`),
			waitFor(`[...document.querySelectorAll('.person-cover')].every(i => i.complete && i.naturalWidth > 0)`),
		)
		testkit.Screenshot(t, ctx, "people-grid-desktop")
		run(t, ctx, "name a person",
			click(card(0)),
			waitAttr("#person-panel", "data-person", john[0]),
			setValue("#person-name-input", "Ann Example"),
			click("#person-save"),
			waitText(card(0)+" .person-name", &text, "Ann Example"),
			// The open panel's pictures load before the next click: a
			// panel that grows under the mouse takes the click (seen at
			// load 30: the click meant for a card fell on "Not this person").
			waitFor(`[...document.querySelectorAll('#person-panel img')].every(i => i.complete && i.naturalWidth > 0)`),
		)
		run(t, ctx, "merge two",
			click(card(1)),
			waitAttr("#person-panel", "data-person", john[1]),
			waitFor(`document.querySelector('#person-name-input').value === ''`), // not the last person's name
			setValue("#person-merge-select", john[2]),
			chromedp.Evaluate(`window.confirm = m => { window.__asked = m; return true }`, nil),
			click("#person-merge"),
			waitFor(cards+`4`),
			waitText("#person-summary", &text, strconv.Itoa(len(unionOf(photosOf(ids, 1), photosOf(ids, 2))))+" photos"),
		)
		testkit.Screenshot(t, ctx, "people-merged-desktop")
		run(t, ctx, "hide one",
			click(card(3)),
			waitAttr("#person-panel", "data-person", john[3]),
			click("#person-hide"),
			waitFor(cards+`3`),
			waitText("#people-show-hidden", &text, "Show hidden (1)"),
		)
		noBrowserErrors(t, ctx)
	})

	link := visCreateLink(t, admin, model.NewShareLink{Kind: "public", AssetIDs: ids, AllowFaceSearch: model.Ptr(true)})
	chips := `[...document.querySelectorAll('#face-strip .face-chip')].map(e => e.dataset.person).sort()`
	wantStrip := []string{john[0], john[1], john[4]}
	sort.Strings(wantStrip)
	t.Run("visitor", func(t *testing.T) {
		ctx := testkit.Browser(t, 1280, 900)
		var shown []string
		run(t, ctx, "the strip as the member left it, without names",
			chromedp.Navigate(srv.URL+"/s/"+link.Key),
			waitAttr(".pub", "data-state", "ready"),
			evalUntil("the strip", chips, &shown, func(v []string) bool { return len(v) == 3 }),
		)
		if !slices.Equal(shown, wantStrip) {
			t.Errorf("strip shows %v, want Ann, the merged John and John 4: %v", shown, wantStrip)
		}
		var names int
		run(t, ctx, "no names", chromedp.Evaluate(`document.querySelectorAll('.face-name').length`, &names))
		if names != 0 {
			t.Errorf("%d names shown on a link that does not show them", names)
		}
	})
	if res := admin.Do("PUT", "/api/v2/share_links/"+link.ID, model.ShareLinkPatch{ShowPersonNames: model.Ptr(true)}, nil); res.StatusCode != 200 {
		t.Fatalf("show names: %d", res.StatusCode)
	}
	for _, size := range desktopAndPhone {
		t.Run("names-"+size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			run(t, ctx, "the owner shows names",
				chromedp.Navigate(srv.URL+"/s/"+link.Key),
				waitAttr(".pub", "data-state", "ready"),
				waitText(`#face-strip .face-chip[data-person="`+john[0]+`"] .face-name`, &text, "Ann Example"),
				waitFor(`[...document.querySelectorAll('.face-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
			)
			testkit.Screenshot(t, ctx, "people-strip-names-"+size.name)
		})
	}
	t.Run("phone", func(t *testing.T) {
		ctx := testkit.Browser(t, 390, 844)
		openPeople(t, ctx, srv, project)
		run(t, ctx, "the People view on a phone",
			waitFor(cards+`3`),
			click(card(1)),
			waitAttr("#person-panel", "data-person", john[1]),
			waitFor(`[...document.querySelectorAll('.person-cover')].every(i => i.complete && i.naturalWidth > 0)`),
		)
		testkit.Screenshot(t, ctx, "people-person-phone")
		noBrowserErrors(t, ctx)
	})

	// A password-protected link: the selfie goes with the visitor's session.
	locked := visCreateLink(t, admin, model.NewShareLink{Kind: "public", AssetIDs: ids, AllowFaceSearch: model.Ptr(true), Password: "harbour-2026"})
	selfie := filepath.Join(t.TempDir(), "me.jpg")
	if err := os.WriteFile(selfie, ev.Selfies[2], 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("strip-and-selfie-behind-password", func(t *testing.T) {
		ctx := testkit.Browser(t, 390, 844)
		run(t, ctx, "unlock, then search with a selfie",
			chromedp.Navigate(srv.URL+"/s/"+locked.Key),
			present("#app-ready"),
			setValue("#share-password", "harbour-2026"),
			click("#share-password-submit"),
			waitFor(`document.querySelectorAll('.gallery-tile').length === 8`),
			// The strip was not to be had while the link was locked: it
			// loads with the session the password gave.
			waitFor(`document.querySelectorAll('#face-strip .face-chip').length === 3`),
			pickFiles("#selfie-input", selfie),
			waitText("#face-status", &text, strconv.Itoa(len(photosOf(ids, 2)))+" photos with you"),
		)
		testkit.Screenshot(t, ctx, "people-selfie-password-phone")
	})
}

// openPeople signs in as the project's member and opens its People view
// from the project page.
func openPeople(t *testing.T, ctx context.Context, srv *testkit.Server, project string) {
	t.Helper()
	run(t, ctx, "open login", chromedp.Navigate(srv.URL+"/login"), present("#app-ready"))
	logIn(t, ctx, "mia@example.com", "member password 1")
	run(t, ctx, "the project's People view",
		chromedp.Navigate(srv.URL+"/projects/"+project),
		waitPageReady(),
		click("#project-people"),
		waitPageReady(),
		visible("#people-grid"),
	)
}

// photosOf lists, sorted, the event photos John who is in.
func photosOf(ids []string, who int) []string {
	var out []string
	for i, cast := range testkit.EventCast {
		if slices.Contains(cast, who) {
			out = append(out, ids[i])
		}
	}
	return sortedCopy(out)
}

func unionOf(a, b []string) []string {
	return slices.Compact(sortedCopy(append(slices.Clone(a), b...)))
}

func sortedCopy(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return out
}
