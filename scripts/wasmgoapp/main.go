// Command wasmgoapp prepares the go-app the wasm is built with: a copy of
// the module with its server half left out of the wasm, and a go.mod that
// replaces go-app by that copy (the Makefile builds the wasm with
// -modfile; the server, go vet and go mod tidy use go-app unchanged).
//
// Why: pkg/app/http.go (the Handler that serves pages) and resource.go (its
// resource resolvers) are the only files of go-app's pkg/app, outside
// tests, that import net/http. The browser never runs them, but importing
// net/http links crypto/tls, crypto/x509 and the FIPS self-tests their
// packages register at start, which no dead-code pass removes (about
// 0.35 MB of the brotli wasm). So the copy tags the two files !wasm and
// adds, for the wasm only, what the rest of the package uses from them: a
// Handler type (named by wasm.go's GenerateStaticWebsite, which panics in
// the browser) and the three functions the client resolves /web/ URLs
// with, taken from go-app's own resource.go as they are. Nothing else of
// go-app changes; its LICENSE goes along.
//
// Usage, from the repository root: wasmgoapp DIR. It writes DIR/go-app/,
// DIR/wasm.mod and DIR/wasm.sum; then
// GOOS=js GOARCH=wasm go build -modfile DIR/wasm.mod ./wasm.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Module is the module the copy replaces, and pkg its package that imports
// net/http.
const (
	Module = "github.com/maxence-charriere/go-app/v10"
	pkg    = "pkg/app"
)

// serverFiles are the files of pkg that import net/http.
var serverFiles = []string{"http.go", "resource.go"}

// clientFuncs are the functions of resource.go the wasm half calls
// (RunWhenOnBrowser resolves /web/ URLs with clientResourceResolver).
var clientFuncs = []string{"clientResourceResolver", "remoteLocation", "webLocation"}

// added is the copy's new file in pkg (not a name go-app uses).
const added = "ferry_wasm.go"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: wasmgoapp DIR")
		os.Exit(2)
	}
	if err := Write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "wasmgoapp:", err)
		os.Exit(1)
	}
}

// Write writes the copy and the go.mod that uses it into dir.
func Write(dir string) error {
	src, err := moduleDir()
	if err != nil {
		return err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	dst := filepath.Join(dir, "go-app")
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := copyModule(src, dst); err != nil {
		return err
	}
	resource, err := os.ReadFile(filepath.Join(src, pkg, "resource.go"))
	if err != nil {
		return err
	}
	for _, name := range serverFiles {
		p := filepath.Join(dst, pkg, name)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := checkServerFile(name, b); err != nil {
			return err
		}
		if err := os.WriteFile(p, append([]byte("//go:build !wasm\n\n"), b...), 0o644); err != nil {
			return err
		}
	}
	wasmHalf, err := clientHalf(resource)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, pkg, added), wasmHalf, 0o644); err != nil {
		return err
	}
	return writeModFile(dir, dst)
}

// moduleDir is where the go command keeps Module (the module cache).
func moduleDir() (string, error) {
	gocmd := os.Getenv("GO")
	if gocmd == "" {
		gocmd = "go"
	}
	cmd := exec.Command(gocmd, "list", "-f", "{{.Module.Dir}}", Module+"/"+pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v: %s", Module, err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

// copyModule copies go.mod, LICENSE and the non-test Go files of src's
// packages (the module cache's files are read-only; the copies are not).
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if rel == "docs" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if rel != "go.mod" && rel != "LICENSE" && (!strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
}

// writeModFile writes dir/wasm.mod, the repository's go.mod with go-app
// replaced by the copy at dst, and dir/wasm.sum, a copy of go.sum.
func writeModFile(dir, dst string) error {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		return fmt.Errorf("run from the repository root: %w", err)
	}
	if bytes.Contains(mod, []byte("replace "+Module)) || bytes.Contains(mod, []byte("\t"+Module+" =>")) {
		return errors.New("go.mod replaces " + Module + " already")
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		return err
	}
	// A path relative to the repository keeps the wasm's build info (which
	// names the replacement) the same in every checkout.
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(wd, dst)
	if err != nil {
		return err
	}
	mod = fmt.Appendf(mod, "\n// Written by scripts/wasmgoapp: go-app without its server half, for the wasm.\nreplace %s => ./%s\n", Module, filepath.ToSlash(rel))
	if err := os.WriteFile(filepath.Join(dir, "wasm.mod"), mod, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "wasm.sum"), sum, 0o644)
}

// checkServerFile refuses a go-app whose file no longer looks as this
// program expects: one that dropped net/http (the copy may no longer be
// needed) or that has build constraints of its own.
func checkServerFile(name string, src []byte) error {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return err
	}
	if bytes.Contains(src[:f.Package], []byte("//go:build")) {
		return fmt.Errorf("go-app's %s has build constraints now: check whether the wasm still needs scripts/wasmgoapp (README, \"The wasm's size\")", name)
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "net/http" {
			return nil
		}
	}
	return fmt.Errorf("go-app's %s no longer imports net/http: check whether the wasm still needs scripts/wasmgoapp (README, \"The wasm's size\")", name)
}

// clientHalf is the added file: a Handler type and clientFuncs, copied
// from resource.go's source as they are.
func clientHalf(resource []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "resource.go", resource, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("//go:build wasm\n\n// Written by Ferry's scripts/wasmgoapp from go-app's resource.go.\n\npackage app\n\nimport \"strings\"\n\n")
	b.WriteString("// Handler serves the app on the server only (http.go is left out of the wasm).\ntype Handler struct{}\n")
	for _, name := range clientFuncs {
		fn := findFunc(f, name)
		if fn == nil {
			return nil, errors.New("go-app's resource.go has no func " + name + ": update clientFuncs in scripts/wasmgoapp")
		}
		start := fn.Pos()
		if fn.Doc != nil {
			start = fn.Doc.Pos()
		}
		b.WriteString("\n")
		b.Write(resource[fset.Position(start).Offset:fset.Position(fn.End()).Offset])
		b.WriteString("\n")
	}
	return b.Bytes(), nil
}

func findFunc(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == name {
			return fn
		}
	}
	return nil
}
