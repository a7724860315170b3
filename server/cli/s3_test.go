package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// s3Env is the environment of a ferry using m's bucket under prefix.
func s3Env(m *testkit.MinIOServer, prefix string, extra ...string) []string {
	env := append(m.Env(), "FERRY_S3_ENDPOINT="+m.Endpoint, "FERRY_S3_BUCKET="+m.Bucket,
		"FERRY_S3_PREFIX="+prefix, "FERRY_S3_PATH_STYLE=true")
	return append(env, extra...)
}

// adminClient is a testkit client logged in as the bootstrapped admin.
func adminClient(t *testing.T, base string) *testkit.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &testkit.Client{T: t, Base: base, Origin: base, HTTP: &http.Client{Jar: jar, Timeout: time.Minute}}
	if res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: adminEmail, Password: adminPassword}, nil); res.StatusCode != 200 {
		t.Fatalf("login: %d", res.StatusCode)
	}
	return c
}

func rootFolder(t *testing.T, c *testkit.Client) string {
	t.Helper()
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Shoot"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	return p.RootAssetID
}

func download(t *testing.T, c *testkit.Client, id string) []byte {
	t.Helper()
	res := c.Do("GET", "/api/v2/assets/"+id+"/original", nil, nil)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("original %s: %d %s", id, res.StatusCode, b)
	}
	return b
}

// TestRestoreFromS3: a server backs its metadata up into the bucket every
// interval; its machine is lost; `ferry restore --from s3://...` on a new
// data directory brings back every user, asset, link and comment, and the
// bytes are still in the bucket.
func TestRestoreFromS3(t *testing.T) {
	m := testkit.MinIO(t)
	env := s3Env(m, "site", "FERRY_STORAGE_BACKEND=s3", "FERRY_BACKUP_TO=s3", "FERRY_BACKUP_INTERVAL=5s")
	dir := dataDir(t)
	a := serve(t, dir, append(env, adminEnv...)...)
	mustRun(t, "mia password 1\n", env, "user", "add", "--data-dir", dir, "--email", "mia@example.com", "--name", "Mia", "--password-stdin")
	c := adminClient(t, a.URL)
	root := rootFolder(t, c)
	data := bytes.Repeat([]byte("ferry restore "), 100_000)
	id := c.Upload(root, "cut.mov", data, "filetype", "video/quicktime")
	if res := c.Do("POST", "/api/v2/assets/"+id+"/comments", model.NewComment{Text: "tighten the ending"}, nil); res.StatusCode != 201 {
		t.Fatalf("comment: %d", res.StatusCode)
	}
	var link model.ShareLink
	if res := c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowOriginal: model.Ptr(true)}, &link); res.StatusCode != 201 {
		t.Fatalf("share link: %d", res.StatusCode)
	}
	lastWrite := time.Now()

	// Wait for an increment made after the last write (one interval).
	poll.Until(t, 45*time.Second, func() error {
		if !incrementAfter(t, m, "site/backup/", lastWrite) {
			return fmt.Errorf("no backup increment after the last write: %v\n%s", m.Keys("site/backup/"), a.Stderr)
		}
		return nil
	})
	recoveryPoint := time.Since(lastWrite)

	// The machine is gone: kill -9, data directory destroyed.
	a.cmd.Process.Kill()
	<-a.done
	os.RemoveAll(dir)

	restored := dataDir(t)
	mustFail(t, "", env, []string{"restore", "--from", "s3://" + m.Bucket + "/nothing-here", "--data-dir", restored}, "no backup")
	start := time.Now()
	r := mustRun(t, "", env, "restore", "--from", "s3://"+m.Bucket+"/site", "--data-dir", restored)
	took := time.Since(start)
	t.Logf("recovery point %s after the last write (interval 5s); restore took %s: %s", recoveryPoint.Round(time.Millisecond), took.Round(time.Millisecond), strings.TrimSpace(r.stdout))
	mustFail(t, "", env, []string{"restore", "--from", "s3://" + m.Bucket + "/site", "--data-dir", restored}, "not empty")

	b := serve(t, restored, env...)
	c = adminClient(t, b.URL)
	mustLogin(t, b.URL, "mia@example.com", "mia password 1")
	if got := download(t, c, id); !bytes.Equal(got, data) {
		t.Fatalf("restored original: %d bytes, want %d", len(got), len(data))
	}
	res := c.Do("GET", "/api/v2/assets/"+id+"/comments", nil, nil)
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(b), "tighten the ending") {
		t.Fatalf("restored comments: %d %s", res.StatusCode, b)
	}
	v := &testkit.Client{T: t, Base: b.URL, HTTP: &http.Client{Timeout: time.Minute}}
	if res := v.Do("GET", "/api/v2/public/links/"+link.Key+"/assets/"+id+"/original?download=1", nil, nil); res.StatusCode != 200 {
		t.Fatalf("restored share link: %d", res.StatusCode)
	}
}

