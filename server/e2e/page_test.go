package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// The one way these tests act on the page. The app re-renders whenever its
// data arrives, so a node found a moment ago may be gone or moved by the
// time it is used. Every helper here therefore finds its selector afresh on
// each attempt, in the page, and tries again until the deadline of the run
// (or runFor) that holds it; when the deadline passes, run reports what the
// page showed and saves a screenshot.

// stepWait is how long one run may take: generous, because CI is a busy
// 2-core machine.
const stepWait = 60 * time.Second

// retryPause is the pause between two attempts of a helper.
const retryPause = 100 * time.Millisecond

// run does actions with the stepWait budget and fails the test with what
// the page showed if they do not finish.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	runFor(t, ctx, stepWait, what, actions...)
}

// runFor is run with another budget, for steps that move many bytes.
func runFor(t *testing.T, ctx context.Context, d time.Duration, what string, actions ...chromedp.Action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Run(c, actions...); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, pageReport(t, ctx, what))
	}
}

// pageReport saves a screenshot of the page as it is and returns its URL
// and text, for the message of a failed step.
func pageReport(t *testing.T, ctx context.Context, what string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var url, text string
	if err := chromedp.Run(c, chromedp.Location(&url), chromedp.Evaluate(`document.body ? document.body.innerText : ''`, &text)); err != nil {
		return "(the page could not be read: " + err.Error() + ")"
	}
	if len(text) > 3000 {
		text = text[:3000] + "…"
	}
	name := "failed-" + strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()+"-"+what)
	testkit.Screenshot(t, c, name)
	return fmt.Sprintf("page %s (screenshot test-artifacts/%s.png) shows:\n%s", url, name, text)
}

// retry calls attempt until it returns nil or the context ends; then it
// returns the last reason the attempts gave, prefixed with what.
func retry(ctx context.Context, what string, attempt func(context.Context) error) error {
	var last error
	for {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			if last == nil {
				last = err
			}
			return fmt.Errorf("%s: gave up: %v", what, last)
		}
		last = err
		select {
		case <-ctx.Done():
		case <-time.After(retryPause):
		}
	}
}

// evalJS evaluates a script that may return a promise.
func evalJS(ctx context.Context, js string, out any) error {
	return chromedp.Evaluate(js, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}).Do(ctx)
}

// clickTarget finds sel, scrolls it to the middle of the view, waits for it
// to stop moving (two animation frames in the same place) and answers where
// to click, or why it cannot be clicked yet: missing, hidden, disabled, or
// under another element (a dialog, a toast).
const clickTarget = `(async (sel) => {
	const el = document.querySelector(sel);
	if (!el) return {why: 'no element matches'};
	if (el.disabled) return {why: 'it is disabled'};
	el.scrollIntoView({block: 'center', inline: 'center'});
	const frame = () => new Promise(r => requestAnimationFrame(() => r()));
	await frame();
	const a = el.getBoundingClientRect();
	await frame();
	const b = el.getBoundingClientRect();
	if (!el.isConnected) return {why: 'it was replaced'};
	if (b.width === 0 || b.height === 0) return {why: 'it is not visible'};
	if (a.x !== b.x || a.y !== b.y || a.width !== b.width || a.height !== b.height) return {why: 'it is moving'};
	const x = b.x + b.width / 2, y = b.y + b.height / 2;
	const hit = document.elementFromPoint(x, y);
	const label = el.labels && [...el.labels].some(l => l.contains(hit));
	if (!hit || !(el.contains(hit) || hit.contains(el) || label)) {
		return {why: 'it is under ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing')};
	}
	return {x, y};
})`

// click clicks the middle of the element sel with the mouse once it is
// there, visible, enabled, still and on top.
func click(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "click "+sel, func(ctx context.Context) error {
			var at struct {
				X, Y float64
				Why  string
			}
			if err := evalJS(ctx, clickTarget+"("+jsString(sel)+")", &at); err != nil {
				return err
			}
			if at.Why != "" {
				return errors.New(at.Why)
			}
			return chromedp.MouseClickXY(at.X, at.Y).Do(ctx)
		})
	})
}

