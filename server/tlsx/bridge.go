//go:build !js

package tlsx

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// Bridge serves a fasthttp handler (the fiber app) to net/http, which
// speaks HTTP/2. Unlike fiber's adaptor it buffers nothing: the request
// body reaches the handler as a stream (as with fiber's StreamRequestBody),
// and a streamed response body (files, ZIPs) is copied to the client as it
// is read. The handler sees a connection that reports TLS, the client's
// address, and per-stream read and write deadlines, as tus needs.
type Bridge struct {
	Handler fasthttp.RequestHandler
	Log     *slog.Logger
	active  atomic.Int64
}

// Active is the number of requests inside the handler.
func (b *Bridge) Active() int64 { return b.active.Load() }

// ServeHTTP runs one request through the handler.
func (b *Bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.active.Add(1)
	defer b.active.Add(-1)

	ctx := new(fasthttp.RequestCtx)
	ctx.Init2(newStreamConn(w, r), logger{b.Log}, false)
	req := &ctx.Request
	req.Header.SetMethod(r.Method)
	req.SetRequestURI(r.RequestURI)
	req.Header.SetHost(r.Host)
	for k, vs := range r.Header {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Connection", "Host":
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
		req.SetBodyStream(r.Body, int(r.ContentLength)) // -1: length unknown
	}

	b.Handler(ctx)

	resp := &ctx.Response
	status := resp.StatusCode()
	noBody := status < 200 || status == http.StatusNoContent || status == http.StatusNotModified
	skipBody := noBody || r.Method == http.MethodHead
	h := w.Header()
	resp.Header.VisitAll(func(k, v []byte) {
		switch string(k) {
		case "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive":
			return
		}
		h.Add(string(k), string(v))
	})
	var body []byte
	length := resp.Header.ContentLength()
	if !resp.IsBodyStream() {
		body = resp.Body()
		if !skipBody || len(body) > 0 {
			length = len(body)
		}
	}
	if length >= 0 && !noBody {
		h.Set("Content-Length", strconv.Itoa(length))
	}
	w.WriteHeader(status)
	switch {
	case skipBody:
		resp.CloseBodyStream()
	case resp.IsBodyStream():
		if err := resp.BodyWriteTo(w); err != nil {
			b.Log.Debug("http2: writing a response body failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
	default:
		w.Write(body)
	}
}

// streamConn is the net.Conn a bridged request's handler sees. It is not
// read or written (the body and response go through the RequestCtx); it
// carries addresses, the TLS state and the stream's deadlines.
type streamConn struct {
	rc     *http.ResponseController
	tls    tls.ConnectionState
	local  net.Addr
	remote net.Addr
}

func newStreamConn(w http.ResponseWriter, r *http.Request) *streamConn {
	c := &streamConn{rc: http.NewResponseController(w), local: zeroAddr, remote: zeroAddr}
	if r.TLS != nil {
		c.tls = *r.TLS
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		c.local = a
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		c.remote = net.TCPAddrFromAddrPort(ap)
	}
	return c
}

var zeroAddr = &net.TCPAddr{IP: net.IPv4zero}

var errStreamConn = errors.New("tlsx: a bridged request has no connection to read or write")

func (c *streamConn) Read([]byte) (int, error)  { return 0, errStreamConn }
func (c *streamConn) Write([]byte) (int, error) { return 0, errStreamConn }
func (c *streamConn) Close() error              { return nil }
func (c *streamConn) LocalAddr() net.Addr       { return c.local }
func (c *streamConn) RemoteAddr() net.Addr      { return c.remote }

func (c *streamConn) SetDeadline(t time.Time) error {
	return errors.Join(c.rc.SetReadDeadline(t), c.rc.SetWriteDeadline(t))
}
func (c *streamConn) SetReadDeadline(t time.Time) error  { return c.rc.SetReadDeadline(t) }
func (c *streamConn) SetWriteDeadline(t time.Time) error { return c.rc.SetWriteDeadline(t) }

// Handshake and ConnectionState make fasthttp's IsTLS true, so fiber's
// c.Protocol() is "https" and cookies are Secure.
func (c *streamConn) Handshake() error                     { return nil }
func (c *streamConn) ConnectionState() tls.ConnectionState { return c.tls }

// logger is fasthttp's Logger on slog.
type logger struct{ log *slog.Logger }

func (l logger) Printf(format string, args ...any) { l.log.Warn(fmt.Sprintf(format, args...)) }
