//go:build !js

package serve

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ferryhq/ferry/server/backup"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/storage"
)

// presignTTL is how long a presigned download URL works: long enough to
// follow the redirect and start the transfer, short enough that a copied
// URL is of little use.
const presignTTL = 5 * time.Minute

// openBlobs returns the store for file bytes: the data directory, or the
// S3 bucket after checking it can be used (the error says why not).
func openBlobs(ctx context.Context, cfg config.Config, log *slog.Logger) (storage.Blobs, error) {
	if cfg.Storage.Backend != "s3" {
		return storage.NewDisk(cfg.DataDir), nil
	}
	s3, err := OpenS3(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.S3.PresignDownloads {
		s3.PresignTTL = presignTTL
	}
	log.Info("storage: originals in s3, derived files on disk", slog.String("endpoint", cfg.S3.Endpoint), slog.String("bucket", cfg.S3.Bucket),
		slog.String("prefix", s3.Prefix), slog.Bool("presign_downloads", cfg.S3.PresignDownloads))
	return &storage.Tiered{Remote: s3, Local: storage.NewDisk(cfg.DataDir),
		Cache: cfg.Path("cache"), CacheBytes: cfg.S3.CacheBytes, RenditionBytes: cfg.S3.RenditionCacheBytes}, nil
}

// OpenS3 connects to the configured bucket and checks it (see storage.S3.Check).
func OpenS3(ctx context.Context, cfg config.Config) (*storage.S3, error) {
	s3, err := storage.NewS3(storage.S3Options{Endpoint: cfg.S3.Endpoint, Region: cfg.S3.Region,
		Bucket: cfg.S3.Bucket, Prefix: cfg.S3.Prefix, PathStyle: cfg.S3.PathStyle, CAFile: cfg.S3.CAFile,
		AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey})
	if err != nil {
		return nil, err
	}
	if err := s3.Check(ctx); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return s3, nil
}

// openBackups returns the continuous metadata backup (backup.to: s3), or
// nil when it is off. It reuses the bytes' bucket when there is one.
func openBackups(ctx context.Context, cfg config.Config, in *Instance, blobs storage.Blobs, log *slog.Logger) (*backup.Continuous, error) {
	if cfg.Backup.To != "s3" {
		return nil, nil
	}
	bucket, err := bucketOf(ctx, cfg, blobs)
	if err != nil {
		return nil, err
	}
	interval := time.Duration(cfg.Backup.Interval)
	log.Info("metadata backup: s3", slog.String("bucket", cfg.S3.Bucket), slog.String("prefix", bucket.Prefix+backup.Dir),
		slog.Duration("interval", interval), slog.Int("keep", cfg.Backup.Keep))
	return &backup.Continuous{Store: in.Store, Bucket: bucket, SecretPath: cfg.Path("secret.key"), TempDir: cfg.DataDir,
		Interval: interval, FullEvery: int(24 * time.Hour / interval), Keep: cfg.Backup.Keep, Log: log}, nil
}

// bucketOf is the bucket of blobs when they are in S3, else a new connection.
func bucketOf(ctx context.Context, cfg config.Config, blobs storage.Blobs) (*storage.S3, error) {
	if t, ok := blobs.(*storage.Tiered); ok {
		return t.Remote, nil
	}
	return OpenS3(ctx, cfg)
}

// uploadBucket is where tus uploads run: the bucket of the originals, so
// they become multipart uploads there (nil: files in data_dir/uploads).
func uploadBucket(blobs storage.Blobs) *storage.S3 {
	if t, ok := blobs.(*storage.Tiered); ok {
		return t.Remote
	}
	return nil
}
