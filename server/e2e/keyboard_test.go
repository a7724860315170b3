package e2e

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// The keyboard paths: each step is a key press, nothing is clicked. After
// every Tab the control that took the focus must show a focus ring (2px
// at least, 3:1 against what is behind it); the ring of a file input
// hidden in its button-styled label must be drawn on the label.

// focusRing answers why the keyboard focus is not visibly on an element
// matching sel (any element when sel is empty), or "" when it is.
const focusRing = `((sel) => {
	const el = document.activeElement;
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	if (!el || el === document.body) return 'the focus is on the page body';
	if (sel && !el.matches(sel)) return 'the focus is on ' + name(el);
	let shown = el;
	if (el.matches('.sr-only') && el.closest('label')) shown = el.closest('label');
	const cs = getComputedStyle(shown);
	if (cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) < 2) {
		return 'no focus ring on ' + name(shown) + ' (outline: ' + cs.outlineStyle + ' ' + cs.outlineWidth + ')';
	}
	const rgba = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = ([r, g, b]) => [r, g, b].map(c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
		.reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
	let bg = [255, 255, 255];
	for (let n = shown.parentElement; n; n = n.parentElement) {
		const c = rgba(getComputedStyle(n).backgroundColor);
		if (c.length === 3 || c[3] > 0.5) { bg = c; break; }
	}
	const a = lum(rgba(cs.outlineColor)), b = lum(bg);
	const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	if (ratio < 3) return 'the focus ring of ' + name(shown) + ' has a contrast of ' + ratio.toFixed(2) + ':1 (' + cs.outlineColor + ' on rgb(' + bg.join(',') + '))';
	return '';
})`

// tabTo presses Tab until the focus is on sel, at most max times; every
// control it passes on the way must show its focus ring. Tabbing from a
// field the test left (blurred) starts after it and may go round the page.
func tabTo(sel string, max int) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var passed []string
		for i := 0; i < max; i++ {
			if err := chromedp.KeyEvent(kb.Tab).Do(ctx); err != nil {
				return err
			}
			var why, at string
			if err := chromedp.Evaluate(focusRing+`('')`, &why).Do(ctx); err != nil {
				return err
			}
			if why == "the focus is on the page body" {
				// Past the last control the focus leaves the page (for the
				// browser's own controls); the next Tab starts at the top.
				passed = append(passed, "(out of the page)")
				continue
			}
			if why != "" {
				return fmt.Errorf("tab %d towards %s: %s", i+1, sel, why)
			}
			if err := chromedp.Evaluate(focusRing+`(`+jsString(sel)+`)`, &at).Do(ctx); err != nil {
				return err
			}
			if at == "" {
				return nil
			}
			passed = append(passed, strings.TrimPrefix(at, "the focus is on "))
		}
		return fmt.Errorf("%d tabs did not reach %s; they passed %s", max, sel, strings.Join(passed, ", "))
	})
}

// focusOn waits until the focus is on sel with its ring showing.
func focusOn(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "focus ring on "+sel, func(ctx context.Context) error {
			var why string
			if err := chromedp.Evaluate(focusRing+`(`+jsString(sel)+`)`, &why).Do(ctx); err != nil {
				return err
			}
			if why != "" {
				return errors.New(why)
			}
			return nil
		})
	})
}

// focusMovedTo waits until the app has moved the focus to sel: new
// content (a heading), which shows no ring as it is not a control.
func focusMovedTo(sel string) chromedp.Action {
	return waitUntil("the focus on "+sel, `document.activeElement && document.activeElement.matches(`+jsString(sel)+`)`)
}

// slowEnter presses Enter as a slow machine delivers it: the page has
// time to react (draw a viewer, move the focus into it) after the keydown,
// after the keypress and after the keyup, each of which reaches what has
// the focus by then. A viewer opened on the keydown lost its keypress to
// its own close button and closed as it opened.
func slowEnter() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for _, ev := range kb.Encode('\r') {
			if err := ev.Do(ctx); err != nil {
				return err
			}
			react := `new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 150))))`
			if err := chromedp.Evaluate(react, nil, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams {
				return p.WithAwaitPromise(true)
			}).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// typeText types s into the focused field key by key and waits until the
// field holds it.
func typeText(s string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.KeyEvent(s),
		waitUntil("the typed text", `document.activeElement && document.activeElement.value === `+jsString(s)),
	}
}

