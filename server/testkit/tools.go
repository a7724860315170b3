//go:build !js

package testkit

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit/poll"
)

// installHint tells how to get a missing tool.
const installHint = "run scripts/install-test-deps.sh (make test-deps)"

// RepoRoot is the directory holding go.mod, found by walking up from the
// working directory (a package's directory under go test).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// ToolPath returns <repo>/.tools/bin/<name>, or skips the test loudly when
// the scripts in scripts/ have not installed it.
func ToolPath(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(RepoRoot(t), ".tools", "bin", name)
	if info, err := os.Stat(path); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		skipMissing(t, "%s not installed at %s", name, path)
	}
	return path
}

// skipMissing skips a test whose external tool is missing, loudly. With
// FERRY_REQUIRE_TOOLS set (as CI can) it fails instead, so a broken install
// cannot pass as a run of skipped tests.
func skipMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; " + installHint
	if os.Getenv("FERRY_REQUIRE_TOOLS") != "" {
		t.Fatal("FERRY_REQUIRE_TOOLS is set but " + msg)
	}
	t.Skip("SKIP: " + msg)
}

// FreePort returns a loopback TCP port that was free a moment ago, for
// tools that must be told their port rather than report it.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// process is an external tool started for one test: its output is kept
// for failure messages and it is killed when the test ends.
type process struct {
	name   string
	out    *syncBuffer
	exited chan struct{}
	err    error // set before exited is closed
}

// startProcess starts cmd and arranges for it to be killed in t.Cleanup.
func startProcess(t testing.TB, name string, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{name: name, out: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// waitHTTP polls url until it answers 200, failing the test if the process
// exits first or timeout passes.
func (p *process) waitHTTP(t testing.TB, client *http.Client, url string, timeout time.Duration) {
	t.Helper()
	poll.Until(t, timeout, func() error {
		select {
		case <-p.exited:
			t.Fatalf("%s exited before answering %s: %v\n%s", p.name, url, p.err, p.out.String())
		default:
		}
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		return fmt.Errorf("%s did not answer %s: %v\n%s", p.name, url, err, p.out.String())
	})
}

// syncBuffer is a bytes.Buffer safe for a process writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FilesUnder is how many bytes, in how many files, lie under root (files
// being written, named ".*", aside; a missing root holds none).
func FilesUnder(t testing.TB, root string) (size int64, files int) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			size += info.Size()
			files++
		}
		return nil
	})
	return size, files
}
