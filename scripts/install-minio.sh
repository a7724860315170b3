#!/usr/bin/env bash
# Builds MinIO (the S3-compatible object store the S3 tests run against)
# into .tools/bin/minio from the pinned wrapper module in scripts/tools/minio.
# Idempotent. MinIO is AGPL-3.0: it is a test tool run as its own process,
# never linked into ferry.
set -euo pipefail

VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin/minio"

# Read the version from the binary's build information (the build is a
# pseudo-version of the module, which `minio --version` does not print).
installed() {
	go version -m "$bin" 2>/dev/null | grep -Eq "github.com/minio/minio[[:space:]]+$VERSION([[:space:]]|$)"
}

if [[ -x "$bin" ]] && installed; then
	echo "minio $VERSION already installed at $bin"
	exit 0
fi

mkdir -p "$root/.tools/bin"
echo "building minio $VERSION into $bin (several minutes on 2 cores)"
# `go install …@version` is refused here (403), so build from a wrapper
# module that requires the pinned version.
cd "$root/scripts/tools/minio"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin.tmp" github.com/minio/minio
mv "$bin.tmp" "$bin"
if ! installed; then
	echo "built $bin but its build information does not name minio $VERSION" >&2
	exit 1
fi
echo "minio $VERSION installed"
