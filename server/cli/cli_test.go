package cli_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// bin is the ferry binary under test: $FERRY_BIN, or built once here.
var bin string

func TestMain(m *testing.M) {
	bin = os.Getenv("FERRY_BIN")
	var tmp string
	if bin == "" {
		var err error
		tmp, err = os.MkdirTemp("", "ferry-cli-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		bin = filepath.Join(tmp, "ferry")
		out, err := exec.Command("go", "build", "-o", bin, "github.com/ferryhq/ferry").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "building ferry: %v\n%s", err, out)
			os.RemoveAll(tmp)
			os.Exit(1)
		}
	}
	code := m.Run()
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	os.Exit(code)
}

const (
	adminEmail    = "boss@example.com"
	adminPassword = "boss password 1"
)

// adminEnv bootstraps the first admin.
var adminEnv = []string{"FERRY_ADMIN_EMAIL=" + adminEmail, "FERRY_ADMIN_PASSWORD=" + adminPassword}

// environ is this process's environment without FERRY_* settings, plus env.
func environ(env ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FERRY_") {
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// lockedBuffer collects a process's output while tests read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type result struct {
	stdout, stderr string
	code           int
	elapsed        time.Duration
}

// run runs ferry to completion (at most a minute) with stdin and env.
func run(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = t.TempDir() // no ./ferry.yaml
	cmd.Env = environ(env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("ferry %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("ferry %s did not finish within a minute; stderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// mustRun is run that requires success.
func mustRun(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	r := run(t, stdin, env, args...)
	if r.code != 0 {
		t.Fatalf("ferry %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// mustFail is run that requires failure with a message holding all of want.
func mustFail(t *testing.T, stdin string, env []string, args []string, want ...string) result {
	t.Helper()
	r := run(t, stdin, env, args...)
	if r.code == 0 {
		t.Fatalf("ferry %s succeeded, want a failure\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.stdout, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("ferry %s: stderr does not mention %q:\n%s", strings.Join(args, " "), w, r.stderr)
		}
	}
	return r
}

// server is a running `ferry serve` process.
type server struct {
	URL     string
	DataDir string
	Stderr  *lockedBuffer
	cmd     *exec.Cmd
	done    chan struct{}
}

var listenRe = regexp.MustCompile(`msg="ferry is serving".* listen=(\S+)`)

// serve starts `ferry serve` on dataDir and a free loopback port and waits
// until it listens; it is stopped when the test ends.
func serve(t *testing.T, dataDir string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0")
	cmd.Dir = t.TempDir()
	cmd.Env = environ(env...)
	pr, pw := io.Pipe()
	s := &server{DataDir: dataDir, Stderr: &lockedBuffer{}, cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = io.MultiWriter(s.Stderr, pw)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	t.Cleanup(s.Stop)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case <-s.done:
		t.Fatalf("ferry serve exited at start:\n%s", s.Stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("ferry serve did not listen within 30s:\n%s", s.Stderr)
	}
	return s
}

// Stop ends the server gracefully (SIGTERM), killing it if it hangs.
func (s *server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// login logs in over HTTP and returns the status and a client holding the session.
func login(t *testing.T, base, email, password string) (int, *http.Client) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, _ := http.NewRequest("POST", base+"/api/v2/auth/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, c
}

func mustLogin(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	status, c := login(t, base, email, password)
	if status != 200 {
		t.Fatalf("login as %s: status %d", email, status)
	}
	return c
}

// get sends GET path with an optional bearer token and decodes JSON into out.
func get(t *testing.T, c *http.Client, base, path, token string, out any) int {
	t.Helper()
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	req, _ := http.NewRequest("GET", base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode == 200 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}

// dataDir is a fresh, not yet existing data directory (short, for the socket path).
func dataDir(t *testing.T) string { return filepath.Join(t.TempDir(), "d") }

func TestVersion(t *testing.T) {
	r := mustRun(t, "", nil, "version")
	if !regexp.MustCompile(`^ferry \S+\n$`).MatchString(r.stdout) {
		t.Fatalf("version printed %q", r.stdout)
	}
}

func TestUnknownCommand(t *testing.T) {
	r := run(t, "", nil, "frobnicate")
	if r.code == 0 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestBootstrapAdminFromEnv(t *testing.T) {
	s := serve(t, dataDir(t), adminEnv...)
	c := mustLogin(t, s.URL, adminEmail, adminPassword)
	var m model.Me
	if st := get(t, c, s.URL, "/api/v2/me", "", &m); st != 200 || m.Email != adminEmail || m.Role != "admin" {
		t.Fatalf("me: %d %+v", st, m)
	}
	if strings.Contains(s.Stderr.String(), "/setup?token=") {
		t.Fatal("a setup URL was printed although the admin came from the environment")
	}
	if strings.Contains(s.Stderr.String(), adminPassword) {
		t.Fatal("the admin password was logged")
	}
	if st, _ := login(t, s.URL, adminEmail, "not the password"); st != 401 {
		t.Fatalf("wrong password: %d", st)
	}
}

func TestSetupURLWithoutAdminEnv(t *testing.T) {
	s := serve(t, dataDir(t))
	// The URL is printed just before the server listens; give it a moment.
	re := regexp.MustCompile(`(http://\S+)/setup\?token=([A-Za-z0-9_-]{20,})`)
	var m []string
	poll.True(5*time.Second, func() bool { m = re.FindStringSubmatch(s.Stderr.String()); return m != nil })
	if m == nil {
		t.Fatalf("no setup URL on stderr:\n%s", s.Stderr)
	}
	if m[1] != s.URL {
		t.Fatalf("setup URL base %s, want the server's %s", m[1], s.URL)
	}
	var status map[string]bool
	if st := get(t, nil, s.URL, "/api/v2/setup", "", &status); st != 200 || !status["needed"] {
		t.Fatalf("setup status %d %v", st, status)
	}
}

func TestUserAddServerStopped(t *testing.T) {
	dir := dataDir(t)
	add := []string{"user", "add", "--data-dir", dir, "--email", "Mia@Example.com", "--name", "Mia", "--role", "member", "--password-stdin"}
	r := mustRun(t, "mia password 1\n", nil, add...)
	if !strings.Contains(r.stdout, "mia@example.com") || !strings.Contains(r.stdout, "member") {
		t.Fatalf("user add printed %q", r.stdout)
	}
	// Refusals, each with its reason.
	mustFail(t, "mia password 1\n", nil, add, "already exists")
	mustFail(t, "short\n", nil, []string{"user", "add", "--data-dir", dir, "--email", "x@example.com", "--name", "X", "--password-stdin"}, "at least 8")
	mustFail(t, "long enough\n", nil, []string{"user", "add", "--data-dir", dir, "--email", "x@example.com", "--name", "X", "--role", "owner", "--password-stdin"}, "role")
	mustFail(t, "long enough\n", nil, []string{"user", "add", "--data-dir", dir, "--email", "not-an-email", "--name", "X", "--password-stdin"}, "not-an-email")
	mustFail(t, "", nil, []string{"user", "add", "--data-dir", dir, "--email", "x@example.com", "--name", "X", "--password", "on-the-command-line"}, "password")
	mustFail(t, "long enough\n", nil, []string{"user", "add", "--data-dir", dir, "--email", "x@example.com", "--name", "X"}, "--password-stdin")

	s := serve(t, dir)
	c := mustLogin(t, s.URL, "mia@example.com", "mia password 1")
	var m model.Me
	if st := get(t, c, s.URL, "/api/v2/me", "", &m); st != 200 || m.Role != "member" {
		t.Fatalf("me: %d %+v", st, m)
	}
	if st, _ := login(t, s.URL, "x@example.com", "long enough"); st != 401 {
		t.Fatalf("a refused user can log in: %d", st)
	}
}

func TestUserAddServerRunning(t *testing.T) {
	dir := dataDir(t)
	s := serve(t, dir, adminEnv...)
	sock := filepath.Join(dir, "ferry.sock")
	st, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&os.ModeSocket == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: mode %v, want a socket with 0600", sock, st.Mode())
	}

	add := []string{"user", "add", "--data-dir", dir, "--email", "ops@example.com", "--name", "Ops", "--role", "admin", "--password-stdin"}
	r := mustRun(t, "ops password 1\n", nil, add...)
	if !strings.Contains(r.stdout, "ops@example.com") {
		t.Fatalf("user add printed %q", r.stdout)
	}
	mustFail(t, "ops password 1\n", nil, add, "already exists")
	mustFail(t, "short\n", nil, []string{"user", "add", "--data-dir", dir, "--email", "y@example.com", "--name", "Y", "--password-stdin"}, "at least 8")

	// The running server knows the new user at once.
	c := mustLogin(t, s.URL, "ops@example.com", "ops password 1")
	var m model.Me
	if code := get(t, c, s.URL, "/api/v2/me", "", &m); code != 200 || m.Role != "admin" {
		t.Fatalf("me: %d %+v", code, m)
	}

	s.Stop()
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left after the server stopped: %v", err)
	}
	// With the server gone the command opens the directory itself.
	mustRun(t, "late password 1\n", nil, "user", "add", "--data-dir", dir, "--email", "late@example.com", "--name", "Late", "--password-stdin")
}

var tokenLine = regexp.MustCompile(`^fy_[A-Za-z0-9_-]{43}\n$`)

func TestTokenCreate(t *testing.T) {
	t.Run("server stopped", func(t *testing.T) {
		dir := dataDir(t)
		mustRun(t, "mia password 1\n", nil, "user", "add", "--data-dir", dir, "--email", "mia@example.com", "--name", "Mia", "--role", "member", "--password-stdin")
		r := mustRun(t, "", nil, "token", "create", "--data-dir", dir, "--email", "mia@example.com", "--name", "ci", "--scopes", "projects.read")
		if !tokenLine.MatchString(r.stdout) {
			t.Fatalf("token create printed %q, want one fy_ line", r.stdout)
		}
		mustFail(t, "", nil, []string{"token", "create", "--data-dir", dir, "--email", "mia@example.com", "--name", "ci", "--scopes", "projects.write"}, "projects.write")
		mustFail(t, "", nil, []string{"token", "create", "--data-dir", dir, "--email", "nobody@example.com", "--name", "ci", "--scopes", "projects.read"}, "nobody@example.com")

		s := serve(t, dir)
		tok := strings.TrimSpace(r.stdout)
		var m model.Me
		if st := get(t, nil, s.URL, "/api/v2/me", tok, &m); st != 200 || m.Email != "mia@example.com" || strings.Join(m.Scopes, ",") != "projects.read" {
			t.Fatalf("me with the token: %d %+v", st, m)
		}
	})
	t.Run("server running", func(t *testing.T) {
		dir := dataDir(t)
		s := serve(t, dir, adminEnv...)
		r := mustRun(t, "", nil, "token", "create", "--data-dir", dir, "--email", adminEmail, "--name", "ci", "--scopes", "projects.read, assets.create")
		if !tokenLine.MatchString(r.stdout) {
			t.Fatalf("token create printed %q, want one fy_ line", r.stdout)
		}
		tok := strings.TrimSpace(r.stdout)
		var m model.Me
		if st := get(t, nil, s.URL, "/api/v2/me", tok, &m); st != 200 || m.Email != adminEmail ||
			strings.Join(m.Scopes, ",") != "assets.create,projects.read" {
			t.Fatalf("me with the token: %d %+v", st, m)
		}
		// Scopes limit it even though its user is an admin.
		if st := get(t, nil, s.URL, "/api/v2/users", tok, nil); st != 403 {
			t.Fatalf("GET /users without users.read: %d, want 403", st)
		}
		mustFail(t, "", nil, []string{"token", "create", "--data-dir", dir, "--email", adminEmail, "--name", "ci", "--scopes", "everything"}, "everything")
		mustFail(t, "", nil, []string{"token", "create", "--data-dir", dir, "--email", adminEmail, "--name", "ci"}, "scope")
	})
}

// backupEntries lists the names in a backup tar.
func backupEntries(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not a tar: %v", path, err)
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	return names
}

func TestBackupWhileRunningAndRestore(t *testing.T) {
	dir := dataDir(t)
	a := serve(t, dir, adminEnv...)
	mustRun(t, "mia password 1\n", nil, "user", "add", "--data-dir", dir, "--email", "mia@example.com", "--name", "Mia", "--password-stdin")

	out := filepath.Join(t.TempDir(), "ferry.tar")
	r := mustRun(t, "", nil, "backup", "--data-dir", dir, "--out", out)
	if !strings.Contains(r.stdout, out) {
		t.Fatalf("backup printed %q", r.stdout)
	}
	if got := strings.Join(backupEntries(t, out), ","); got != "db.badger,manifest.json,secret.key" {
		t.Fatalf("backup holds %s", got)
	}
	if _, err := os.Stat(out + ".partial"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("backup left its .partial file")
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Fatalf("backup mode %v, want 0600 (it holds the secret key)", st.Mode().Perm())
	}

	// Restore refuses a running server's directory and any non-empty one.
	mustFail(t, "", nil, []string{"restore", "--in", out, "--data-dir", dir}, "running", dir)
	busy := filepath.Join(t.TempDir(), "busy")
	os.MkdirAll(busy, 0o700)
	os.WriteFile(filepath.Join(busy, "keep.txt"), []byte("mine"), 0o600)
	mustFail(t, "", nil, []string{"restore", "--in", out, "--data-dir", busy}, "not empty")
	if entries, _ := os.ReadDir(busy); len(entries) != 1 {
		t.Fatalf("a refused restore wrote into %s: %v", busy, entries)
	}
	mustFail(t, "", nil, []string{"restore", "--in", filepath.Join(t.TempDir(), "missing.tar"), "--data-dir", dataDir(t)}, "missing.tar")

	restored := dataDir(t)
	mustRun(t, "", nil, "restore", "--in", out, "--data-dir", restored)
	k1, _ := os.ReadFile(filepath.Join(dir, "secret.key"))
	k2, _ := os.ReadFile(filepath.Join(restored, "secret.key"))
	if len(k1) < 32 || !bytes.Equal(k1, k2) {
		t.Fatal("the restored secret key differs")
	}

	b := serve(t, restored)
	if b.URL == a.URL {
		t.Fatal("both servers on one address")
	}
	c := mustLogin(t, b.URL, adminEmail, adminPassword)
	mustLogin(t, b.URL, "mia@example.com", "mia password 1")
	var users []model.User
	if st := get(t, c, b.URL, "/api/v2/users", "", &users); st != 200 || len(users) != 2 {
		t.Fatalf("restored users: %d %+v", st, users)
	}

	// Offline backup of the restored copy works too.
	b.Stop()
	out2 := filepath.Join(t.TempDir(), "again.tar")
	mustRun(t, "", nil, "backup", "--data-dir", restored, "--out", out2)
	if got := strings.Join(backupEntries(t, out2), ","); got != "db.badger,manifest.json,secret.key" {
		t.Fatalf("offline backup holds %s", got)
	}
}

// makeTar writes a tar with the given entries (name → content).
func makeTar(t *testing.T, entries ...[2]string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		tw.WriteHeader(&tar.Header{Name: e[0], Mode: 0o600, Size: int64(len(e[1]))})
		tw.Write([]byte(e[1]))
	}
	tw.Close()
	p := filepath.Join(t.TempDir(), "b.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRestoreRefusesBadBackup(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.tar")
	os.WriteFile(junk, []byte("this is not a tar file at all, not even close"), 0o600)
	manifest := [2]string{"manifest.json", `{"format":1}`}
	tests := []struct {
		name, in, want string
	}{
		{"not a tar", junk, "reading backup"},
		{"empty tar", makeTar(t), "incomplete"},
		{"no database", makeTar(t, manifest, [2]string{"secret.key", strings.Repeat("k", 32)}), "incomplete"},
		{"foreign manifest", makeTar(t, [2]string{"manifest.json", `{"format":7}`}), "manifest"},
		{"entry outside the data dir", makeTar(t, manifest, [2]string{"../escaped", "x"}), "outside"},
		{"absolute entry", makeTar(t, manifest, [2]string{"/tmp/escaped", "x"}), "outside"},
		{"unknown entry", makeTar(t, manifest, [2]string{"etc/passwd", "x"}), "unexpected entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := dataDir(t)
			mustFail(t, "", nil, []string{"restore", "--in", tt.in, "--data-dir", target}, tt.want)
			if _, err := os.Stat(filepath.Join(filepath.Dir(target), "escaped")); err == nil {
				t.Fatal("an entry was written outside the data directory")
			}
		})
	}
}

func TestSecondServeOnHeldDirFails(t *testing.T) {
	dir := dataDir(t)
	s := serve(t, dir, adminEnv...)
	r := mustFail(t, "", nil, []string{"serve", "--data-dir", dir, "--listen", "127.0.0.1:0"}, dir, "in use")
	if r.elapsed > time.Second {
		t.Fatalf("the second serve took %v to fail, want under 1s", r.elapsed)
	}
	// The first server is unharmed.
	if st := get(t, nil, s.URL, "/healthz", "", nil); st != 200 {
		t.Fatalf("first server /healthz: %d", st)
	}
	mustLogin(t, s.URL, adminEmail, adminPassword)
}

func TestServeRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  []string
		want []string
	}{
		{"unknown key in file", "listen: 127.0.0.1:0\nbogus_key: 1\n", nil, []string{"bogus_key"}},
		{"unknown nested key", "smtp:\n  host: mail.example.com\n", nil, []string{"host"}},
		{"bad log level", "log_level: loud\n", nil, []string{"log_level"}},
		{"bad smtp url", "smtp:\n  url: http://mail.example.com\n", nil, []string{"smtp.url"}},
		{"bad env value", "", []string{"FERRY_LIMITS_MAX_UPLOAD_BYTES=lots"}, []string{"limits.max_upload_bytes", "FERRY_LIMITS_MAX_UPLOAD_BYTES"}},
		{"listen without port", "", []string{"FERRY_LISTEN=127.0.0.1"}, []string{"listen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := dataDir(t)
			args := []string{"serve", "--data-dir", dir}
			if tt.file != "" {
				cfg := filepath.Join(t.TempDir(), "ferry.yaml")
				os.WriteFile(cfg, []byte(tt.file), 0o600)
				args = append(args, "--config", cfg)
			}
			if tt.env == nil {
				args = append(args, "--listen", "127.0.0.1:0")
			}
			mustFail(t, "", tt.env, args, tt.want...)
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("a refused config still created the data directory")
			}
		})
	}
	mustFail(t, "", nil, []string{"serve", "--config", filepath.Join(t.TempDir(), "nope.yaml")}, "nope.yaml")
}

func TestDataDirNotWritable(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	os.WriteFile(file, []byte("x"), 0o600)
	under := filepath.Join(file, "sub")
	mustFail(t, "", nil, []string{"serve", "--data-dir", under, "--listen", "127.0.0.1:0"}, "data_dir", under)
	mustFail(t, "long enough\n", nil, []string{"user", "add", "--data-dir", under, "--email", "x@example.com", "--name", "X", "--password-stdin"}, "data_dir", under)
	if os.Geteuid() == 0 {
		t.Log("running as root: skipping the read-only directory case (root writes anywhere)")
		return
	}
	ro := filepath.Join(base, "ro")
	os.Mkdir(ro, 0o500)
	mustFail(t, "", nil, []string{"serve", "--data-dir", ro, "--listen", "127.0.0.1:0"}, "not writable", ro)
}
