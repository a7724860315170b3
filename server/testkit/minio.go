//go:build !js

package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/ferryhq/ferry/server/config"
)

// MinIOServer is a MinIO process (the S3-compatible store of the S3 tests)
// on a loopback port with its data in a temp dir, generated credentials
// and one bucket. MinIO is AGPL: it runs as a separate test tool, never
// linked into ferry.
type MinIOServer struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Bucket    string
	// Client talks to the store directly (to look behind Ferry's back).
	Client *minio.Client

	t    testing.TB
	bin  string
	addr string
	dir  string
	cmd  *exec.Cmd
	proc *process
}

// MinIO starts .tools/bin/minio (scripts/install-minio.sh), waits until it
// is live, makes a bucket, and stops it when the test ends.
func MinIO(t testing.TB) *MinIOServer {
	t.Helper()
	m := &MinIOServer{
		t:         t,
		bin:       ToolPath(t, "minio"),
		addr:      "127.0.0.1:" + strconv.Itoa(FreePort(t)),
		dir:       t.TempDir(),
		AccessKey: "ferry" + randomHex(t, 6),
		SecretKey: randomHex(t, 20),
		Bucket:    "ferry-test",
	}
	m.Endpoint = "http://" + m.addr
	m.Start()
	c, err := minio.New(m.addr, &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	m.Client = c
	if err := c.MakeBucket(context.Background(), m.Bucket, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatalf("minio: making bucket: %v", err)
	}
	return m
}

// Start (re)starts the process on the same address and data.
func (m *MinIOServer) Start() {
	m.t.Helper()
	cmd := exec.Command(m.bin, "server", "--quiet", "--address", m.addr,
		"--console-address", "127.0.0.1:"+strconv.Itoa(FreePort(m.t)), filepath.Join(m.dir, "data"))
	cmd.Env = append(CleanEnv(), "MINIO_ROOT_USER="+m.AccessKey, "MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "HOME="+m.dir)
	m.cmd = cmd
	m.proc = startProcess(m.t, "minio", cmd)
	m.proc.waitHTTP(m.t, &http.Client{Timeout: 5 * time.Second}, m.Endpoint+"/minio/health/live", 60*time.Second)
}

// Stop kills the process (as an outage would) and waits for it to exit.
func (m *MinIOServer) Stop() {
	_ = m.cmd.Process.Kill()
	<-m.proc.exited
}

// Output is what the process printed, for failure messages.
func (m *MinIOServer) Output() string { return m.proc.out.String() }

// Use points cfg at this store's bucket (bytes in the bucket under
// prefix), with the credentials as the environment would give them.
func (m *MinIOServer) Use(cfg *config.Config, prefix string) {
	cfg.Storage.Backend = "s3"
	cfg.S3.Endpoint, cfg.S3.Region, cfg.S3.Bucket, cfg.S3.Prefix = m.Endpoint, "us-east-1", m.Bucket, prefix
	cfg.S3.PathStyle = true
	cfg.S3.AccessKey, cfg.S3.SecretKey = m.AccessKey, m.SecretKey
}

// Env is the environment a ferry process needs for this store's credentials.
func (m *MinIOServer) Env() []string {
	return []string{"FERRY_S3_ACCESS_KEY=" + m.AccessKey, "FERRY_S3_SECRET_KEY=" + m.SecretKey}
}

// Keys lists the object names under prefix.
func (m *MinIOServer) Keys(prefix string) []string {
	m.t.Helper()
	var out []string
	for o := range m.Client.ListObjects(context.Background(), m.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			m.t.Fatalf("minio: listing %s: %v", prefix, o.Err)
		}
		out = append(out, o.Key)
	}
	return out
}

// IncompleteUploads lists the multipart uploads of object key not yet
// completed or aborted (they cost storage for nothing). MinIO lists them
// only per object key, not by prefix.
func (m *MinIOServer) IncompleteUploads(key string) []string {
	m.t.Helper()
	var out []string
	for u := range m.Client.ListIncompleteUploads(context.Background(), m.Bucket, key, false) {
		if u.Err != nil {
			m.t.Fatalf("minio: listing multipart uploads: %v", u.Err)
		}
		if u.Key == key {
			out = append(out, u.UploadID)
		}
	}
	return out
}

func randomHex(t testing.TB, n int) string { return hex.EncodeToString(RandomBytes(t, n)) }

// RandomBytes is n bytes from crypto/rand (file contents no compression or
// deduplication can shorten).
func RandomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// stores are the MinIO servers of FERRY_TEST_STORAGE=s3 runs, one per data
// directory, so a server restarted on its data finds its bytes again.
var stores sync.Map // data dir → *MinIOServer

// storageUnderTest is the switch that runs any test's servers on either
// backend: FERRY_TEST_STORAGE=s3 puts their bytes into a MinIO bucket
// (started for the data directory on first use), anything else keeps them
// on disk.
func storageUnderTest(t testing.TB, dataDir string) func(*config.Config) {
	if os.Getenv("FERRY_TEST_STORAGE") != "s3" {
		return func(*config.Config) {}
	}
	m, ok := stores.Load(dataDir)
	if !ok {
		// Asked for S3 by name: a missing MinIO fails rather than skipping
		// every test of the run.
		if _, err := os.Stat(filepath.Join(RepoRoot(t), ".tools", "bin", "minio")); err != nil {
			t.Fatalf("FERRY_TEST_STORAGE=s3 needs MinIO (scripts/install-minio.sh): %v", err)
		}
		m = MinIO(t)
		stores.Store(dataDir, m)
		t.Cleanup(func() { stores.Delete(dataDir) })
	}
	return func(cfg *config.Config) { m.(*MinIOServer).Use(cfg, "ferry") }
}

// OnDisk keeps a server's bytes on the local disk whatever
// FERRY_TEST_STORAGE says: for tests of the disk itself (free space,
// files in data/uploads).
func OnDisk(c *config.Config) { c.Storage.Backend = "disk" }
