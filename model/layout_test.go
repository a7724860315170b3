package model_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/ferryhq/ferry"

// goList runs go list -deps over pkgs from the module root and answers the
// import paths that match keep.
func goList(t *testing.T, env []string, keep func(path string, std bool) bool, pkgs ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}"}, pkgs...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", pkgs, err, out)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		if keep(path, std == "true") {
			got = append(got, path)
		}
	}
	return got
}

// model and client are compiled into the wasm and imported by Go users of
// the API: they may use the standard library only, and the client's core
// no net/http (the wasm sends its requests with the browser's fetch).
func TestModelAndClientImportOnlyTheStandardLibrary(t *testing.T) {
	outside := goList(t, nil, func(p string, std bool) bool {
		return !std && p != module+"/model" && !strings.HasPrefix(p, module+"/model/") && !strings.HasPrefix(p, module+"/client")
	}, "./model/...", "./client/...")
	if len(outside) > 0 {
		t.Errorf("model and client import non-standard packages: %v", outside)
	}
	core := goList(t, nil, func(p string, _ bool) bool { return p == "net/http" }, "./model", "./client")
	if len(core) > 0 {
		t.Errorf("model or the client's core imports net/http; keep it in client/nethttp")
	}
}

// The web app never imports server code, in the wasm or in the server's
// prerendering build.
func TestAppImportsNoServerPackage(t *testing.T) {
	server := func(p string, _ bool) bool { return strings.HasPrefix(p, module+"/server/") }
	if got := goList(t, nil, server, "./app/..."); len(got) > 0 {
		t.Errorf("app imports %v", got)
	}
	if got := goList(t, []string{"GOOS=js", "GOARCH=wasm"}, server, "./app/...", "./wasm"); len(got) > 0 {
		t.Errorf("the wasm imports %v", got)
	}
	if got := goList(t, []string{"GOOS=js", "GOARCH=wasm"}, func(p string, _ bool) bool { return p == "net/http" }, "./client"); len(got) > 0 {
		t.Errorf("the client's core pulls net/http into the wasm")
	}
}

// document is a struct type with JSON field names.
type document struct {
	pkg, name string
	fields    []string // JSON names, sorted
}

// documents parses the non-test Go files under dir for structs with JSON tags.
func documents(t *testing.T, dir string) []document {
	t.Helper()
	var out []document
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		eachStruct(f, func(name string, st *ast.StructType) {
			doc := document{pkg: filepath.Dir(p), name: name}
			for _, fl := range st.Fields.List {
				if fl.Tag == nil {
					continue
				}
				name, _, _ := strings.Cut(reflect.StructTag(strings.Trim(fl.Tag.Value, "`")).Get("json"), ",")
				if name != "" && name != "-" {
					doc.fields = append(doc.fields, name)
				}
			}
			if len(doc.fields) > 0 {
				sort.Strings(doc.fields)
				out = append(out, doc)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// Every JSON document of /api/v2 is declared once, in model: a struct
// elsewhere with the same JSON fields as a model document, or with four or
// more of one's fields and nothing else, is a copy to replace by the model
// type. Stored records (with hashes, secrets, counters) have fields of
// their own and pass.
func TestNoDocumentDeclaredTwice(t *testing.T) {
	models := documents(t, ".")
	if len(models) < 40 {
		t.Fatalf("found %d documents in model; the parser is broken", len(models))
	}
	for _, dir := range []string{"../app", "../client", "../server", "../wasm"} {
		for _, d := range documents(t, dir) {
			for _, m := range models {
				same := slices.Equal(d.fields, m.fields) && len(d.fields) >= 2
				copied := len(d.fields) >= 4 && subset(d.fields, m.fields)
				if same || copied {
					t.Errorf("%s.%s %v copies model.%s: use the model type", d.pkg, d.name, d.fields, m.name)
				}
			}
		}
	}
}

// server/links is the core every kind of link builds on: it imports none
// of the kinds beneath it, and no kind imports another.
func TestLinksCoreImportsNoKind(t *testing.T) {
	kinds := []string{"share", "review", "upload"}
	for _, pkg := range append([]string{""}, kinds...) {
		dir := "./server/links"
		if pkg != "" {
			dir += "/" + pkg
		}
		got := goList(t, nil, func(p string, _ bool) bool {
			kind, ok := strings.CutPrefix(p, module+"/server/links/")
			return ok && kind != pkg && slices.Contains(kinds, kind)
		}, dir)
		if len(got) > 0 {
			t.Errorf("%s imports %v", dir, got)
		}
	}
}
