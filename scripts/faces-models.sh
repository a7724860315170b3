#!/usr/bin/env bash
# Re-derives the face models committed under server/faces/models/ from the npm
# package they come from, and checks them against PROVENANCE. Run it to audit
# the committed files or after bumping the version (then update PROVENANCE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="$here/../server/faces/models"
pkg="@vladmandic/face-api@1.7.15"
nets=(tiny_face_detector_model face_landmark_68_model face_recognition_model)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)

for n in "${nets[@]}"; do
	cp "$work/package/model/$n.bin" "$dest/$n.bin"
	cp "$work/package/model/$n-weights_manifest.json" "$dest/$n-weights_manifest.json"
done
cp "$work/package/LICENSE" "$dest/LICENSE"
(cd "$dest" && sha256sum -c --quiet <(grep -E '^[0-9a-f]{64}  ' PROVENANCE))
echo "face models re-derived from $pkg and verified against PROVENANCE"