// setValue sets the value of the input, textarea or select sel in one go
// and sends input and change events, as a paste would: typing key by key
// into a field the app re-renders can lose keys on a busy machine. It
// leaves the focus where it was (keys like Esc go to the page).
func setValue(sel, value string) chromedp.Action {
	js := `((sel, v) => {
		const el = document.querySelector(sel);
		if (!el) return 'no element matches';
		if (el.disabled) return 'it is disabled';
		if (el.getClientRects().length === 0 && el.type !== 'hidden') return 'it is not visible';
		el.value = v;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return el.value === v || el.tagName === 'SELECT' ? '' : 'the value did not stick: ' + JSON.stringify(el.value);
	})(` + jsString(sel) + `, ` + jsString(value) + `)`
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, fmt.Sprintf("set %s to %q", sel, value), func(ctx context.Context) error {
			var why string
			if err := chromedp.Evaluate(js, &why).Do(ctx); err != nil {
				return err
			}
			if why != "" {
				return errors.New(why)
			}
			return nil
		})
	})
}

// waitFor waits until the script cond is true (or a promise of true); an
// exception (an element not there yet) counts as not yet.
func waitFor(cond string) chromedp.Action {
	return waitUntil(cond, cond)
}

// waitUntil is waitFor with a shorter name for the failure message.
func waitUntil(what, cond string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "wait for "+what, func(ctx context.Context) error {
			var ok bool
			if err := evalJS(ctx, "(async () => !!(await ("+cond+")))()", &ok); err != nil {
				return err
			}
			if !ok {
				return errors.New("not yet")
			}
			return nil
		})
	})
}

// visible waits until sel is in the page and has a box.
func visible(sel string) chromedp.Action {
	return waitUntil(sel+" visible", `(() => { const el = document.querySelector(`+jsString(sel)+`);
		return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'; })()`)
}

// present waits until sel is in the page, shown or not.
func present(sel string) chromedp.Action {
	return waitUntil(sel+" present", `!!document.querySelector(`+jsString(sel)+`)`)
}

// gone waits until nothing matches sel.
func gone(sel string) chromedp.Action {
	return waitUntil(sel+" gone", `!document.querySelector(`+jsString(sel)+`)`)
}

// settled waits until no finite CSS animation or transition is running (a
// dialog fading in), so a screenshot shows the page at rest.
func settled() chromedp.Action {
	return waitUntil("animations settled", `document.getAnimations().every(a =>
		a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)`)
}

// waitPageReady waits until the page (its <main>) says its data is drawn.
func waitPageReady() chromedp.Action {
	return waitUntil("the page ready", `!!document.querySelector('main.content[data-state="ready"]')`)
}

// waitText waits until the text of sel (as shown, no-break spaces read as
// spaces) contains every one of want, and stores that text in out (when not
// nil).
func waitText(sel string, out *string, want ...string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var last string
		err := retry(ctx, fmt.Sprintf("text of %s with %q", sel, want), func(ctx context.Context) error {
			var got struct {
				Found bool
				Text  string
			}
			js := `(() => { const el = document.querySelector(` + jsString(sel) + `);
				return el ? {found: true, text: (el.innerText || el.textContent).replaceAll('\u00a0', ' ')} : {found: false, text: ''}; })()`
			if err := chromedp.Evaluate(js, &got).Do(ctx); err != nil {
				return err
			}
			if !got.Found {
				return errors.New("no element matches")
			}
			last = got.Text
			for _, w := range want {
				if !strings.Contains(got.Text, w) {
					return fmt.Errorf("it lacks %q; it reads %q", w, got.Text)
				}
			}
			return nil
		})
		if out != nil {
			*out = last
		}
		return err
	})
}

// readText waits until sel has some text and stores it: for values the
// test cannot know beforehand (a new token).
func readText(sel string, out *string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "text of "+sel, func(ctx context.Context) error {
			var s *string
			js := `(() => { const el = document.querySelector(` + jsString(sel) + `); return el ? (el.innerText || el.textContent).trim() : null; })()`
			if err := chromedp.Evaluate(js, &s).Do(ctx); err != nil {
				return err
			}
			if s == nil || *s == "" {
				return errors.New("no element with text matches")
			}
			*out = *s
			return nil
		})
	})
}

