#!/usr/bin/env bash
# Installs the reference tools `make bench` measures Ferry against: nginx
# (downloads), wrk (pages and JSON) and vipsthumbnail (proxies), from Debian,
# and tusd (small uploads) from the Go module proxy.
set -euo pipefail

# tusd v2.10.1's own server: the reference for small uploads (go install,
# pinned; ~/go/bin is where the bench looks when it is not on PATH).
if ! command -v tusd >/dev/null 2>&1 && [[ ! -x "${GOBIN:-$(go env GOPATH)/bin}/tusd" ]]; then
	go install github.com/tus/tusd/v2/cmd/tusd@v2.10.1
fi

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
