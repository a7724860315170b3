//go:build !js

package serve

import (
	"context"
	"fmt"
	"log/slog"
	"time"

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
		return storage.Disk{Root: cfg.DataDir}, nil
	}
	s3, err := OpenS3(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.S3.PresignDownloads {
		s3.PresignTTL = presignTTL
	}
	log.Info("storage: s3", slog.String("endpoint", cfg.S3.Endpoint), slog.String("bucket", cfg.S3.Bucket),
		slog.String("prefix", s3.Prefix), slog.Bool("presign_downloads", cfg.S3.PresignDownloads))
	return s3, nil
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
