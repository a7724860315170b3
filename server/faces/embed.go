//go:build !nofaces

package faces

import "embed"

// modelFS holds the three networks, their manifests and PROVENANCE (the
// sha256 of each file, checked by Load before anything is parsed).
//
//go:embed models/*.bin models/*.json models/PROVENANCE
var modelFS embed.FS

func modelFiles() (readFileFS, error) { return modelFS, nil }
