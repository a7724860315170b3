package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// No handler switches on the kind of link: public routes ask the key
// space which door a key opens (publicLinks.door) and what the door can
// do by interface. This reads the handlers' source (server/api and
// server/webapp) for a switch or comparison on links.ShareKind,
// ReviewKind, UploadKind or links.KindOf, and for KindOf anywhere but
// door.
func TestNoHandlerSwitchesOnLinkKind(t *testing.T) {
	isKind := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); (ok && x.Name == "links" && strings.HasSuffix(sel.Sel.Name, "Kind")) || sel.Sel.Name == "KindOf" {
					found = true
				}
			}
			return !found
		})
		return found
	}
	var files []string
	for _, dir := range []string{".", "../webapp"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, d := range f.Decls {
			fn, _ := d.(*ast.FuncDecl)
			ast.Inspect(d, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SwitchStmt:
					if n.Tag != nil && isKind(n.Tag) || isKind(n.Body) {
						t.Errorf("%s: a switch on the link kind; give the kind's door a method instead", fset.Position(n.Pos()))
					}
				case *ast.BinaryExpr:
					if (n.Op == token.EQL || n.Op == token.NEQ) && isKind(n) {
						t.Errorf("%s: a comparison with the link kind; give the kind's door a method instead", fset.Position(n.Pos()))
					}
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "KindOf" && (fn == nil || fn.Name.Name != "door") {
						t.Errorf("%s: links.KindOf outside publicLinks.door", fset.Position(n.Pos()))
					}
				}
				return true
			})
		}
	}
	if checked < 20 {
		t.Fatalf("read %d files of server/api and server/webapp; the test looks in the wrong place", checked)
	}
}
