package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// axeViolation is one rule axe-core found broken on a page, with the
// first few elements that break it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
	Count  int      `json:"count"`
}

// axeRun runs axe-core's rules on the page (all of them, or only those
// given) and answers the violations.
const axeRun = `(async (only) => {
	const r = await axe.run(document, only.length ? {resultTypes: ['violations'], runOnly: {type: 'rule', values: only}} : {resultTypes: ['violations']});
	return r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, count: v.nodes.length,
		nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))}));
})`

// colourRules are the rules the dark scheme can break: the markup is the
// same as in the light one.
const colourRules = `['color-contrast', 'link-in-text-block']`

// axeSizes are the ways each page is checked: axe's contrast and landmark
// rules read the layout, the phone layout hides and moves things, and the
// dark colour scheme has its own palette.
var axeSizes = []struct {
	name         string
	w, h         int64
	mobile, dark bool
}{{"desktop", 1280, 800, false, false}, {"phone", 390, 844, true, false}, {"dark", 1280, 800, false, true}}

// axeChecker runs axe-core in one browser on each page a test walks to.
// Ferry's CSP allows no injected <script>, so axe's source is evaluated
// over the DevTools protocol (Runtime.evaluate), which the CSP does not
// govern.
type axeChecker struct {
	t       *testing.T
	ctx     context.Context
	src     string
	summary []string
}

func newAxeChecker(t *testing.T, ctx context.Context) *axeChecker {
	return &axeChecker{t: t, ctx: ctx, src: testkit.AxeSource(t)}
}

// check runs axe on the page as it is now, at each size and in the dark: a
// critical or serious violation fails the test, the others are logged. The
// page is left at desktop size in the light scheme.
func (a *axeChecker) check(name string) {
	t := a.t
	t.Helper()
	for _, size := range axeSizes {
		var emulate []chromedp.EmulateViewportOption
		if size.mobile {
			emulate = append(emulate, chromedp.EmulateMobile)
		}
		var vs []axeViolation
		scheme := map[bool]string{true: "dark", false: "light"}[size.dark]
		run(t, a.ctx, "axe on "+name+" ("+size.name+")",
			chromedp.EmulateViewport(size.w, size.h, emulate...),
			emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}),
			waitFor(`matchMedia('(prefers-color-scheme: `+scheme+`)').matches`),
			waitFor(fmt.Sprintf(`window.innerWidth === %d`, size.w)),
			settled(),
			chromedp.ActionFunc(func(ctx context.Context) error {
				var loaded bool
				if err := chromedp.Evaluate(`typeof window.axe === 'object'`, &loaded).Do(ctx); err != nil || loaded {
					return err
				}
				return chromedp.Evaluate(a.src+"\n;true", nil).Do(ctx)
			}),
			chromedp.ActionFunc(func(ctx context.Context) error {
				return evalJS(ctx, axeRun+"("+map[bool]string{true: colourRules, false: "[]"}[size.dark]+")", &vs)
			}),
		)
		var bad, minor []string
		for _, v := range vs {
			line := fmt.Sprintf("%s (%s, %d elements): %s\n\t\t%s", v.ID, v.Impact, v.Count, v.Help, strings.Join(v.Nodes, "\n\t\t"))
			if v.Impact == "critical" || v.Impact == "serious" {
				bad = append(bad, line)
			} else {
				minor = append(minor, line)
			}
		}
		// Every page at both widths; the dark pass (a third of the time)
		// only when it found something.
		if !size.dark || len(bad)+len(minor) > 0 {
			a.shot("a11y-" + name + "-" + size.name)
		}
		a.summary = append(a.summary, fmt.Sprintf("%-28s %-8s %d critical/serious, %d moderate/minor", name, size.name, len(bad), len(minor)))
		if len(minor) > 0 {
			t.Logf("axe on %s (%s), moderate and minor:\n\t%s", name, size.name, strings.Join(minor, "\n\t"))
		}
		if len(bad) > 0 {
			t.Errorf("axe on %s (%s), critical and serious (screenshot test-artifacts/a11y-%s-%s.png):\n\t%s",
				name, size.name, name, size.name, strings.Join(bad, "\n\t"))
		}
	}
	run(t, a.ctx, "back to desktop size and light", chromedp.EmulateViewport(1280, 800), waitFor(`window.innerWidth === 1280`),
		emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}))
}

