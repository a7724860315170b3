#!/usr/bin/env bash
# Builds MinIO (the S3-compatible object store the S3 tests run against)
# into .tools/bin/minio from the pinned wrapper module in scripts/tools/minio.
# Idempotent. MinIO is AGPL-3.0: it is a test tool run as its own process,
# never linked into ferry. Its build is a pseudo-version of the module,
# which `minio --version` does not print (scripts/gotool.sh reads it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gotool.sh"

VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
build_go_tool minio github.com/minio/minio "$VERSION" "-s -w" "several minutes on 2 cores"
