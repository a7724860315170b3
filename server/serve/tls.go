//go:build !js

package serve

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/tlsx"
)

// certWait is how long start-up waits for certificates before announcing
// the server anyway; certmagic keeps trying in the background.
const certWait = 2 * time.Minute

// httpsSite is the automatic-HTTPS path: HTTPS on https_listen, HTTP on
// http_listen for ACME challenges and redirects, certificates in
// data_dir/certs.
type httpsSite struct {
	log         *slog.Logger
	perIP       int // limits.max_conns_per_ip for HTTP/1.1 connections
	limits      config.Limits
	https, http net.Listener
	certs       *tlsx.Manager
}

// openHTTPS binds both ports and prepares certificate management without
// contacting the CA, so bad settings are refused at once, naming the key.
func openHTTPS(cfg config.Config, log *slog.Logger) (*httpsSite, error) {
	s := &httpsSite{log: log, perIP: connsPerIP(cfg), limits: cfg.Limits}
	var err error
	if s.https, err = listen("https_listen", cfg.HTTPSListen); err != nil {
		return nil, err
	}
	if s.http, err = listen("http_listen", cfg.HTTPListen); err != nil {
		s.https.Close()
		return nil, err
	}
	opt := tlsx.Options{
		Domains:   cfg.Domains,
		CA:        cfg.ACME.CA,
		Email:     cfg.ACME.Email,
		Storage:   cfg.Path("certs"),
		HTTPAddr:  s.http.Addr(),
		HTTPSAddr: s.https.Addr(),
		Log:       log,
	}
	if cfg.ACME.CARoot != "" {
		if opt.Roots, err = tlsx.LoadRoots(cfg.ACME.CARoot); err != nil {
			s.close()
			return nil, &config.KeyError{Key: "acme.ca_root", Reason: err.Error()}
		}
	}
	if s.certs, err = tlsx.New(opt); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// close releases the ports; serve closes them itself on its way out.
func (s *httpsSite) close() {
	s.https.Close()
	s.http.Close()
	if s.certs != nil {
		s.certs.Stop()
	}
}

// serve runs the site until ctx ends, then shuts down gracefully. TLS
// connections are split by ALPN: HTTP/1.1 goes to fasthttp directly and
// HTTP/2 to net/http, which runs the same fiber app through tlsx.Bridge;
// both stream request and response bodies.
func (s *httpsSite) serve(ctx context.Context, app *fiber.App, grace time.Duration, announce func(addr string)) error {
	defer s.close()
	errLog := slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)
	split := tlsx.NewSplit(s.https, s.certs.TLSConfig(), s.log)
	h1 := trackConns(app)
	bridge := &tlsx.Bridge{Handler: app.Handler(), Log: s.log}
	h2 := &http.Server{
		Handler:           bridge,
		ReadHeaderTimeout: time.Duration(s.limits.HeaderTimeout),
		IdleTimeout:       time.Duration(s.limits.IdleTimeout),
		ErrorLog:          errLog,
		// Flow-control windows above the 1 MiB default, so uploads over
		// long round trips are not capped at window/RTT.
		HTTP2: &http.HTTP2Config{MaxReceiveBufferPerConnection: 3 << 20, MaxReceiveBufferPerStream: 3 << 20},
	}
	redirect := &http.Server{
		Handler:           s.certs.HTTPHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          errLog,
	}
	errc := make(chan error, 3)
	go func() { errc <- app.Listener(watch(split.HTTP1(), s.perIP)) }()
	go func() { errc <- h2.Serve(split.HTTP2()) }()
	go func() { errc <- redirect.Serve(s.http) }()

	var err error
	if err = s.certs.Start(context.Background()); err == nil {
		if missing := s.certs.Wait(ctx, certWait); len(missing) > 0 && ctx.Err() == nil {
			s.log.Error("no certificate yet; HTTPS fails for these names until one is obtained (retrying in the background)",
				slog.Any("domains", missing))
		}
		announce(split.Addr().String())
		select {
		case err = <-errc:
			if err == nil || errors.Is(err, http.ErrServerClosed) {
				err = errors.New("https: a listener closed unexpectedly")
			}
		case <-ctx.Done():
		}
	}
	s.log.Info("shutting down")
	split.Close()
	var wg sync.WaitGroup
	wg.Go(func() { shutdownApp(app, h1, grace, s.log) })
	wg.Go(func() { shutdownHTTP(h2, grace, func() bool { return bridge.Active() == 0 }) })
	wg.Go(func() { shutdownHTTP(redirect, grace, nil) })
	wg.Wait()
	return err
}

// shutdownHTTP is shutdownApp for a net/http server: drain for up to grace,
// then close what is left and wait briefly for its handlers.
func shutdownHTTP(srv *http.Server, grace time.Duration, idle func() bool) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if srv.Shutdown(ctx) == nil {
		return
	}
	srv.Close()
	if idle != nil {
		waitUntil(idle, forceWait)
	}
}

// listen opens a TCP listener; when the address cannot be used the error
// names the configuration key and the reason (e.g. address already in use).
func listen(key, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		reason := err.Error()
		var se *os.SyscallError
		if errors.As(err, &se) {
			reason = se.Err.Error()
		}
		return nil, &config.KeyError{Key: key, Reason: "cannot listen on " + addr + ": " + reason}
	}
	return ln, nil
}
