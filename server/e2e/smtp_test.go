package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// TestSetSMTPFromSettings: an admin with no SMTP in the config sets it on
// the Settings page, and the page shows it configured.
func TestSetSMTPFromSettings(t *testing.T) {
	mp := testkit.Mailpit(t)
	srv := testkit.Start(t)
	ctx := testkit.Browser(t, 1280, 900)
	login(t, ctx, srv, "")
	run(t, ctx, "open settings",
		chromedp.Navigate(srv.URL+"/settings"),
		chromedp.WaitVisible("#smtp-missing", chromedp.ByQuery),
		chromedp.Click("#smtp-edit", chromedp.ByQuery),
		chromedp.WaitVisible("#smtp-form", chromedp.ByQuery),
		chromedp.SendKeys("#smtp-url", "smtp://"+mp.SMTPAddr, chromedp.ByQuery),
		chromedp.SendKeys("#smtp-from", "Studio <studio@example.com>", chromedp.ByQuery),
	)
	testkit.Screenshot(t, ctx, "settings-smtp-form")
	run(t, ctx, "save",
		chromedp.Click("#smtp-save", chromedp.ByQuery),
		chromedp.WaitNotPresent("#smtp-missing", chromedp.ByQuery),
		chromedp.WaitVisible("#smtp-edit", chromedp.ByQuery),
	)
	var st struct {
		Configured bool   `json:"configured"`
		Host       string `json:"host"`
	}
	srv.Admin(t).Do("GET", "/api/v2/settings/email", nil, &st)
	if !st.Configured || st.Host != mp.SMTPAddr {
		t.Fatalf("after saving on the page: %+v", st)
	}
	testkit.Screenshot(t, ctx, "settings-smtp-saved")
}
