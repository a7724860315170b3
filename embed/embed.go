// Package webfiles carries the built web app (wasm, precompressed, plus
// icons, stylesheet and scripts) inside the ferry binary.
package webfiles

import "embed"

// FS holds web/: ferry.css, icons, uploader.js and, after `make wasm`,
// app.wasm.gz and app.wasm.br.
//
//go:embed web
var FS embed.FS
