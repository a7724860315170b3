#!/usr/bin/env bash
# Installs every external tool the tests drive: Chromium, ffmpeg, mailpit, Pebble,
# MinIO, the node packages (tus-js-client, Uppy, axe-core) and dlib's example
# faces. A failure is reported loudly but does not stop the others; tests whose
# tool is missing skip with a message naming this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()

for step in chromium ffmpeg mailpit pebble minio node-deps faces; do
	echo "==> install-$step"
	start=$SECONDS
	if "$here/install-$step.sh"; then
		echo "==> install-$step done in $((SECONDS - start))s"
	else
		echo "!!! install-$step FAILED (exit $?): tests needing it will be SKIPPED" >&2
		failed+=("$step")
	fi
done

if ((${#failed[@]})); then
	echo "!!! test dependencies NOT installed: ${failed[*]}" >&2
	echo "!!! the tests that need them will skip; see the errors above" >&2
else
	echo "all test dependencies installed"
fi
exit 0
