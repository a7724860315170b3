//go:build nofaces

package faces

import "io/fs"

func modelFiles() (fs.FS, error) { return nil, ErrDisabled }
