#!/usr/bin/env bash
# Builds mailpit (the SMTP server mail tests send to) into .tools/bin/mailpit
# from the pinned wrapper module in scripts/tools/mailpit. Idempotent.
# mailpit has no --version flag and its `version` command asks GitHub for
# updates (scripts/gotool.sh reads the build information instead).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gotool.sh"

VERSION=v1.22.3
build_go_tool mailpit github.com/axllent/mailpit "$VERSION" "-s -w -X github.com/axllent/mailpit/config.Version=$VERSION"
