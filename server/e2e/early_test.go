package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// heldWasm keeps the browser's request for the wasm waiting, as a slow
// network would, until release: the page is what the server prerendered
// plus visitor.js, and nothing of the app runs.
type heldWasm struct {
	ctx  context.Context
	mu   sync.Mutex
	ids  []fetch.RequestID
	done bool
}

func holdWasm(t *testing.T, ctx context.Context) *heldWasm {
	t.Helper()
	h := &heldWasm{ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.done {
			go chromedp.Run(ctx, fetch.ContinueRequest(e.RequestID))
			return
		}
		h.ids = append(h.ids, e.RequestID)
	})
	run(t, ctx, "hold the wasm", fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*.wasm"}}))
	return h
}

// release lets the held wasm requests go and every later one through.
func (h *heldWasm) release(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	ids := h.ids
	h.ids, h.done = nil, true
	h.mu.Unlock()
	if len(ids) == 0 {
		t.Fatal("the page never asked for the wasm")
	}
	for _, id := range ids {
		run(t, h.ctx, "release the wasm", fetch.ContinueRequest(id))
	}
}

// waitHeld waits until the page has asked for the wasm (it is held).
func (h *heldWasm) waitHeld(t *testing.T) {
	t.Helper()
	run(t, h.ctx, "the wasm is asked for", chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, "a held wasm request", func(context.Context) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			if len(h.ids) == 0 {
				return fmt.Errorf("no wasm request yet")
			}
			return nil
		})
	}))
}

// beforeTheApp waits for the prerendered page with visitor.js running and
// checks that the app has not started.
func beforeTheApp(t *testing.T, ctx context.Context, h *heldWasm, ready string) {
	t.Helper()
	run(t, ctx, "the page before the app",
		waitFor(`document.documentElement.dataset.early === 'ready'`),
		visible(ready),
	)
	h.waitHeld(t)
	run(t, ctx, "the app has not run", waitFor(`!document.getElementById('app-ready')`))
}

// TestGalleryBeforeTheApp: on an open link, a tile clicked before the wasm
// has arrived opens the file in visitor.js's light viewer; when the app
// takes over, its own viewer shows the same file and nothing is lost.
func TestGalleryBeforeTheApp(t *testing.T) {
	f := newShareFixture(t)
	l := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour early"})
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(f.srv.URL+"/s/"+l.Key))
		beforeTheApp(t, ctx, h, ".gallery-tile")
		want := f.ids[1]
		run(t, ctx, "a tile opens before the app",
			click(fmt.Sprintf(`.gallery-tile[data-id=%q]`, want)),
			visible("#early-viewer"),
			waitAttr("#early-viewer", "data-id", want),
			waitFor(`(() => { const i = document.querySelector('#early-viewer img'); return i && i.complete && i.naturalWidth > 0 })()`),
			waitFor(`document.activeElement && document.activeElement.id === 'early-viewer-close'`),
			waitFor(`location.pathname.startsWith('/s/')`), // the page stayed
			settled(),
		)
		testkit.Screenshot(t, ctx, "early-viewer-"+size.name)
		if size.name == "desktop" {
			run(t, ctx, "Esc closes it and the focus returns to the tile",
				waitFor(`!document.getElementById('app-ready')`),
				chromedp.KeyEvent("\x1b"),
				gone("#early-viewer"),
				waitFor(fmt.Sprintf(`document.activeElement && document.activeElement.dataset.id === %q`, want)),
				click(fmt.Sprintf(`.gallery-tile[data-id=%q]`, want)),
				visible("#early-viewer"),
			)
		}
		h.release(t)
		run(t, ctx, "the app takes the open file over",
			present("#app-ready"),
			visible("#share-viewer"),
			waitAttr("#share-viewer", "data-id", want),
			gone("#early-viewer"),
			waitFor(`document.documentElement.dataset.early === 'done'`),
			waitFor(`document.documentElement.classList.contains('sv-lock')`),
			settled(),
		)
		testkit.Screenshot(t, ctx, "early-viewer-taken-over-"+size.name)
		run(t, ctx, "the app's viewer works on", click("#share-viewer-close"), gone("#share-viewer"),
			waitFor(`!document.documentElement.classList.contains('sv-lock')`))
		noBrowserErrors(t, ctx)
	})
}

