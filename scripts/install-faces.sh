#!/usr/bin/env bash
# Unpacks dlib's example images (real faces: johns/, faces/bald_guys.jpg and
# the annotated Pascal VOC photos) into .tools/faces for the face tests. The
# Debian package is downloaded and unpacked, never installed; the images are
# never committed. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="$here/../.tools/faces"

if compgen -G "$dest/usr/share/doc/libdlib*/examples/johns" >/dev/null; then
	echo "dlib example faces already in $dest"
	exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# libdlib19.1 is Debian 12's name, libdlib19.2 Debian 13's.
if ! apt-get download libdlib19.1 2>/dev/null && ! apt-get download libdlib19.2 2>/dev/null; then
	echo "neither libdlib19.1 nor libdlib19.2 can be downloaded (try apt-get update)" >&2
	exit 1
fi
mkdir -p "$dest.tmp"
dpkg-deb -x ./libdlib19.*.deb "$dest.tmp"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "dlib example faces unpacked into $dest"
