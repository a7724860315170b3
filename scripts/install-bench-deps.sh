#!/usr/bin/env bash
# Installs the reference tools `make bench` measures Ferry against: nginx
# (downloads), wrk (pages and JSON) and vipsthumbnail (proxies), from Debian.
set -euo pipefail

need=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v vipsthumbnail >/dev/null 2>&1 || need+=(libvips-tools)
if ((${#need[@]} == 0)); then
	echo "bench tools already installed"
	exit 0
fi
sudo=()
[[ "$(id -u)" -ne 0 ]] && sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y "${need[@]}"
