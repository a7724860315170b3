//go:build !js

package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser or skips the test loudly.
func chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	skipMissing(t, "Chromium not installed (no chromium on PATH, no /usr/bin/chromium)")
	return ""
}

// BrowserErrors collects console errors and uncaught exceptions of a page.
type BrowserErrors struct {
	mu   sync.Mutex
	msgs []string
}

// List returns what was collected so far.
func (b *BrowserErrors) List() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.msgs...)
}

func (b *BrowserErrors) add(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, msg)
}

type errorsKey struct{}

// Browser starts headless Chromium with a fresh profile and returns a
// chromedp context whose viewport is width×height; below 600 px wide it
// emulates a phone (use 1280×800 and 390×844). The browser is closed when
// the test ends.
func Browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	bin := chromium(t)
	// Chromium's helper processes may still write the profile as the browser
	// exits, which would fail t.TempDir's cleanup; remove it best-effort.
	profile, err := os.MkdirTemp("", "ferry-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		// This machine has no network: without these Chromium keeps trying
		// Google's hosts at every start.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	errs := &BrowserErrors{}
	ctx, cancel := chromedp.NewContext(context.WithValue(actx, errorsKey{}, errs))
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			errs.add(e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type != runtime.APITypeError {
				return
			}
			var parts []string
			for _, a := range e.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else if a.Description != "" {
					parts = append(parts, a.Description)
				}
			}
			errs.add("console.error: " + strings.Join(parts, " "))
		}
	})
	stop := func() {
		_ = chromedp.Cancel(ctx) // closes the browser gracefully, helpers included
		cancel()
		cancelAlloc() // waits for the browser process to exit
		os.RemoveAll(profile)
	}
	var emulate []chromedp.EmulateViewportOption
	if width < 600 {
		emulate = append(emulate, chromedp.EmulateMobile)
	}
	// The first Run starts the browser.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height), emulate...)); err != nil {
		stop()
		t.Fatalf("starting Chromium %s: %v", bin, err)
	}
	t.Cleanup(stop)
	return ctx
}

// Errors returns the console errors and exceptions a Browser context has
// collected.
func Errors(ctx context.Context) *BrowserErrors {
	if e, ok := ctx.Value(errorsKey{}).(*BrowserErrors); ok {
		return e
	}
	return &BrowserErrors{}
}

// ConsoleErrors returns the console errors and uncaught exceptions the
// page of a Browser context has produced so far.
func ConsoleErrors(ctx context.Context) []string { return Errors(ctx).List() }

// Screenshot saves the whole page as <repo>/test-artifacts/<name>.png
// (git-ignored) for people to look at.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join(RepoRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
