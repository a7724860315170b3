#!/usr/bin/env bash
# Installs Debian's ffmpeg (ffmpeg and ffprobe; 5.1 on Debian 12) for video
# and audio processing and its tests, unless it is on PATH.
set -euo pipefail

if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
	echo "ffmpeg already installed: $(command -v ffmpeg)"
	exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "ffmpeg is missing and this user is not root and has no sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "installing ffmpeg with apt-get"
export DEBIAN_FRONTEND=noninteractive
# Wait for an apt run already holding the lock instead of failing at once.
lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${lock[@]}" update
"${sudo[@]}" apt-get "${lock[@]}" install -y --no-install-recommends ffmpeg
echo "ffmpeg installed: $(command -v ffmpeg)"
