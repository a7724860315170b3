//go:build tools

// Package tools pins MinIO, the S3-compatible object store Ferry's S3 tests
// run against. scripts/install-minio.sh builds it from this module into
// .tools/bin. MinIO is AGPL-3.0: it is a test tool only, never linked into ferry.
package tools

import _ "github.com/minio/minio"
