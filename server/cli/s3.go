//go:build !js

package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ferryhq/ferry/server/backup"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
	"github.com/ferryhq/ferry/server/storage"
)

// restoreFromS3 brings the newest backup chain under s3://bucket/prefix
// into the (new) data directory. The endpoint and credentials come from
// the s3 section and FERRY_S3_ACCESS_KEY / FERRY_S3_SECRET_KEY.
func restoreFromS3(cfg config.Config, from string, stdout io.Writer) error {
	u, err := url.Parse(from)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return fmt.Errorf("restore: --from %q: want s3://bucket/prefix", from)
	}
	cfg.S3.Bucket, cfg.S3.Prefix = u.Host, strings.Trim(u.Path, "/")
	if cfg.S3.Endpoint == "" {
		return fmt.Errorf("restore: set s3.endpoint (in the config file or FERRY_S3_ENDPOINT)")
	}
	if cfg.S3.AccessKey == "" || cfg.S3.SecretKey == "" {
		return fmt.Errorf("restore: set FERRY_S3_ACCESS_KEY and FERRY_S3_SECRET_KEY")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	bucket, err := serve.OpenS3(ctx, cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	chain, n, err := backup.Restore(ctx, bucket, cfg.DataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored backup %s (%d increments) from %s into %s in %s\n",
		chain, n, from, cfg.DataDir, time.Since(start).Round(time.Millisecond))
	return nil
}

// runStorage is `ferry storage migrate --to s3|disk`: it copies the
// originals, then the renditions, between the data directory and the configured bucket, with
// checksums, and may run while the server serves (it reads the data it
// copies, never the database). Run it again after a stop to copy what
// arrived meanwhile (it skips what is already there), then switch
// storage.backend and start the server.
func runStorage(args []string, stdout, stderr io.Writer) error {
	args, err := subcommand(args, "migrate", "storage: want `ferry storage migrate --to s3|disk`")
	if err != nil {
		return err
	}
	c := newCommon("storage migrate", stderr, "data_dir")
	to := c.fs.String("to", "", "where the originals go: s3 or disk")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	disk := storage.Disk{Root: cfg.DataDir}
	if cfg.S3.AccessKey == "" || cfg.S3.SecretKey == "" || cfg.S3.Bucket == "" {
		return fmt.Errorf("storage migrate: configure the s3 section (endpoint, bucket) and set FERRY_S3_ACCESS_KEY / FERRY_S3_SECRET_KEY")
	}
	bucket, err := serve.OpenS3(ctx, cfg)
	if err != nil {
		return err
	}
	var src, dst storage.Lister
	switch *to {
	case "s3":
		src, dst = disk, bucket
	case "disk":
		src, dst = bucket, disk
	default:
		return fmt.Errorf("storage migrate: --to s3 or --to disk")
	}
	// Originals first: renditions can be made again, originals cannot.
	for _, what := range []struct{ name, prefix string }{{"originals", "originals/"}, {"renditions", "proxies/"}} {
		start := time.Now()
		r, err := storage.Migrate(ctx, src, dst, what.prefix, func(key string, r storage.MigrateReport) {
			if r.Copied%100 == 0 {
				fmt.Fprintf(stdout, "copied %d %s (%d bytes)\n", r.Copied, what.name, r.Bytes)
			}
		})
		if err != nil {
			return fmt.Errorf("storage migrate: %s: %w (run it again to resume)", what.name, err)
		}
		fmt.Fprintf(stdout, "migrated %s to %s: %d copied (%d bytes), %d already there, checksums verified, in %s\n",
			what.name, *to, r.Copied, r.Bytes, r.Skipped, time.Since(start).Round(time.Millisecond))
	}
	fmt.Fprintf(stdout, "next: stop ferry, run this again, set storage.backend: %s, start ferry\n", *to)
	return nil
}
