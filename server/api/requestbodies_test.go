package api_test

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"testing"
)

// rawBodies are the tests that send untyped JSON on purpose, and how many
// untyped bodies each holds: a field Ferry does not model, a wrong type, a
// whole object read back. Every other request body is a model type.
var rawBodies = map[string]struct {
	n   int
	why string
}{
	"api/api_test.go":                {1, "a user patch with an email: the unknown field is refused"},
	"api/frameio_s3_test.go":         {1, "not a request: a part's record written straight into the store, as a crash leaves it"},
	"api/people_test.go":             {1, "a person patch with a field Ferry does not know: refused by name"},
	"api/frameio2_test.go":           {10, "Frame.io v2 leniency: fields Ferry does not model are ignored or refused by name; a nested unknown field"},
	"api/hidden_collections_test.go": {1, `"hidden": "yes": a wrong type is refused`},
	"api/uploadlinks_test.go":        {13, "the bad-input table: wrong values, wrong types, an unknown field"},
}

// untypedBodies counts, in a test file, the map[string]any literals (a
// nested one counts with its parent) and the map[string]string literals
// sent as the body of a Client.Do.
func untypedBodies(t *testing.T, fset *gotoken.FileSet, path string) int {
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	isMap := func(e ast.Expr, value string) bool {
		cl, ok := e.(*ast.CompositeLit)
		if !ok {
			return false
		}
		mt, ok := cl.Type.(*ast.MapType)
		if !ok {
			return false
		}
		k, ok1 := mt.Key.(*ast.Ident)
		v, ok2 := mt.Value.(*ast.Ident)
		return ok1 && ok2 && k.Name == "string" && v.Name == value
	}
	n := 0
	var walk func(ast.Node) bool
	walk = func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.CompositeLit:
			if isMap(x, "any") {
				n++
				return false // nested maps are part of this body
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Do" && len(x.Args) == 4 && isMap(x.Args[2], "string") {
				n++
			}
		}
		return true
	}
	ast.Inspect(f, walk)
	return n
}

// The API and browser tests send model request types (through the typed
// client or testkit's Do), not hand-made JSON maps: a new untyped body
// fails here unless it is deliberate and listed in rawBodies with why.
func TestRequestBodiesAreTyped(t *testing.T) {
	fset := gotoken.NewFileSet()
	seen := map[string]bool{}
	for dir, prefix := range map[string]string{".": "api/", "../e2e": "e2e/"} {
		files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			name := prefix + filepath.Base(path)
			got := untypedBodies(t, fset, path)
			seen[name] = true
			if want := rawBodies[name].n; got != want {
				t.Errorf("%s has %d untyped request bodies (map[string]any), allowed %d: send a model type, or if the raw JSON is the point, say why in rawBodies", name, got, want)
			}
		}
	}
	for name := range rawBodies {
		if !seen[name] {
			t.Errorf("rawBodies lists %s, which is gone", name)
		}
	}
}
