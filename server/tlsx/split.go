//go:build !js

package tlsx

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// handshakeTimeout bounds a client's TLS handshake, so a silent peer does
// not hold a goroutine and a socket.
const handshakeTimeout = 10 * time.Second

// Split accepts TCP connections, completes their TLS handshakes and hands
// each to the listener of the protocol the client chose by ALPN: HTTP/2
// connections to HTTP2 (served by net/http through a Bridge), all others
// to HTTP1 (served by fasthttp itself, which streams bodies but speaks no
// HTTP/2). Connections that only answered a TLS-ALPN challenge are closed.
type Split struct {
	ln     net.Listener
	config *tls.Config
	log    *slog.Logger
	h1, h2 *connQueue
}

// NewSplit starts accepting on ln.
func NewSplit(ln net.Listener, config *tls.Config, log *slog.Logger) *Split {
	s := &Split{ln: ln, config: config, log: log,
		h1: newConnQueue(ln.Addr()), h2: newConnQueue(ln.Addr())}
	go s.accept()
	return s
}

// HTTP1 yields handshaken *tls.Conn that negotiated HTTP/1.1 or nothing.
func (s *Split) HTTP1() net.Listener { return s.h1 }

// HTTP2 yields handshaken *tls.Conn that negotiated h2.
func (s *Split) HTTP2() net.Listener { return s.h2 }

// Addr is the TCP address accepted on.
func (s *Split) Addr() net.Addr { return s.ln.Addr() }

// Close stops accepting; connections already handed out stay open.
func (s *Split) Close() error {
	err := s.ln.Close()
	s.h1.Close()
	s.h2.Close()
	return err
}

func (s *Split) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(100 * time.Millisecond)
				continue
			}
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("https: accepting connections failed", slog.Any("err", err))
			}
			s.h1.Close()
			s.h2.Close()
			return
		}
		go s.handshake(c)
	}
}

func (s *Split) handshake(c net.Conn) {
	tc := tls.Server(c, s.config)
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		s.log.Debug("https: TLS handshake failed", slog.String("remote", c.RemoteAddr().String()), slog.Any("err", err))
		c.Close()
		return
	}
	switch tc.ConnectionState().NegotiatedProtocol {
	case "h2":
		s.h2.put(tc)
	case acmeTLS1:
		tc.Close() // the challenge was answered in the handshake
	default:
		s.h1.put(tc)
	}
}

// connQueue is a net.Listener fed with connections by Split.
type connQueue struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (q *connQueue) put(c net.Conn) {
	select {
	case q.conns <- c:
	case <-q.done:
		c.Close()
	}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.conns:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.done) })
	return nil
}

func (q *connQueue) Addr() net.Addr { return q.addr }
