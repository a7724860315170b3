package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goList runs go list for the wasm with args and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	return strings.Fields(string(out))
}

// The wasm built with the copy imports neither net/http nor the TLS and
// certificate packages behind it, while the same build with go-app as
// published does (so the copy is what removes them), and the copy's go-app
// is the one the build uses. (make build compiles the wasm with it, and
// every browser test runs that wasm.)
func TestWasmWithoutNetHTTP(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	mod := "-modfile=" + filepath.Join(dir, "wasm.mod")
	heavy := []string{"net/http", "crypto/tls", "crypto/x509", "crypto/ecdsa", "crypto/rsa"}
	published := goList(t, "-deps", "./wasm")
	for _, p := range heavy {
		if !slices.Contains(published, p) {
			t.Errorf("the wasm with go-app as published no longer imports %s: is scripts/wasmgoapp still needed?", p)
		}
	}
	copied := goList(t, mod, "-deps", "./wasm")
	for _, p := range heavy {
		if slices.Contains(copied, p) {
			t.Errorf("the wasm built with the copy still imports %s", p)
		}
	}
	if !slices.Contains(copied, Module+"/"+pkg) {
		t.Fatalf("the wasm does not import %s/%s", Module, pkg)
	}
	if got := goList(t, mod, "-f", "{{.Module.Dir}}", Module+"/"+pkg); len(got) != 1 || got[0] != filepath.Join(dir, "go-app") {
		t.Fatalf("go-app comes from %v, not the copy in %s", got, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "go-app", "LICENSE")); err != nil {
		t.Errorf("the copy lacks go-app's LICENSE: %v", err)
	}
}

// A go-app that changed where this program cuts refuses to be copied
// with a reason, instead of building a wasm that differs silently.
func TestRefusesAnotherGoApp(t *testing.T) {
	for name, src := range map[string]string{
		"no net/http":   "package app\n\nimport \"strings\"\n\nvar _ = strings.Trim\n",
		"tagged":        "//go:build !wasm\n\npackage app\n\nimport \"net/http\"\n\nvar _ http.Handler\n",
		"not Go at all": "<html>",
	} {
		if err := checkServerFile("http.go", []byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := checkServerFile("http.go", []byte("package app\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n")); err != nil {
		t.Errorf("go-app's shape refused: %v", err)
	}
	if _, err := clientHalf([]byte("package app\n\nfunc remoteLocation(string) bool { return false }\n")); err == nil || !strings.Contains(err.Error(), "clientResourceResolver") {
		t.Errorf("a resource.go without clientResourceResolver: %v", err)
	}
}
