package e2e

import (
	"context"
	"fmt"
	"image/color"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// ruiShot saves the whole page from its top: a page scrolled down would
// put the sticky phone header in the middle of the picture.
func ruiShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, "scroll up", chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), waitFor(`window.scrollY === 0`), settled())
	testkit.Screenshot(t, ctx, name)
}

// ruiImage uploads a 1200×800 JPEG into parent and waits for its proxies.
func ruiImage(t *testing.T, c *testkit.Client, parent, name string, tint color.RGBA) string {
	t.Helper()
	return uploadImage(t, c, parent, name, 1200, 800, tint)
}

// ruiReviewer acts as a client on the public review page: unlocks the
// link, gives a name, comments and approves.
type ruiReviewer struct {
	t   *testing.T
	c   *testkit.Client
	key string
}

func (r ruiReviewer) do(method, path string, in any, want int) {
	r.t.Helper()
	res := r.c.Do(method, "/api/v2/public/links/"+r.key+path, in, nil)
	if res.StatusCode != want {
		r.t.Fatalf("%s %s: status %d (%s), want %d", method, path, res.StatusCode, testkit.ErrorCode(res), want)
	}
}

func TestReviewUI(t *testing.T) {
	srv := testkit.Start(t)
	atSizes(t, tallDesktopAndPhone, func(t *testing.T, size viewport) {
		admin := srv.Admin(t)
		project, root := ulProject(t, admin, "Harbour campaign "+size.name)
		harbour := ruiImage(t, admin, root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
		sunset := ruiImage(t, admin, root, "sunset.jpg", color.RGBA{240, 120, 40, 255})

		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")

		// Select both files and open the dialog.
		tile := `.tile[data-id="%s"] .item-check`
		run(t, ctx, "select both",
			chromedp.Navigate(srv.URL+"/projects/"+project),
			waitPageReady(),
			visible(fmt.Sprintf(`.tile[data-id="%s"]`, sunset)),
			visible("#project-review-links"),
			click(fmt.Sprintf(tile, harbour)),
			visible("#review-selection"),
			click(fmt.Sprintf(tile, sunset)),
			waitFor(`document.querySelector('#review-selection').textContent === 'Review 2'`),
		)
		ruiShot(t, ctx, "review-"+size.name+"-selection")
		run(t, ctx, "open the dialog",
			click("#review-selection"),
			visible("#rl-name"),
		)
		run(t, ctx, "the dialog's defaults",
			waitFor(`(d => d['rl-allow-approvals'] && !d['rl-current-version'] && d['rl-downloads'] && d['rl-comments'] && !d['rl-expires-toggle'] && !d['rl-password-toggle'])(
					Object.fromEntries(['rl-allow-approvals','rl-current-version','rl-downloads','rl-comments','rl-expires-toggle','rl-password-toggle'].map(id => [id, document.getElementById(id).checked])))`),
			// No expiry date or password field while their toggles are off.
			waitFor(`!document.querySelector('#rl-expires, #rl-password')`),
		)
		run(t, ctx, "fill in the dialog",
			setValue("#rl-name", "Harbour selects"),
			click("#rl-downloads"),
			click("#rl-expires-toggle"),
			visible("#rl-expires"),
			click("#rl-password-toggle"),
			visible("#rl-password"),
			setValue("#rl-password", "tide-pool-42"),
		)
		var expiresOn string
		run(t, ctx, "the expiry date", evalUntil("a default expiry date", `document.querySelector('#rl-expires').value`, &expiresOn,
			func(s string) bool { return s != "" }))
		ulViewShot(t, ctx, "review-"+size.name+"-create-dialog")
		run(t, ctx, "create",
			click("#rl-submit"),
			visible("#rl-created-url"),
		)
		var shortURL string
		run(t, ctx, "the new link's address", evalUntil("the short URL", `document.querySelector('#rl-created-url').textContent`, &shortURL,
			func(s string) bool { return strings.Contains(s, "/r/") }))

		// The API has the link with both files and the options chosen.
		var ls []model.ReviewLink
		if res := admin.Do("GET", "/api/v2/projects/"+project+"/review_links", nil, &ls); res.StatusCode != 200 || len(ls) != 1 {
			t.Fatalf("project review links: status %d, %d links", res.StatusCode, len(ls))
		}
		l := ls[0]
		if l.Name != "Harbour selects" || l.ItemCount != 2 || !l.AllowApprovals || l.CurrentVersionOnly || l.EnableDownloading ||
			!l.EnableComments || !l.HasPassword || l.ExpiresAt == nil {
			t.Errorf("created link = %+v", l)
		}
		if l.ExpiresAt != nil && l.ExpiresAt.Local().Format("2006-01-02") != expiresOn {
			t.Errorf("expires_at %s, picked %s", l.ExpiresAt.Local(), expiresOn)
		}
		if shortURL != l.ShortURL || !strings.HasSuffix(shortURL, "/r/"+l.Key) {
			t.Errorf("dialog shows %q, link short_url %q key %q", shortURL, l.ShortURL, l.Key)
		}
		var items []model.ReviewLinkItem
		admin.Do("GET", "/api/v2/review_links/"+l.ID+"/items", nil, &items)
		got := map[string]bool{}
		for _, it := range items {
			got[it.AssetID] = true
		}
		if len(items) != 2 || !got[harbour] || !got[sunset] {
			t.Errorf("items %+v, want %s and %s", items, harbour, sunset)
		}

		// Copy, QR with downloads, and email.
		run(t, ctx, "the email link has the short URL",
			waitFor(`(h => h.startsWith('mailto:?') && h.includes(`+jsString(url.QueryEscape(l.ShortURL))+`))(document.querySelector('#rl-email').getAttribute('href'))`))
		// Send by email goes through Ferry's outbox.
		run(t, ctx, "send by email",
			click("#rl-email-open"),
			visible("#rl-email-to"),
			setValue("#rl-email-to", "mia@client.example, tom@client.example"),
			setValue("#rl-email-message", "Cut 3, please"),
			click("#rl-email-send"),
			waitText("#rl-email-sent", nil, "mia@client.example", "tom@client.example"),
		)
		run(t, ctx, "QR",
			click("#rl-qr"),
			visible("#rl-qr-img"),
			waitFor(`document.querySelector('#rl-qr-img').complete && document.querySelector('#rl-qr-img').naturalWidth > 0`),
		)
		run(t, ctx, "QR downloads",
			waitAttr("#rl-qr-png", "href", "/api/v2/review_links/"+l.ID+"/qr.png?download=1"),
			waitAttr("#rl-qr-svg", "href", "/api/v2/review_links/"+l.ID+"/qr.svg?download=1"))
		ulViewShot(t, ctx, "review-"+size.name+"-created-dialog")

		// The link's page, empty at first.
		run(t, ctx, "activity page",
			click("#rl-open-activity"),
			waitPageReady(),
			waitFor(`document.querySelectorAll('.rl-item').length === 2`),
			// No comments before any reviewer came.
			waitFor(`document.querySelectorAll('.review-comment').length === 0`),
			waitFor(`[...document.querySelectorAll('.rl-item img.rl-thumb')].filter(i => i.complete && i.naturalWidth > 0).length === 2`),
		)

		// A reviewer comments and approves; the page shows it without a reload.
		rv := ruiReviewer{t: t, c: srv.Client(t), key: l.Key}
		rv.do("GET", "", nil, 200)
		rv.do("POST", "/unlock", model.Unlock{Password: "tide-pool-42"}, 200)
		rv.do("POST", "/reviewer", model.ReviewerName{Name: "Mia"}, 200)
		var first model.Comment
		if res := rv.c.Do("POST", "/api/v2/public/links/"+l.Key+"/assets/"+harbour+"/comments",
			model.NewComment{Text: "Warmer please"}, &first); res.StatusCode != 201 {
			t.Fatalf("reviewer comment: %d (%s)", res.StatusCode, testkit.ErrorCode(res))
		}
		rv.do("POST", "/assets/"+sunset+"/comments", model.NewComment{Text: "Crop the pier at 2:30", Timestamp: model.Ptr[float64](3600),
			Annotation: model.Ptr(`{"width":1200,"height":800,"shapes":[{"type":"rect","color":"#ff0000","points":[[100,100],[400,300]]}]}`)}, 201)
		rv.do("PUT", "/assets/"+sunset+"/approval", model.ApprovalInput{Status: model.Ptr("approved")}, 200)
		rv.do("PUT", "/assets/"+harbour+"/approval", model.ApprovalInput{Status: model.Ptr("needs_changes")}, 200)
		posted := time.Now()
		run(t, ctx, "live activity",
			waitFor(fmt.Sprintf(`(() => { const c = document.querySelector('.review-comment[data-id="%s"]'); return !!c && c.textContent.includes('Warmer please') && c.textContent.includes('Mia') })()`, first.ID)),
			waitFor(`[...document.querySelectorAll('.approval-badge')].some(b => b.textContent === 'Mia · Approved')`),
		)
		t.Logf("activity shown %.1f s after the reviewer posted", time.Since(posted).Seconds())
		var badges map[string]string
		run(t, ctx, "approval badges per asset", evalUntil("Approved on the sunset, Needs changes on the harbour",
			`Object.fromEntries([...document.querySelectorAll('.rl-item')].map(i => [i.dataset.asset, [...i.querySelectorAll('.approval-badge')].map(b => b.textContent).join(',')]))`, &badges,
			func(b map[string]string) bool {
				return b[sunset] == "Mia · Approved" && b[harbour] == "Mia · Needs changes"
			}))
		run(t, ctx, "the second comment and the reviewers",
			waitFor(`(s => s.includes('02:30') && s.includes('Annotation') && s.includes('Mia'))([...document.querySelectorAll('.review-comment')].find(c => c.textContent.includes('Crop the pier')).textContent)`),
			waitFor(`(s => s.includes('Mia') && s.includes('view'))(document.querySelector('#rl-reviewers').textContent)`),
		)
		ulWaitStats(t, ctx, map[string]string{"items": "2", "approved": "1", "changes": "1", "comments": "2"})

		// The owner replies and marks the comment done.
		sel := fmt.Sprintf(`.review-comment[data-id="%s"]`, first.ID)
		run(t, ctx, "reply",
			click(sel+" .rl-reply-btn"),
			visible("#rl-reply-text"),
			setValue("#rl-reply-text", "On it, new grade tomorrow"),
			click("#rl-reply-send"),
			waitFor(`[...document.querySelectorAll('.review-comment.is-reply')].some(c => c.textContent.includes('On it, new grade tomorrow'))`),
			click(sel+" .rl-complete-btn"),
			waitFor(`!!document.querySelector('`+sel+`.is-done')`),
		)
		var cs []model.Comment
		admin.Do("GET", "/api/v2/assets/"+harbour+"/comments", nil, &cs)
		replied, done := false, false
		for _, c := range cs {
			if c.ParentID != nil && *c.ParentID == first.ID && c.Text == "On it, new grade tomorrow" {
				replied = true
			}
			if c.ID == first.ID {
				done = c.Completed
			}
		}
		if !replied || !done {
			t.Errorf("after reply and done: replied %v, completed %v (%+v)", replied, done, cs)
		}
		// The reply survives the next poll (it comes back from the
		// server). The page polls every 5 s and shows when it last
		// did: the second update after the reply started after it.
		for i := 0; i < 2; i++ {
			var live string
			run(t, ctx, "the time of the last poll", readText(".rl-live", &live))
			runFor(t, ctx, 30*time.Second, "the next poll", waitFor(`document.querySelector('.rl-live').innerText.trim() !== `+jsString(live)))
		}
		run(t, ctx, "the reply after the poll", waitFor(`[...document.querySelectorAll('.review-comment.is-reply')].some(c => c.textContent.includes('On it'))`))
		ruiShot(t, ctx, "review-"+size.name+"-link-page")

		// The project's list and Links > Review.
		row := fmt.Sprintf(`.review-link-row[data-id="%s"]`, l.ID)
		run(t, ctx, "project list",
			chromedp.Navigate(srv.URL+"/projects/"+project),
			waitPageReady(),
			click("#project-review-links"),
			waitPageReady(),
			visible(row),
			waitText(row, nil, "Harbour selects", "Active", "1 approved", "1 needs changes", "0 rejected", "Expires in"),
		)
		var figures []string
		run(t, ctx, "items, views, comments", evalUntil("2 items and 3 comments (two and the reply)",
			`[...document.querySelectorAll('`+row+` .ul-figure')].map(e => e.textContent)`, &figures,
			func(f []string) bool { return len(f) == 3 && f[0] == "2" && f[2] == "3" }))
		ruiShot(t, ctx, "review-"+size.name+"-project-list")

		// Edit: rename and drop the password.
		run(t, ctx, "edit",
			click(row+" .rl-edit-btn"),
			visible("#rl-name"),
			setValue("#rl-name", "Harbour finals"),
			click("#rl-password-toggle"),
			// Turning the password off folds its field: click Save once it
			// is gone and the form has stopped moving.
			gone("#rl-password"),
			click("#rl-submit"),
			gone("#rl-form"),
			waitText(row+" .rl-name", nil, "Harbour finals"),
		)
		var edited model.ReviewLink
		admin.Do("GET", "/api/v2/review_links/"+l.ID, nil, &edited)
		if edited.Name != "Harbour finals" || edited.HasPassword || edited.ExpiresAt == nil {
			t.Errorf("after edit: %+v", edited)
		}

		run(t, ctx, "links > review",
			chromedp.Navigate(srv.URL+"/links/review"),
			waitPageReady(),
			visible(row),
			waitText(row, nil, "Harbour campaign "+size.name),
		)
		ruiShot(t, ctx, "review-"+size.name+"-all-links")

		// Settings > API lists the routes.
		run(t, ctx, "settings api",
			chromedp.Navigate(srv.URL+"/settings"),
			waitPageReady(),
			click("#settings-tab-api"),
			waitPageReady(),
			visible("#api-docs"),
			waitFor(`document.querySelectorAll('#api-docs .api-route').length > 30`),
			waitText(`.api-route[data-path="/api/v2/review_links/{id}/activity"]`, nil, "GET", "review_links.read"),
			waitAttr("#api-raw", "href", "/api/v2/openapi.json"),
		)
		run(t, ctx, "expand a route",
			click(`.api-route[data-path="/api/v2/projects/{id}/review_links"][data-method="POST"] .api-route-head`),
			visible(".api-details"),
			waitFor(`(s => s.includes('Parameters') && s.includes('Request body'))(document.querySelector('.api-details').textContent)`),
		)
		run(t, ctx, "scroll up", chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), waitFor(`window.scrollY === 0`), settled())
		ulViewShot(t, ctx, "review-"+size.name+"-api-docs")
		run(t, ctx, "show the route", chromedp.Evaluate(`document.querySelector('.api-route.is-open').scrollIntoView({block: 'center'})`, nil), settled())
		ulViewShot(t, ctx, "review-"+size.name+"-api-route")

		// Delete asks first, then the link is gone.
		run(t, ctx, "delete",
			chromedp.Navigate(srv.URL+"/projects/"+project+"/review-links"),
			waitPageReady(),
			visible(row),
			click(row+" .rl-delete-btn"),
			visible("#rl-delete-confirm"),
			// The link stays until the confirmation.
			waitFor(`document.querySelectorAll('.review-link-row').length === 1`),
		)
		run(t, ctx, "confirm delete",
			click("#rl-delete-confirm"),
			visible("#rl-empty"),
		)
		if res := admin.Do("GET", "/api/v2/review_links/"+l.ID, nil, nil); res.StatusCode != 404 {
			t.Errorf("deleted link: status %d", res.StatusCode)
		}
		if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	})
}