// incrementAfter reports whether an increment (not a chain's full backup)
// under prefix was written after t0.
func incrementAfter(t *testing.T, m *testkit.MinIOServer, prefix string, t0 time.Time) bool {
	for o := range m.Client.ListObjects(context.Background(), m.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if strings.HasSuffix(o.Key, ".badger") && !strings.HasSuffix(o.Key, "/00000000.badger") && o.LastModified.After(t0) {
			return true
		}
	}
	return false
}

var migratedRe = regexp.MustCompile(`(\d+) copied \((\d+) bytes\), (\d+) already there`)

// TestStorageMigrate moves the originals of a running disk server into the
// bucket while a client downloads, resumes, switches over, and moves back.
func TestStorageMigrate(t *testing.T) {
	const files = 1000
	m := testkit.MinIO(t)
	env := s3Env(m, "moved")
	dir := dataDir(t)
	a := serve(t, dir, adminEnv...)
	c := adminClient(t, a.URL)
	root := rootFolder(t, c)
	ids := make([]string, files)
	sums := map[string][32]byte{}
	for i := range ids {
		data := []byte(fmt.Sprintf("file %d %s", i, strings.Repeat("x", i)))
		ids[i] = c.Upload(root, fmt.Sprintf("f%04d.txt", i), data, "filetype", "text/plain")
		sums[ids[i]] = sha256.Sum256(data)
	}

	// A client keeps downloading while the migration runs: every download succeeds.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var downloads, failures atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := ids[i%files]
			res, err := c.HTTP.Get(a.URL + "/api/v2/assets/" + id + "/original")
			if err != nil {
				failures.Add(1)
				continue
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || sha256.Sum256(b) != sums[id] {
				failures.Add(1)
			}
			downloads.Add(1)
		}
	}()
	r := mustRun(t, "", env, "storage", "migrate", "--to", "s3", "--data-dir", dir)
	close(stop)
	wg.Wait()
	if got := migratedRe.FindStringSubmatch(r.stdout); got == nil || got[1] != fmt.Sprint(files) || got[3] != "0" {
		t.Fatalf("first migration: %q", r.stdout)
	}
	if downloads.Load() == 0 || failures.Load() > 0 {
		t.Fatalf("downloads during the migration: %d, failed %d", downloads.Load(), failures.Load())
	}
	// Resumable: a second run finds everything there and copies nothing.
	r = mustRun(t, "", env, "storage", "migrate", "--to", "s3", "--data-dir", dir)
	if got := migratedRe.FindStringSubmatch(r.stdout); got == nil || got[1] != "0" || got[3] != fmt.Sprint(files) {
		t.Fatalf("second migration: %q", r.stdout)
	}
	if n := len(m.Keys("moved/originals/")); n != files {
		t.Fatalf("%d objects in the bucket, want %d", n, files)
	}

	// Switch over: the local originals are removed; the server reads the bucket.
	a.Stop()
	if err := os.RemoveAll(filepath.Join(dir, "originals")); err != nil {
		t.Fatal(err)
	}
	b := serve(t, dir, append(env, "FERRY_STORAGE_BACKEND=s3")...)
	c = adminClient(t, b.URL)
	for _, id := range ids[:50] {
		if sha256.Sum256(download(t, c, id)) != sums[id] {
			t.Fatalf("%s differs after the switch to s3", id)
		}
	}
	b.Stop()

	// And back to the disk.
	r = mustRun(t, "", env, "storage", "migrate", "--to", "disk", "--data-dir", dir)
	if got := migratedRe.FindStringSubmatch(r.stdout); got == nil || got[1] != fmt.Sprint(files) {
		t.Fatalf("migration back: %q", r.stdout)
	}
	d := serve(t, dir)
	c = adminClient(t, d.URL)
	for _, id := range ids[len(ids)-50:] {
		if sha256.Sum256(download(t, c, id)) != sums[id] {
			t.Fatalf("%s differs after the move back to disk", id)
		}
	}
}
