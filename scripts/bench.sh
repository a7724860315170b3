#!/usr/bin/env bash
# make bench: measures Ferry against references in the same run and writes
# bench/results.md. Never part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-bench-deps.sh
mkdir -p bench/tmp
go run ./scripts/bench -ferry ./ferry -out bench/results.md -tmp bench/tmp "$@"
