package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestComposeIsWellFormed(t *testing.T) {
	longSubject := "Frühlingsshooting – Auswahl für Zoë, Jörg und das ganze Team ✓ bitte bis Freitag prüfen und freigeben"
	m := Message{
		To: []Address{
			{Name: "Zoë Ærø", Email: "zoe@example.com"},
			{Name: "Smith, John", Email: "john@example.com"},
			{Email: "plain@example.com"},
		},
		Subject:   longSubject,
		Text:      "Hello\nLine two with a long line " + strings.Repeat("x", 120) + "\n.\nA line that is a lone dot above.",
		HTML:      "<p>Hello — é</p>",
		MessageID: "<abc123@files.example.com>",
	}
	date := time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)
	raw, err := compose(Address{Name: "Nordlicht Studio", Email: "studio@example.com"}, m, date)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("bare LF in the message; SMTP needs CRLF")
	}
	head := raw[:bytes.Index(raw, []byte("\r\n\r\n"))]
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 78 {
			t.Errorf("header line longer than 78: %q", line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != longSubject {
		t.Fatalf("Subject decodes to %q (%v), want %q", subject, err, longSubject)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 3 || to[0].Name != "Zoë Ærø" || to[1].Name != "Smith, John" || to[2].Address != "plain@example.com" {
		t.Fatalf("To = %v, %v", to, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].String() != `"Nordlicht Studio" <studio@example.com>` {
		t.Fatalf("From = %v, %v", from, err)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(date) {
		t.Fatalf("Date = %v, %v", d, err)
	}
	for k, want := range map[string]string{"Message-Id": m.MessageID, "Mime-Version": "1.0", "Auto-Submitted": "auto-generated"} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Type")+"|"+strings.ReplaceAll(string(b), "\r\n", "\n"))
	}
	want := []string{"text/plain; charset=utf-8|" + m.Text, "text/html; charset=utf-8|" + m.HTML}
	if len(parts) != 2 || parts[0] != want[0] || parts[1] != want[1] {
		t.Fatalf("parts = %q, want %q", parts, want)
	}
}

// compose refuses line breaks even if something got past Enqueue
// (smtp.from comes from the configuration, not from Enqueue).
func TestComposeRefusesLineBreaks(t *testing.T) {
	m := Message{To: []Address{{Email: "a@example.com"}}, Subject: "ok", Text: "x", MessageID: "<a@b>"}
	if _, err := compose(Address{Name: "S\r\nBcc: eve@example.com", Email: "s@example.com"}, m, time.Now()); err == nil {
		t.Fatal("compose accepted a line break in the From name")
	}
	m.Subject = "a\nBcc: eve@example.com"
	if _, err := compose(Address{Email: "s@example.com"}, m, time.Now()); err == nil {
		t.Fatal("compose accepted a line break in the subject")
	}
}

func TestTemplates(t *testing.T) {
	tm := Templates{SiteName: "Nordlicht Studio", PublicURL: "https://files.nordlicht.example/"}
	exp := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	c, err := tm.Render(KindUploadLinkInvite, UploadLinkInvite{
		RecipientName: "Jörg", SenderName: "Ana <b>", LinkName: "Spring", Path: "/u/Key123",
		Message: "Line one\n<script>alert(1)</script>", ExpiresAt: &exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "Ana <b> invited you to upload files: Spring" {
		t.Errorf("subject = %q", c.Subject)
	}
	for _, want := range []string{"Hello Jörg,", "https://files.nordlicht.example/u/Key123", "> <script>alert(1)</script>", "Saturday 14 March 2026, 18:00 UTC", "Nordlicht Studio\n================"} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, c.Text)
		}
	}
	for _, want := range []string{`href="https://files.nordlicht.example/u/Key123"`, "&lt;script&gt;", "Ana &lt;b&gt;", "Nordlicht Studio"} {
		if !strings.Contains(c.HTML, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(c.HTML, "<script>") || strings.Contains(c.HTML, "<b>") {
		t.Error("HTML carries user data unescaped")
	}

	p, err := tm.Render(KindUploadLinkPasscode, UploadLinkPasscode{SenderName: "Ana", Passcode: "004217"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "004217") || !strings.Contains(p.HTML, "004217") || strings.Contains(p.Text, "/u/") {
		t.Errorf("passcode mail: %s", p.Text)
	}
	if strings.Count(p.HTML, "href=") != 1 { // the footer's link to the site only
		t.Errorf("passcode mail has links besides the footer: %d", strings.Count(p.HTML, "href="))
	}

	if _, err := tm.Render(KindUploadLinkInvite, UploadLinkInvite{SenderName: "A", Path: "https://evil.example/u/x"}); err == nil {
		t.Error("a link outside public_url was rendered")
	}
	if _, err := tm.Render("nope", nil); err == nil {
		t.Error("unknown kind rendered")
	}
	// A line break in data that ends up in the subject is folded into a space.
	msg, err := tm.Message(KindUploadLinkInvite, []Address{{Email: "a@example.com"}}, UploadLinkInvite{SenderName: "Ana", LinkName: "x\r\nBcc: eve@example.com", Path: "/u/k"})
	if err != nil || msg.Subject != "Ana invited you to upload files: x Bcc: eve@example.com" {
		t.Errorf("subject = %q, %v", msg.Subject, err)
	}
}
