package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageKeys: the s3 section is checked only when used, each refusal
// names its key, and the credentials are read from the environment only.
func TestStorageKeys(t *testing.T) {
	creds := []string{"FERRY_S3_ACCESS_KEY=AKIAEXAMPLE", "FERRY_S3_SECRET_KEY=secret-example-key"}
	s3 := map[string]string{"storage.backend": "s3", "s3.endpoint": "https://s3.example.com", "s3.bucket": "media"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range s3 {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name  string
		env   []string
		flags map[string]string
		want  string // "" = accepted
	}{
		{"disk needs no s3 section", nil, map[string]string{"storage.backend": "disk"}, ""},
		{"s3 with everything", creds, s3, ""},
		{"unknown backend", nil, map[string]string{"storage.backend": "nfs"}, "storage.backend"},
		{"no credentials", nil, s3, "FERRY_S3_ACCESS_KEY"},
		{"no bucket", creds, with(map[string]string{"s3.bucket": ""}), "s3.bucket"},
		{"plain http off loopback", creds, with(map[string]string{"s3.endpoint": "http://s3.example.com"}), "s3.endpoint"},
		{"http on loopback", creds, with(map[string]string{"s3.endpoint": "http://127.0.0.1:9000"}), ""},
		{"endpoint with a path", creds, with(map[string]string{"s3.endpoint": "https://s3.example.com/media"}), "s3.endpoint"},
		{"prefix climbing out", creds, with(map[string]string{"s3.prefix": "../other"}), "s3.prefix"},
		{"backup without a bucket", nil, map[string]string{"backup.to": "s3"}, "s3.endpoint"},
		{"backup to nowhere", nil, map[string]string{"backup.to": "tape"}, "backup.to"},
		{"backup too often", creds, with(map[string]string{"backup.to": "s3", "backup.interval": "1s"}), "backup.interval"},
		{"bad bool", creds, with(map[string]string{"s3.path_style": "maybe"}), "s3.path_style"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Load("", c.env, c.flags)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err %v, want one naming %s", err, c.want)
			case c.want == "" && len(c.env) > 0 && (cfg.S3.AccessKey != "AKIAEXAMPLE" || cfg.S3.SecretKey != "secret-example-key"):
				t.Fatalf("credentials not read from the environment: %q", cfg.S3.AccessKey)
			}
		})
	}
}

// TestS3CredentialsNotFromFile: a file naming the credentials is refused
// (they are not keys), and none appears among the keys a dump would list.
func TestS3CredentialsNotFromFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ferry.yaml")
	os.WriteFile(p, []byte("s3:\n  secret_key: hunter2\n"), 0o600)
	if _, err := Load(p, nil, nil); err == nil || !strings.Contains(err.Error(), "secret_key") {
		t.Fatalf("a secret in the file: %v, want it refused as an unknown field", err)
	}
	var c Config
	for _, f := range Keys(&c) {
		if strings.Contains(f.Key, "access_key") || strings.Contains(f.Key, "secret") {
			t.Errorf("key %s would be dumped", f.Key)
		}
	}
}
