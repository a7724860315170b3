package e2e

import (
	"context"
	"fmt"
	"image/color"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// ruiLink is the part of a review link the UI test checks over the API.
type ruiLink struct {
	ID                 string     `json:"id"`
	Key                string     `json:"key"`
	Name               string     `json:"name"`
	ShortURL           string     `json:"short_url"`
	ItemCount          int        `json:"item_count"`
	AllowApprovals     bool       `json:"allow_approvals"`
	CurrentVersionOnly bool       `json:"current_version_only"`
	EnableDownloading  bool       `json:"enable_downloading"`
	EnableComments     bool       `json:"enable_comments"`
	ExpiresAt          *time.Time `json:"expires_at"`
	HasPassword        bool       `json:"has_password"`
}

type ruiComment struct {
	ID        string  `json:"id"`
	ParentID  *string `json:"parent_id"`
	Text      string  `json:"text"`
	Completed bool    `json:"completed"`
}

// ruiEval evaluates a JavaScript expression in the page.
func ruiEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	var v T
	run(t, ctx, "eval "+expr, chromedp.Evaluate(expr, &v))
	return v
}

// ruiWait polls a JavaScript condition until it holds.
func ruiWait(cond string, timeout time.Duration) chromedp.Action {
	return chromedp.Poll(cond, nil, chromedp.WithPollingTimeout(timeout))
}

// ruiShot saves the whole page from its top: a page scrolled down would
// put the sticky phone header in the middle of the picture.
func ruiShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, "scroll up", chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), chromedp.Sleep(100*time.Millisecond))
	testkit.Screenshot(t, ctx, name)
}