// TestPasswordBeforeTheApp: the password gate is prerendered; what a
// visitor types before the wasm arrives is still in the field (and in the
// app's state) after the takeover; a password sent before the app goes to
// the same unlock API, which refuses a wrong one with its own reason and
// gives no file until the right one.
func TestPasswordBeforeTheApp(t *testing.T) {
	f := newShareFixture(t)
	l := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour locked", Password: "harbour-2026"})
	linkURL := f.srv.URL + "/s/" + l.Key
	thumb := fmt.Sprintf(`(async () => (await fetch('/api/v2/public/links/%s/assets/%s/thumb')).status)()`, l.Key, f.ids[0])

	t.Run("typed text survives the takeover", func(t *testing.T) {
		ctx := testkit.Browser(t, 1280, 800)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(linkURL))
		beforeTheApp(t, ctx, h, "#share-password")
		run(t, ctx, "no files behind the gate", waitFor(`document.querySelectorAll('.gallery-tile').length === 0`))
		run(t, ctx, "type, not sent",
			click("#share-password"),
			chromedp.SendKeys("#share-password", "harbour-2026", chromedp.ByQuery),
			waitFor(`document.getElementById('share-password').value === 'harbour-2026'`),
		)
		h.release(t)
		run(t, ctx, "the app keeps what was typed",
			present("#app-ready"),
			waitFor(`document.documentElement.dataset.early === 'done'`),
			waitFor(`(() => { const i = document.getElementById('share-password'); return i && i.value === 'harbour-2026' && document.activeElement === i })()`),
			settled(),
		)
		// The app's state has it too: its own submit sends it.
		run(t, ctx, "the app sends it", click("#share-password-submit"), visible(".gallery-tile"),
			waitFor(`document.querySelectorAll('.gallery-tile[data-id]').length === 4`))
		noBrowserErrors(t, ctx)
	})

	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(linkURL))
		beforeTheApp(t, ctx, h, "#share-password")
		testkit.Screenshot(t, ctx, "early-password-"+size.name)
		var status int
		run(t, ctx, "a wrong password is refused by the API",
			setValue("#share-password", "harbour-2025"),
			click("#share-password-submit"),
			waitFor(`(document.querySelector('#share-password-form .alert-error') || {}).innerText?.toLowerCase().includes('wrong password')`),
			waitFor(`document.getElementById('share-password').value === ''`),
			chromedp.Evaluate(thumb, &status, awaitPromise),
		)
		if status != http.StatusUnauthorized {
			t.Errorf("a thumbnail after a wrong password: %d, want 401", status)
		}
		testkit.Screenshot(t, ctx, "early-password-wrong-"+size.name)
		run(t, ctx, "the right password before the app",
			setValue("#share-password", "harbour-2026"),
			click("#share-password-submit"),
			waitText("#share-password-submit", nil, "Opening"),
			waitFor(fmt.Sprintf(`document.documentElement.dataset.unlocked === %q`, l.Key)),
			chromedp.Evaluate(thumb, &status, awaitPromise),
		)
		if status != http.StatusOK {
			t.Errorf("a thumbnail after the password: %d, want 200", status)
		}
		h.release(t)
		run(t, ctx, "the app opens the gallery with the session",
			present("#app-ready"),
			waitFor(`document.querySelectorAll('.gallery-tile[data-id]').length === 4`),
			gone("#share-password"),
			settled(),
		)
		testkit.Screenshot(t, ctx, "early-password-gallery-"+size.name)
		noBrowserErrors(t, ctx)
	})
}

