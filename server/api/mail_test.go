package api_test

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

type emailStatus struct {
	Configured  bool           `json:"configured"`
	Host        string         `json:"host"`
	Username    string         `json:"username"`
	Security    string         `json:"security"`
	From        string         `json:"from"`
	FromDefault bool           `json:"from_default"`
	Counts      map[string]int `json:"counts"`
	Warning     string         `json:"warning"`
	Editable    bool           `json:"editable"`
	ChangeHint  string         `json:"change_hint"`
}

type outboxMessage struct {
	ID        string `json:"id"`
	To        []struct{ Name, Email string }
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

func withSMTP(url, from string) func(*config.Config) {
	return func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From, c.SiteName = url, from, "Nordlicht Studio"
	}
}

func TestEmailSettingsAndTestMail(t *testing.T) {
	mp := testkit.Mailpit(t)
	s := start(t, withSMTP("smtp://mailer:secret-pw@"+mp.SMTPAddr, "Studio Desk <desk@nordlicht.example>"))
	admin := s.Admin(t)

	var st emailStatus
	res := admin.Do("GET", "/api/v2/settings/email", nil, &st)
	wantStatus(t, "email status", res, 200, "")
	if !st.Configured || st.Host != mp.SMTPAddr || st.Username != "mailer" || st.Security != "starttls_if_offered" ||
		st.From != `"Studio Desk" <desk@nordlicht.example>` || st.Warning != "" || st.Editable || !strings.Contains(st.ChangeHint, "smtp.url") {
		t.Fatalf("status = %+v", st)
	}
	if strings.Contains(body(res), "secret-pw") {
		t.Fatalf("the SMTP password leaks: %s", body(res))
	}

	var sent struct {
		Delivered bool          `json:"delivered"`
		Message   outboxMessage `json:"message"`
	}
	wantStatus(t, "test mail", admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@nordlicht.example"}, &sent), 200, "")
	if !sent.Delivered || sent.Message.Status != "delivered" {
		t.Fatalf("test answer = %+v", sent)
	}
	msgs := mp.WaitMessages(t, 1, 5*time.Second)
	got := mp.Message(t, msgs[0].ID)
	if got.Subject != "Test email from Nordlicht Studio" || len(got.To) != 1 || got.To[0].Address != "ops@nordlicht.example" ||
		got.From.Address != "desk@nordlicht.example" || !strings.Contains(got.HTML, `href="`+s.Config.PublicURL+`/"`) {
		t.Fatalf("caught %+v", got)
	}

	res = admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@@example"}, nil)
	wantStatus(t, "bad address", res, 400, "invalid")
	if !strings.Contains(body(res), `\"ops@@example\"`) {
		t.Fatalf("error does not name the address: %s", body(res))
	}
	res = admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@nordlicht.example\r\nBcc: eve@example.com"}, nil)
	wantStatus(t, "header injection in the address", res, 400, "invalid")
	if !strings.Contains(body(res), "line break") {
		t.Fatalf("error does not say why: %s", body(res))
	}
	wantStatus(t, "unknown field", admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"email": "x@example.com"}, nil), 400, "invalid_json")

	var list []outboxMessage
	res = admin.Do("GET", "/api/v2/outbox", nil, &list)
	wantStatus(t, "outbox", res, 200, "")
	if len(list) != 1 || list[0].Kind != "test" || list[0].Status != "delivered" || list[0].Text != "" || res.Header.Get("total") != "1" {
		t.Fatalf("outbox = %+v (total %s)", list, res.Header.Get("total"))
	}
	var one outboxMessage
	wantStatus(t, "outbox message", admin.Do("GET", "/api/v2/outbox/"+list[0].ID, nil, &one), 200, "")
	if !strings.Contains(one.Text, "ops@nordlicht.example") || !strings.Contains(one.HTML, "<html") {
		t.Fatalf("message parts: %+v", one)
	}
	wantStatus(t, "retry delivered", admin.Do("POST", "/api/v2/outbox/"+one.ID+"/retry", nil, nil), 409, "conflict")
	wantStatus(t, "unknown message", admin.Do("GET", "/api/v2/outbox/0190f4a0-0000-7000-8000-000000000000", nil, nil), 404, "not_found")
	wantStatus(t, "bad status filter", admin.Do("GET", "/api/v2/outbox?status=lost", nil, nil), 400, "invalid")
	wantStatus(t, "status filter", admin.Do("GET", "/api/v2/outbox?status=failed", nil, &list), 200, "")
	if len(list) != 0 {
		t.Fatalf("failed = %+v", list)
	}

	// Pagination as the other lists.
	for i := 0; i < 2; i++ {
		wantStatus(t, "test mail", admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@nordlicht.example"}, nil), 200, "")
	}
	res = admin.Do("GET", "/api/v2/outbox?page=2&page_size=2", nil, &list)
	wantStatus(t, "page 2", res, 200, "")
	if len(list) != 1 || res.Header.Get("total") != "3" || res.Header.Get("total-pages") != "2" || res.Header.Get("page-number") != "2" {
		t.Fatalf("page 2: %d items, headers %v", len(list), res.Header)
	}
	wantStatus(t, "status", admin.Do("GET", "/api/v2/settings/email", nil, &st), 200, "")
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
	admin := s.Admin(t)

	res := admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@nordlicht.example"}, nil)
	wantStatus(t, "test mail to a closed port", res, 502, "bad_gateway")
	if !strings.Contains(body(res), "cannot connect to "+down) || !strings.Contains(body(res), "connection refused") {
		t.Fatalf("502 without the reason: %s", body(res))
	}
	var failed []outboxMessage
	wantStatus(t, "failed", admin.Do("GET", "/api/v2/outbox?status=failed", nil, &failed), 200, "")
	if len(failed) != 1 || !strings.Contains(failed[0].LastError, "connection refused") || failed[0].Attempts != 1 {
		t.Fatalf("failed = %+v", failed)
	}

	gate(t, down, mp.SMTPAddr) // the server comes back
	var retried outboxMessage
	wantStatus(t, "retry", admin.Do("POST", "/api/v2/outbox/"+failed[0].ID+"/retry", nil, &retried), 200, "")
	if retried.Status != "queued" || retried.Attempts != 0 {
		t.Fatalf("retried = %+v", retried)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var m outboxMessage
		wantStatus(t, "poll", admin.Do("GET", "/api/v2/outbox/"+failed[0].ID, nil, &m), 200, "")
		if m.Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after retry: %+v", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if msgs := mp.WaitMessages(t, 1, 5*time.Second); len(msgs) != 1 {
		t.Fatalf("mailpit caught %d", len(msgs))
	}
}

func TestEmailWithoutSMTP(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	var st emailStatus
	wantStatus(t, "status", admin.Do("GET", "/api/v2/settings/email", nil, &st), 200, "")
	if st.Configured || !strings.Contains(st.Warning, "not configured") || !strings.Contains(st.Warning, "outbox") || !st.FromDefault {
		t.Fatalf("status = %+v", st)
	}
	res := admin.Do("POST", "/api/v2/settings/email/test", map[string]string{"to": "ops@nordlicht.example"}, nil)
	wantStatus(t, "test without SMTP", res, 409, "smtp_not_configured")
	if !strings.Contains(body(res), "smtp.url") {
		t.Fatalf("answer does not say what to set: %s", body(res))
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
	testBody := map[string]string{"to": "ops@nordlicht.example"}
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
