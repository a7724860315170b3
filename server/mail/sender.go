package mail

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
)

// Sender delivers the outbox over SMTP in the background.
//
// Delivery is at least once. A message is marked "sending" in Badger before
// its SMTP conversation starts and "delivered" right after the server
// accepts the DATA; a process that stops in between leaves it "sending",
// and the next Run queues it again. So the one window for a duplicate is a
// crash after the server accepted the message and before the "delivered"
// write commits; the copy then carries the same Message-ID, which mail
// clients use to recognise it. A delivered message is never sent again.
type Sender struct {
	Outbox *Outbox
	// SMTPURL is smtp.url: smtp://user:pass@host:port (STARTTLS when the
	// server offers it, required unless the host is loopback) or
	// smtps://user:pass@host:port (implicit TLS). Empty: mail stays queued.
	SMTPURL string
	// From is smtp.from; its name defaults to SiteName, the whole address
	// to ferry@<host of PublicURL>.
	From      string
	SiteName  string
	PublicURL string
	// Concurrency bounds simultaneous SMTP conversations (default 2).
	Concurrency int
	// Backoff is the wait after a failed attempt (attempt counts from 1);
	// default 5 s, 30 s, 2 min, 10 min, then 1 h.
	Backoff func(attempt int) time.Duration
	// MaxAttempts after which a message fails (default 8).
	MaxAttempts int
	// PollInterval is how often the outbox is read without a wake-up
	// (default 30 s).
	PollInterval time.Duration
	// Timeout bounds one SMTP conversation (default 60 s).
	Timeout time.Duration
	// TLSConfig is the base TLS configuration (tests add their CA); nil
	// means the system roots. Certificates of a server on a loopback
	// address are not verified: that connection never leaves the machine.
	TLSConfig *tls.Config
	Log       *slog.Logger

	// Locked means smtp.url came from the config file or environment, which
	// then wins over Settings > Email.
	Locked bool

	mu       sync.Mutex
	inflight map[string]bool
	cfgMu    sync.RWMutex
	reconf   chan struct{}
}

// smtpURL and fromSetting read the settings Configure may change.
func (s *Sender) smtpURL() string {
	s.cfgMu.RLock()
	defer s.cfgMu.RUnlock()
	return s.SMTPURL
}

func (s *Sender) fromSetting() string {
	s.cfgMu.RLock()
	defer s.cfgMu.RUnlock()
	return s.From
}

func (s *Sender) reconfigured() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reconf == nil {
		s.reconf = make(chan struct{}, 1)
	}
	return s.reconf
}

// Configure changes the SMTP server and From address while Ferry runs
// (Settings > Email). It refuses when the config file or environment sets
// smtp.url, and names the bad field otherwise.
func (s *Sender) Configure(smtpURL, from string) error {
	if s.Locked {
		return errs.New(errs.Conflict, "smtp_locked", "smtp.url is set in the config file or environment; change it there and restart Ferry")
	}
	smtpURL, from = strings.TrimSpace(smtpURL), strings.TrimSpace(from)
	if smtpURL != "" {
		if _, err := parseSMTPURL(smtpURL); err != nil {
			return errs.Invalidf("smtp_url: %v", err)
		}
	}
	probe := &Sender{From: from, SiteName: s.SiteName, PublicURL: s.PublicURL}
	if _, err := probe.from(); err != nil {
		return errs.Invalidf("from: %v", err)
	}
	s.cfgMu.Lock()
	s.SMTPURL, s.From = smtpURL, from
	s.cfgMu.Unlock()
	select {
	case s.reconfigured() <- struct{}{}:
	default:
	}
	return nil
}

// DefaultBackoff is 5 s, 30 s, 2 min, 10 min, then 1 h for every later attempt.
func DefaultBackoff(attempt int) time.Duration {
	steps := []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(steps) {
		return steps[len(steps)-1]
	}
	return steps[attempt-1]
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (s *Sender) concurrency() int {
	if s.Concurrency > 0 {
		return s.Concurrency
	}
	return 2
}

func (s *Sender) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return 8
}

func (s *Sender) backoff(attempt int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func (s *Sender) pollInterval() time.Duration {
	if s.PollInterval > 0 {
		return s.PollInterval
	}
	return 30 * time.Second
}

func (s *Sender) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 60 * time.Second
}

// Configured reports whether an SMTP server is set.
func (s *Sender) Configured() bool { return strings.TrimSpace(s.smtpURL()) != "" }

// Templates renders mail for this site (name and public URL).
func (s *Sender) Templates() Templates {
	return Templates{SiteName: s.SiteName, PublicURL: s.PublicURL}
}

// Check validates smtp.url and smtp.from, naming the key that is wrong.
func (s *Sender) Check() error {
	if s.Configured() {
		if _, err := parseSMTPURL(s.smtpURL()); err != nil {
			return &config.KeyError{Key: "smtp.url", Reason: err.Error()}
		}
	}
	if _, err := s.from(); err != nil {
		return &config.KeyError{Key: "smtp.from", Reason: err.Error()}
	}
	return nil
}

