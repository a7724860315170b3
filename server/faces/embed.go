//go:build !nofaces

package faces

import (
	"embed"
	"io/fs"
)

// modelFS holds the three networks, their manifests and PROVENANCE (the
// sha256 of each file, checked by Load before anything is parsed).
//
//go:embed models/*.bin models/*.json models/PROVENANCE
var modelFS embed.FS

func modelFiles() (fs.FS, error) { return modelFS, nil }
