//go:build !js

package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// built is the ferry command FerryBinary built for this test process.
var built struct {
	once sync.Once
	path string
	err  error
}

// FerryBinary returns $FERRY_BIN (make test sets it) or a ferry command
// built once for this test process; TestMain removes it with
// RemoveBuiltBinary.
func FerryBinary(t testing.TB) string {
	t.Helper()
	if b := os.Getenv("FERRY_BIN"); b != "" {
		return b
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "ferry-test-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "ferry")
		if out, err := exec.Command("go", "build", "-o", built.path, "github.com/ferryhq/ferry").CombinedOutput(); err != nil {
			built.err = &buildError{err, out}
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// RemoveBuiltBinary deletes what FerryBinary built, if anything.
func RemoveBuiltBinary() {
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + string(e.out) }

// CleanEnv is the environment without the caller's FERRY_* settings, for
// starting ferry processes that must see only what the test sets.
func CleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FERRY_") {
			env = append(env, kv)
		}
	}
	return env
}
