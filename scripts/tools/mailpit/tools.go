//go:build tools

// Package tools pins mailpit, the SMTP server Ferry's mail tests send to.
// scripts/install-mailpit.sh builds it from this module into .tools/bin.
package tools

import _ "github.com/axllent/mailpit"
