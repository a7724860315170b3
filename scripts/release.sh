#!/usr/bin/env bash
# Cross-compiles ferry into $DIST as ferry-VERSION-OS-ARCH[.exe] and writes
# $DIST/SHA256SUMS. Reproducible: the same commit and Go give the same bytes
# (-trimpath, an empty build id, no cgo, the wasm built the same way).
# `make release` builds the wasm first (it is embedded) and runs this.
#   VERSION=v1.2.0 RELEASE_TARGETS="linux/amd64" DIST=dist scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
RELEASE_TARGETS=${RELEASE_TARGETS:-linux/amd64 linux/arm64 darwin/arm64 windows/amd64}
DIST=${DIST:-dist}

case "$VERSION" in
*/* | *' '*) echo "release: VERSION \"$VERSION\" has a slash or a space" >&2; exit 1 ;;
esac
if [ ! -s embed/web/app.wasm.gz ]; then
	echo "release: embed/web/app.wasm.gz is missing; run make wasm (or make release)" >&2
	exit 1
fi

mkdir -p "$DIST"
rm -f "$DIST"/ferry-* "$DIST"/SHA256SUMS
names=()
for target in $RELEASE_TARGETS; do
	os=${target%/*} arch=${target#*/}
	name=ferry-$VERSION-$os-$arch
	[ "$os" = windows ] && name=$name.exe
	echo "release: $name"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch $GO build -trimpath \
		-ldflags "-s -w -buildid= -X github.com/ferryhq/ferry/server/cli.Version=$VERSION" \
		-o "$DIST/$name" .
	names+=("$name")
done

if command -v sha256sum >/dev/null; then sum=(sha256sum); else sum=(shasum -a 256); fi
(cd "$DIST" && "${sum[@]}" "${names[@]}" > SHA256SUMS)
cat "$DIST/SHA256SUMS"
