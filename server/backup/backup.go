//go:build !js

// Package backup copies Ferry's metadata into the object store as it
// changes and brings it back on a new machine. Every Interval the Badger
// entries written since the last run go up as one increment (Badger's
// incremental backup); every FullEvery increments a new chain starts with a
// full backup, and chains beyond Keep are removed. A chain is
//
//	<prefix>backup/<chain>/secret.key
//	<prefix>backup/<chain>/<seq:08d>.badger   (seq 0 is the full backup)
//
// where chain is the UTC start time (20061207T121314Z), so names sort by age.
package backup

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// Dir is the key prefix (under the store's own prefix) of the backups.
const Dir = "backup/"

// Continuous is the running backup of one data directory.
type Continuous struct {
	Store      *store.Store
	Bucket     *storage.S3
	SecretPath string // data_dir/secret.key, which the sessions and link keys need
	TempDir    string // where an increment is written before it goes up
	Interval   time.Duration
	FullEvery  int // increments per chain (a new full backup after these)
	Keep       int // chains kept
	Log        *slog.Logger
	Now        func() time.Time

	chain string
	seq   int
	since uint64
}

// Run backs up now and then every Interval until ctx ends, and once more
// at the end so a clean stop loses nothing.
func (c *Continuous) Run(ctx context.Context) {
	for {
		if err := c.Once(); err != nil {
			c.Log.Error("metadata backup failed; will retry", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			if err := c.Once(); err != nil {
				c.Log.Error("final metadata backup failed", slog.Any("err", err))
			}
			return
		case <-time.After(c.Interval):
		}
	}
}

func (c *Continuous) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Once uploads what changed since the last call (everything on the first
// call of a chain). It is not safe to call from two goroutines at once.
func (c *Continuous) Once() error {
	if c.chain == "" || c.FullEvery > 0 && c.seq >= c.FullEvery {
		chain := c.now().UTC().Format("20060102T150405Z")
		if chain <= c.chain { // two chains within a second
			chain = c.chain + "-1"
		}
		if err := c.Bucket.Import(copyOf(c.SecretPath, c.TempDir), Dir+chain+"/secret.key"); err != nil {
			return fmt.Errorf("backup: secret key: %w", err)
		}
		c.chain, c.seq, c.since = chain, 0, 0
	}
	f, err := os.CreateTemp(c.TempDir, ".backup-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	maxVersion, err := c.Store.DB.Backup(f, c.since)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if c.seq > 0 && maxVersion <= c.since {
		return nil // nothing written since the last increment
	}
	key := fmt.Sprintf("%s%s/%08d.badger", Dir, c.chain, c.seq)
	if err := c.Bucket.Import(tmp, key); err != nil {
		return fmt.Errorf("backup: uploading %s: %w", key, err)
	}
	c.seq++
	// Not maxVersion+1 as Badger's doc says: its stream reads versions
	// strictly above SinceTs, so +1 would skip the next commit (tested).
	c.since = maxVersion
	if c.seq == 1 {
		return c.prune()
	}
	return nil
}

// copyOf copies a small file into dir (Import moves what it is given).
func copyOf(src, dir string) string {
	b, err := os.ReadFile(src)
	if err != nil {
		return src // Import reports the missing file
	}
	f, err := os.CreateTemp(dir, ".secret-*")
	if err != nil {
		return src
	}
	f.Write(b)
	f.Close()
	return f.Name()
}

// Chains lists the complete chains in the bucket, oldest first. A chain
// counts once its full backup (seq 0) is there.
func Chains(ctx context.Context, b *storage.S3) ([]string, error) {
	seen := map[string]bool{}
	for o := range b.Client.ListObjects(ctx, b.Bucket, minio.ListObjectsOptions{Prefix: b.Prefix + Dir, Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		rel := strings.TrimPrefix(o.Key, b.Prefix+Dir)
		if chain, name, ok := strings.Cut(rel, "/"); ok && name == "00000000.badger" {
			seen[chain] = true
		}
	}
	out := make([]string, 0, len(seen))
	for ch := range seen {
		out = append(out, ch)
	}
	sort.Strings(out)
	return out, nil
}

// prune removes the chains beyond the newest Keep.
func (c *Continuous) prune() error {
	chains, err := Chains(context.Background(), c.Bucket)
	if err != nil {
		return err
	}
	for len(chains) > c.Keep {
		if err := c.Bucket.RemoveAll(Dir + chains[0]); err != nil {
			return err
		}
		chains = chains[1:]
	}
	return nil
}

// Restore brings the newest chain in the bucket into dataDir, which must be
// empty or absent: the secret key, then every increment in order. It
// returns the chain and how many increments it loaded.
func Restore(ctx context.Context, b *storage.S3, dataDir string) (string, int, error) {
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return "", 0, fmt.Errorf("restore: %s is not empty; restore into a new directory", dataDir)
	}
	chains, err := Chains(ctx, b)
	if err != nil {
		return "", 0, fmt.Errorf("restore: listing backups: %w", err)
	}
	if len(chains) == 0 {
		return "", 0, fmt.Errorf("restore: no backup under s3://%s/%s%s", b.Bucket, b.Prefix, Dir)
	}
	chain := chains[len(chains)-1]
	var parts []string
	for o := range b.Client.ListObjects(ctx, b.Bucket, minio.ListObjectsOptions{Prefix: b.Prefix + Dir + chain + "/", Recursive: true}) {
		if o.Err != nil {
			return "", 0, o.Err
		}
		if strings.HasSuffix(o.Key, ".badger") {
			parts = append(parts, strings.TrimPrefix(o.Key, b.Prefix))
		}
	}
	sort.Strings(parts)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", 0, err
	}
	if err := fetch(b, Dir+chain+"/secret.key", filepath.Join(dataDir, "secret.key"), 0o600); err != nil {
		return "", 0, err
	}
	st, err := store.Open(filepath.Join(dataDir, "db"), nil)
	if err != nil {
		return "", 0, err
	}
	defer st.Close()
	for i, key := range parts {
		if want := fmt.Sprintf("%08d.badger", i); path.Base(key) != want {
			return "", 0, fmt.Errorf("restore: chain %s misses increment %s", chain, want)
		}
		f, err := b.Open(key)
		if err != nil {
			return "", 0, err
		}
		err = st.Load(f)
		f.Close()
		if err != nil {
			return "", 0, fmt.Errorf("restore: loading %s: %w", key, err)
		}
	}
	return chain, len(parts), nil
}

func fetch(b *storage.S3, key, dst string, mode os.FileMode) error {
	src, err := b.Open(key)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", key, err)
	}
	defer src.Close()
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
