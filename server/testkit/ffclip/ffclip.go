// Package ffclip makes short media files with ffmpeg from its lavfi
// sources, for tests of the video paths. It imports nothing of Ferry, so
// that server/media's own tests can use it.
package ffclip

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Need skips the test, loudly, unless ffmpeg and ffprobe are on PATH;
// with FERRY_REQUIRE_TOOLS set it fails instead.
func Need(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not installed; run scripts/install-ffmpeg.sh (make test-deps)"
			if os.Getenv("FERRY_REQUIRE_TOOLS") != "" {
				t.Fatal("FERRY_REQUIRE_TOOLS is set but " + msg)
			}
			t.Skip("SKIPPED: " + msg)
		}
	}
}

// Pattern is the input arguments for seconds of ffmpeg's testsrc2 picture
// of size ("320x240") at rate frames per second ("25", "30000/1001").
func Pattern(size, rate string, seconds int) []string {
	return []string{"-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate + ":duration=" + strconv.Itoa(seconds)}
}

// Tone is the input arguments for seconds of a 440 Hz tone at 48 kHz.
func Tone(seconds int) []string {
	return []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + strconv.Itoa(seconds)}
}

// File runs ffmpeg with args (inputs, then output options) to write
// dir/name and returns its path.
func File(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", name, err, b)
	}
	return out
}

// Bytes is File in a temporary directory, returning the file's bytes.
func Bytes(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(File(t, t.TempDir(), name, args...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
