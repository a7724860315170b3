package model_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourceFiles calls visit for each Go file of the module outside tests,
// tools and node packages.
func sourceFiles(t *testing.T, visit func(path string, src []byte)) {
	t.Helper()
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".tools", "node_modules", "test-artifacts", ".git", ".build":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		visit(p, src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A file over 800 lines holds more than one thing (LAYOUT.md).
func TestNoFileOver800Lines(t *testing.T) {
	sourceFiles(t, func(p string, src []byte) {
		if n := bytes.Count(src, []byte("\n")); n > 800 {
			t.Errorf("%s has %d lines (at most 800 outside tests): split it by what it does", p, n)
		}
	})
}

// A component with more than 40 fields is several components in one: give
// the parts of its state that change together a type (or a child component)
// of their own.
func TestNoComponentOver40Fields(t *testing.T) {
	sourceFiles(t, func(p string, src []byte) {
		if !strings.Contains(string(src), "app.Compo") {
			return
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		eachStruct(f, func(name string, st *ast.StructType) {
			fields, compo := 0, false
			for _, fl := range st.Fields.List {
				if se, ok := fl.Type.(*ast.SelectorExpr); ok && len(fl.Names) == 0 && se.Sel.Name == "Compo" {
					compo = true
				}
				fields += max(len(fl.Names), 1)
			}
			if compo && fields > 40 {
				t.Errorf("%s: component %s has %d fields (at most 40)", p, name, fields)
			}
		})
	})
}

// eachStruct calls visit for each struct type declared in f.
func eachStruct(f *ast.File, visit func(name string, st *ast.StructType)) {
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				visit(ts.Name.Name, st)
			}
		}
		return true
	})
}
