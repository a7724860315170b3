//go:build nofaces

package faces

import (
	"errors"
	"testing"
)

func TestNofacesBuildTurnsTheEngineOff(t *testing.T) {
	if _, err := Load(); !errors.Is(err, ErrDisabled) {
		t.Fatalf("Load in a nofaces build: %v, want ErrDisabled", err)
	}
}
