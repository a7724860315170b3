package api

import (
	"reflect"
	"testing"
)

// Every document names a route of the table and is a JSON object or a
// list of them, so a route renamed or removed cannot leave a stale schema.
func TestDocsNameRoutesOfTheTable(t *testing.T) {
	s := &Server{}
	routes := map[string]bool{}
	for _, r := range s.table() {
		routes[r.Method+" "+r.Path] = true
	}
	if len(routes) < 100 {
		t.Fatalf("the table has %d routes: the sweep saw too little", len(routes))
	}
	for key, d := range docs {
		if !routes[key] {
			t.Errorf("docs has %q, which the table does not serve", key)
		}
		for _, v := range []any{d.In, d.Out} {
			if v == nil {
				continue
			}
			k := reflect.TypeOf(v).Kind()
			if k == reflect.Slice {
				k = reflect.TypeOf(v).Elem().Kind()
			}
			if k != reflect.Struct {
				t.Errorf("%s: %T is not a JSON object or a list of them", key, v)
			}
		}
		if d.In == nil && d.Out == nil {
			t.Errorf("%s: a doc with neither body nor answer", key)
		}
	}
}
