package scripts

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// release runs release.sh for this machine's platform into a new directory
// and returns it.
func release(t *testing.T, version string) string {
	t.Helper()
	dist := t.TempDir()
	cmd := exec.Command("./release.sh")
	cmd.Env = append(os.Environ(), "VERSION="+version, "RELEASE_TARGETS="+runtime.GOOS+"/"+runtime.GOARCH, "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	return dist
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// make release's script, for this platform only (the four targets take
// minutes): the artifact is named for its version and platform, runs
// `ferry version` with the stamped version, is listed in SHA256SUMS with
// its true sum, and a second build gives the same bytes (from the same
// build cache: that proves the link step adds nothing of its own, such as
// a build id; a build in another directory with an empty GOCACHE matched
// by hand too).
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED under -short: builds and links the ferry binary twice (about 15 s); make test runs it")
	}
	if _, err := os.Stat("../embed/web/app.wasm.gz"); err != nil {
		if os.Getenv("FERRY_BIN") != "" {
			t.Fatal("embed/web/app.wasm.gz is missing though make built ferry")
		}
		t.Skip("SKIPPED LOUDLY: no embed/web/app.wasm.gz; run make wasm (make test does)")
	}
	const version = "v0.0.0-releasetest"
	name := "ferry-" + version + "-" + runtime.GOOS + "-" + runtime.GOARCH
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	dist := release(t, version)
	bin := filepath.Join(dist, name)

	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", name, err, out)
	}
	if got := string(out); got != "ferry "+version+"\n" {
		t.Fatalf("%s version printed %q", name, got)
	}

	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, bin)
	if got, want := string(sums), sum+"  "+name+"\n"; got != want {
		t.Fatalf("SHA256SUMS = %q, want %q", got, want)
	}

	again := filepath.Join(release(t, version), name)
	if sum2 := fileSum(t, again); sum2 != sum {
		t.Fatalf("two builds differ: %s then %s", sum, sum2)
	}
}

func TestReleaseRefusesABadVersion(t *testing.T) {
	cmd := exec.Command("./release.sh")
	cmd.Env = append(os.Environ(), "VERSION=v1/evil", "RELEASE_TARGETS=linux/amd64", "DIST="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "slash") {
		t.Fatalf("release.sh accepted VERSION=v1/evil: %v\n%s", err, out)
	}
}
