package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// TestVisitorFaceSearch: a visitor of a shared collection sees the people
// in it, filters the gallery by one, and finds their own photos with a
// selfie, on a desktop and a phone.
func TestVisitorFaceSearch(t *testing.T) {
	ev := testkit.EventPhotos(t)
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	_, ids := faceGala(t, admin, ev)
	link := visCreateLink(t, admin, model.NewShareLink{Kind: "public", AssetIDs: ids, Name: "Gala night", AllowFaceSearch: model.Ptr(true)})
	selfie := filepath.Join(t.TempDir(), "me.jpg")
	if err := os.WriteFile(selfie, ev.Selfies[2], 0o644); err != nil {
		t.Fatal(err)
	}
	var want []string // the photos John number 2 is in
	for i, cast := range testkit.EventCast {
		if slices.Contains(cast, 2) {
			want = append(want, ids[i])
		}
	}
	tiles := `[...document.querySelectorAll('.gallery-tile')].map(e => e.dataset.id).sort()`
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			var status string
			var shown []string
			run(t, ctx, "open the gallery: 8 photos and 5 people",
				chromedp.Navigate(srv.URL+"/s/"+link.Key),
				waitAttr(".pub", "data-state", "ready"),
				waitFor(`document.querySelectorAll('.gallery-tile').length === 8`),
				waitFor(`document.querySelectorAll('#face-strip .face-chip').length === 5`),
				waitFor(`[...document.querySelectorAll('.face-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
				waitText("#selfie-notice", &status, "Your selfie is compared with the faces in these photos and then discarded: it is never stored."),
			)
			testkit.Screenshot(t, ctx, "faces-strip-"+size.name)

			var count string
			run(t, ctx, "pick the first person",
				readText("#face-strip .face-chip:first-child .face-count", &count),
				click("#face-strip .face-chip:first-child"),
				waitAttr("#face-strip .face-chip:first-child", "aria-pressed", "true"),
			)
			n, _ := strconv.Atoi(count)
			run(t, ctx, "the gallery shows that person's photos",
				waitFor(`document.querySelectorAll('.gallery-tile').length === `+strconv.Itoa(n)),
				waitText("#face-status", &status, count+" photos of this person"),
			)
			testkit.Screenshot(t, ctx, "faces-person-"+size.name)

			run(t, ctx, "show all again, then send a selfie",
				click("#face-clear"),
				waitFor(`document.querySelectorAll('.gallery-tile').length === 8`),
				pickFiles("#selfie-input", selfie),
				waitText("#face-status", &status, strconv.Itoa(len(want))+" photos with you"),
				evalUntil("the selfie's photos", tiles, &shown, func(v []string) bool { return len(v) == len(want) }),
			)
			sort.Strings(want)
			if !slices.Equal(shown, want) {
				t.Errorf("the selfie shows %v, want %v", shown, want)
			}
			testkit.Screenshot(t, ctx, "faces-selfie-"+size.name)
		})
	}
}

// faceGala switches face search on, uploads the eight event photos into a
// new project and waits until they are indexed; it returns the project
// and the photos' ids, in EventCast order.
func faceGala(t *testing.T, admin *testkit.Client, ev testkit.Event) (string, []string) {
	t.Helper()
	if res := admin.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(true)}, nil); res.StatusCode != 200 {
		t.Fatalf("enable face search: %d", res.StatusCode)
	}
	var p model.Project
	if res := admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Gala"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	var ids []string
	for i, jpg := range ev.Photos {
		ids = append(ids, admin.Upload(p.RootAssetID, "gala-"+strconv.Itoa(i+1)+".jpg", jpg))
	}
	poll.Until(t, 3*time.Minute, func() error {
		var st model.FaceSettings
		admin.Do("GET", "/api/v2/settings/faces", nil, &st)
		if st.Indexed == len(ids) && !st.Busy {
			return nil
		}
		return fmt.Errorf("photos not indexed: %+v", st)
	})
	return p.ID, ids
}

// TestFaceSearchSettings: an admin reads what face search stores, switches
// it on (after a confirmation that says so), sees the progress, and purges.
func TestFaceSearchSettings(t *testing.T) {
	srv := testkit.Start(t)
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			login(t, ctx, srv, "")
			var text, asked string
			run(t, ctx, "the face search section, off",
				chromedp.Navigate(srv.URL+"/settings"),
				waitPageReady(),
				visible("#faces"),
				waitText("#faces-stored", &text, "128-number face descriptor", "never stored"),
				waitText("#faces-toggle", &text, "Switch on"),
			)
			run(t, ctx, "switch on, confirming what is stored",
				chromedp.Evaluate(`window.confirm = m => { window.__asked = m; return true }`, nil),
				click("#faces-toggle"),
				waitText("#faces-toggle", &text, "Switch off"),
				evalUntil("the confirmation", `window.__asked || ""`, &asked, func(s string) bool { return s != "" }),
			)
			if !strings.Contains(asked, "biometric") {
				t.Errorf("switching on asked %q, which does not say what is stored", asked)
			}
			testkit.Screenshot(t, ctx, "faces-settings-"+size.name)
			run(t, ctx, "purge switches it off",
				click("#faces-purge"),
				waitText("#faces-toggle", &text, "Switch on"),
			)
		})
	}
}
