#!/usr/bin/env bash
# Installs the node packages the tests use (tus-js-client; axe-core, which the
# browser tests evaluate in pages; Uppy 6 with @uppy/tus and esbuild to bundle
# them for the browser; all pinned in
# scripts/node/package.json and package-lock.json) into scripts/node/node_modules,
# then bundles Uppy into node_modules/.ferry/uppy.js.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/node" && pwd)"
cd "$dir"

if ! command -v npm >/dev/null 2>&1; then
	echo "npm is not installed (apt-get install -y nodejs npm)" >&2
	exit 1
fi

# npm records the lock it installed from in node_modules/.package-lock.json;
# when that matches the committed lock there is nothing to do (optional
# packages of other platforms, such as esbuild's binaries, are never there).
if [[ -f package-lock.json && -f node_modules/.package-lock.json ]] &&
	node -e '
		const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
		for (const k of Object.keys(a)) if (k && !(a[k].optional && !b[k]) && (!b[k] || a[k].version !== b[k].version)) process.exit(1);
	'; then
	echo "node packages already installed in $dir/node_modules"
else
	if [[ -f package-lock.json ]]; then
		echo "npm ci in $dir"
		npm ci --no-audit --no-fund
	else
		echo "npm install in $dir (no package-lock.json yet)"
		npm install --no-audit --no-fund
	fi
	echo "node packages installed: $(node -e 'console.log("tus-js-client " + require("tus-js-client/package.json").version + ", @uppy/core " + require("@uppy/core/package.json").version + ", @uppy/tus " + require("@uppy/tus/package.json").version + ", axe-core " + require("axe-core/package.json").version)')"
fi

# Uppy's packages are ES modules: bundle them once for a plain <script>.
bundle=node_modules/.ferry/uppy.js
if [[ ! -s $bundle || uppy-entry.js -nt $bundle || package-lock.json -nt $bundle ]]; then
	mkdir -p node_modules/.ferry
	node_modules/.bin/esbuild uppy-entry.js --bundle --minify --format=iife --log-level=warning --outfile="$bundle"
	echo "bundled Uppy into $dir/$bundle"
fi