// waitAttr waits until the attribute name of sel is value.
func waitAttr(sel, name, value string) chromedp.Action {
	return waitUntil(fmt.Sprintf("%s[%s=%q]", sel, name, value), `(() => { const el = document.querySelector(`+jsString(sel)+`);
		return !!el && el.getAttribute(`+jsString(name)+`) === `+jsString(value)+`; })()`)
}

// attr waits until sel has the attribute name and stores its value.
func attr(sel, name string, out *string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, fmt.Sprintf("attribute %s of %s", name, sel), func(ctx context.Context) error {
			var v *string
			js := `(() => { const el = document.querySelector(` + jsString(sel) + `); return el ? el.getAttribute(` + jsString(name) + `) : null; })()`
			if err := chromedp.Evaluate(js, &v).Do(ctx); err != nil {
				return err
			}
			if v == nil {
				return errors.New("no such element or attribute")
			}
			*out = *v
			return nil
		})
	})
}

// evalUntil evaluates js until its JSON answer satisfies ok, and stores it
// in out: a read of data the app may still be drawing.
func evalUntil[T any](what, js string, out *T, ok func(T) bool) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, what, func(ctx context.Context) error {
			var v T
			if err := evalJS(ctx, js, &v); err != nil {
				return err
			}
			*out = v
			if !ok(v) {
				b, _ := json.Marshal(v)
				return fmt.Errorf("not yet: %s", b)
			}
			return nil
		})
	})
}

// pickFiles sets the files of the file input sel, as picking them in the
// file dialog does; an input replaced before the files arrive is found again.
func pickFiles(sel string, files ...string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "pick files in "+sel, func(ctx context.Context) error {
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return chromedp.SetUploadFiles(sel, files, chromedp.ByQuery).Do(c)
		})
	})
}

// waitInFrame waits for cond in the page of the iframe whose URL contains
// urlPart. A frame of another site runs in its own process, out of reach of
// the parent's scripts, so this attaches to the frame's own target.
func waitInFrame(t *testing.T, ctx context.Context, urlPart, cond string) {
	t.Helper()
	var frame context.Context
	run(t, ctx, "find the frame "+urlPart, chromedp.ActionFunc(func(c context.Context) error {
		return retry(c, "the frame "+urlPart, func(c context.Context) error {
			infos, err := chromedp.Targets(c)
			if err != nil {
				return err
			}
			for _, info := range infos {
				if info.Type == "iframe" && strings.Contains(info.URL, urlPart) {
					fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
					t.Cleanup(cancel)
					frame = fctx
					return nil
				}
			}
			return errors.New("no such frame yet")
		})
	}))
	run(t, frame, "in the frame "+urlPart, waitFor(cond))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// viewport is a browser window size a page test runs at.
type viewport struct {
	name string
	w, h int
}

// desktopAndPhone are the two sizes most page tests run at.
var desktopAndPhone = []viewport{{"desktop", 1280, 800}, {"phone", 390, 844}}

// tallDesktopAndPhone are the same two with a 900 px high desktop window,
// as the review, share and upload link page tests use.
var tallDesktopAndPhone = []viewport{{"desktop", 1280, 900}, {"phone", 390, 844}}

// atSizes runs test as a subtest named after each size, in order.
func atSizes(t *testing.T, sizes []viewport, test func(t *testing.T, size viewport)) {
	t.Helper()
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) { test(t, size) })
	}
}

// noBrowserErrors fails the test if the page of any of ctxs has logged
// console errors or thrown uncaught exceptions.
func noBrowserErrors(t *testing.T, ctxs ...context.Context) {
	t.Helper()
	for _, ctx := range ctxs {
		if errs := testkit.Errors(ctx).List(); len(errs) > 0 {
			t.Errorf("browser errors: %v", errs)
		}
	}
}

// unknownKeyPage opens url, a link page whose key opens nothing, and waits
// for the page with element id that says so (the same words whatever the
// kind of link), then takes its screenshot (named id-phone: these pages
// are checked on a phone).
func unknownKeyPage(t *testing.T, ctx context.Context, url, id string) {
	t.Helper()
	run(t, ctx, "unknown key",
		chromedp.Navigate(url),
		visible("#"+id),
		waitFor(`document.querySelector('#`+id+` h1').innerText === 'Share not found'`),
	)
	testkit.Screenshot(t, ctx, id+"-phone")
}
