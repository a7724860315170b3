package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeFile writes a YAML config into a temp dir and returns its path.
func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ferry.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsWithNoFile(t *testing.T) {
	t.Chdir(t.TempDir()) // no ./ferry.yaml here
	c, err := Load("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, "127.0.0.1:8080"},
		{"data_dir", c.DataDir, "./data"},
		{"public_url", c.PublicURL, "http://127.0.0.1:8080"},
		{"site_name", c.SiteName, "Ferry"},
		{"domains", len(c.Domains), 0},
		{"https_listen", c.HTTPSListen, ""},
		{"http_listen", c.HTTPListen, ""},
		{"smtp.url", c.SMTP.URL, ""},
		{"limits.max_upload_bytes", c.Limits.MaxUploadBytes, int64(50 << 30)},
		{"limits.max_json_bytes", c.Limits.MaxJSONBytes, int64(1 << 20)},
		{"limits.upload_expiry", time.Duration(c.Limits.UploadExpiry), 7 * 24 * time.Hour},
		{"media.workers", c.Media.Workers, runtime.NumCPU()},
		{"auth.session_ttl", time.Duration(c.Auth.SessionTTL), 14 * 24 * time.Hour},
		{"auth.max_failures", c.Auth.MaxFailures, 5},
		{"auth.lock_duration", time.Duration(c.Auth.LockDuration), 15 * time.Minute},
		{"log_level", c.LogLevel, "info"},
		{"TLS()", c.TLS(), false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaultFileInWorkingDir(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("ferry.yaml", []byte("site_name: From CWD\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.SiteName != "From CWD" {
		t.Fatalf("site_name = %q, want ./ferry.yaml to be read", c.SiteName)
	}
}

func TestPrecedenceFlagsOverEnvOverFile(t *testing.T) {
	file := writeFile(t, `
listen: 127.0.0.1:1111
data_dir: /srv/file
site_name: File
log_level: warn
auth:
  session_ttl: 1h
`)
	env := []string{
		"FERRY_LISTEN=127.0.0.1:2222",
		"FERRY_SITE_NAME=Env",
		"FERRY_AUTH_SESSION_TTL=2h",
		"PATH=/usr/bin",              // not ours
		"FERRYLISTEN=127.0.0.1:9999", // no underscore: not ours
	}
	flags := map[string]string{"listen": "127.0.0.1:3333"}

	c, err := Load(file, env, flags)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, got, want string
	}{
		{"listen (file, env, flag)", c.Listen, "127.0.0.1:3333"},
		{"site_name (file, env)", c.SiteName, "Env"},
		{"auth.session_ttl (file, env)", time.Duration(c.Auth.SessionTTL).String(), "2h0m0s"},
		{"data_dir (file)", c.DataDir, "/srv/file"},
		{"log_level (file)", c.LogLevel, "warn"},
		{"limits.max_json_bytes (default)", strconv.FormatInt(c.Limits.MaxJSONBytes, 10), "1048576"},
		{"public_url (derived from the winning listen)", c.PublicURL, "http://127.0.0.1:3333"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.key, tt.got, tt.want)
		}
	}

	// Without the flag, env wins over the file; without both, the file wins.
	c, err = Load(file, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:2222" {
		t.Errorf("listen with env and file = %q, want env's 127.0.0.1:2222", c.Listen)
	}
	c, err = Load(file, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:1111" {
		t.Errorf("listen with file only = %q, want 127.0.0.1:1111", c.Listen)
	}
}

func TestEnvName(t *testing.T) {
	tests := []struct{ key, want string }{
		{"listen", "FERRY_LISTEN"},
		{"data_dir", "FERRY_DATA_DIR"},
		{"acme.ca_root", "FERRY_ACME_CA_ROOT"},
		{"limits.max_upload_bytes", "FERRY_LIMITS_MAX_UPLOAD_BYTES"},
		{"smtp.url", "FERRY_SMTP_URL"},
	}
	for _, tt := range tests {
		if got := EnvName(tt.key); got != tt.want {
			t.Errorf("EnvName(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// Every key can be set from the environment under its documented name.
func TestEnvSetsEveryKind(t *testing.T) {
	root := filepath.Join(t.TempDir(), "root.pem")
	if err := os.WriteFile(root, []byte("pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"FERRY_ACME_CA_ROOT=" + root,
		"FERRY_ACME_CA=https://ca.example/dir",
		"FERRY_LIMITS_MAX_UPLOAD_BYTES= 12345 ",
		"FERRY_DOMAINS=files.example.com, www.example.com,",
		"FERRY_TRUSTED_PROXIES=10.0.0.0/8,192.168.1.0/24",
		"FERRY_AUTH_LOCK_DURATION=90s",
		"FERRY_MEDIA_WORKERS=3",
		"FERRY_SMTP_URL=smtps://u:p@mail.example:465",
	}
	c, err := Load("", env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ACME.CARoot != root || c.ACME.CA != "https://ca.example/dir" {
		t.Errorf("acme = %+v", c.ACME)
	}
	if c.Limits.MaxUploadBytes != 12345 {
		t.Errorf("limits.max_upload_bytes = %d, want 12345", c.Limits.MaxUploadBytes)
	}
	if strings.Join(c.Domains, "|") != "files.example.com|www.example.com" {
		t.Errorf("domains = %q", c.Domains)
	}
	if len(c.TrustedProxies) != 2 {
		t.Errorf("trusted_proxies = %q", c.TrustedProxies)
	}
	if time.Duration(c.Auth.LockDuration) != 90*time.Second {
		t.Errorf("auth.lock_duration = %v", time.Duration(c.Auth.LockDuration))
	}
	if c.Media.Workers != 3 {
		t.Errorf("media.workers = %d", c.Media.Workers)
	}
	if c.SMTP.URL != "smtps://u:p@mail.example:465" {
		t.Errorf("smtp.url = %q", c.SMTP.URL)
	}
}

func TestKeysHaveDistinctEnvNames(t *testing.T) {
	var c Config
	seen := map[string]string{}
	valid := regexp.MustCompile(`^FERRY_[A-Z0-9_]+$`)
	for _, f := range Keys(&c) {
		n := EnvName(f.Key)
		if !valid.MatchString(n) {
			t.Errorf("key %q has env name %q", f.Key, n)
		}
		if other, ok := seen[n]; ok {
			t.Errorf("keys %q and %q share env name %s", f.Key, other, n)
		}
		seen[n] = f.Key
	}
	if len(seen) < 20 {
		t.Fatalf("only %d keys found; Keys does not walk nested sections", len(seen))
	}
}

// config.example.yaml documents every key (with its env name) and loads as is.
func TestExampleDocumentsEveryKey(t *testing.T) {
	path := filepath.Join("..", "..", "config.example.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, nil, nil); err != nil {
		t.Fatalf("config.example.yaml does not load: %v", err)
	}
	var c Config
	for _, f := range Keys(&c) {
		leaf := f.Key[strings.LastIndex(f.Key, ".")+1:]
		if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(leaf) + `:`).Match(b) {
			t.Errorf("config.example.yaml does not document %s", f.Key)
		}
		if !strings.Contains(string(b), EnvName(f.Key)) {
			t.Errorf("config.example.yaml does not name %s for %s", EnvName(f.Key), f.Key)
		}
	}
}

func TestUnknownKeysRefused(t *testing.T) {
	tests := []struct {
		name, file string
		flags      map[string]string
		want       string
	}{
		{"top-level key in file", "listen: 127.0.0.1:8080\nbogus_key: 1\n", nil, "bogus_key"},
		{"nested key in file", "acme:\n  ca_rooot: /x.pem\n", nil, "ca_rooot"},
		{"misspelt section", "limit:\n  max_upload_bytes: 1\n", nil, "limit"},
		{"unknown flag key", "", map[string]string{"listn": "127.0.0.1:1"}, "listn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file)
			_, err := Load(path, nil, tt.flags)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not name %q", err, tt.want)
			}
		})
	}
}

func TestUnknownEnvIgnored(t *testing.T) {
	// FERRY_ADMIN_* and the test's FERRY_BIN are not config keys.
	_, err := Load("", []string{"FERRY_ADMIN_EMAIL=a@example.com", "FERRY_BIN=/x"}, nil)
	if err != nil {
		t.Fatalf("non-key FERRY_* env refused: %v", err)
	}
}

func TestBadValuesRefusedNamingKey(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := []struct {
		name  string
		file  string
		env   []string
		flags map[string]string
		key   string
	}{
		{"listen without port (env)", "", []string{"FERRY_LISTEN=127.0.0.1"}, nil, "listen"},
		{"listen without port (flag)", "", nil, map[string]string{"listen": "localhost"}, "listen"},
		{"listen without port (file)", "listen: example.com\n", nil, nil, "listen"},
		{"listen with empty port", "", []string{"FERRY_LISTEN=0.0.0.0:"}, nil, "listen"},
		{"public_url not absolute", "", []string{"FERRY_PUBLIC_URL=files.example.com/ferry"}, nil, "public_url"},
		{"public_url bad scheme", "public_url: ftp://files.example.com\n", nil, nil, "public_url"},
		{"smtp.url bad scheme", "", []string{"FERRY_SMTP_URL=http://mail.example.com:25"}, nil, "smtp.url"},
		{"smtp.url without host", "smtp:\n  url: smtp://\n", nil, nil, "smtp.url"},
		{"trusted_proxies bad CIDR", "", []string{"FERRY_TRUSTED_PROXIES=10.0.0.0/8,10.0.0.0/33"}, nil, "trusted_proxies"},
		{"trusted_proxies bare address", "trusted_proxies: [10.0.0.1]\n", nil, nil, "trusted_proxies"},
		{"max_upload_bytes not an integer (env)", "", []string{"FERRY_LIMITS_MAX_UPLOAD_BYTES=50GB"}, nil, "limits.max_upload_bytes"},
		{"max_upload_bytes zero", "limits:\n  max_upload_bytes: 0\n", nil, nil, "limits.max_upload_bytes"},
		{"max_json_bytes tiny", "", []string{"FERRY_LIMITS_MAX_JSON_BYTES=10"}, nil, "limits.max_json_bytes"},
		{"media.workers not an integer", "", []string{"FERRY_MEDIA_WORKERS=many"}, nil, "media.workers"},
		{"session_ttl not a duration", "", []string{"FERRY_AUTH_SESSION_TTL=forever"}, nil, "auth.session_ttl"},
		{"max_failures zero", "", []string{"FERRY_AUTH_MAX_FAILURES=0"}, nil, "auth.max_failures"},
		{"log_level unknown", "", []string{"FERRY_LOG_LEVEL=verbose"}, nil, "log_level"},
		{"log_level unknown (file)", "log_level: loud\n", nil, nil, "log_level"},
		{"domain with a path", "", []string{"FERRY_DOMAINS=files.example.com/x"}, nil, "domains"},
		{"acme.ca_root missing", "", []string{"FERRY_ACME_CA_ROOT=" + missing}, nil, "acme.ca_root"},
		{"data_dir empty", "", nil, map[string]string{"data_dir": "  "}, "data_dir"},
		{"robots_txt not field: value (env)", "", []string{"FERRY_ROBOTS_TXT=false"}, nil, "robots_txt"},
		{"robots_txt blank", "robots_txt: \"  \\n\"\n", nil, nil, "robots_txt"},
		{"robots_txt a bad second line", "robots_txt: |\n  User-agent: *\n  Disallow /\n", nil, nil, "robots_txt"},
		{"robots_txt too long", "", []string{"FERRY_ROBOTS_TXT=" + strings.Repeat("# x\n", 200<<10)}, nil, "robots_txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeFile(t, tt.file)
			} else {
				t.Chdir(t.TempDir())
			}
			_, err := Load(path, tt.env, tt.flags)
			if err == nil {
				t.Fatal("accepted")
			}
			var ke *KeyError
			if !errors.As(err, &ke) {
				t.Fatalf("error %q is not a KeyError", err)
			}
			if ke.Key != tt.key {
				t.Fatalf("error names key %q, want %q (%v)", ke.Key, tt.key, err)
			}
			if !strings.Contains(err.Error(), tt.key) || ke.Reason == "" {
				t.Fatalf("message %q does not name %q with a reason", err, tt.key)
			}
		})
	}
}

func TestGoodValuesAccepted(t *testing.T) {
	// The counterparts of the refused values above.
	env := []string{
		"FERRY_LISTEN=:8080",
		"FERRY_PUBLIC_URL=https://files.example.com/",
		"FERRY_SMTP_URL=smtp://user:pass@mail.example.com:587",
		"FERRY_TRUSTED_PROXIES=10.0.0.0/8,::1/128",
		"FERRY_LIMITS_MAX_UPLOAD_BYTES=1024",
		"FERRY_LOG_LEVEL=debug",
		"FERRY_ROBOTS_TXT=# indexing allowed\nUser-agent: *\nDisallow:\n",
	}
	c, err := Load("", env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.RobotsTxt, "Disallow:\n") {
		t.Errorf("robots_txt = %q", c.RobotsTxt)
	}
	if c.PublicURL != "https://files.example.com" {
		t.Errorf("public_url = %q, want the trailing slash trimmed", c.PublicURL)
	}
}

func TestPublicURLFromListen(t *testing.T) {
	tests := []struct{ listen, want string }{
		{"127.0.0.1:9000", "http://127.0.0.1:9000"},
		{"0.0.0.0:9000", "http://localhost:9000"},
		{":9000", "http://localhost:9000"},
		{"[::]:9000", "http://localhost:9000"},
		{"files.lan:80", "http://files.lan:80"},
	}
	for _, tt := range tests {
		c, err := Load("", nil, map[string]string{"listen": tt.listen})
		if err != nil {
			t.Fatalf("listen %s: %v", tt.listen, err)
		}
		if c.PublicURL != tt.want {
			t.Errorf("listen %s: public_url = %q, want %q", tt.listen, c.PublicURL, tt.want)
		}
	}
}

func TestDomainsDeriveTLSSettings(t *testing.T) {
	tests := []struct {
		name                               string
		env                                []string
		httpsListen, httpListen, publicURL string
	}{
		{"defaults", []string{"FERRY_DOMAINS=files.example.com,cdn.example.com"},
			":443", ":80", "https://files.example.com"},
		{"explicit values kept", []string{"FERRY_DOMAINS=files.example.com", "FERRY_HTTPS_LISTEN=:8443",
			"FERRY_HTTP_LISTEN=:8081", "FERRY_PUBLIC_URL=https://share.example.com"},
			":8443", ":8081", "https://share.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", tt.env, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !c.TLS() {
				t.Error("TLS() = false with domains set")
			}
			if c.HTTPSListen != tt.httpsListen || c.HTTPListen != tt.httpListen || c.PublicURL != tt.publicURL {
				t.Errorf("https_listen=%q http_listen=%q public_url=%q, want %q %q %q",
					c.HTTPSListen, c.HTTPListen, c.PublicURL, tt.httpsListen, tt.httpListen, tt.publicURL)
			}
		})
	}
}

func TestDurationsInYAML(t *testing.T) {
	c, err := Load(writeFile(t, "auth:\n  session_ttl: 36h\n  lock_duration: 2m\nlimits:\n  upload_expiry: 30m\n"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(c.Auth.SessionTTL) != 36*time.Hour || time.Duration(c.Auth.LockDuration) != 2*time.Minute ||
		time.Duration(c.Limits.UploadExpiry) != 30*time.Minute {
		t.Fatalf("durations = %v %v %v", time.Duration(c.Auth.SessionTTL), time.Duration(c.Auth.LockDuration),
			time.Duration(c.Limits.UploadExpiry))
	}
	if _, err := Load(writeFile(t, "auth:\n  session_ttl: soon\n"), nil, nil); err == nil ||
		!strings.Contains(err.Error(), "soon") {
		t.Fatalf("bad duration in file: err = %v", err)
	}
}

func TestPathJoinsDataDir(t *testing.T) {
	c := Defaults()
	c.DataDir = "/srv/ferry"
	if got := c.Path("db"); got != "/srv/ferry/db" {
		t.Fatalf("Path(db) = %q", got)
	}
}
