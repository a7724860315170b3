#!/usr/bin/env bash
# Installs the node packages the tests use (tus-js-client and axe-core, pinned in
# scripts/node/package.json and package-lock.json) into scripts/node/node_modules.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/node" && pwd)"
cd "$dir"

if ! command -v npm >/dev/null 2>&1; then
	echo "npm is not installed (apt-get install -y nodejs npm)" >&2
	exit 1
fi

# npm records the lock it installed from in node_modules/.package-lock.json;
# when that matches the committed lock there is nothing to do.
if [[ -f package-lock.json && -f node_modules/.package-lock.json ]] &&
	node -e '
		const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
		for (const k of Object.keys(a)) if (k && (!b[k] || a[k].version !== b[k].version)) process.exit(1);
	'; then
	echo "node packages already installed in $dir/node_modules"
	exit 0
fi

if [[ -f package-lock.json ]]; then
	echo "npm ci in $dir"
	npm ci --no-audit --no-fund
else
	echo "npm install in $dir (no package-lock.json yet)"
	npm install --no-audit --no-fund
fi
echo "node packages installed: $(node -e 'console.log("tus-js-client " + require("tus-js-client/package.json").version + ", axe-core " + require("axe-core/package.json").version)')"
