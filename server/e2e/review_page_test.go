package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// reviewFixture is a project with a photo in two versions and a second
// photo, on a password-protected review link.
type reviewFixture struct {
	srv            *testkit.Server
	admin          *testkit.Client
	linkID, key    string
	v1, v2, sunset string // asset ids
	stack          string
}

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	srv := testkit.Start(t)
	f := &reviewFixture{srv: srv, admin: srv.Admin(t)}
	var p model.Project
	if res := f.admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Harbour Campaign"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	dir := t.TempDir()
	jpeg := func(name string, w, h int, tint color.RGBA) []byte {
		b, err := os.ReadFile(jpegFile(t, dir, name, w, h, tint))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f.v1 = f.admin.Upload(p.RootAssetID, "harbour.jpg", jpeg("harbour.jpg", 1600, 1067, color.RGBA{40, 120, 220, 255}))
	f.v2 = f.admin.Upload(p.RootAssetID, "harbour v2.jpg", jpeg("harbour-v2.jpg", 1600, 1067, color.RGBA{220, 160, 60, 255}), "version_of", f.v1)
	f.sunset = f.admin.Upload(p.RootAssetID, "sunset.jpg", jpeg("sunset.jpg", 1200, 1600, color.RGBA{240, 120, 40, 255}))
	sf := &shareFixture{c: f.admin}
	for _, id := range []string{f.v1, f.v2, f.sunset} {
		sf.waitReady(t, id)
	}
	var v2 model.Asset
	f.admin.Do("GET", "/api/v2/assets/"+f.v2, nil, &v2)
	f.stack = v2.ParentID

	rl := reviewLinkOf(t, f.admin, p.ID, model.ReviewLinkInput{Name: model.Ptr("Campaign review"), Password: model.Ptr("reviewer-pass-1")}, f.stack, f.sunset)
	f.linkID, f.key = rl.ID, rl.Key
	return f
}

// reviewLinkOf creates a review link of project (body: name, password, ...)
// holding the assets ids.
func reviewLinkOf(t *testing.T, c *testkit.Client, project string, body model.ReviewLinkInput, ids ...string) model.ReviewLink {
	t.Helper()
	rl, err := c.API().CreateReviewLink(project, body)
	if err != nil {
		t.Fatalf("create review link: %v (%d)", err, client.StatusOf(err))
	}
	if !strings.HasSuffix(rl.ShortURL, "/r/"+rl.Key) {
		t.Fatalf("short_url %q for key %q", rl.ShortURL, rl.Key)
	}
	if _, err := c.API().AddReviewAssets(rl.ID, ids); err != nil {
		t.Fatalf("add assets: %v (%d)", err, client.StatusOf(err))
	}
	return rl
}

// drawStroke draws a line through points (in the page's CSS pixels) with
// the mouse: the page sees pointer events, as from a pen or a finger.
func drawStroke(points [][2]float64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for i, pt := range points {
			typ := input.MouseMoved
			switch i {
			case 0:
				typ = input.MousePressed
			}
			ev := input.DispatchMouseEvent(typ, pt[0], pt[1]).WithButton(input.Left).WithButtons(1)
			if typ == input.MousePressed {
				ev = ev.WithClickCount(1)
			}
			if err := ev.Do(ctx); err != nil {
				return err
			}
		}
		last := points[len(points)-1]
		return input.DispatchMouseEvent(input.MouseReleased, last[0], last[1]).WithButton(input.Left).WithClickCount(1).Do(ctx)
	})
}