// filePickers makes the page's file pickers open into the test instead of
// a dialog: each time one opens (a click, or a key on a file input), the
// event arrives on the channel.
func filePickers(t *testing.T, ctx context.Context) <-chan *page.EventFileChooserOpened {
	t.Helper()
	ch := make(chan *page.EventFileChooserOpened, 8)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*page.EventFileChooserOpened); ok {
			select {
			case ch <- e:
			default:
			}
		}
	})
	run(t, ctx, "intercept file pickers", page.SetInterceptFileChooserDialog(true))
	return ch
}

// pickerOpened waits for a file picker to open and answers its input.
func pickerOpened(t *testing.T, ch <-chan *page.EventFileChooserOpened, what string) *page.EventFileChooserOpened {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(stepWait):
		t.Fatalf("%s: no file picker opened", what)
		return nil
	}
}

// choose answers an open file picker with files.
func choose(t *testing.T, ctx context.Context, e *page.EventFileChooserOpened, files ...string) {
	t.Helper()
	run(t, ctx, "choose "+strings.Join(files, ", "), dom.SetFileInputFiles(files).WithBackendNodeID(e.BackendNodeID))
}

// noMorePickers checks that no file picker opened since the last one read.
func noMorePickers(t *testing.T, ch <-chan *page.EventFileChooserOpened, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Errorf("%s: a file picker opened", what)
	default:
	}
}

// TestKeyboardRecipient is a recipient of an upload link with only a
// keyboard: the passcode, Enter, the focus on the upload area, then
// "Choose files" opened with Space and with Enter (its focus ring on the
// button, not on the hidden input), a file sent, and "Choose a folder".
func TestKeyboardRecipient(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	project, _ := ulProject(t, c, "Harbour Campaign")
	l := ulCreate(t, c, model.NewUploadLink{ProjectID: project, Name: "Harbour RAWs", RecipientEmail: "jane@photo.example", RecipientName: "Jane", ExpiresInDays: model.Ptr[int](14)})
	file, data := visFile(t, t.TempDir(), "HARBOUR_001.CR3", 256<<10)

	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		pickers := filePickers(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(srv.URL+"/u/"+l.Key), present("#app-ready"), visible("#passcode"))
		run(t, ctx, "the passcode by keyboard", chromedp.Evaluate(`document.activeElement.blur()`, nil), tabTo("#passcode", 10))
		ulViewShot(t, ctx, "keyboard-recipient-passcode-"+size.name)
		run(t, ctx, "type it and press Enter", typeText(l.Passcode), chromedp.KeyEvent(kb.Enter), visible("#link-drop"))
		run(t, ctx, "the focus moves to the upload area", focusMovedTo("#link-drop-title"))

		run(t, ctx, "Tab to Choose files", tabTo("#link-file-input", 5))
		ulViewShot(t, ctx, "keyboard-recipient-choose-files-"+size.name)
		run(t, ctx, "Space opens the picker", chromedp.KeyEvent(" "))
		pickerOpened(t, pickers, "Space on Choose files")
		run(t, ctx, "Enter opens the picker", chromedp.KeyEvent(kb.Enter))
		if e := pickerOpened(t, pickers, "Enter on Choose files"); size.name == "desktop" {
			choose(t, ctx, e, file)
			run(t, ctx, "the file arrives", visible("#received .pub-file"), waitText("#received", nil, "HARBOUR_001.CR3"))
		}
		run(t, ctx, "the focus stays on Choose files", focusOn("#link-file-input"))
		run(t, ctx, "Tab to Choose a folder", tabTo("#link-folder-input", 3))
		ulViewShot(t, ctx, "keyboard-recipient-choose-folder-"+size.name)
		run(t, ctx, "Enter opens the folder picker", chromedp.KeyEvent(kb.Enter))
		if e := pickerOpened(t, pickers, "Enter on Choose a folder"); e.Mode != page.FileChooserOpenedModeSelectMultiple {
			t.Errorf("the folder picker's mode is %s", e.Mode)
		}
		run(t, ctx, "Tab goes on", chromedp.KeyEvent(kb.Tab))
		noMorePickers(t, pickers, "Tab")
		noBrowserErrors(t, ctx)
	})
	var got []model.Asset
	c.Do("GET", "/api/v2/assets/"+l.FolderID+"/children", nil, &got)
	if len(got) != 1 || got[0].Name != "HARBOUR_001.CR3" || got[0].Filesize != int64(len(data)) {
		t.Fatalf("the link's folder holds %+v", got)
	}
}

