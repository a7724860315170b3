package uploads

import (
	"context"
	"log/slog"
	"strings"

	xslog "golang.org/x/exp/slog"
)

// tusLog is tusd's log handler with one change: a PATCH whose client went
// away (or whose link was revoked) is not a server error. tusd logs it as
// "BodyReadError" at error level; it goes to Ferry's log at info instead,
// and the client resumes from the offset it asks for.
type tusLog struct {
	inner xslog.Handler
	ferry *slog.Logger
	attrs []xslog.Attr
}

// clientGone are what a body read fails with when the client stopped sending.
var clientGone = []string{"ERR_UNEXPECTED_EOF", "connection reset", "broken pipe", "use of closed network connection", "ERR_LINK_REVOKED", "revoked"}

func (h tusLog) Enabled(ctx context.Context, l xslog.Level) bool {
	return l >= xslog.LevelError || h.inner.Enabled(ctx, l)
}

func (h tusLog) Handle(ctx context.Context, r xslog.Record) error {
	if r.Message == "BodyReadError" && r.Level >= xslog.LevelError {
		var msg string
		var args []any
		for _, a := range h.attrs {
			args = append(args, a.Key, a.Value.String())
		}
		r.Attrs(func(a xslog.Attr) bool {
			if a.Key == "error" {
				msg = a.Value.String()
			}
			args = append(args, a.Key, a.Value.String())
			return true
		})
		for _, s := range clientGone {
			if strings.Contains(msg, s) {
				if h.ferry != nil {
					h.ferry.Info("upload PATCH ended early; the client may resume", args...)
				}
				return nil
			}
		}
	}
	if !h.inner.Enabled(ctx, r.Level) {
		return nil
	}
	return h.inner.Handle(ctx, r)
}

func (h tusLog) WithAttrs(attrs []xslog.Attr) xslog.Handler {
	return tusLog{inner: h.inner.WithAttrs(attrs), ferry: h.ferry, attrs: append(append([]xslog.Attr{}, h.attrs...), attrs...)}
}

func (h tusLog) WithGroup(name string) xslog.Handler {
	return tusLog{inner: h.inner.WithGroup(name), ferry: h.ferry, attrs: h.attrs}
}