// shot saves what the viewport shows (a whole-page screenshot would resize
// the window and take seconds per page).
func (a *axeChecker) shot(name string) {
	a.t.Helper()
	var buf []byte
	run(a.t, a.ctx, "screenshot "+name, chromedp.CaptureScreenshot(&buf))
	dir := filepath.Join(testkit.RepoRoot(a.t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		a.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		a.t.Fatal(err)
	}
}

// TestAccessibility walks one browser through every page of the app and of
// the three kinds of link, in the states a user meets them, and runs
// axe-core (scripts/node, pinned) on each at desktop and phone size and in
// the dark scheme: a critical or serious violation fails, moderate and
// minor ones are listed in the log.
func TestAccessibility(t *testing.T) {
	start := time.Now()
	f := newShareFixture(t)
	srv, c := f.srv, f.c
	gallery := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour selects", Description: "Selects from Tuesday's harbour shoot.", AllowOriginal: model.Ptr(true), Password: "harbour-2026"})
	reg := visRegistrationLink(t, c, f.folder)
	upload := ulCreate(t, c, model.NewUploadLink{ProjectID: f.project, Name: "Harbour RAWs", RecipientEmail: "jane@photo.example", RecipientName: "Jane", ExpiresInDays: model.Ptr[int](14), Message: "RAW files from Tuesday, please."})
	review := reviewLinkOf(t, c, f.project, model.ReviewLinkInput{Name: model.Ptr("Harbour review")}, f.ids[:3]...)
	var sharingLinks []model.ShareLink
	c.Do("GET", "/api/v2/share_links", nil, &sharingLinks)
	if len(sharingLinks) == 0 {
		t.Fatal("no share links listed")
	}

	ctx := testkit.Browser(t, 1280, 800)
	a := newAxeChecker(t, ctx)

	run(t, ctx, "the login page", chromedp.Navigate(srv.URL+"/login"), present("#app-ready"))
	// The CSP blocks a script put into the page, which is why axe goes in
	// over the DevTools protocol.
	var injected bool
	run(t, ctx, "an injected script is blocked",
		chromedp.Evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.ferryInjected = true';
			document.head.appendChild(s); return window.ferryInjected === true })()`, &injected))
	if injected {
		t.Fatal("an inline script ran: the page has no CSP against injected scripts")
	}
	a.check("login")
	run(t, ctx, "the setup page", chromedp.Navigate(srv.URL+"/setup"), visible("#setup-form"))
	a.check("setup")

	login(t, ctx, srv, "")
	a.check("projects")
	run(t, ctx, "a folder as a grid",
		chromedp.Navigate(srv.URL+"/projects/"+f.project),
		waitPageReady(),
		waitFor(`document.querySelectorAll('#asset-grid img.thumb').length === 3`),
		waitFor(`[...document.querySelectorAll('#asset-grid img.thumb')].every(i => i.complete && i.naturalWidth > 0)`))
	a.check("folder-grid")
	run(t, ctx, "the share drawer with a file", click("#new-share"), visible("#share-drawer"),
		click(`.tile[data-id="`+f.ids[0]+`"] .add-share`), waitAttr("#share-drawer", "data-count", "1"))
	a.check("share-drawer")
	run(t, ctx, "close the drawer", click("#share-drawer-close"), gone("#share-drawer"))
	run(t, ctx, "the folder as a list", click("#view-list"), visible("#asset-table"))
	a.check("folder-list")
	run(t, ctx, "back to the grid", click("#view-grid"), visible("#asset-grid"))
	run(t, ctx, "the new folder dialog", click("#new-folder"), visible("#new-folder-form"))
	a.check("new-folder-dialog")
	run(t, ctx, "Esc closes it", chromedp.KeyEvent(kb.Escape), gone("#new-folder-form"))
	run(t, ctx, "the collections feed with a collection selected",
		chromedp.Navigate(srv.URL+"/projects/"+f.project+"/collections"), waitPageReady(),
		click(".coll-card .coll-check"), visible("#coll-bulk-bar"), visible("#coll-side .share-link-row"))
	a.check("collections-feed")
	run(t, ctx, "an asset",
		chromedp.Navigate(srv.URL+"/assets/"+f.ids[0]),
		waitPageReady(),
		waitFor(`(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('#preview-img'))`))
	a.check("asset")
	run(t, ctx, "the share dialog", click("#share-button"), click("#share-create-public"), visible("#sl-form"))
	a.check("share-dialog")

	for _, p := range []struct{ name, path, sel string }{
		{"settings", "/settings", "#outbox"},
		{"settings-api", "/settings/api", ".content"},
		{"users", "/users", "#add-user"},
		{"tokens", "/account/tokens", "#create-token"},
		{"sharing", "/sharing", "#sharing-table"},
		{"sharing-forms", "/sharing/forms", ".content"},
		{"sharing-clickwraps", "/sharing/clickwraps", "#cw-table"},
		{"sharing-settings", "/sharing/settings", "#sharing-settings-form"},
		{"sharing-link", "/sharing/links/" + sharingLinks[0].ID, "#sharing-link"},
		{"links-share", "/links/share", ".content"},
		{"links-review", "/links/review", ".content"},
		{"links-upload", "/links/upload", ".content"},
	} {
		run(t, ctx, "the page "+p.path, chromedp.Navigate(srv.URL+p.path), waitPageReady(), visible(p.sel))
		a.check(p.name)
	}

	run(t, ctx, "the add user dialog", chromedp.Navigate(srv.URL+"/users"), waitPageReady(), click("#add-user"), visible("#add-user-form"))
	a.check("add-user-dialog")

	// A share link's visitor: the password, the gallery, the viewer.
	run(t, ctx, "a share link's password", chromedp.Navigate(srv.URL+"/s/"+gallery.Key), present("#app-ready"), visible("#share-password"))
	a.check("share-password")
	run(t, ctx, "the gallery",
		setValue("#share-password", "harbour-2026"),
		click("#share-password-submit"),
		waitFor(`document.querySelectorAll('.gallery-tile[data-id]').length === 4`),
		waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`))
	a.check("share-gallery")
	run(t, ctx, "the viewer", click(".gallery-tile:first-child"), visible("#share-viewer"),
		waitFor(`(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('#share-viewer-img'))`))
	a.check("share-viewer")
	run(t, ctx, "a registration", chromedp.Navigate(srv.URL+"/s/"+reg.Key), present("#app-ready"), visible("#share-register"))
	a.check("share-registration")

	// An upload link's recipient: the passcode, the drop zone, a file sent.
	run(t, ctx, "an upload link's passcode", chromedp.Navigate(srv.URL+"/u/"+upload.Key), present("#app-ready"), visible("#passcode"))
	a.check("upload-passcode")
	run(t, ctx, "unlocked", setValue("#passcode", upload.Passcode), click("#passcode-submit"), visible("#link-drop"))
	a.check("upload-drop")
	file, _ := visFile(t, t.TempDir(), "HARBOUR_001.CR3", 64<<10)
	run(t, ctx, "a file sent", pickFiles("#link-file-input", file), visible("#received .pub-file"))
	a.check("upload-received")

	// A review link's reviewer: the name, the grid, the viewer with a comment.
	run(t, ctx, "a review link", chromedp.Navigate(srv.URL+"/r/"+review.Key), present("#app-ready"), visible("#reviewer-name"))
	a.check("review-name")
	run(t, ctx, "the items",
		setValue("#reviewer-name", "Jane Cooper"),
		click("#reviewer-name-submit"),
		waitFor(`document.querySelectorAll('.review-item[data-id]').length === 3`),
		waitFor(`[...document.querySelectorAll('img.gallery-thumb')].every(i => i.complete && i.naturalWidth > 0)`))
	a.check("review-grid")
	run(t, ctx, "the viewer with a comment",
		click(".review-item[data-id]"),
		visible("#review-viewer"),
		setValue("#comment-text", "The horizon tilts."),
		click("#comment-submit"),
		visible(".comment[data-id]"))
	a.check("review-viewer")
	run(t, ctx, "close the viewer", chromedp.KeyEvent(kb.Escape), gone("#review-viewer"))

	sort.Strings(a.summary)
	t.Logf("axe-core on %d page states in %s:\n%s", len(a.summary)/len(axeSizes), time.Since(start).Round(time.Second), strings.Join(a.summary, "\n"))
	noBrowserErrors(t, ctx)
}
