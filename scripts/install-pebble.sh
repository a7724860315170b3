#!/usr/bin/env bash
# Installs Pebble (Let's Encrypt's test ACME server) into .tools/bin/pebble
# and copies its test config and certificates to .tools/pebble. Idempotent.
set -euo pipefail

VERSION=v2.10.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bindir="$root/.tools/bin"

# `pebble -version` says "dev"; the binary's build information names the module version.
installed() {
	go version -m "$bindir/pebble" 2>/dev/null | grep -Eq "github.com/letsencrypt/pebble/v2[[:space:]]+$VERSION([[:space:]]|$)"
}

if [[ -x "$bindir/pebble" && -f "$root/.tools/pebble/config/pebble-config.json" ]] && installed; then
	echo "pebble $VERSION already installed at $bindir/pebble"
	exit 0
fi

mkdir -p "$bindir"
echo "installing pebble $VERSION into $bindir/pebble"
GOBIN="$bindir" CGO_ENABLED=0 go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$VERSION"

src="$(go env GOMODCACHE)/github.com/letsencrypt/pebble/v2@$VERSION/test"
if [[ ! -d "$src" ]]; then
	echo "pebble's test directory is missing from the module cache: $src" >&2
	exit 1
fi
rm -rf "$root/.tools/pebble"
mkdir -p "$root/.tools/pebble"
cp -R "$src/." "$root/.tools/pebble/"
# The module cache is read-only; the copy must be removable by the next install.
chmod -R u+w "$root/.tools/pebble"
echo "pebble $VERSION installed; config and certs in $root/.tools/pebble"
