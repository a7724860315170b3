package api_test

import (
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
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
	admin := srv.Admin(t).API()
	st, err := admin.EmailStatus()
	wantErr(t, "email status", err, 0, "")
	if st.Configured || !st.Editable {
		t.Fatalf("fresh server: %+v", st)
	}
	// A test mail before SMTP is set waits in the outbox.
	wantErr(t, "test mail without SMTP", admin.TestEmail("ana@example.com"), 409, "smtp_not_configured")

	_, err = admin.SetEmailSettings(model.EmailSettings{SMTPURL: "http://mail.example.com"})
	wantErr(t, "bad URL", err, 400, "")
	_, err = admin.SetEmailSettings(model.EmailSettings{SMTPURL: "smtp://" + mp.SMTPAddr, From: "not an address <"})
	wantErr(t, "bad From", err, 400, "")
	st, err = admin.SetEmailSettings(model.EmailSettings{SMTPURL: "smtp://" + mp.SMTPAddr, From: "Studio <studio@example.com>"})
	wantErr(t, "set SMTP", err, 0, "")
	if !st.Configured || st.Host != mp.SMTPAddr || st.From != `"Studio" <studio@example.com>` {
		t.Errorf("after saving: %+v", st)
	}
	wantErr(t, "test mail", admin.TestEmail("ana@example.com"), 0, "")
	if msgs := mp.WaitMessages(t, 1, 10*time.Second); len(msgs) != 1 || msgs[0].From.Address != "studio@example.com" {
		t.Fatalf("mailpit got %+v", msgs)
	}

	srv.Stop()
	srv = testkit.StartIn(t, dir)
	st, err = srv.Admin(t).API().EmailStatus()
	if err != nil || !st.Configured || st.Host != mp.SMTPAddr {
		t.Errorf("after a restart: %+v %v", st, err)
	}

	locked := testkit.Start(t, func(c *config.Config) { c.SMTP.URL = "smtp://" + mp.SMTPAddr })
	la := locked.Admin(t).API()
	if st, err = la.EmailStatus(); err != nil || st.Editable {
		t.Errorf("settings from the config file are editable in the app: %+v %v", st, err)
	}
	_, err = la.SetEmailSettings(model.EmailSettings{SMTPURL: "smtp://127.0.0.1:1"})
	wantErr(t, "change locked settings", err, 409, "smtp_locked")
}
