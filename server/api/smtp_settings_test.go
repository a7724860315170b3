package api_test

import (
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestSMTPSettingsFromThePage: with nothing in the config, an admin sets the
// SMTP server in Settings > Email; it applies at once (a test mail goes out),
// survives a restart, and a bad URL is refused naming the field. With
// smtp.url in the config the settings are locked.
func TestSMTPSettingsFromThePage(t *testing.T) {
	mp := testkit.Mailpit(t)
	dir := t.TempDir()
	srv := testkit.StartIn(t, dir)
	admin := srv.Admin(t)
	var st struct {
		Configured bool   `json:"configured"`
		Editable   bool   `json:"editable"`
		Host       string `json:"host"`
		From       string `json:"from"`
	}
	admin.Do("GET", "/api/v2/settings/email", nil, &st)
	if st.Configured || !st.Editable {
		t.Fatalf("fresh server: %+v", st)
	}
	// A test mail before SMTP is set waits in the outbox.
	wantStatus(t, "test mail without SMTP", admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ana@example.com"}, nil), 409, "smtp_not_configured")

	wantStatus(t, "bad URL", admin.Do("PUT", "/api/v2/settings/email", map[string]string{"smtp_url": "http://mail.example.com", "from": ""}, nil), 400, "")
	wantStatus(t, "bad From", admin.Do("PUT", "/api/v2/settings/email", map[string]string{"smtp_url": "smtp://" + mp.SMTPAddr, "from": "not an address <"}, nil), 400, "")
	res := admin.Do("PUT", "/api/v2/settings/email", map[string]string{"smtp_url": "smtp://" + mp.SMTPAddr, "from": "Studio <studio@example.com>"}, &st)
	wantStatus(t, "set SMTP", res, 200, "")
	if !st.Configured || st.Host != mp.SMTPAddr || st.From != `"Studio" <studio@example.com>` {
		t.Errorf("after saving: %+v", st)
	}
	wantStatus(t, "test mail", admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ana@example.com"}, nil), 200, "")
	if msgs := mp.WaitMessages(t, 1, 10*time.Second); len(msgs) != 1 || msgs[0].From.Address != "studio@example.com" {
		t.Fatalf("mailpit got %+v", msgs)
	}

	srv.Stop()
	srv = testkit.StartIn(t, dir)
	srv.Admin(t).Do("GET", "/api/v2/settings/email", nil, &st)
	if !st.Configured || st.Host != mp.SMTPAddr {
		t.Errorf("after a restart: %+v", st)
	}

	locked := testkit.Start(t, func(c *config.Config) { c.SMTP.URL = "smtp://" + mp.SMTPAddr })
	la := locked.Admin(t)
	la.Do("GET", "/api/v2/settings/email", nil, &st)
	if st.Editable {
		t.Error("settings from the config file are editable in the app")
	}
	wantStatus(t, "change locked settings", la.Do("PUT", "/api/v2/settings/email", map[string]string{"smtp_url": "smtp://127.0.0.1:1", "from": ""}, nil), 409, "smtp_locked")
}