// downloads saves the browser's downloads into a temporary directory and
// answers the path of each one completed, as it completes.
func downloads(t *testing.T, ctx context.Context) (dir string, done <-chan string) {
	t.Helper()
	dir = t.TempDir()
	ch := make(chan string, 4)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*browser.EventDownloadProgress); ok && e.State == browser.DownloadProgressStateCompleted {
			ch <- filepath.Join(dir, e.GUID)
		}
	})
	run(t, ctx, "downloads into "+dir, browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(dir).WithEventsEnabled(true))
	return dir, ch
}

// TestKeyboardVisitor is a visitor of a password-protected share link with
// only a keyboard: the password and Enter (the focus moves to the
// gallery's title), a file opened with Enter (the focus goes into the
// viewer), the next file with the arrow key, the original downloaded with
// Enter, and Esc back to the file's tile.
func TestKeyboardVisitor(t *testing.T) {
	f := newShareFixture(t)
	l := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour selects", AllowOriginal: model.Ptr(true), Password: "harbour-2026"})
	ctx := testkit.Browser(t, 1280, 800)
	_, done := downloads(t, ctx)

	run(t, ctx, "open the link", chromedp.Navigate(f.srv.URL+"/s/"+l.Key), present("#app-ready"), visible("#share-password"))
	run(t, ctx, "the password by keyboard", chromedp.Evaluate(`document.activeElement.blur()`, nil), tabTo("#share-password", 10))
	run(t, ctx, "type it and press Enter", typeText("harbour-2026"), chromedp.KeyEvent(kb.Enter),
		waitFor(`document.querySelectorAll('.gallery-tile[data-id]').length === 4`))
	run(t, ctx, "the focus moves to the gallery", focusMovedTo("#share-title"))
	run(t, ctx, "Tab to the first file", tabTo(".gallery-tile:first-child", 10))
	var first, second string
	run(t, ctx, "the first file's id", attr(".gallery-tile:first-child", "data-id", &first))
	ulViewShot(t, ctx, "keyboard-visitor-tile-desktop")
	run(t, ctx, "Enter opens it", slowEnter(), visible("#share-viewer"),
		waitAttr("#share-viewer", "data-id", first), focusOn("#share-viewer-close"))
	run(t, ctx, "the next file with the arrow key", chromedp.KeyEvent(kb.ArrowRight),
		waitFor(fmt.Sprintf(`document.querySelector('#share-viewer').dataset.id !== %q`, first)), attr("#share-viewer", "data-id", &second))
	run(t, ctx, "Tab to the download", tabTo(`#share-viewer .share-download[data-kind="original"]`, 10), settled())
	ulViewShot(t, ctx, "keyboard-visitor-download-desktop")
	run(t, ctx, "Enter downloads", chromedp.KeyEvent(kb.Enter))
	var path string
	select {
	case path = <-done:
	case <-time.After(stepWait):
		t.Fatal("no download completed")
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v2/assets/"+second+"/original", nil)
	want, _ := io.ReadAll(f.c.Send(req, nil).Body)
	if len(want) == 0 || sha256.Sum256(got) != sha256.Sum256(want) {
		t.Errorf("the download (%d bytes) is not the original of %s (%d bytes)", len(got), second, len(want))
	}
	run(t, ctx, "Esc goes back to the file's tile", chromedp.KeyEvent(kb.Escape), gone("#share-viewer"),
		focusOn(fmt.Sprintf(`.gallery-tile[data-id=%q]`, second)))
	ulViewShot(t, ctx, "keyboard-visitor-back-desktop")
	noBrowserErrors(t, ctx)
}

// TestKeyboardReviewer is a reviewer with only a keyboard: their name and
// Enter (the focus moves to the review's title), an item opened with
// Enter, the next with the arrow key, an approval with Space and a comment
// sent with Enter on its button; the owner sees both.
func TestKeyboardReviewer(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	project, root := ulProject(t, admin, "Harbour Campaign")
	harbour := ruiImage(t, admin, root, "harbour.jpg", color.RGBA{40, 120, 220, 255})
	sunset := ruiImage(t, admin, root, "sunset.jpg", color.RGBA{240, 120, 40, 255})
	l := reviewLinkOf(t, admin, project, model.ReviewLinkInput{Name: model.Ptr("Harbour review")}, harbour, sunset)
	ctx := testkit.Browser(t, 1280, 800)

	run(t, ctx, "open the link", chromedp.Navigate(srv.URL+"/r/"+l.Key), present("#app-ready"), visible("#reviewer-name"))
	run(t, ctx, "the name by keyboard", chromedp.Evaluate(`document.activeElement.blur()`, nil), tabTo("#reviewer-name", 10))
	run(t, ctx, "type it and press Enter", typeText("Jane Cooper"), chromedp.KeyEvent(kb.Enter),
		waitFor(`document.querySelectorAll('.review-item[data-id]').length === 2`))
	run(t, ctx, "the focus moves to the review", focusMovedTo("#review-title"))
	run(t, ctx, "Tab to the first item", tabTo(".review-item[data-id]", 10))
	ulViewShot(t, ctx, "keyboard-reviewer-item-desktop")
	var first, second string
	run(t, ctx, "the first item's id", attr(".review-item[data-id]", "data-id", &first))
	run(t, ctx, "Enter opens it", focusOn(".review-item[data-id]"),
		slowEnter(), visible("#review-viewer"), waitAttr("#review-viewer", "data-id", first), focusOn("#review-viewer-close"))
	run(t, ctx, "the next item with the arrow key", chromedp.KeyEvent(kb.ArrowRight),
		waitFor(fmt.Sprintf(`document.querySelector('#review-viewer').dataset.id !== %q`, first)), attr("#review-viewer", "data-id", &second))
	run(t, ctx, "Tab to Approve", tabTo("#approve", 30))
	ulViewShot(t, ctx, "keyboard-reviewer-approve-desktop")
	run(t, ctx, "Space approves", chromedp.KeyEvent(" "), waitAttr("#approve", "aria-pressed", "true"))
	text := "The horizon tilts, please straighten it."
	run(t, ctx, "Tab to the comment", tabTo("#comment-text", 20), typeText(text))
	run(t, ctx, "Tab to Send", tabTo("#comment-submit", 10))
	ulViewShot(t, ctx, "keyboard-reviewer-comment-desktop")
	run(t, ctx, "Enter sends it", chromedp.KeyEvent(kb.Enter), visible(".comment[data-id]"),
		waitFor(`document.querySelector('#comment-text').value === ''`))

	var act model.ReviewLinkActivity
	if res := admin.Do("GET", "/api/v2/review_links/"+l.ID+"/activity", nil, &act); res.StatusCode != 200 {
		t.Fatalf("activity: %d", res.StatusCode)
	}
	approved, commented := false, false
	for _, a := range act.Approvals {
		approved = approved || a.AssetID == second && a.ReviewerName == "Jane Cooper" && a.Status == "approved"
	}
	for _, c := range act.Comments {
		commented = commented || c.AssetID == second && c.AuthorName == "Jane Cooper" && c.Text == text
	}
	if !approved || !commented {
		t.Errorf("the owner sees approval %v, comment %v: %+v", approved, commented, act)
	}
	noBrowserErrors(t, ctx)
}

// TestKeyboardMember is a member with only a keyboard: logs in, uploads a
// file with Enter on "Upload files", opens it, creates a public link
// through the Share menu (arrows move in it, Esc closes it) and its
// dialog, copies the link and closes the dialog with Esc.
func TestKeyboardMember(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	project, _ := ulProject(t, admin, "Harbour Campaign")
	var u model.User
	if res := admin.Do("POST", "/api/v2/users", model.NewUser{Email: "mia@studio.example", Name: "Mia Member", Role: "member", Password: "mia's long password"}, &u); res.StatusCode != 201 {
		t.Fatalf("member: %d", res.StatusCode)
	}
	if res := admin.Do("PUT", "/api/v2/projects/"+project, model.ProjectPatch{MemberIDs: model.Ptr([]string{u.ID})}, nil); res.StatusCode != 200 {
		t.Fatalf("project member: %d", res.StatusCode)
	}
	photo := jpegFile(t, t.TempDir(), "harbour.jpg", 1200, 800, color.RGBA{40, 120, 220, 255})

	ctx := testkit.Browser(t, 1280, 800)
	pickers := filePickers(t, ctx)
	run(t, ctx, "permission to write the clipboard", browser.GrantPermissions([]browser.PermissionType{
		browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite}).WithOrigin(srv.URL))
	run(t, ctx, "the login page", chromedp.Navigate(srv.URL+"/login"), present("#app-ready"))
	run(t, ctx, "log in by keyboard", tabTo("#email", 10), typeText("mia@studio.example"),
		tabTo("#password", 2), typeText("mia's long password"), chromedp.KeyEvent(kb.Enter), waitPageReady(), visible("#new-project"))

	run(t, ctx, "the project", chromedp.Navigate(srv.URL+"/projects/"+project), waitPageReady(), visible("#folder-empty"))
	run(t, ctx, "Tab to Upload files", tabTo("#file-input", 40))
	ulViewShot(t, ctx, "keyboard-member-upload-desktop")
	run(t, ctx, "Enter opens the picker", chromedp.KeyEvent(kb.Enter))
	choose(t, ctx, pickerOpened(t, pickers, "Enter on Upload files"), photo)
	run(t, ctx, "the file arrives", visible(`#asset-grid .tile img.thumb`))

	run(t, ctx, "Tab to the file", tabTo("#asset-grid .tile", 40))
	ulViewShot(t, ctx, "keyboard-member-tile-desktop")
	run(t, ctx, "Enter opens it", chromedp.KeyEvent(kb.Enter), waitPageReady(), visible("#share-button"))
	run(t, ctx, "Tab to Share", tabTo("#share-button", 40))
	run(t, ctx, "Enter opens the menu on its first item", chromedp.KeyEvent(kb.Enter), visible("#share-menu"),
		focusOn("#share-create-download"))
	run(t, ctx, "Esc closes it, back on Share", chromedp.KeyEvent(kb.Escape), gone("#share-menu"), focusOn("#share-button"))
	run(t, ctx, "the arrows move in the menu", chromedp.KeyEvent(kb.Enter), focusOn("#share-create-download"),
		chromedp.KeyEvent(kb.ArrowUp), focusOn("#share-copy-internal"),
		chromedp.KeyEvent(kb.ArrowDown), focusOn("#share-create-download"),
		chromedp.KeyEvent(kb.ArrowDown), focusOn("#share-create-public"))
	ulViewShot(t, ctx, "keyboard-member-share-menu-desktop")
	run(t, ctx, "Enter opens the dialog, the focus in its form", chromedp.KeyEvent(kb.Enter), visible("#sl-form"),
		focusOn("#sl-form input"), settled())
	ulViewShot(t, ctx, "keyboard-member-dialog-desktop")
	run(t, ctx, "Tab to Create", tabTo("#sl-submit", 60))
	run(t, ctx, "Enter creates the link, the focus on Copy link", chromedp.KeyEvent(kb.Enter), visible("#sl-created-url"),
		focusOn("#sl-copy-link"), settled())
	ulViewShot(t, ctx, "keyboard-member-created-desktop")
	var url string
	run(t, ctx, "the link", waitText("#sl-created-url", &url, "/s/"))
	run(t, ctx, "Enter copies it", chromedp.KeyEvent(kb.Enter), slToast("Link copied"))
	var copied string
	run(t, ctx, "the clipboard", evalUntil("the link in the clipboard", `navigator.clipboard.readText()`, &copied,
		func(s string) bool { return s == strings.TrimSpace(url) }))
	if res, err := http.Get(copied); err != nil || res.StatusCode != 200 {
		t.Errorf("the copied link %s: %v %v", copied, res, err)
	}
	run(t, ctx, "Tab and Shift+Tab stay in the dialog", tabsStayIn(".modal", 12))
	run(t, ctx, "Esc closes the dialog, the focus back on Share", chromedp.KeyEvent(kb.Escape), gone("#sl-created-url"),
		focusOn("#share-button"))
	noBrowserErrors(t, ctx)
}

// tabsStayIn presses Tab n times and then Shift+Tab n times; after each
// press the focus must still be inside sel (a modal dialog keeps it).
func tabsStayIn(sel string, n int) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for i := 0; i < 2*n; i++ {
			key := kb.Tab
			var mods []chromedp.KeyOption
			if i >= n {
				mods = append(mods, chromedp.KeyModifiers(input.ModifierShift))
			}
			if err := chromedp.KeyEvent(key, mods...).Do(ctx); err != nil {
				return err
			}
			var inside bool
			if err := chromedp.Evaluate(`!!(document.activeElement && document.activeElement.closest(`+jsString(sel)+`))`, &inside).Do(ctx); err != nil {
				return err
			}
			if !inside {
				var at string
				chromedp.Evaluate(`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'nothing'`, &at).Do(ctx)
				return fmt.Errorf("press %d of Tab (shift: %v) left %s for %s", i+1, i >= n, sel, at)
			}
		}
		return nil
	})
}
