//go:build !js

package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Node returns the path of node, or skips the test loudly without it.
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		skipMissing(t, "node not installed (apt-get install -y nodejs npm)")
	}
	return p
}

// TusUpload runs scripts/node/tus-upload.js, an upload with tus-js-client,
// with args (--endpoint URL --file PATH [--header 'K: V']... [--metadata
// k=v]... [--chunk-size N] [--stop-after BYTES] [--resume-url URL]) and
// returns what it printed: {"url": ..., "offset": ...}, see ParseTusResult.
// A failed upload returns an error carrying the script's stderr. The test
// is skipped loudly when node or the node packages are missing.
func TusUpload(t testing.TB, args ...string) (stdout string, err error) {
	t.Helper()
	node := Node(t)
	dir := filepath.Join(RepoRoot(t), "scripts", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "tus-js-client", "package.json")); err != nil {
		skipMissing(t, "tus-js-client not installed in %s/node_modules", dir)
	}
	cmd := exec.CommandContext(t.Context(), node, append([]string{filepath.Join(dir, "tus-upload.js")}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("tus-upload.js %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	return out.String(), nil
}

// TusResult is what tus-upload.js prints: the upload's URL and the offset
// the server acknowledged (the file size once complete).
type TusResult struct {
	URL    string `json:"url"`
	Offset int64  `json:"offset"`
}

// ParseTusResult decodes the output of TusUpload.
func ParseTusResult(t testing.TB, stdout string) TusResult {
	t.Helper()
	var r TusResult
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("tus-upload.js printed %q: %v", stdout, err)
	}
	return r
}

// AxeSource returns axe-core's axe.min.js (pinned in scripts/node), for
// browser tests to evaluate in a page over the DevTools protocol; the test
// is skipped loudly when it is not installed.
func AxeSource(t testing.TB) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "scripts", "node", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		skipMissing(t, "axe-core not installed at %s", p)
	}
	return string(b)
}

// UppyBundle is the path of Uppy 6 (@uppy/core with @uppy/tus) bundled for
// the browser by scripts/install-node-deps.sh; it defines the globals Uppy,
// UppyTus and UppyGetDroppedFiles. The test is skipped loudly without it.
func UppyBundle(t testing.TB) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "scripts", "node", "node_modules", ".ferry", "uppy.js")
	if _, err := os.Stat(p); err != nil {
		skipMissing(t, "the Uppy bundle %s is missing", p)
	}
	return p
}
