package faces

import (
	"errors"
	"image"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// dlibExamples returns dlib's example folder unpacked by
// scripts/install-faces.sh, or skips the test saying so.
func dlibExamples(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", ".tools", "faces")
	dirs, _ := filepath.Glob(filepath.Join(root, "usr", "share", "doc", "libdlib*", "examples"))
	if len(dirs) == 0 {
		t.Skip("dlib's example faces are missing: run scripts/install-faces.sh (make test-deps)")
	}
	return dirs[0]
}

var (
	engineOnce sync.Once
	engine     *Engine
	engineErr  error
)

// testEngine loads the embedded models once per test binary.
func testEngine(t testing.TB) *Engine {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = Load() })
	if errors.Is(engineErr, ErrDisabled) {
		t.Skip(engineErr)
	}
	if engineErr != nil {
		t.Fatalf("Load: %v", engineErr)
	}
	return engine
}

func decodeFile(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
