package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

const publicURL = "https://files.nordlicht.example"

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func plain(to ...mail.Address) mail.Message {
	return mail.Message{To: to, Subject: "Hello", Text: "Body\n", HTML: "<p>Body</p>", Kind: "note"}
}

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// newSender is a sender with test timings: retries after 20 ms.
func newSender(t *testing.T, o *mail.Outbox, smtpURL string) *mail.Sender {
	return &mail.Sender{
		Outbox: o, SMTPURL: smtpURL, From: "studio@nordlicht.example",
		SiteName: "Nordlicht Studio", PublicURL: publicURL,
		Backoff:      func(int) time.Duration { return 20 * time.Millisecond },
		PollInterval: 100 * time.Millisecond,
		Timeout:      10 * time.Second,
		Log:          slog.New(slog.NewTextHandler(logWriter{t}, nil)),
	}
}

// run starts s.Run and returns a function that stops it and waits.
func run(t *testing.T, s *mail.Sender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Error("Sender.Run did not return after its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls the message until ok says yes.
func waitFor(t *testing.T, o *mail.Outbox, id, what string, ok func(mail.Message) bool) mail.Message {
	t.Helper()
	var m mail.Message
	poll.Until(t, 15*time.Second, func() error {
		var err error
		if m, err = o.Get(id); err != nil {
			t.Fatal(err)
		}
		if ok(m) {
			return nil
		}
		return fmt.Errorf("message %s: not %s: %+v", id, what, m)
	})
	return m
}

func delivered(m mail.Message) bool { return m.Status == mail.StatusDelivered }

func closedAddr(t *testing.T) string { return "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t)) }

func TestDeliverThroughMailpit(t *testing.T) {
	mp := testkit.Mailpit(t)
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	// Credentials make the sender log in (mailpit accepts any).
	s := newSender(t, o, "smtp://ferry:s3cret@"+mp.SMTPAddr)
	s.From = "Nordlicht Studio <studio@nordlicht.example>"
	run(t, s)

	exp := time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC)
	msg, err := s.Templates().Message(mail.KindUploadLinkInvite, []mail.Address{{Name: "Zoë Ærø", Email: "zoe@example.com"}},
		mail.UploadLinkInvite{RecipientName: "Zoë", SenderName: "Jörg Müller", LinkName: "Frühling – Lookbook ✓", Path: "/u/Abc123XYZ", Message: "Bitte RAWs.", ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	msg.Ref = "link-1"
	queued, err := o.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	m := waitFor(t, o, queued.ID, "delivered", delivered)
	if m.Attempts != 1 || m.DeliveredAt == nil || m.LastError != "" || m.NextAttemptAt != nil {
		t.Fatalf("delivered record = %+v", m)
	}
	if refs, _ := o.ByRef("link-1"); !mail.Delivered(refs) {
		t.Fatalf("ByRef does not report delivery: %+v", refs)
	}

	list := mp.WaitMessages(t, 1, 10*time.Second)
	got := mp.Message(t, list[0].ID)
	wantSubject := "Jörg Müller invited you to upload files: Frühling – Lookbook ✓"
	if got.Subject != wantSubject || m.Subject != wantSubject {
		t.Errorf("subject = %q (record %q), want %q", got.Subject, m.Subject, wantSubject)
	}
	if len(got.To) != 1 || got.To[0].Address != "zoe@example.com" || got.To[0].Name != "Zoë Ærø" {
		t.Errorf("To = %+v", got.To)
	}
	if got.From.Address != "studio@nordlicht.example" || got.From.Name != "Nordlicht Studio" {
		t.Errorf("From = %+v", got.From)
	}
	link := publicURL + "/u/Abc123XYZ"
	if !strings.Contains(got.Text, link) || !strings.Contains(got.Text, "Bitte RAWs.") {
		t.Errorf("text part lacks the link or message:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, `href="`+link+`"`) || !strings.Contains(got.HTML, "Nordlicht Studio") {
		t.Errorf("HTML part lacks the link button or site name:\n%s", got.HTML)
	}
	if id := first(got.Headers["Message-Id"]); id != m.MessageID || !strings.HasSuffix(id, "@files.nordlicht.example>") {
		t.Errorf("Message-ID header %q, record %q", id, m.MessageID)
	}
	if _, err := time.Parse(time.RFC1123Z, first(got.Headers["Date"])); err != nil {
		t.Errorf("Date header %q: %v", first(got.Headers["Date"]), err)
	}
	if ct := first(got.Headers["Content-Type"]); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type = %q", ct)
	}
	if first(got.Headers["Mime-Version"]) != "1.0" {
		t.Errorf("headers = %v", got.Headers)
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// gate is a TCP port that refuses connections until opened, then forwards
// them to a real SMTP server: "the SMTP server is down, then back".
type gate struct {
	addr, target string
	ln           net.Listener
}

func (g *gate) open(t *testing.T) {
	ln, err := net.Listen("tcp", g.addr)
	if err != nil {
		t.Fatal(err)
	}
	g.ln = ln
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", g.target)
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

func TestRetriesWhileSMTPIsDownThenDelivers(t *testing.T) {
	mp := testkit.Mailpit(t)
	g := &gate{addr: closedAddr(t), target: mp.SMTPAddr}
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	s := newSender(t, o, "smtp://"+g.addr)
	var waits []time.Duration
	var mu sync.Mutex
	s.Backoff = func(attempt int) time.Duration { // growing: 30 ms, 60 ms, ...
		d := time.Duration(attempt) * 30 * time.Millisecond
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return d
	}
	s.MaxAttempts = 1000
	run(t, s)
	q, err := o.Send(plain(mail.Address{Email: "ana@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	m := waitFor(t, o, q.ID, "retried twice", func(m mail.Message) bool { return m.Attempts >= 3 && m.Status == mail.StatusQueued })
	if !strings.Contains(m.LastError, "connection refused") || !strings.Contains(m.LastError, g.addr) {
		t.Errorf("last error = %q", m.LastError)
	}
	if m.NextAttemptAt == nil || !m.NextAttemptAt.After(m.InsertedAt) {
		t.Errorf("no next attempt time: %+v", m)
	}
	mu.Lock()
	if len(waits) < 2 || waits[0] != 30*time.Millisecond || waits[1] != 60*time.Millisecond {
		t.Errorf("backoff waits = %v, want growing 30ms, 60ms, ...", waits)
	}
	mu.Unlock()
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("mailpit has %d messages while down", n)
	}

	g.open(t)
	m = waitFor(t, o, q.ID, "delivered", delivered)
	if m.LastError != "" {
		t.Errorf("delivered with last error %q", m.LastError)
	}
	if msgs := mp.WaitMessages(t, 1, 5*time.Second); len(msgs) != 1 || msgs[0].Subject != "Hello" {
		t.Fatalf("mailpit has %+v", msgs)
	}
}

func TestFailsAfterLastAttemptAndRetryQueuesAgain(t *testing.T) {
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	s := newSender(t, o, "smtp://"+closedAddr(t))
	s.MaxAttempts = 3
	run(t, s)
	q, err := o.Send(plain(mail.Address{Email: "ana@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	m := waitFor(t, o, q.ID, "failed", func(m mail.Message) bool { return m.Status == mail.StatusFailed })
	if m.Attempts != 3 || !strings.Contains(m.LastError, "connection refused") || m.NextAttemptAt != nil {
		t.Fatalf("failed record = %+v", m)
	}
	// sleep: nothing must happen; more than one pass of the sender (every 100 ms, a real timer)
	time.Sleep(150 * time.Millisecond)
	if again, _ := o.Get(q.ID); again.Attempts != 3 {
		t.Fatalf("failed mail was tried again: %+v", again)
	}
	r, err := o.Retry(q.ID)
	if err != nil || r.Status != mail.StatusQueued || r.Attempts != 0 {
		t.Fatalf("Retry = %+v, %v", r, err)
	}
	waitFor(t, o, q.ID, "failed again after 3 new attempts", func(m mail.Message) bool { return m.Status == mail.StatusFailed && m.Attempts == 3 })
}

func TestWithoutSMTPMailStaysQueued(t *testing.T) {
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	s := newSender(t, o, "")
	run(t, s)
	q, err := o.Send(plain(mail.Address{Email: "ana@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // sleep: nothing must happen in three passes of the sender (a real timer)
	m, _ := o.Get(q.ID)
	if m.Status != mail.StatusQueued || m.Attempts != 0 || m.LastError != "" {
		t.Fatalf("without SMTP: %+v", m)
	}
	st, err := s.Status()
	if err != nil || st.Configured || !strings.Contains(st.Warning, "not configured") || st.Counts[mail.StatusQueued] != 1 {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if _, err := s.TestMessage(context.Background(), "ana@example.com"); !errors.Is(err, mail.ErrNotConfigured) {
		t.Fatalf("TestMessage without SMTP = %v", err)
	}
}

// Mail queued when the process stops is delivered after a restart on the
// same data, exactly once; what was delivered before is not sent again,
// and a message left "sending" by a crash is sent once.
func TestRestartDeliversQueuedMailExactlyOnce(t *testing.T) {
	mp := testkit.Mailpit(t)
	dir := t.TempDir()
	url := "smtp://" + mp.SMTPAddr

	st := openStore(t, dir)
	o := &mail.Outbox{Store: st}
	stop := run(t, newSender(t, o, url))
	before, err := o.Send(mail.Message{To: []mail.Address{{Email: "a@example.com"}}, Subject: "before restart", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, o, before.ID, "delivered", delivered)
	stop()
	for i := 1; i <= 5; i++ {
		if _, err := o.Send(mail.Message{To: []mail.Address{{Email: "a@example.com"}}, Subject: fmt.Sprintf("queued %d", i), Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	// A crash mid-conversation: one message is marked sending, never finished.
	claimed, err := mail.Claim(o, 1, "<crash@files.nordlicht.example>")
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %v, %v", claimed, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2 := openStore(t, dir)
	o2 := &mail.Outbox{Store: st2}
	run(t, newSender(t, o2, url))
	poll.Until(t, 15*time.Second, func() error {
		if c, _ := o2.Counts(); c[mail.StatusDelivered] != 6 {
			return fmt.Errorf("after restart: %v", c)
		}
		return nil
	})
	crashed, _ := o2.Get(claimed[0].ID)
	if crashed.Attempts != 2 || crashed.MessageID != "<crash@files.nordlicht.example>" {
		t.Errorf("the interrupted message: %+v", crashed)
	}
	time.Sleep(300 * time.Millisecond) // sleep: nothing more must go out in three passes of the sender (a real timer)
	msgs := mp.WaitMessages(t, 6, 5*time.Second)
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.Subject]++
	}
	if len(msgs) != 6 || seen["before restart"] != 1 {
		t.Fatalf("mailpit caught %d messages: %v", len(msgs), seen)
	}
	for i := 1; i <= 5; i++ {
		if n := seen[fmt.Sprintf("queued %d", i)]; n != 1 {
			t.Errorf("queued %d delivered %d times", i, n)
		}
	}
}

func TestTestMessage(t *testing.T) {
	mp := testkit.Mailpit(t)
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	s := newSender(t, o, "smtp://"+mp.SMTPAddr)
	m, err := s.TestMessage(context.Background(), "admin@example.com")
	if err != nil || m.Status != mail.StatusDelivered || m.Kind != mail.KindTest {
		t.Fatalf("TestMessage = %+v, %v", m, err)
	}
	msgs := mp.WaitMessages(t, 1, 5*time.Second)
	got := mp.Message(t, msgs[0].ID)
	if got.Subject != "Test email from Nordlicht Studio" || !strings.Contains(got.Text, "admin@example.com") ||
		!strings.Contains(got.HTML, `href="`+publicURL+`/"`) {
		t.Errorf("test mail: %q\n%s", got.Subject, got.Text)
	}
	if _, err := s.TestMessage(context.Background(), "not an address"); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), `"not an address"`) {
		t.Errorf("TestMessage(bad address) = %v", err)
	}

	down := closedAddr(t)
	s.SMTPURL = "smtp://" + down
	m, err = s.TestMessage(context.Background(), "admin@example.com")
	var de *mail.DeliveryError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "cannot connect to "+down) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("TestMessage to a closed port = %v", err)
	}
	if m.Status != mail.StatusFailed || m.LastError != err.Error() {
		t.Fatalf("failed test mail recorded as %+v", m)
	}
}

// ownMailpit runs mailpit with extra flags (TLS, recipient rules) that
// testkit.Mailpit does not set; it returns the SMTP address and a function
// counting caught messages.
func ownMailpit(t *testing.T, smtpHost string, args ...string) (smtpAddr string, count func() int) {
	t.Helper()
	bin := testkit.ToolPath(t, "mailpit")
	smtpAddr = net.JoinHostPort(smtpHost, strconv.Itoa(testkit.FreePort(t)))
	api := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := []string{"--smtp", smtpAddr, "--listen", api,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-disable-rdns", "--smtp-auth-accept-any"}
	if !strings.Contains(strings.Join(args, " "), "--smtp-tls-cert") {
		base = append(base, "--smtp-auth-allow-insecure") // mailpit wants it for AUTH without TLS
	}
	cmd := exec.Command(bin, append(base, args...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	count = func() int {
		res, err := http.Get("http://" + api + "/api/v1/messages")
		if err != nil {
			return -1
		}
		defer res.Body.Close()
		// mailpit's answer, not Ferry's.
		var doc struct{ Messages []json.RawMessage }
		if json.NewDecoder(res.Body).Decode(&doc) != nil {
			return -1
		}
		return len(doc.Messages)
	}
	poll.Until(t, 15*time.Second, func() error {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("mailpit %v exited: %v: %s", args, err, out.String())
		default:
		}
		if count() < 0 {
			return fmt.Errorf("mailpit %v did not start: %s", args, out.String())
		}
		return nil
	})
	return smtpAddr, count
}

// certFor makes a CA and a server certificate for host, writes the server
// pair to files, and returns their paths and a pool trusting the CA.
func certFor(t *testing.T, host string) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Ferry test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if ip := net.ParseIP(host); ip != nil {
		leaf.IPAddresses = []net.IP{ip}
	} else {
		leaf.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	roots = x509.NewCertPool()
	roots.AddCert(caCert)
	return certFile, keyFile, roots
}

// nonLoopbackIP is an address of this machine that is not loopback, or
// "" when it has none.
func nonLoopbackIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

func TestTLS(t *testing.T) {
	certFile, keyFile, roots := certFor(t, "127.0.0.1")
	tlsArgs := []string{"--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile}
	lan := nonLoopbackIP()
	lanCert, lanKey, lanRoots := "", "", (*x509.CertPool)(nil)
	if lan != "" {
		lanCert, lanKey, lanRoots = certFor(t, lan)
	}
	lanTLS := []string{"--smtp-require-starttls", "--smtp-tls-cert", lanCert, "--smtp-tls-key", lanKey}

	for _, c := range []struct {
		name    string
		host    string
		args    []string
		scheme  string
		roots   *x509.CertPool
		wantErr string // empty: delivered
	}{
		{"STARTTLS required by the server", "127.0.0.1", append([]string{"--smtp-require-starttls"}, tlsArgs...), "smtp", roots, ""},
		{"implicit TLS (smtps)", "127.0.0.1", append([]string{"--smtp-require-tls"}, tlsArgs...), "smtps", roots, ""},
		{"self-signed certificate on loopback (a local relay)", "127.0.0.1", append([]string{"--smtp-require-starttls"}, tlsArgs...), "smtp", nil, ""},
		{"STARTTLS on a host that is not loopback", lan, lanTLS, "smtp", lanRoots, ""},
		{"untrusted certificate on a host that is not loopback", lan, lanTLS, "smtp", nil, "certificate"},
		{"untrusted certificate with smtps on a host that is not loopback", lan, []string{"--smtp-require-tls", "--smtp-tls-cert", lanCert, "--smtp-tls-key", lanKey}, "smtps", nil, "certificate"},
		{"no STARTTLS on a host that is not loopback", lan, nil, "smtp", nil, "does not offer STARTTLS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.host == "" {
				t.Skip("SKIP: this machine has no non-loopback IPv4 address to test TLS enforcement with")
			}
			addr, count := ownMailpit(t, c.host, c.args...)
			o := &mail.Outbox{Store: openStore(t, t.TempDir())}
			s := newSender(t, o, c.scheme+"://user:pass@"+addr)
			if c.roots != nil {
				s.TLSConfig = &tls.Config{RootCAs: c.roots}
			}
			_, err := s.TestMessage(context.Background(), "ana@example.com")
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("TestMessage: %v", err)
				}
				if n := count(); n != 1 {
					t.Fatalf("mailpit caught %d", n)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("TestMessage = %v, want an error saying %q", err, c.wantErr)
			}
			if n := count(); n != 0 {
				t.Fatalf("mailpit caught %d", n)
			}
		})
	}
}

// A server that refuses a recipient for good (5xx) fails the mail at once.
func TestPermanentRefusalFailsAtOnce(t *testing.T) {
	addr, count := ownMailpit(t, "127.0.0.1", "--smtp-allowed-recipients", `@example\.com$`)
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	s := newSender(t, o, "smtp://"+addr)
	run(t, s)
	q, err := o.Send(plain(mail.Address{Email: "someone@elsewhere.example"}))
	if err != nil {
		t.Fatal(err)
	}
	m := waitFor(t, o, q.ID, "failed", func(m mail.Message) bool { return m.Status == mail.StatusFailed })
	if m.Attempts != 1 || !strings.Contains(m.LastError, "RCPT TO <someone@elsewhere.example>: 5") {
		t.Fatalf("refused mail: %+v", m)
	}
	if n := count(); n != 0 {
		t.Fatalf("mailpit caught %d", n)
	}
}

func TestCheckAndStatus(t *testing.T) {
	o := &mail.Outbox{Store: openStore(t, t.TempDir())}
	for _, c := range []struct {
		url, from, wantKey string
	}{
		{"smtp://u:p@mail.example.com:587", "Studio <s@example.com>", ""},
		{"", "", ""},
		{"http://mail.example.com", "", "smtp.url"},
		{"smtp://", "", "smtp.url"},
		{"smtp://mail.example.com/path", "", "smtp.url"},
		{"smtp://mail.example.com", "not an address", "smtp.from"},
	} {
		err := (&mail.Sender{Outbox: o, SMTPURL: c.url, From: c.from, PublicURL: publicURL}).Check()
		if c.wantKey == "" && err != nil || c.wantKey != "" && (err == nil || !strings.Contains(err.Error(), c.wantKey)) {
			t.Errorf("Check(%q, %q) = %v, want key %q", c.url, c.from, err, c.wantKey)
		}
	}
	s := &mail.Sender{Outbox: o, SMTPURL: "smtp://mailer:hunter2@mail.example.com", SiteName: "Nordlicht", PublicURL: publicURL}
	st, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Configured || st.Host != "mail.example.com:587" || st.Username != "mailer" || st.Security != "starttls" ||
		st.From != `"Nordlicht" <ferry@files.nordlicht.example>` || !st.FromDefault || st.Warning != "" {
		t.Fatalf("Status = %+v", st)
	}
	b, _ := json.Marshal(st)
	if strings.Contains(string(b), "hunter2") {
		t.Fatalf("Status leaks the password: %s", b)
	}
	s.SMTPURL = "smtps://mail.example.com"
	if st, _ := s.Status(); st.Host != "mail.example.com:465" || st.Security != "tls" {
		t.Fatalf("smtps Status = %+v", st)
	}
}
