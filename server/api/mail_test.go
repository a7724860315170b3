package api_test

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

func withSMTP(url, from string) func(*config.Config) {
	return func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From, c.SiteName = url, from, "Nordlicht Studio"
	}
}

func TestEmailSettingsAndTestMail(t *testing.T) {
	mp := testkit.Mailpit(t)
	s := start(t, withSMTP("smtp://mailer:secret-pw@"+mp.SMTPAddr, "Studio Desk <desk@nordlicht.example>"))
	admin := s.Admin(t)
	api := admin.API()

	var raw []byte
	wantErr(t, "email status", api.Do("GET", "/api/v2/settings/email", nil, &raw), 0, "")
	if strings.Contains(string(raw), "secret-pw") {
		t.Fatalf("the SMTP password leaks: %s", raw)
	}
	st, err := api.EmailStatus()
	wantErr(t, "email status", err, 0, "")
	if !st.Configured || st.Host != mp.SMTPAddr || st.Username != "mailer" || st.Security != "starttls_if_offered" ||
		st.From != `"Studio Desk" <desk@nordlicht.example>` || st.Warning != "" || st.Editable || !strings.Contains(st.ChangeHint, "smtp.url") {
		t.Fatalf("status = %+v", st)
	}

	// The test-mail answer has no model type (it is built in the handler).
	var sent struct {
		Delivered bool                `json:"delivered"`
		Message   model.OutboxMessage `json:"message"`
	}
	wantErr(t, "test mail", api.Do("POST", "/api/v2/settings/email/test", model.TestEmail{To: "ops@nordlicht.example"}, &sent), 0, "")
	if !sent.Delivered || sent.Message.Status != "delivered" {
		t.Fatalf("test answer = %+v", sent)
	}
	msgs := mp.WaitMessages(t, 1, 5*time.Second)
	got := mp.Message(t, msgs[0].ID)
	if got.Subject != "Test email from Nordlicht Studio" || len(got.To) != 1 || got.To[0].Address != "ops@nordlicht.example" ||
		got.From.Address != "desk@nordlicht.example" || !strings.Contains(got.HTML, `href="`+s.Config.PublicURL+`/"`) {
		t.Fatalf("caught %+v", got)
	}

	err = api.TestEmail("ops@@example")
	wantErr(t, "bad address", err, 400, "invalid")
	if !strings.Contains(err.Error(), `"ops@@example"`) {
		t.Fatalf("error does not name the address: %v", err)
	}
	err = api.TestEmail("ops@nordlicht.example\r\nBcc: eve@example.com")
	wantErr(t, "header injection in the address", err, 400, "invalid")
	if !strings.Contains(err.Error(), "line break") {
		t.Fatalf("error does not say why: %v", err)
	}
	wantErr(t, "unknown field", api.Do("POST", "/api/v2/settings/email/test", struct {
		Email string `json:"email"`
	}{"x@example.com"}, nil), 400, "invalid_json")

	var list []model.OutboxMessage
	res := admin.Do("GET", "/api/v2/outbox", nil, &list)
	wantStatus(t, "outbox", res, 200, "")
	if len(list) != 1 || list[0].Kind != "test" || list[0].Status != "delivered" || list[0].Text != "" || res.Header.Get("total") != "1" {
		t.Fatalf("outbox = %+v (total %s)", list, res.Header.Get("total"))
	}
	one, err := api.OutboxMessage(list[0].ID)
	wantErr(t, "outbox message", err, 0, "")
	if !strings.Contains(one.Text, "ops@nordlicht.example") || !strings.Contains(one.HTML, "<html") {
		t.Fatalf("message parts: %+v", one)
	}
	_, err = api.RetryMail(one.ID)
	wantErr(t, "retry delivered", err, 409, "conflict")
	_, err = api.OutboxMessage("0190f4a0-0000-7000-8000-000000000000")
	wantErr(t, "unknown message", err, 404, "not_found")
	_, err = api.Outbox(url.Values{"status": {"lost"}})
	wantErr(t, "bad status filter", err, 400, "invalid")
	list, err = api.Outbox(url.Values{"status": {"failed"}})
	wantErr(t, "status filter", err, 0, "")
	if len(list) != 0 {
		t.Fatalf("failed = %+v", list)
	}

	// Pagination as the other lists (the page headers are read raw).
	for i := 0; i < 2; i++ {
		wantErr(t, "test mail", api.TestEmail("ops@nordlicht.example"), 0, "")
	}
	res = admin.Do("GET", "/api/v2/outbox?page=2&page_size=2", nil, &list)
	wantStatus(t, "page 2", res, 200, "")
	if len(list) != 1 || res.Header.Get("total") != "3" || res.Header.Get("total-pages") != "2" || res.Header.Get("page-number") != "2" {
		t.Fatalf("page 2: %d items, headers %v", len(list), res.Header)
	}
	st, err = api.EmailStatus()
	wantErr(t, "status", err, 0, "")
	if st.Counts["delivered"] != 3 || st.Counts["queued"] != 0 || st.Counts["failed"] != 0 {
		t.Fatalf("counts = %v", st.Counts)
	}
}

