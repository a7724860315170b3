package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// transport is a parsed smtp.url.
type transport struct {
	Scheme   string // "smtp" (STARTTLS) or "smtps" (implicit TLS)
	Host     string // host name or IP, no port
	Port     string
	Username string
	Password string
}

// Default ports: submission with STARTTLS, and submissions over TLS.
const (
	defaultSMTPPort  = "587"
	defaultSMTPSPort = "465"
)

// parseSMTPURL reads smtp://user:pass@host:port or smtps://host:port.
func parseSMTPURL(raw string) (transport, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return transport{}, errors.New("not a URL; want smtp://user:pass@host:port or smtps://host:465")
	}
	t := transport{Scheme: u.Scheme, Host: u.Hostname(), Port: u.Port()}
	switch t.Scheme {
	case "smtp":
		if t.Port == "" {
			t.Port = defaultSMTPPort
		}
	case "smtps":
		if t.Port == "" {
			t.Port = defaultSMTPSPort
		}
	default:
		return transport{}, fmt.Errorf("scheme %q: want smtp:// (STARTTLS) or smtps:// (TLS)", u.Scheme)
	}
	if t.Host == "" {
		return transport{}, errors.New("no host; want smtp://user:pass@host:port")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return transport{}, errors.New("unexpected path or query; want smtp://user:pass@host:port")
	}
	if u.User != nil {
		t.Username = u.User.Username()
		t.Password, _ = u.User.Password()
	}
	return t, nil
}

func (t transport) addr() string { return net.JoinHostPort(t.Host, t.Port) }

// loopback reports whether the server is on this machine, where plain
// SMTP is allowed (a local relay, or mailpit in tests).
func (t transport) loopback() bool {
	if strings.EqualFold(t.Host, "localhost") {
		return true
	}
	ip := net.ParseIP(t.Host)
	return ip != nil && ip.IsLoopback()
}

// security describes how the connection is protected.
func (t transport) security() string {
	switch {
	case t.Scheme == "smtps":
		return "tls"
	case t.loopback():
		return "starttls_if_offered"
	default:
		return "starttls"
	}
}

// envelope is what one SMTP conversation carries.
type envelope struct {
	Helo string   // our name in EHLO
	From string   // MAIL FROM address
	To   []string // RCPT TO addresses
	Data []byte   // the composed message
}

// deliver runs one SMTP conversation. It returns nil once the server
// accepted the DATA, and a *DeliveryError otherwise. The whole
// conversation is bounded by timeout and ends early when ctx does.
func (t transport) deliver(ctx context.Context, tlsBase *tls.Config, timeout time.Duration, env envelope) (err error) {
	stage := "connect"
	fail := func(e error) error {
		var tp *textproto.Error
		permanent := errors.As(e, &tp) && tp.Code >= 500 && (stage == "rcpt" || stage == "data")
		return &DeliveryError{Stage: stage, Err: e, Permanent: permanent}
	}
	tlsConfig := &tls.Config{}
	if tlsBase != nil {
		tlsConfig = tlsBase.Clone()
	}
	tlsConfig.ServerName = t.Host
	if t.loopback() {
		// The connection never leaves this machine, so there is no one to
		// impersonate the server; local relays (Postfix's default) offer
		// STARTTLS with a self-signed certificate that would fail here.
		tlsConfig.InsecureSkipVerify = true
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dialer := &net.Dialer{Timeout: min(timeout, 15*time.Second)}
	conn, err := dialer.DialContext(ctx, "tcp", t.addr())
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err // "connect: connection refused", without repeating the address
		}
		return fail(fmt.Errorf("cannot connect to %s: %w", t.addr(), err))
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fail(fmt.Errorf("no answer from %s within %s: %w", t.addr(), timeout, ctx.Err()))
		}
	}()

	if t.Scheme == "smtps" {
		stage = "tls"
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(fmt.Errorf("TLS with %s: %w", t.addr(), err))
		}
		conn = tc
	}
	stage = "connect"
	c, err := smtp.NewClient(conn, t.Host)
	if err != nil {
		return fail(fmt.Errorf("greeting from %s: %w", t.addr(), err))
	}
	defer c.Close()
	if err := c.Hello(env.Helo); err != nil {
		return fail(fmt.Errorf("EHLO: %w", err))
	}
	if t.Scheme == "smtp" {
		stage = "tls"
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fail(fmt.Errorf("STARTTLS with %s: %w", t.addr(), err))
			}
		} else if !t.loopback() {
			return fail(fmt.Errorf("%s does not offer STARTTLS; Ferry sends mail unencrypted only to a server on this machine (use smtps:// or a server with STARTTLS)", t.addr()))
		}
	}
	if t.Username != "" {
		stage = "auth"
		if ok, _ := c.Extension("AUTH"); !ok {
			return fail(fmt.Errorf("%s does not offer AUTH, but smtp.url has credentials", t.addr()))
		}
		if err := c.Auth(smtp.PlainAuth("", t.Username, t.Password, t.Host)); err != nil {
			return fail(fmt.Errorf("login as %s: %w", t.Username, err))
		}
	}
	stage = "mail"
	if err := c.Mail(env.From); err != nil {
		return fail(fmt.Errorf("MAIL FROM <%s>: %w", env.From, err))
	}
	stage = "rcpt"
	for _, rcpt := range env.To {
		if err := c.Rcpt(rcpt); err != nil {
			return fail(fmt.Errorf("RCPT TO <%s>: %w", rcpt, err))
		}
	}
	stage = "data"
	w, err := c.Data()
	if err != nil {
		return fail(fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(env.Data); err != nil {
		return fail(fmt.Errorf("sending the message: %w", err))
	}
	// Close ends the DATA and reads the server's verdict: accepted or not.
	if err := w.Close(); err != nil {
		return fail(fmt.Errorf("message refused: %w", err))
	}
	_ = c.Quit() // accepted already; a failed QUIT changes nothing
	return nil
}