// publicHost is the host name of PublicURL (no port).
func (s *Sender) publicHost() string {
	if u, err := url.Parse(s.PublicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// from is the From address.
func (s *Sender) from() (Address, error) {
	name := s.Templates().site()
	fromSetting := s.fromSetting()
	if strings.TrimSpace(fromSetting) == "" {
		host := s.publicHost()
		if net.ParseIP(host) != nil {
			host = "localhost"
		}
		return Address{Name: name, Email: "ferry@" + host}, nil
	}
	a, err := mail.ParseAddress(fromSetting)
	if err != nil {
		return Address{}, errors.New(`want an address such as "Studio <mail@example.com>" or mail@example.com`)
	}
	if a.Name != "" {
		name = a.Name
	}
	return Address{Name: name, Email: a.Address}, nil
}

// helo is our name in EHLO: the public host, an address literal for an IP.
func (s *Sender) helo() string {
	h := s.publicHost()
	if ip := net.ParseIP(h); ip != nil {
		if ip.To4() == nil {
			return "[IPv6:" + h + "]"
		}
		return "[" + h + "]"
	}
	return h
}

func (s *Sender) newMessageID() string {
	return "<" + hex.EncodeToString(secure.Bytes(16)) + "@" + s.publicHost() + ">"
}

func (s *Sender) setInflight(id string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight == nil {
		s.inflight = map[string]bool{}
	}
	if on {
		s.inflight[id] = true
	} else {
		delete(s.inflight, id)
	}
}

func (s *Sender) isInflight(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight[id]
}

// Run delivers due mail until ctx ends. It first queues again what a
// stopped process left "sending". Without an SMTP URL it delivers nothing
// and mail stays queued until Configure sets one. It is woken by Enqueue and Retry and polls as a
// safety net; attempts under way when ctx ends are finished (bounded by
// Timeout) before Run returns.
func (s *Sender) Run(ctx context.Context) {
	log := s.log()
	if n, err := s.Outbox.requeueStale(s.isInflight); err != nil {
		log.Error("mail: requeueing interrupted deliveries", slog.Any("err", err))
	} else if n > 0 {
		log.Info("mail: queued again the mail a stop interrupted mid-delivery", slog.Int("count", n))
	}
	for {
		if !s.Configured() {
			log.Warn("mail: no SMTP server is set; mail is kept in the outbox until one is")
		} else if tr, err := parseSMTPURL(s.smtpURL()); err != nil {
			log.Error("mail: smtp.url is unusable; mail is kept in the outbox", slog.Any("err", err))
		} else if s.deliver(ctx, tr) {
			return
		} else {
			continue // reconfigured while delivering
		}
		select {
		case <-ctx.Done():
			return
		case <-s.reconfigured():
		}
	}
}

// deliver sends due mail through tr until ctx ends (true) or the SMTP
// settings change (false); attempts under way finish first.
func (s *Sender) deliver(ctx context.Context, tr transport) bool {
	log := s.log()
	conc := s.concurrency()
	done := make(chan struct{}, conc)
	var workers sync.WaitGroup
	defer workers.Wait()
	running := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if free := conc - running; free > 0 {
			msgs, next, err := s.Outbox.claim(free, s.newMessageID)
			if err != nil {
				log.Error("mail: reading the outbox", slog.Any("err", err))
			}
			for _, m := range msgs {
				running++
				s.setInflight(m.ID, true)
				workers.Add(1)
				go func() {
					defer workers.Done()
					// Not ctx: an attempt under way is finished, not cut
					// mid-DATA, which could send the mail twice.
					s.attemptAndRecord(context.Background(), tr, m)
					s.setInflight(m.ID, false)
					done <- struct{}{}
				}()
			}
			wait := s.pollInterval()
			if !next.IsZero() {
				wait = min(wait, max(next.Sub(s.Outbox.now()), time.Millisecond))
			}
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return true
		case <-s.reconfigured():
			return false
		case <-s.Outbox.Wake():
		case <-timer.C:
		case <-done:
			running--
		}
	}
}

// attemptAndRecord makes one attempt at m (already marked sending) and
// records delivered, queued for a retry, or failed.
func (s *Sender) attemptAndRecord(ctx context.Context, tr transport, m Message) {
	err := s.attempt(ctx, tr, m)
	out := outcome{err: err}
	if err != nil {
		var de *DeliveryError
		out.permanent = (errors.As(err, &de) && de.Permanent) || m.Attempts >= s.maxAttempts()
		out.retryAt = s.Outbox.now().Add(s.backoff(m.Attempts))
	}
	res, ferr := s.Outbox.finish(m.ID, out)
	log := s.log().With(slog.String("mail", m.ID), slog.String("kind", m.Kind), slog.Int("attempt", m.Attempts))
	switch {
	case ferr != nil:
		log.Error("mail: recording the outcome of a delivery", slog.Any("err", ferr), slog.Bool("delivered", err == nil))
	case err == nil:
		log.Info("mail: delivered")
	case res.Status == StatusFailed:
		log.Warn("mail: delivery failed for good", slog.Any("err", err))
	default:
		log.Warn("mail: delivery failed; will retry", slog.Any("err", err), slog.Time("next_attempt_at", out.retryAt))
	}
}

// attempt composes m and runs the SMTP conversation.
func (s *Sender) attempt(ctx context.Context, tr transport, m Message) error {
	from, err := s.from()
	if err != nil {
		return &DeliveryError{Stage: "compose", Err: err}
	}
	data, err := compose(from, m, s.Outbox.now())
	if err != nil {
		return &DeliveryError{Stage: "compose", Err: err, Permanent: true}
	}
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = a.Email
	}
	return tr.deliver(ctx, s.TLSConfig, s.timeout(), envelope{Helo: s.helo(), From: from.Email, To: to, Data: data})
}