// TestPasswordGatePrerendered: the prerendered gate of a password link
// shows its name and no file (names, ids, thumbnails) to anyone, is not
// counted as a view, and a revoked link's page says so at once.
func TestPasswordGatePrerendered(t *testing.T) {
	f := newShareFixture(t)
	l := f.link(t, model.NewShareLink{Kind: "public", AssetIDs: f.ids, Name: "Harbour gate", Password: "harbour-2026"})
	page := fetchPage(t, f.srv.URL+"/s/"+l.Key)
	for _, want := range []string{`id="share-password"`, "Harbour gate", `method="post"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the gate page lacks %q", want)
		}
	}
	for _, id := range f.ids {
		if strings.Contains(page, id) {
			t.Errorf("the gate page names file %s", id)
		}
	}
	for _, name := range []string{"harbour.jpg", "sunset.jpg", "gallery-tile"} {
		if strings.Contains(page, name) {
			t.Errorf("the gate page shows %q", name)
		}
	}
	got, err := f.c.API().ShareLink(l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Views != 0 {
		t.Errorf("views after the gate page: %d, want 0", got.Views)
	}
	if err := f.c.API().DeleteShareLink(l.ID); err != nil {
		t.Fatal(err)
	}
	if page := fetchPage(t, f.srv.URL+"/s/"+l.Key); strings.Contains(page, `id="share-password"`) {
		t.Error("a deleted link's page still asks for its password")
	}
}

// TestPasscodeBeforeTheApp: an upload link's passcode gate is prerendered
// for a visitor without a session; the passcode typed before the wasm
// arrives survives the takeover, and one sent before it goes to the unlock
// API, which refuses a wrong one with its own reason. A visitor with a
// session gets no gate in the page.
func TestPasscodeBeforeTheApp(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p struct {
		ID string `json:"id"`
	}
	c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Autumn Campaign"}, &p)
	l, err := c.API().CreateUploadLink(model.NewUploadLink{ProjectID: p.ID, Name: "Harbour drop", RecipientEmail: "jane@photo.example", RecipientName: "Jane"})
	if err != nil {
		t.Fatal(err)
	}
	linkURL := srv.URL + "/u/" + l.Key
	if page := fetchPage(t, linkURL); !strings.Contains(page, `id="passcode-form"`) || !strings.Contains(page, "Harbour drop") || !strings.Contains(page, `method="post"`) {
		t.Fatal("the page of an upload link has no prerendered passcode gate")
	}
	wrong := "000000"
	if l.Passcode == wrong {
		wrong = "111111"
	}

	t.Run("typed text survives the takeover", func(t *testing.T) {
		ctx := testkit.Browser(t, 1280, 800)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(linkURL))
		beforeTheApp(t, ctx, h, "#passcode")
		run(t, ctx, "type, not sent",
			click("#passcode"),
			chromedp.SendKeys("#passcode", l.Passcode, chromedp.ByQuery),
			waitFor(fmt.Sprintf(`document.getElementById('passcode').value === %q`, l.Passcode)),
		)
		h.release(t)
		run(t, ctx, "the app keeps what was typed",
			present("#app-ready"),
			waitFor(`document.documentElement.dataset.early === 'done'`),
			waitFor(fmt.Sprintf(`(() => { const i = document.getElementById('passcode'); return i && i.value === %q && document.activeElement === i })()`, l.Passcode)),
			settled(),
		)
		run(t, ctx, "the app sends it", click("#passcode-submit"), visible("#link-drop"))
		noBrowserErrors(t, ctx)
	})

	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(linkURL))
		beforeTheApp(t, ctx, h, "#passcode")
		testkit.Screenshot(t, ctx, "early-passcode-"+size.name)
		run(t, ctx, "a wrong passcode is refused by the API",
			setValue("#passcode", wrong),
			click("#passcode-submit"),
			waitFor(`(document.querySelector('#passcode-form .alert-error') || {}).innerText?.toLowerCase().includes('wrong passcode')`),
			waitFor(`document.getElementById('passcode').value === ''`),
		)
		testkit.Screenshot(t, ctx, "early-passcode-wrong-"+size.name)
		run(t, ctx, "the right passcode before the app",
			setValue("#passcode", l.Passcode),
			click("#passcode-submit"),
			waitText("#passcode-submit", nil, "Opening"),
		)
		h.release(t)
		run(t, ctx, "the app opens the drop zone with the session",
			present("#app-ready"),
			visible("#link-drop"),
			gone("#passcode"),
			settled(),
		)
		testkit.Screenshot(t, ctx, "early-passcode-drop-"+size.name)
		var gate bool
		run(t, ctx, "with a session the page has no gate",
			chromedp.Evaluate(`(async () => (await (await fetch(location.href)).text()).includes('passcode-form'))()`, &gate, awaitPromise))
		if gate {
			t.Error("a visitor with a session got the passcode gate prerendered")
		}
		noBrowserErrors(t, ctx)
	})
}

// TestReviewerBeforeTheApp: a review link's gates are prerendered for a
// reviewer without a session. The password sent before the wasm arrives
// goes to the unlock API; the name typed and sent before it is sent by the
// app once it runs; then the reviewer can comment.
func TestReviewerBeforeTheApp(t *testing.T) {
	f := newReviewFixture(t) // a password link of two items
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(f.srv.URL+"/r/"+f.key))
		beforeTheApp(t, ctx, h, "#review-password")
		run(t, ctx, "no items behind the gate", waitFor(`document.querySelectorAll('.review-item, .reviewer-item').length === 0`))
		run(t, ctx, "a wrong password is refused by the API",
			setValue("#review-password", "reviewer-pass-0"),
			click("#review-password-submit"),
			waitFor(`(document.querySelector('#review-password-form .alert-error') || {}).innerText?.toLowerCase().includes('wrong password')`),
		)
		run(t, ctx, "the right one before the app",
			setValue("#review-password", "reviewer-pass-1"),
			click("#review-password-submit"),
			waitText("#review-password-submit", nil, "Opening"),
		)
		testkit.Screenshot(t, ctx, "early-review-password-"+size.name)
		h.release(t)
		run(t, ctx, "the app asks the reviewer's name", present("#app-ready"), visible("#reviewer-name"))
	})

	t.Run("name", func(t *testing.T) {
		var a model.Asset
		if res := f.admin.Do("GET", "/api/v2/assets/"+f.sunset, nil, &a); res.StatusCode != 200 {
			t.Fatalf("asset: %d", res.StatusCode)
		}
		rl := reviewLinkOf(t, f.admin, a.ProjectID, model.ReviewLinkInput{Name: model.Ptr("Open review")}, f.sunset)
		ctx := testkit.Browser(t, 1280, 800)
		h := holdWasm(t, ctx)
		run(t, ctx, "open the link", chromedp.Navigate(f.srv.URL+"/r/"+rl.Key))
		beforeTheApp(t, ctx, h, "#reviewer-name")
		testkit.Screenshot(t, ctx, "early-review-name-desktop")
		run(t, ctx, "type the name and send it before the app",
			click("#reviewer-name"),
			chromedp.SendKeys("#reviewer-name", "Jane Cooper\r", chromedp.ByQuery),
			waitText("#reviewer-name-submit", nil, "One moment"),
			waitFor(`location.pathname.startsWith('/r/')`), // not sent by the browser
		)
		h.release(t)
		run(t, ctx, "the app sends the name, then the reviewer comments",
			present("#app-ready"),
			gone("#reviewer-name"),
			waitText(".rv-main", nil, "Jane Cooper"),
		)
		testkit.Screenshot(t, ctx, "early-review-named-desktop")
		noBrowserErrors(t, ctx)
	})
}
