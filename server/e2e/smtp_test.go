package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
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
		waitPageReady(),
		visible("#smtp-missing"),
		click("#smtp-edit"),
		visible("#smtp-form"),
		setValue("#smtp-url", "smtp://"+mp.SMTPAddr),
		setValue("#smtp-from", "Studio <studio@example.com>"),
	)
	testkit.Screenshot(t, ctx, "settings-smtp-form")
	run(t, ctx, "save",
		click("#smtp-save"),
		gone("#smtp-missing"),
		visible("#smtp-edit"),
	)
	var st model.EmailStatus
	srv.Admin(t).Do("GET", "/api/v2/settings/email", nil, &st)
	if !st.Configured || st.Host != mp.SMTPAddr {
		t.Fatalf("after saving on the page: %+v", st)
	}
	testkit.Screenshot(t, ctx, "settings-smtp-saved")
}