// ruiImage uploads a JPEG into parent and waits for its proxies.
func ruiImage(t *testing.T, c *testkit.Client, parent, name string, tint color.RGBA) string {
	t.Helper()
	b, err := os.ReadFile(jpegFile(t, t.TempDir(), name, 1200, 800, tint))
	if err != nil {
		t.Fatal(err)
	}
	id := c.Upload(parent, name, b)
	deadline := time.Now().Add(60 * time.Second)
	for {
		var a struct {
			ProxyStatus string `json:"proxy_status"`
		}
		c.Do("GET", "/api/v2/assets/"+id, nil, &a)
		if a.ProxyStatus == "ready" {
			return id
		}
		if a.ProxyStatus == "failed" || time.Now().After(deadline) {
			t.Fatalf("%s: proxy_status %q", name, a.ProxyStatus)
		}
		time.Sleep(200 * time.Millisecond)
	}
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
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
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
				chromedp.WaitVisible(fmt.Sprintf(`.tile[data-id="%s"]`, sunset), chromedp.ByQuery),
				chromedp.WaitVisible("#project-review-links", chromedp.ByQuery),
				chromedp.Click(fmt.Sprintf(tile, harbour), chromedp.ByQuery),
				chromedp.WaitVisible("#review-selection", chromedp.ByQuery),
				chromedp.Click(fmt.Sprintf(tile, sunset), chromedp.ByQuery),
				ruiWait(`document.querySelector('#review-selection').textContent === 'Review 2'`, 5*time.Second),
			)
			ruiShot(t, ctx, "review-"+size.name+"-selection")
			run(t, ctx, "open the dialog",
				chromedp.Click("#review-selection", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-name", chromedp.ByQuery),
			)
			defaults := ruiEval[map[string]bool](t, ctx, `Object.fromEntries(['rl-allow-approvals','rl-current-version','rl-downloads','rl-comments','rl-expires-toggle','rl-password-toggle'].map(id => [id, document.getElementById(id).checked]))`)
			for id, want := range map[string]bool{"rl-allow-approvals": true, "rl-current-version": false, "rl-downloads": true,
				"rl-comments": true, "rl-expires-toggle": false, "rl-password-toggle": false} {
				if defaults[id] != want {
					t.Errorf("#%s checked = %v, want %v", id, defaults[id], want)
				}
			}
			if ruiEval[bool](t, ctx, `!!document.querySelector('#rl-expires, #rl-password')`) {
				t.Error("expiry date or password field shown while their toggles are off")
			}
			run(t, ctx, "fill in the dialog",
				chromedp.SendKeys("#rl-name", "Harbour selects", chromedp.ByQuery),
				chromedp.Click("#rl-downloads", chromedp.ByQuery),
				chromedp.Click("#rl-expires-toggle", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-expires", chromedp.ByQuery),
				chromedp.Click("#rl-password-toggle", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-password", chromedp.ByQuery),
				chromedp.SendKeys("#rl-password", "tide-pool-42", chromedp.ByQuery),
			)
			expiresOn := ruiEval[string](t, ctx, `document.querySelector('#rl-expires').value`)
			ulViewShot(t, ctx, "review-"+size.name+"-create-dialog")
			run(t, ctx, "create",
				chromedp.Click("#rl-submit", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-created-url", chromedp.ByQuery),
			)
			shortURL := ruiEval[string](t, ctx, `document.querySelector('#rl-created-url').textContent`)

			// The API has the link with both files and the options chosen.
			var ls []ruiLink
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
			var items []struct {
				AssetID string `json:"asset_id"`
			}
			admin.Do("GET", "/api/v2/review_links/"+l.ID+"/items", nil, &items)
			got := map[string]bool{}
			for _, it := range items {
				got[it.AssetID] = true
			}
			if len(items) != 2 || !got[harbour] || !got[sunset] {
				t.Errorf("items %+v, want %s and %s", items, harbour, sunset)
			}

			// Copy, QR with downloads, and email.
			mailto := ruiEval[string](t, ctx, `document.querySelector('#rl-email').getAttribute('href')`)
			if !strings.HasPrefix(mailto, "mailto:?") || !strings.Contains(mailto, url.QueryEscape(l.ShortURL)) {
				t.Errorf("email link %q lacks the short URL %s", mailto, l.ShortURL)
			}
			// Send by email goes through Ferry's outbox.
			run(t, ctx, "send by email",
				chromedp.Click("#rl-email-open", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-email-to", chromedp.ByQuery),
				chromedp.SendKeys("#rl-email-to", "mia@client.example, tom@client.example", chromedp.ByQuery),
				chromedp.SendKeys("#rl-email-message", "Cut 3, please", chromedp.ByQuery),
				chromedp.Click("#rl-email-send", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-email-sent", chromedp.ByQuery),
			)
			if s := ruiEval[string](t, ctx, `document.querySelector('#rl-email-sent').textContent`); !strings.Contains(s, "mia@client.example") || !strings.Contains(s, "tom@client.example") {
				t.Errorf("email sent note: %q", s)
			}
			run(t, ctx, "QR",
				chromedp.Click("#rl-qr", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-qr-img", chromedp.ByQuery),
				ruiWait(`document.querySelector('#rl-qr-img').complete && document.querySelector('#rl-qr-img').naturalWidth > 0`, 10*time.Second),
			)
			for id, want := range map[string]string{"#rl-qr-png": "/qr.png?download=1", "#rl-qr-svg": "/qr.svg?download=1"} {
				if h := ruiEval[string](t, ctx, `document.querySelector('`+id+`').getAttribute('href')`); h != "/api/v2/review_links/"+l.ID+want {
					t.Errorf("%s href = %q", id, h)
				}
			}
			ulViewShot(t, ctx, "review-"+size.name+"-created-dialog")

			// The link's page, empty at first.
			run(t, ctx, "activity page",
				chromedp.Click("#rl-open-activity", chromedp.ByQuery),
				ruiWait(`document.querySelectorAll('.rl-item').length === 2`, 15*time.Second),
			)
			if n := ruiEval[int](t, ctx, `document.querySelectorAll('.review-comment').length`); n != 0 {
				t.Errorf("%d comments before any reviewer came", n)
			}
			if n := ruiEval[int](t, ctx, `[...document.querySelectorAll('.rl-item img.rl-thumb')].filter(i => i.complete && i.naturalWidth > 0).length`); n != 2 {
				// Thumbnails may still be loading; wait a moment.
				run(t, ctx, "thumbnails", ruiWait(`[...document.querySelectorAll('.rl-item img.rl-thumb')].filter(i => i.complete && i.naturalWidth > 0).length === 2`, 10*time.Second))
			}

			// A reviewer comments and approves; the page shows it without a reload.
			rv := ruiReviewer{t: t, c: srv.Client(t), key: l.Key}
			rv.do("GET", "", nil, 200)
			rv.do("POST", "/unlock", map[string]string{"password": "tide-pool-42"}, 200)
			rv.do("POST", "/reviewer", map[string]string{"name": "Mia"}, 200)
			var first ruiComment
			if res := rv.c.Do("POST", "/api/v2/public/links/"+l.Key+"/assets/"+harbour+"/comments",
				map[string]any{"text": "Warmer please", "timestamp": nil}, &first); res.StatusCode != 201 {
				t.Fatalf("reviewer comment: %d (%s)", res.StatusCode, testkit.ErrorCode(res))
			}
			rv.do("POST", "/assets/"+sunset+"/comments", map[string]any{"text": "Crop the pier at 2:30", "timestamp": 3600,
				"annotation": `{"width":1200,"height":800,"shapes":[{"type":"rect","color":"#ff0000","points":[[100,100],[400,300]]}]}`}, 201)
			rv.do("PUT", "/assets/"+sunset+"/approval", map[string]string{"status": "approved"}, 200)
			rv.do("PUT", "/assets/"+harbour+"/approval", map[string]string{"status": "needs_changes"}, 200)
			posted := time.Now()
			run(t, ctx, "live activity",
				ruiWait(fmt.Sprintf(`(() => { const c = document.querySelector('.review-comment[data-id="%s"]'); return !!c && c.textContent.includes('Warmer please') && c.textContent.includes('Mia') })()`, first.ID), 10*time.Second),
				ruiWait(`[...document.querySelectorAll('.approval-badge')].some(b => b.textContent === 'Mia · Approved')`, 10*time.Second),
			)
			t.Logf("activity shown %.1f s after the reviewer posted", time.Since(posted).Seconds())
			badges := ruiEval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('.rl-item')].map(i => [i.dataset.asset, [...i.querySelectorAll('.approval-badge')].map(b => b.textContent).join(',')]))`)
			if badges[sunset] != "Mia · Approved" || badges[harbour] != "Mia · Needs changes" {
				t.Errorf("approval badges per asset = %v", badges)
			}
			second := ruiEval[string](t, ctx, `[...document.querySelectorAll('.review-comment')].find(c => c.textContent.includes('Crop the pier')).textContent`)
			for _, w := range []string{"02:30", "Annotation", "Mia"} {
				if !strings.Contains(second, w) {
					t.Errorf("second comment lacks %q: %q", w, second)
				}
			}
			if s := ruiEval[string](t, ctx, `document.querySelector('#rl-reviewers').textContent`); !strings.Contains(s, "Mia") || !strings.Contains(s, "view") {
				t.Errorf("reviewers panel = %q", s)
			}
			stats := ulStats(t, ctx)
			if stats["items"] != "2" || stats["approved"] != "1" || stats["changes"] != "1" || stats["comments"] != "2" {
				t.Errorf("stats = %v", stats)
			}

			// The owner replies and marks the comment done.
			sel := fmt.Sprintf(`.review-comment[data-id="%s"]`, first.ID)
			run(t, ctx, "reply",
				chromedp.Click(sel+" .rl-reply-btn", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-reply-text", chromedp.ByQuery),
				chromedp.SendKeys("#rl-reply-text", "On it, new grade tomorrow", chromedp.ByQuery),
				chromedp.Click("#rl-reply-send", chromedp.ByQuery),
				ruiWait(`[...document.querySelectorAll('.review-comment.is-reply')].some(c => c.textContent.includes('On it, new grade tomorrow'))`, 10*time.Second),
				chromedp.Click(sel+" .rl-complete-btn", chromedp.ByQuery),
				ruiWait(`!!document.querySelector('`+sel+`.is-done')`, 10*time.Second),
			)
			var cs []ruiComment
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
			// The reply survives the next poll (it comes back from the server).
			time.Sleep(6 * time.Second)
			if !ruiEval[bool](t, ctx, `[...document.querySelectorAll('.review-comment.is-reply')].some(c => c.textContent.includes('On it'))`) {
				t.Error("the reply went away after the next poll")
			}
			ruiShot(t, ctx, "review-"+size.name+"-link-page")

			// The project's list and Links > Review.
			row := fmt.Sprintf(`.review-link-row[data-id="%s"]`, l.ID)
			run(t, ctx, "project list",
				chromedp.Navigate(srv.URL+"/projects/"+project),
				chromedp.WaitVisible("#project-review-links", chromedp.ByQuery),
				chromedp.Click("#project-review-links", chromedp.ByQuery),
				chromedp.WaitVisible(row, chromedp.ByQuery),
				ruiWait(`!!document.querySelector('`+row+` .rl-tally')`, 10*time.Second),
			)
			text := ruiEval[string](t, ctx, `document.querySelector('`+row+`').innerText`)
			for _, w := range []string{"Harbour selects", "Active", "1 approved", "1 needs changes", "0 rejected", "Expires in"} {
				if !strings.Contains(text, w) {
					t.Errorf("row lacks %q: %q", w, text)
				}
			}
			figures := ruiEval[[]string](t, ctx, `[...document.querySelectorAll('`+row+` .ul-figure')].map(e => e.textContent)`)
			if len(figures) != 3 || figures[0] != "2" || figures[2] != "3" { // two comments and the reply
				t.Errorf("items, views, comments = %v", figures)
			}
			ruiShot(t, ctx, "review-"+size.name+"-project-list")

			// Edit: rename and drop the password.
			run(t, ctx, "edit",
				chromedp.Click(row+" .rl-edit-btn", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-name", chromedp.ByQuery),
				// Replace the name in one input event: typing key by key into a
				// field the app re-renders can lose keys on a loaded machine.
				chromedp.Evaluate(`(() => { const el = document.querySelector('#rl-name'); el.value = 'Harbour finals';
					el.dispatchEvent(new Event('input', { bubbles: true })); })()`, nil),
				ruiWait(`document.querySelector('#rl-name').value === 'Harbour finals'`, 5*time.Second),
				chromedp.Click("#rl-password-toggle", chromedp.ByQuery),
				// Turning the password off folds its field, which moves Save up
				// while the click is on its way: click again if the form stays.
				chromedp.ActionFunc(func(c context.Context) error {
					for try := 0; try < 3; try++ {
						if err := chromedp.Click("#rl-submit", chromedp.ByQuery).Do(c); err != nil {
							return err
						}
						var gone bool
						wait, cancel := context.WithTimeout(c, 5*time.Second)
						chromedp.Poll(`!document.querySelector('#rl-form') || !!document.querySelector('#rl-form .alert-error')`, &gone).Do(wait)
						cancel()
						if gone {
							return nil
						}
						t.Logf("the edit form is still open 5 s after Save (try %d)", try+1)
					}
					return nil // the check below reports what the form shows
				}),
			)
			var state string
			if err := chromedp.Run(ctx, chromedp.Poll(`(() => {
				const form = document.querySelector('#rl-form');
				const err = form && form.querySelector('.alert-error');
				if (err && err.textContent) return 'error: ' + err.textContent;
				const name = document.querySelector('`+row+` .rl-name');
				return !form && name && name.textContent === 'Harbour finals' ? 'saved' : '';
			})()`, &state, chromedp.WithPollingTimeout(15*time.Second))); err != nil || state != "saved" {
				var html string
				chromedp.Run(ctx, chromedp.Evaluate(`(document.querySelector('#rl-form') || document.body).innerText.slice(0, 600)`, &html))
				ruiShot(t, ctx, "review-"+size.name+"-edit-failed")
				t.Fatalf("edit did not save (%v, %q): %s", err, state, html)
			}
			var edited ruiLink
			admin.Do("GET", "/api/v2/review_links/"+l.ID, nil, &edited)
			if edited.Name != "Harbour finals" || edited.HasPassword || edited.ExpiresAt == nil {
				t.Errorf("after edit: %+v", edited)
			}

			run(t, ctx, "links > review",
				chromedp.Navigate(srv.URL+"/links/review"),
				chromedp.WaitVisible(row, chromedp.ByQuery),
			)
			if s := ruiEval[string](t, ctx, `document.querySelector('`+row+`').innerText`); !strings.Contains(s, "Harbour campaign "+size.name) {
				t.Errorf("Links > Review row lacks the project: %q", s)
			}
			ruiShot(t, ctx, "review-"+size.name+"-all-links")

			// Settings > API lists the routes.
			run(t, ctx, "settings api",
				chromedp.Navigate(srv.URL+"/settings"),
				chromedp.WaitVisible("#settings-tab-api", chromedp.ByQuery),
				chromedp.Click("#settings-tab-api", chromedp.ByQuery),
				chromedp.WaitVisible("#api-docs", chromedp.ByQuery),
				ruiWait(`document.querySelectorAll('#api-docs .api-route').length > 30`, 10*time.Second),
			)
			activity := `.api-route[data-path="/api/v2/review_links/{id}/activity"]`
			if s := ruiEval[string](t, ctx, `document.querySelector('`+activity+`').textContent`); !strings.Contains(s, "GET") || !strings.Contains(s, "review_links.read") {
				t.Errorf("activity route reads %q", s)
			}
			run(t, ctx, "expand a route",
				chromedp.Click(`.api-route[data-path="/api/v2/projects/{id}/review_links"][data-method="POST"] .api-route-head`, chromedp.ByQuery),
				chromedp.WaitVisible(".api-details", chromedp.ByQuery),
			)
			if s := ruiEval[string](t, ctx, `document.querySelector('.api-details').textContent`); !strings.Contains(s, "Parameters") || !strings.Contains(s, "Request body") {
				t.Errorf("route details = %q", s)
			}
			if h := ruiEval[string](t, ctx, `document.querySelector('#api-raw').getAttribute('href')`); h != "/api/v2/openapi.json" {
				t.Errorf("raw JSON link = %q", h)
			}
			run(t, ctx, "scroll up", chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), chromedp.Sleep(100*time.Millisecond))
			ulViewShot(t, ctx, "review-"+size.name+"-api-docs")
			run(t, ctx, "show the route", chromedp.Evaluate(`document.querySelector('.api-route.is-open').scrollIntoView({block: 'center'})`, nil), chromedp.Sleep(100*time.Millisecond))
			ulViewShot(t, ctx, "review-"+size.name+"-api-route")

			// Delete asks first, then the link is gone.
			run(t, ctx, "delete",
				chromedp.Navigate(srv.URL+"/projects/"+project+"/review-links"),
				chromedp.WaitVisible(row, chromedp.ByQuery),
				chromedp.Click(row+" .rl-delete-btn", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-delete-confirm", chromedp.ByQuery),
			)
			if n := ruiEval[int](t, ctx, `document.querySelectorAll('.review-link-row').length`); n != 1 {
				t.Errorf("the link went before the confirmation: %d rows", n)
			}
			run(t, ctx, "confirm delete",
				chromedp.Click("#rl-delete-confirm", chromedp.ByQuery),
				chromedp.WaitVisible("#rl-empty", chromedp.ByQuery),
			)
			if res := admin.Do("GET", "/api/v2/review_links/"+l.ID, nil, nil); res.StatusCode != 404 {
				t.Errorf("deleted link: status %d", res.StatusCode)
			}
			if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
				t.Errorf("console errors: %q", errs)
			}
		})
	}
}
