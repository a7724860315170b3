//go:build !js

package backup_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/backup"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
)

func bucket(t *testing.T, m *testkit.MinIOServer, prefix string) *storage.S3 {
	t.Helper()
	b, err := storage.NewS3(storage.S3Options{Endpoint: m.Endpoint, Region: "us-east-1", Bucket: m.Bucket,
		Prefix: prefix, PathStyle: true, AccessKey: m.AccessKey, SecretKey: m.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func put(t *testing.T, st *store.Store, key, value string) {
	t.Helper()
	if err := st.Update(func(tx *store.Tx) error { return tx.Put(key, value) }); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementsRestore: a full backup, increments with new, changed and
// deleted keys, a restore that sees the last state; retention drops old chains.
func TestIncrementsRestore(t *testing.T) {
	m := testkit.MinIO(t)
	b := bucket(t, m, "site")
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	os.WriteFile(filepath.Join(dir, "secret.key"), []byte("0123456789abcdef0123456789abcdef"), 0o600)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	c := &backup.Continuous{Store: st, Bucket: b, SecretPath: filepath.Join(dir, "secret.key"), TempDir: dir,
		Interval: time.Minute, FullEvery: 3, Keep: 2, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return now }}

	put(t, st, "user/a", "alice")
	put(t, st, "user/gone", "bob")
	if err := c.Once(); err != nil { // chain 1, full
		t.Fatal(err)
	}
	put(t, st, "user/c", "carol")
	put(t, st, "user/a", "alice 2")
	if err := c.Once(); err != nil { // increment 1
		t.Fatal(err)
	}
	if err := c.Once(); err != nil { // nothing changed: no object
		t.Fatal(err)
	}
	st.Update(func(tx *store.Tx) error { return tx.Delete("user/gone") })
	put(t, st, "user/d", "dan")
	if err := c.Once(); err != nil { // increment 2
		t.Fatal(err)
	}
	if got := len(m.Keys("site/backup/")); got != 4 {
		t.Fatalf("objects %v, want the secret key, a full backup and two increments", m.Keys("site/backup/"))
	}

	restored := filepath.Join(t.TempDir(), "new")
	chain, n, err := backup.Restore(context.Background(), b, restored)
	if err != nil || n != 3 {
		t.Fatalf("restore: chain %s, %d parts, %v", chain, n, err)
	}
	rs, err := store.Open(filepath.Join(restored, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"user/a": "alice 2", "user/c": "carol", "user/d": "dan", "user/gone": ""}
	rs.View(func(tx *store.Tx) error {
		for k, v := range want {
			var got string
			err := tx.Get(k, &got)
			if v == "" && !errors.Is(err, store.ErrNotFound) || v != "" && got != v {
				t.Errorf("restored %s = %q (%v), want %q", k, got, err, v)
			}
		}
		return nil
	})
	rs.Close()
	if key, _ := os.ReadFile(filepath.Join(restored, "secret.key")); string(key) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("restored secret key %q", key)
	}

	// Two more chains (FullEvery 3): the first is pruned (Keep 2).
	for i := 0; i < 6; i++ {
		now = now.Add(time.Minute)
		put(t, st, fmt.Sprintf("user/n%d", i), "x")
		if err := c.Once(); err != nil {
			t.Fatal(err)
		}
	}
	chains, err := backup.Chains(context.Background(), b)
	if err != nil || len(chains) != 2 || chains[0] == chain {
		t.Fatalf("chains after retention: %v %v (first was %s)", chains, err, chain)
	}
}
