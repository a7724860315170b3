package cli_test

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/testkit"
)

// TestServeRefusesABadBucket: `ferry serve` with storage.backend s3 and a
// bucket it cannot use exits at start with the reason (which setting to
// fix), and never prints the secret key it was given.
func TestServeRefusesABadBucket(t *testing.T) {
	m := testkit.MinIO(t)
	cases := []struct {
		name string
		env  []string
		want string
	}{
		{"wrong secret key", []string{"FERRY_S3_SECRET_KEY=wrong-secret-key-0123"}, "FERRY_S3_SECRET_KEY"},
		{"unknown access key", []string{"FERRY_S3_ACCESS_KEY=nobody-at-all"}, "FERRY_S3_ACCESS_KEY"},
		{"missing bucket", []string{"FERRY_S3_BUCKET=no-such-bucket"}, "bucket does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := append(s3Env(m, "ferry", "FERRY_STORAGE_BACKEND=s3"), append(adminEnv, c.env...)...)
			r := mustFail(t, "", env, []string{"serve", "--data-dir", dataDir(t), "--listen", "127.0.0.1:0"}, c.want)
			for _, secret := range []string{m.SecretKey, "wrong-secret-key-0123"} {
				if strings.Contains(r.stderr+r.stdout, secret) {
					t.Fatalf("the output shows a secret key:\n%s", r.stderr)
				}
			}
		})
	}
}