// ErrNotConfigured is returned by TestMessage without an SMTP server.
var ErrNotConfigured = errs.New(errs.Conflict, "smtp_not_configured",
	"SMTP is not configured: set a server in Settings > Email (or smtp.url in the config); until then mail is kept in the outbox")

// TestMessage sends the "test" mail to one address at once and waits for
// the SMTP server's answer. The attempt is recorded in the outbox (delivered,
// or failed and retryable from there). A refusal is a *DeliveryError whose
// text is what the server or network said.
func (s *Sender) TestMessage(ctx context.Context, to string) (Message, error) {
	email, err := ParseAddress(to)
	if err != nil {
		return Message{}, err
	}
	if !s.Configured() {
		return Message{}, ErrNotConfigured
	}
	tr, err := parseSMTPURL(s.smtpURL())
	if err != nil {
		return Message{}, &config.KeyError{Key: "smtp.url", Reason: err.Error()}
	}
	msg, err := s.Templates().Message(KindTest, []Address{{Email: email}},
		TestData{To: email, Server: tr.addr(), SentAt: s.Outbox.now()})
	if err != nil {
		return Message{}, err
	}
	m, err := s.Outbox.begin(msg, s.newMessageID())
	if err != nil {
		return Message{}, err
	}
	s.setInflight(m.ID, true)
	defer s.setInflight(m.ID, false)
	derr := s.attempt(ctx, tr, m)
	// A test is not retried on its own; Retry from the outbox queues it.
	res, ferr := s.Outbox.finish(m.ID, outcome{err: derr, permanent: true})
	if derr != nil {
		return res, derr
	}
	return res, ferr
}

// Status is model.EmailStatus, the JSON document.
type Status = model.EmailStatus

// Status describes the configuration (without secrets) and counts the
// outbox by status.
func (s *Sender) Status() (Status, error) {
	counts, err := s.Outbox.Counts()
	if err != nil {
		return Status{}, err
	}
	st := Status{
		Configured:  s.Configured(),
		FromDefault: strings.TrimSpace(s.fromSetting()) == "",
		Editable:    !s.Locked,
		SMTPURL:     redactedURL(s.smtpURL()),
		PublicURL:   s.PublicURL,
		Counts:      counts,
		ChangeHint:  "Set smtp.url and smtp.from in the config file (or FERRY_SMTP_URL and FERRY_SMTP_FROM) and restart Ferry.",
	}
	if st.Editable {
		st.ChangeHint = "Set them here; they are kept in Ferry's database. smtp.url in the config file or environment, when set, takes precedence."
	}
	if from, err := s.from(); err == nil {
		st.From = formatAddress(from)
	}
	if !st.Configured {
		st.Warning = "SMTP is not configured, so Ferry sends no mail. Invitations, passcodes and notifications are kept in the outbox and go out once an SMTP server is set."
		return st, nil
	}
	tr, err := parseSMTPURL(s.smtpURL())
	if err != nil {
		st.Warning = "smtp.url is unusable: " + err.Error()
		return st, nil
	}
	st.Host, st.Username, st.Security = tr.addr(), tr.Username, tr.security()
	return st, nil
}

// redactedURL is an SMTP URL with its password replaced, for display.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return ""
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// KeepPassword returns raw with a masked password ("xxxxx", as Status shows
// it) replaced by the password currently set for the same user and host, so
// a form can be saved without typing the password again.
func (s *Sender) KeepPassword(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		return raw
	}
	if pw, ok := u.User.Password(); !ok || pw != "xxxxx" {
		return raw
	}
	cur, err := url.Parse(s.smtpURL())
	if err != nil || cur.User == nil || cur.Host != u.Host || cur.User.Username() != u.User.Username() {
		return raw
	}
	if pw, ok := cur.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), pw)
	}
	return u.String()
}