// canvasStroke is a zigzag across the middle of the drawing canvas.
func canvasStroke(t *testing.T, ctx context.Context) [][2]float64 {
	var r struct{ X, Y, W, H float64 }
	run(t, ctx, "canvas position", settled(), evalUntil("a drawing canvas of at least 100×60 px", `(() => { const b = document.querySelector('#review-canvas').getBoundingClientRect();
		return {X: b.left, Y: b.top, W: b.width, H: b.height} })()`, &r,
		func(r struct{ X, Y, W, H float64 }) bool { return r.W >= 100 && r.H >= 60 }))
	var pts [][2]float64
	for i := 0; i <= 12; i++ {
		x := r.X + r.W*(0.3+0.4*float64(i)/12)
		y := r.Y + r.H*0.45
		if i%2 == 1 {
			y = r.Y + r.H*0.55
		}
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

// canvasInk counts the painted pixels of the overlay canvas.
const canvasInk = `(() => { const c = document.querySelector('#review-canvas'); if (!c) return -1;
	const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
	for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n })()`

// TestReviewPage is a reviewer without an account on a password-protected
// review link: the password, their name, the items with badges, the viewer
// with zoom, an approval, a comment with a drawing, a reply and the version
// switcher; the owner sees it all in the link's activity. On a desktop and
// on a phone, then in the dark, where another reviewer's comment arrives by
// polling.
func TestReviewPage(t *testing.T) {
	f := newReviewFixture(t)
	linkURL := f.srv.URL + "/r/" + f.key

	// Prerendered with the password gate only (a reviewer can type before
	// the wasm runs): the items need the reviewer's session.
	res, err := http.Get(linkURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if page := string(b); res.StatusCode != 200 || !strings.Contains(page, `id="review-password"`) || strings.Contains(page, "app-ready") ||
		strings.Contains(page, "reviewer-item") || strings.Contains(page, "harbour.jpg") || strings.Contains(page, "sunset.jpg") {
		t.Errorf("prerendered /r/{key}: %d, gate %v, app-ready %v", res.StatusCode, strings.Contains(page, `id="review-password"`), strings.Contains(page, "app-ready"))
	}

	reviewers := map[string]string{"desktop": "Jane Cooper", "phone": "Sam Lee"}
	decisions := map[string]string{"desktop": "#approve", "phone": "#needs-changes"}
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			name := reviewers[size.name]
			ctx := testkit.Browser(t, size.w, size.h)
			run(t, ctx, "open the link",
				chromedp.Navigate(linkURL),
				present("#app-ready"),
				visible("#review-password"),
				// No items before the password.
				waitFor(`document.querySelectorAll('.review-item').length === 0`),
			)
			testkit.Screenshot(t, ctx, "reviewer-password-"+size.name)
			if size.name == "desktop" {
				var msg string
				run(t, ctx, "a wrong password says so",
					setValue("#review-password", "reviewer-pass-2"),
					click("#review-password-submit"),
					readText(".gal-password .alert-error", &msg),
				)
			}
			run(t, ctx, "the password",
				setValue("#review-password", "reviewer-pass-1"),
				click("#review-password-submit"),
				visible("#reviewer-name"),
			)
			testkit.Screenshot(t, ctx, "reviewer-name-"+size.name)

			run(t, ctx, "the name",
				setValue("#reviewer-name", name),
				click("#reviewer-name-submit"),
				visible(".review-item[data-id]"),
				waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
				waitFor(`document.querySelectorAll('.review-item[data-id]').length === 2`),
				waitFor(`document.querySelector('#reviewer-as').innerText === `+jsString("Reviewing as "+name)),
			)
			run(t, ctx, "the stack shows its versions", waitFor(fmt.Sprintf(`document.querySelector('.review-item[data-id=%q] .rv-tile-version').innerText === 'V2'`, f.v2)))
			testkit.Screenshot(t, ctx, "reviewer-grid-"+size.name)

			run(t, ctx, "open the viewer",
				click(fmt.Sprintf(`.review-item[data-id=%q]`, f.v2)),
				visible("#review-viewer"),
				waitFor(`(() => { const i = document.querySelector('#review-img'); return i && i.complete && i.naturalWidth > 0 })()`),
				present("#review-canvas"),
			)

			// Zoom with the buttons and the wheel, back to fit.
			run(t, ctx, "zoom in",
				click("#zoom-in"),
				waitFor(`document.querySelector('#zoom-reset').textContent !== '100%'`),
				waitFor(`document.querySelector('#zoom-reset').textContent === '150%'`),
			)
			run(t, ctx, "wheel",
				chromedp.Evaluate(`(() => { const a = document.querySelector('.rv-area'), b = a.getBoundingClientRect();
					a.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: b.left + b.width/2, clientY: b.top + b.height/2, bubbles: true, cancelable: true})); })()`, nil),
				waitFor(`parseInt(document.querySelector('#zoom-reset').textContent) > 150`),
				waitFor(`/scale\(/.test(document.querySelector('#review-fit').style.transform)`),
				click("#zoom-reset"),
				waitFor(`document.querySelector('#zoom-reset').textContent === '100%' && !document.querySelector('#review-fit').style.transform`),
			)

			// The decision.
			run(t, ctx, "decide",
				click(decisions[size.name]),
				waitFor(fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-pressed') === 'true'`, decisions[size.name])),
			)

			// A comment with a drawing.
			text := "The horizon tilts here, please straighten it (" + name + ")."
			run(t, ctx, "start drawing", click("#annotate"), visible("#annotate-done"),
				// On a phone the picture scrolls back into view.
				waitFor(`document.querySelector('#review-viewer').scrollTop === 0`))
			run(t, ctx, "draw", drawStroke(canvasStroke(t, ctx)))
			var ink int
			run(t, ctx, "the drawing shows", evalUntil("100 painted pixels", canvasInk, &ink, func(n int) bool { return n >= 100 }))
			if size.name == "desktop" {
				run(t, ctx, "let the pen tools settle", settled())
				testkit.Screenshot(t, ctx, "reviewer-drawing-"+size.name)
			}
			run(t, ctx, "comment",
				setValue("#comment-text", text),
				click("#comment-submit"),
				visible(".comment[data-id].is-selected"),
				waitFor(`document.querySelector('#comment-text').value === ''`),
				// The posted comment's drawing shows.
				evalUntil("100 painted pixels", canvasInk, &ink, func(n int) bool { return n >= 100 }),
			)
			run(t, ctx, "open the reply form",
				click(".comment.is-selected .reply-button"),
				visible("#reply-text"),
			)
			testkit.Screenshot(t, ctx, "reviewer-reply-"+size.name)
			run(t, ctx, "reply",
				setValue("#reply-text", "Also the left edge."),
				click("#reply-submit"),
				visible(".comment.is-selected .comment.is-reply[data-id]"),
				gone("#reply-text"),
				// The comment stays selected: its drawing is on the picture.
				visible(".comment.is-selected"),
				evalUntil("100 painted pixels", canvasInk, &ink, func(n int) bool { return n >= 100 }),
				settled(),
			)
			run(t, ctx, "back to the top", chromedp.Evaluate(`document.querySelector('#review-viewer').scrollTo(0, 0)`, nil),
				waitFor(`document.querySelector('#review-viewer').scrollTop === 0`), settled())
			testkit.Screenshot(t, ctx, "reviewer-viewer-"+size.name)
			if size.name == "phone" {
				// A full-page screenshot resizes the window, which scrolls the
				// viewer back: take what the phone's screen shows instead.
				var png []byte
				run(t, ctx, "scroll to the comments",
					chromedp.Evaluate(`document.querySelector('#review-viewer').scrollTo(0, 10000)`, nil),
					waitFor(`document.querySelector('#review-viewer').scrollTop > 0`),
					settled(),
					chromedp.CaptureScreenshot(&png),
				)
				if err := os.WriteFile(filepath.Join(testkit.RepoRoot(t), "test-artifacts", "reviewer-viewer-comments-phone.png"), png, 0o644); err != nil {
					t.Error(err)
				}
			}

			// The version switcher: the first version has its own comments.
			run(t, ctx, "versions: v2 then v1",
				waitFor(`[...document.querySelectorAll('#version-select option')].map(o => o.value).join() === `+jsString(f.v2+","+f.v1)),
			)
			run(t, ctx, "the first version",
				setValue("#version-select", f.v1),
				waitFor(fmt.Sprintf(`document.querySelector('#review-viewer').dataset.id === %q`, f.v1)),
				visible(".rv-thread .rv-empty"),
				waitFor(`document.querySelector('#approve').disabled`),
			)
			run(t, ctx, "back to the newest",
				setValue("#version-select", f.v2),
				visible(".comment[data-id]"),
			)

			run(t, ctx, "close with Esc",
				chromedp.KeyEvent(kb.Escape),
				gone("#review-viewer"),
				visible(fmt.Sprintf(`.review-item[data-id=%q] .rv-tile-status`, f.v2)),
			)
			testkit.Screenshot(t, ctx, "reviewer-grid-decided-"+size.name)
			noBrowserErrors(t, ctx)
		})
	}

	// The owner sees both reviewers' decisions, comments with the drawing, and replies.
	var act model.ReviewLinkActivity
	if res := f.admin.Do("GET", "/api/v2/review_links/"+f.linkID+"/activity", nil, &act); res.StatusCode != 200 {
		t.Fatalf("activity: %d", res.StatusCode)
	}
	want := map[string]string{"Jane Cooper": "approved", "Sam Lee": "needs_changes"}
	for _, a := range act.Approvals {
		if a.AssetID == f.v2 && want[a.ReviewerName] == a.Status {
			delete(want, a.ReviewerName)
		}
	}
	if len(want) > 0 {
		t.Errorf("approvals missing %v: %+v", want, act.Approvals)
	}
	for _, who := range []string{"Jane Cooper", "Sam Lee"} {
		var top, reply bool
		for _, c := range act.Comments {
			if c.AuthorName != who || c.AssetID != f.v2 {
				continue
			}
			if c.ParentID == nil && strings.Contains(c.Text, "horizon tilts") {
				top = true
				var d model.Annotation
				if c.Annotation == nil || json.Unmarshal([]byte(*c.Annotation), &d) != nil {
					t.Errorf("%s's comment has no readable annotation: %v", who, c.Annotation)
					continue
				}
				if d.Width != 1600 || d.Height != 1067 || len(d.Shapes) != 1 || d.Shapes[0].Type != "path" || len(d.Shapes[0].Points) < 5 {
					t.Errorf("%s's annotation: %+v", who, d)
				}
				for _, pt := range d.Shapes[0].Points {
					if pt[0] < 400 || pt[0] > 1200 || pt[1] < 400 || pt[1] > 650 {
						t.Errorf("%s's stroke point %v is not where it was drawn", who, pt)
						break
					}
				}
			}
			if c.ParentID != nil && c.Text == "Also the left edge." {
				reply = true
			}
		}
		if !top || !reply {
			t.Errorf("%s: comment %v, reply %v in %+v", who, top, reply, act.Comments)
		}
	}

	// In the dark, a third reviewer sees the others' decisions, and a comment
	// posted meanwhile arrives without a reload.
	dark := testkit.Browser(t, 1280, 800)
	run(t, dark, "dark theme",
		emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
		chromedp.Navigate(linkURL),
		visible("#review-password"),
		setValue("#review-password", "reviewer-pass-1"),
		click("#review-password-submit"),
		visible("#reviewer-name"),
		setValue("#reviewer-name", "Alex Kim"),
		click("#reviewer-name-submit"),
		visible(".review-item[data-id]"),
		waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`),
	)
	testkit.Screenshot(t, dark, "reviewer-grid-dark-desktop")
	run(t, dark, "the others' decisions",
		click(fmt.Sprintf(`.review-item[data-id=%q]`, f.v2)),
		waitText(".rv-others", nil, "Jane Cooper", "Approved", "Sam Lee", "Needs changes"),
		visible(".comment[data-id]"),
	)
	other := f.srv.Client(t)
	base := "/api/v2/public/links/" + f.key
	other.Do("POST", base+"/unlock", model.Unlock{Password: "reviewer-pass-1"}, nil)
	other.Do("POST", base+"/reviewer", model.ReviewerName{Name: "Priya Shah"}, nil)
	if res := other.Do("POST", base+"/assets/"+f.v2+"/comments", model.NewComment{Text: "Love the colours."}, nil); res.StatusCode != 201 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("another reviewer's comment: %d %s", res.StatusCode, b)
	}
	run(t, dark, "it arrives by polling",
		waitFor(`[...document.querySelectorAll('.comment')].some(c => c.textContent.includes('Love the colours.'))`),
		// Jane's comment, with her drawing.
		click(".comment:not(.is-reply) > .comment-main"),
		visible(".comment.is-selected"),
		settled(),
	)
	testkit.Screenshot(t, dark, "reviewer-viewer-dark-desktop")

	// Unknown keys.
	phone := testkit.Browser(t, 390, 844)
	unknownKeyPage(t, phone, f.srv.URL+"/r/doesNotExist42", "review-missing")
	noBrowserErrors(t, dark, phone)
}
