//go:build nofaces

package faces

func modelFiles() (readFileFS, error) { return nil, ErrDisabled }
