#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests unless it is on PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
	echo "chromium already installed: $(command -v chromium)"
	exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "chromium is missing and this user is not root and has no sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
# Wait for an apt run already holding the lock instead of failing at once.
lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${lock[@]}" update
"${sudo[@]}" apt-get "${lock[@]}" install -y chromium
echo "chromium installed: $(command -v chromium)"
