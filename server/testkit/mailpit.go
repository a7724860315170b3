//go:build !js

package testkit

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit/poll"
)

// MailpitServer is a mailpit process catching the mail a test sends.
type MailpitServer struct {
	SMTPAddr string // host:port to send mail to, any or no SMTP auth accepted
	APIURL   string // http://host:port of its web UI and API, no trailing slash
	http     *http.Client
}

// MailAddress is a parsed address of a caught message.
type MailAddress struct {
	Name    string
	Address string
}

// MailSummary is one message as GET /api/v1/messages lists it.
type MailSummary struct {
	ID      string
	From    MailAddress
	To      []MailAddress
	Subject string
	Snippet string
	Created time.Time
}

// MailMessage is one message as GET /api/v1/message/{ID} returns it, with
// its headers from /api/v1/message/{ID}/headers.
type MailMessage struct {
	ID      string
	From    MailAddress
	To      []MailAddress
	Cc      []MailAddress
	ReplyTo []MailAddress
	Subject string
	Date    time.Time
	Text    string
	HTML    string
	Headers map[string][]string
}

// Mailpit starts .tools/bin/mailpit (scripts/install-mailpit.sh) on two
// free loopback ports with its database in a temp dir, waits until its API
// answers, and stops it when the test ends. args are more mailpit flags
// ("--smtp-allowed-recipients", `@example\.com$` makes it refuse others).
func Mailpit(t testing.TB, args ...string) *MailpitServer {
	t.Helper()
	bin := ToolPath(t, "mailpit")
	m := &MailpitServer{
		SMTPAddr: "127.0.0.1:" + strconv.Itoa(FreePort(t)),
		http:     &http.Client{Timeout: 10 * time.Second},
	}
	listen := "127.0.0.1:" + strconv.Itoa(FreePort(t))
	m.APIURL = "http://" + listen
	cmd := exec.Command(bin, append([]string{
		"--smtp", m.SMTPAddr,
		"--listen", listen,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--smtp-auth-accept-any",     // a mailer configured with credentials still delivers
		"--smtp-auth-allow-insecure", // ... over plain SMTP on loopback
		"--smtp-disable-rdns",        // no DNS on this network
	}, args...)...)
	p := startProcess(t, "mailpit", cmd)
	p.waitHTTP(t, m.http, m.APIURL+"/api/v1/messages", 15*time.Second)
	return m
}

// Messages lists the caught messages, newest first.
func (m *MailpitServer) Messages(t testing.TB) []MailSummary {
	t.Helper()
	var list struct{ Messages []MailSummary }
	m.get(t, "/api/v1/messages?limit=1000", &list)
	return list.Messages
}

// Message returns one caught message with its text, HTML and headers.
func (m *MailpitServer) Message(t testing.TB, id string) MailMessage {
	t.Helper()
	var msg MailMessage
	m.get(t, "/api/v1/message/"+url.PathEscape(id), &msg)
	m.get(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &msg.Headers)
	return msg
}

// WaitMessages waits until at least n messages were caught and returns
// them, failing the test after timeout.
func (m *MailpitServer) WaitMessages(t testing.TB, n int, timeout time.Duration) []MailSummary {
	t.Helper()
	var msgs []MailSummary
	poll.Until(t, timeout, func() error {
		if msgs = m.Messages(t); len(msgs) < n {
			return fmt.Errorf("mailpit caught %d messages, want %d", len(msgs), n)
		}
		return nil
	})
	return msgs
}

// DeleteAll removes every caught message.
func (m *MailpitServer) DeleteAll(t testing.TB) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, m.APIURL+"/api/v1/messages", nil)
	res, err := m.http.Do(req)
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mailpit: DELETE /api/v1/messages: status %d", res.StatusCode)
	}
}

func (m *MailpitServer) get(t testing.TB, path string, out any) {
	t.Helper()
	res, err := m.http.Get(m.APIURL + path)
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mailpit: GET %s: status %d: %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("mailpit: GET %s: decoding %q: %v", path, body, err)
	}
}
