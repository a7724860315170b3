#!/usr/bin/env bash
# Builds mailpit (the SMTP server mail tests send to) into .tools/bin/mailpit
# from the pinned wrapper module in scripts/tools/mailpit. Idempotent.
set -euo pipefail

VERSION=v1.22.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin/mailpit"

# mailpit has no --version flag and its `version` command asks GitHub for
# updates, so read the version from the binary's build information instead.
installed() {
	go version -m "$bin" 2>/dev/null | grep -Eq "github.com/axllent/mailpit[[:space:]]+$VERSION([[:space:]]|$)"
}

if [[ -x "$bin" ]] && installed; then
	echo "mailpit $VERSION already installed at $bin"
	exit 0
fi

mkdir -p "$root/.tools/bin"
echo "building mailpit $VERSION into $bin"
# `go install …@version` fails here (its deprecation lookup is refused), so
# build from a wrapper module that requires the pinned version.
cd "$root/scripts/tools/mailpit"
CGO_ENABLED=0 go build -trimpath \
	-ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$VERSION" \
	-o "$bin.tmp" github.com/axllent/mailpit
mv "$bin.tmp" "$bin"
if ! installed; then
	echo "built $bin but its build information does not name mailpit $VERSION" >&2
	exit 1
fi
echo "mailpit $VERSION installed"