// gate refuses connections until opened, then forwards them to target:
// an SMTP server that is down and comes back.
func gate(t *testing.T, addr, target string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, c)
				io.Copy(c, up)
			}()
		}
	}()
}

func TestTestMailFailureAndRetry(t *testing.T) {
	mp := testkit.Mailpit(t)
	down := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	s := start(t, withSMTP("smtp://"+down, ""))
	api := s.Admin(t).API()

	err := api.TestEmail("ops@nordlicht.example")
	wantErr(t, "test mail to a closed port", err, 502, "bad_gateway")
	if !strings.Contains(err.Error(), "cannot connect to "+down) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("502 without the reason: %v", err)
	}
	failed, err := api.Outbox(url.Values{"status": {"failed"}})
	wantErr(t, "failed", err, 0, "")
	if len(failed) != 1 || !strings.Contains(failed[0].LastError, "connection refused") || failed[0].Attempts != 1 {
		t.Fatalf("failed = %+v", failed)
	}

	gate(t, down, mp.SMTPAddr) // the server comes back
	retried, err := api.RetryMail(failed[0].ID)
	wantErr(t, "retry", err, 0, "")
	if retried.Status != "queued" || retried.Attempts != 0 {
		t.Fatalf("retried = %+v", retried)
	}
	poll.Until(t, 15*time.Second, func() error {
		m, err := api.OutboxMessage(failed[0].ID)
		wantErr(t, "poll", err, 0, "")
		if m.Status == "delivered" {
			return nil
		}
		return fmt.Errorf("not delivered after retry: %+v", m)
	})
	if msgs := mp.WaitMessages(t, 1, 5*time.Second); len(msgs) != 1 {
		t.Fatalf("mailpit caught %d", len(msgs))
	}
}

func TestEmailWithoutSMTP(t *testing.T) {
	s := start(t)
	api := s.Admin(t).API()
	st, err := api.EmailStatus()
	wantErr(t, "status", err, 0, "")
	if st.Configured || !strings.Contains(st.Warning, "not configured") || !strings.Contains(st.Warning, "outbox") || !st.FromDefault {
		t.Fatalf("status = %+v", st)
	}
	err = api.TestEmail("ops@nordlicht.example")
	wantErr(t, "test without SMTP", err, 409, "smtp_not_configured")
	if !strings.Contains(err.Error(), "smtp.url") {
		t.Fatalf("answer does not say what to set: %v", err)
	}
}

func TestEmailAccess(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	createMember(t, admin, "member@example.com", "member password")
	member := s.Login(t, "member@example.com", "member password")
	anon := s.Client(t)
	noScope := s.TokenClient(t, "projects.read")
	readOnly := s.TokenClient(t, "settings.read")
	full := s.TokenClient(t, "settings.read", "settings.update")
	testBody := model.TestEmail{To: "ops@nordlicht.example"}
	const someID = "0190f4a0-0000-7000-8000-000000000000"

	for _, c := range []struct {
		name, method, path string
		in                 any
	}{
		{"status", "GET", "/api/v2/settings/email", nil},
		{"test", "POST", "/api/v2/settings/email/test", testBody},
		{"list", "GET", "/api/v2/outbox", nil},
		{"get", "GET", "/api/v2/outbox/" + someID, nil},
		{"retry", "POST", "/api/v2/outbox/" + someID + "/retry", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantStatus(t, "anonymous", anon.Do(c.method, c.path, c.in, nil), 401, "")
			wantStatus(t, "member", member.Do(c.method, c.path, c.in, nil), 403, "forbidden")
			wantStatus(t, "token without settings scopes", noScope.Do(c.method, c.path, c.in, nil), 403, "insufficient_scope")
			if c.method == "POST" {
				wantStatus(t, "settings.read token", readOnly.Do(c.method, c.path, c.in, nil), 403, "insufficient_scope")
			} else if res := readOnly.Do(c.method, c.path, c.in, nil); res.StatusCode == 403 || res.StatusCode == 401 {
				t.Fatalf("settings.read token refused: %d %s", res.StatusCode, body(res))
			}
			if res := full.Do(c.method, c.path, c.in, nil); res.StatusCode == 403 || res.StatusCode == 401 {
				t.Fatalf("settings token refused: %d %s", res.StatusCode, body(res))
			}
		})
	}
}
