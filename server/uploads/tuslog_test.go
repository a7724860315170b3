package uploads

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	xslog "golang.org/x/exp/slog"
)

// An aborted PATCH (tusd's BodyReadError with the client's early EOF) is
// logged by Ferry at info; other body errors stay errors in tusd's log.
func TestTusLogAbortedPatchIsInfo(t *testing.T) {
	var tusOut, ferryOut bytes.Buffer
	h := tusLog{inner: xslog.NewTextHandler(&tusOut, &xslog.HandlerOptions{Level: xslog.LevelWarn}),
		ferry: slog.New(slog.NewTextHandler(&ferryOut, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	log := xslog.New(h).With("method", "PATCH")
	// The message tusd v2.10.1 logs when a client dies mid-PATCH (seen here).
	log.Error("BodyReadError", "error", "ERR_UNEXPECTED_EOF: server expected to receive more bytes")
	if tusOut.Len() != 0 || !strings.Contains(ferryOut.String(), "level=INFO") || !strings.Contains(ferryOut.String(), "method=PATCH") {
		t.Fatalf("aborted PATCH: tusd log %q, ferry log %q", tusOut.String(), ferryOut.String())
	}
	ferryOut.Reset()
	log.Error("BodyReadError", "error", "write /data/uploads/x: input/output error")
	if !strings.Contains(tusOut.String(), "level=ERROR") || ferryOut.Len() != 0 {
		t.Fatalf("disk error: tusd log %q, ferry log %q", tusOut.String(), ferryOut.String())
	}
	tusOut.Reset()
	log.Info("ResponseOutgoing", "status", 204)
	if tusOut.Len() != 0 || ferryOut.Len() != 0 {
		t.Fatalf("info below tusd's level was logged: %q %q", tusOut.String(), ferryOut.String())
	}
}
