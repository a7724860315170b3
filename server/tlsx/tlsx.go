//go:build !js

// Package tlsx is Ferry's automatic HTTPS: certmagic obtains and renews
// certificates from an ACME CA and keeps them under the data directory;
// Split and Bridge serve one fiber app over TLS with HTTP/1.1 and HTTP/2.
package tlsx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"
	"go.uber.org/zap"
)

// Options configure certificate management.
type Options struct {
	// Domains are the names to hold certificates for; the first is where
	// requests for other hosts are redirected.
	Domains []string
	// CA is the ACME directory URL; empty means Let's Encrypt.
	CA string
	// Email is the contact given to the CA (may be empty).
	Email string
	// Roots, if set, are the only roots trusted for the CA's own HTTPS
	// (a private CA, Pebble); nil means the system roots.
	Roots *x509.CertPool
	// Storage is the directory for certificates, keys and ACME accounts.
	Storage string
	// HTTPAddr and HTTPSAddr are the addresses this process serves HTTP and
	// HTTPS on (already bound), so certmagic answers challenges through
	// them instead of binding ports itself.
	HTTPAddr, HTTPSAddr net.Addr
	Log                 *slog.Logger
}

// acmeTLS1 is the ALPN protocol of TLS-ALPN-01 challenges (RFC 8737).
const acmeTLS1 = "acme-tls/1"

// Manager holds the certificates of Options.Domains.
type Manager struct {
	domains   []string
	httpsPort string
	cache     *certmagic.Cache
	magic     *certmagic.Config
	issuer    *certmagic.ACMEIssuer
	cancel    context.CancelFunc
	stopOnce  sync.Once
}

// LoadRoots reads a PEM file of CA certificates into a pool.
func LoadRoots(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read it: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// New prepares certificate management without contacting the CA; Start
// begins it.
func New(opt Options) (*Manager, error) {
	if len(opt.Domains) == 0 {
		return nil, errors.New("tlsx: no domains")
	}
	if err := os.MkdirAll(opt.Storage, 0o700); err != nil {
		return nil, err
	}
	log := opt.Log.With(slog.String("component", "certmagic"))
	zlog := zap.New(&slogCore{log: log})
	m := &Manager{domains: opt.Domains, httpsPort: port(opt.HTTPSAddr)}
	m.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return m.magic, nil },
		Logger:           zlog,
	})
	m.magic = certmagic.New(m.cache, certmagic.Config{
		Storage:           &certmagic.FileStorage{Path: opt.Storage},
		DefaultServerName: opt.Domains[0],
		Logger:            zlog,
	})
	httpHost, httpPort := hostPort(opt.HTTPAddr)
	_, tlsPort := hostPort(opt.HTTPSAddr)
	m.issuer = certmagic.NewACMEIssuer(m.magic, certmagic.ACMEIssuer{
		CA:           opt.CA,
		Email:        opt.Email,
		Agreed:       true,
		TrustedRoots: opt.Roots,
		// Challenges arrive on our own listeners: certmagic sees the ports
		// in use and answers through HTTPHandler and the TLS config.
		ListenHost:     httpHost,
		AltHTTPPort:    httpPort,
		AltTLSALPNPort: tlsPort,
		Logger:         zlog,
	})
	m.magic.Issuers = []certmagic.Issuer{m.issuer}
	return m, nil
}

// Start loads stored certificates and obtains missing ones in the
// background, retrying with backoff; certmagic renews them from then on.
// It never prompts (the synchronous API would ask for an email on stdin).
func (m *Manager) Start(ctx context.Context) error {
	ctx, m.cancel = context.WithCancel(ctx)
	return m.magic.ManageAsync(ctx, m.domains)
}

// Wait blocks until every domain has a certificate, ctx ends or max passes,
// and reports the domains still without one.
func (m *Manager) Wait(ctx context.Context, max time.Duration) []string {
	deadline := time.NewTimer(max)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var missing []string
		for _, d := range m.domains {
			if len(m.cache.AllMatchingCertificates(strings.ToLower(d))) == 0 {
				missing = append(missing, d)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return missing
		case <-deadline.C:
			return missing
		case <-tick.C:
		}
	}
}

// Stop ends certificate maintenance; later calls do nothing.
func (m *Manager) Stop() {
	m.stopOnce.Do(func() {
		if m.cancel != nil {
			m.cancel()
		}
		m.cache.Stop()
	})
}

// TLSConfig is the server configuration: certificates from the cache,
// TLS 1.2 or later with forward-secret AEAD suites, HTTP/2 offered first,
// and the acme-tls/1 protocol for TLS-ALPN challenges.
func (m *Manager) TLSConfig() *tls.Config {
	c := m.magic.TLSConfig()
	c.MinVersion = tls.VersionTLS12
	c.CipherSuites = []uint16{ // TLS 1.2 only; TLS 1.3 suites are not configurable
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
	c.NextProtos = []string{"h2", "http/1.1", acmeTLS1}
	return c
}

// HTTPHandler answers ACME HTTP-01 challenges and redirects every other
// request to HTTPS with 308, so methods and bodies survive the redirect.
// Hosts other than the managed domains are sent to the first domain.
func (m *Manager) HTTPHandler() http.Handler {
	return m.issuer.HTTPChallengeHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if !m.manages(host) {
			host = m.domains[0]
		}
		if m.httpsPort != "" && m.httpsPort != "443" {
			host = net.JoinHostPort(host, m.httpsPort)
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
	}))
}

func (m *Manager) manages(host string) bool {
	for _, d := range m.domains {
		if strings.EqualFold(d, host) {
			return true
		}
	}
	return false
}

func hostPort(a net.Addr) (string, int) {
	if a == nil {
		return "", 0
	}
	h, p, err := net.SplitHostPort(a.String())
	if err != nil {
		return "", 0
	}
	n, _ := strconv.Atoi(p)
	if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
		h = ""
	}
	return h, n
}

func port(a net.Addr) string {
	if _, p := hostPort(a); p > 0 {
		return strconv.Itoa(p)
	}
	return ""
}
