package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// The Settings page drives the real server: SMTP status, a test email that
// fails and one that is delivered, the outbox with retry and view.

func browse(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func needWebApp(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("SKIP: browser test, not run with -short")
	}
	if _, err := os.Stat(filepath.Join(testkit.RepoRoot(t), "embed", "web", "app.wasm.gz")); err != nil {
		t.Skip("SKIP: the web app is not built (run make build)")
	}
}

func loginAt(t *testing.T, ctx context.Context, srv *testkit.Server) {
	t.Helper()
	browse(t, ctx, "log in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitReady("#app-ready", chromedp.ByQuery),
		chromedp.SendKeys("#email", testkit.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys("#password", testkit.AdminPassword, chromedp.ByQuery),
		chromedp.Click("#login-submit", chromedp.ByQuery),
		chromedp.WaitVisible("#new-project", chromedp.ByQuery),
	)
}

// switchable is a TCP port that refuses connections until open is called,
// then forwards to target (an SMTP server that is down, then back).
func switchable(t *testing.T, target string) (addr string, open func()) {
	addr = "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	return addr, func() { (&gate{addr: addr, target: target}).open(t) }
}

// openSettings goes to Settings through the navigation (no page load).
func openSettings(t *testing.T, ctx context.Context, waitFor string) {
	t.Helper()
	browse(t, ctx, "open settings",
		chromedp.Click(`a.nav-item[href="/settings"]`, chromedp.ByQuery),
		chromedp.WaitVisible(waitFor, chromedp.ByQuery),
	)
}

func TestSettingsPage(t *testing.T) {
	needWebApp(t)
	desktop := testkit.Browser(t, 1280, 800)

	t.Run("without SMTP", func(t *testing.T) {
		srv := testkit.Start(t)
		loginAt(t, desktop, srv)
		openSettings(t, desktop, "#smtp-missing")
		var disabled bool
		browse(t, desktop, "test button", chromedp.Evaluate(`document.querySelector('#test-send').disabled`, &disabled))
		if !disabled {
			t.Error("the test button is enabled without SMTP")
		}
		testkit.Screenshot(t, desktop, "settings-email-unconfigured-desktop")
	})

	mp := testkit.Mailpit(t)
	smtpAddr, smtpUp := switchable(t, mp.SMTPAddr)
	srv := testkit.Start(t, func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From, c.SiteName = "smtp://"+smtpAddr, "Nordlicht Studio <studio@nordlicht.example>", "Nordlicht Studio"
	})
	ctx := desktop
	loginAt(t, ctx, srv)
	openSettings(t, ctx, "#outbox-empty")
	var to string
	browse(t, ctx, "recipient prefilled", chromedp.Poll(`document.querySelector('#test-to').value`, &to))
	if to != testkit.AdminEmail {
		t.Fatalf("recipient field = %q, want the admin's address", to)
	}

	// SMTP is down: the page shows what went wrong.
	browse(t, ctx, "failing test email",
		chromedp.Click("#test-send", chromedp.ByQuery),
		chromedp.WaitVisible("#test-result.alert-error", chromedp.ByQuery),
		chromedp.WaitVisible(`#outbox-table tr[data-status="failed"]`, chromedp.ByQuery),
	)
	var result string
	browse(t, ctx, "error text", chromedp.Text("#test-result", &result, chromedp.ByQuery))
	if !strings.Contains(result, "connection refused") || !strings.Contains(result, smtpAddr) {
		t.Errorf("error shown: %q", result)
	}
	testkit.Screenshot(t, ctx, "settings-email-failed-desktop")

	// SMTP is back: a test succeeds, and Retry delivers the failed one.
	smtpUp()
	browse(t, ctx, "test email",
		chromedp.Click("#test-send", chromedp.ByQuery),
		chromedp.WaitVisible("#test-result.alert-success", chromedp.ByQuery),
		chromedp.WaitVisible(`#outbox-table tr[data-status="delivered"]`, chromedp.ByQuery),
	)
	browse(t, ctx, "retry",
		chromedp.Click(`#outbox-table tr[data-status="failed"] .retry-btn`, chromedp.ByQuery))
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	err := chromedp.Run(c, chromedp.Poll(`document.querySelectorAll('#outbox-table tr[data-status="delivered"]').length === 2`, nil))
	cancel()
	if err != nil {
		testkit.Screenshot(t, ctx, "settings-retry-failed")
		var dump []map[string]any
		srv.Admin(t).Do("GET", "/api/v2/outbox", nil, &dump)
		var html string
		chromedp.Run(ctx, chromedp.OuterHTML("#outbox", &html, chromedp.ByQuery))
		t.Fatalf("retry: %v\noutbox: %v\n%s", err, dump, html)
	}
	if msgs := mp.WaitMessages(t, 2, 5*time.Second); len(msgs) != 2 {
		t.Fatalf("mailpit caught %d", len(msgs))
	}
	testkit.Screenshot(t, ctx, "settings-email-desktop")

	browse(t, ctx, "view",
		chromedp.Click(`#outbox-table tr:first-child .view-btn`, chromedp.ByQuery),
		chromedp.WaitVisible("#mail-text", chromedp.ByQuery),
	)
	var text string
	browse(t, ctx, "text part", chromedp.Text("#mail-text", &text, chromedp.ByQuery))
	if !strings.Contains(text, "This is a test message from Nordlicht Studio") || !strings.Contains(text, srv.Config.PublicURL+"/") {
		t.Errorf("text part shown: %q", text)
	}
	testkit.Screenshot(t, ctx, "settings-mail-view-desktop")
	browse(t, ctx, "html preview",
		chromedp.Click("#view-html", chromedp.ByQuery),
		chromedp.WaitVisible("iframe.mail-html", chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond),
	)
	testkit.Screenshot(t, ctx, "settings-mail-html-desktop")
	if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}

	phone := testkit.Browser(t, 390, 844)
	loginAt(t, phone, srv)
	openSettings(t, phone, "#outbox-table")
	var overflow bool
	browse(t, phone, "no sideways scroll", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("the page scrolls sideways at 390 px")
	}
	testkit.Screenshot(t, phone, "settings-email-phone")
}
