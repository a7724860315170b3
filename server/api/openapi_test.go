package api_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/api"
)

// openAPIDoc is the part of /api/v2/openapi.json the route table feeds.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		Summary     string `json:"summary"`
		OperationID string `json:"operationId"`
		Scope       string `json:"x-scope"`
		AdminOnly   bool   `json:"x-admin-only"`
		Security    *[]any `json:"security"`
		Parameters  []struct {
			Name     string `json:"name"`
			In       string `json:"in"`
			Required bool   `json:"required"`
		} `json:"parameters"`
	} `json:"paths"`
}

var fiberParam = regexp.MustCompile(`:([a-z_]+)`)

// The OpenAPI document and the routes the server answers are the same set:
// every /api/v2 route (and /d/) is documented with a summary, its path
// parameters and its security, and every documented operation is served.
// tus (TusPath) is a protocol of its own, outside the table.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := start(t)
	var doc openAPIDoc
	res := s.Client(t).Do("GET", "/api/v2/openapi.json", nil, &doc)
	if res.StatusCode != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi: %d %s", res.StatusCode, body(res))
	}

	served := map[string]bool{}
	for _, r := range s.Routes {
		method, path := r[0], r[1]
		if !strings.HasPrefix(path, "/api/v2/") && !strings.HasPrefix(path, "/d/") {
			continue // pages, /healthz, /metrics, /web and the /api/* catch-all
		}
		if strings.HasPrefix(path, strings.TrimSuffix(api.TusPath, "/")) {
			continue
		}
		p := fiberParam.ReplaceAllString(path, "{$1}")
		served[strings.ToLower(method)+" "+p] = true
		op, ok := doc.Paths[p][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s %s is served but not in the OpenAPI document", method, p)
			continue
		}
		if strings.TrimSpace(op.Summary) == "" || op.Summary == method+" "+p {
			t.Errorf("%s %s has no summary", method, p)
		}
	}
	if len(served) < 100 {
		t.Fatalf("only %d routes served: the sweep saw too little", len(served))
	}

	ids := map[string]string{}
	var docOps []string
	for p, ops := range doc.Paths {
		for method, op := range ops {
			docOps = append(docOps, method+" "+p)
			if !served[method+" "+p] {
				t.Errorf("%s %s is documented but not served", method, p)
			}
			if other, dup := ids[op.OperationID]; dup || op.OperationID == "" {
				t.Errorf("%s %s: operationId %q is empty or also %s", method, p, op.OperationID, other)
			}
			ids[op.OperationID] = method + " " + p
			var want, got []string
			for _, m := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(p, -1) {
				want = append(want, m[1])
			}
			for _, prm := range op.Parameters {
				if prm.In == "path" {
					if !prm.Required {
						t.Errorf("%s %s: path parameter %s is not required", method, p, prm.Name)
					}
					got = append(got, prm.Name)
				}
			}
			if strings.Join(want, ",") != strings.Join(got, ",") {
				t.Errorf("%s %s: path parameters %v, want %v", method, p, got, want)
			}
			public := op.Security != nil && len(*op.Security) == 0
			if public && (op.Scope != "" || op.AdminOnly) {
				t.Errorf("%s %s is public yet names a scope or admins", method, p)
			}
		}
	}
	sort.Strings(docOps)
	t.Logf("%d operations documented", len(docOps))

	// Spot checks that security is carried from the table.
	want := []struct {
		method, path, scope string
		admin, public       bool
	}{
		{"post", "/api/v2/projects/{id}/review_links", "review_links.create", false, false},
		{"get", "/api/v2/users", "users.read", true, false},
		{"put", "/api/v2/settings/sharing", "settings.update", true, false},
		{"get", "/api/v2/me", "", false, false},
		{"post", "/api/v2/public/links/{key}/unlock", "", false, true},
		{"put", "/api/v2/signed/parts/{id}/{index}", "", false, true},
	}
	for _, w := range want {
		op := doc.Paths[w.path][w.method]
		public := op.Security != nil && len(*op.Security) == 0
		if op.Scope != w.scope || op.AdminOnly != w.admin || public != w.public {
			t.Errorf("%s %s: scope %q admin %v public %v, want %q %v %v", w.method, w.path, op.Scope, op.AdminOnly, public, w.scope, w.admin, w.public)
		}
	}
}

// The request bodies and answers in /api/v2/openapi.json are the model
// types, as schemas under components.schemas: every $ref resolves, and a
// create names the fields the server decodes.
func TestOpenAPIReferencesModelTypes(t *testing.T) {
	s := start(t)
	var doc map[string]any
	wantStatus(t, "openapi", s.Client(t).Do("GET", "/api/v2/openapi.json", nil, &doc), 200, "")
	comps, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	refs := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				refs++
				if name := strings.TrimPrefix(ref, "#/components/schemas/"); comps[name] == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc["paths"])
	walk(comps)
	if refs < 100 {
		t.Errorf("only %d schema references in the document", refs)
	}

	schemaAt := func(v any, keys ...string) map[string]any {
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		m, _ := v.(map[string]any)
		return m
	}
	paths := doc["paths"]
	body := schemaAt(paths, "/api/v2/share_links", "post", "requestBody", "content", "application/json", "schema")
	if body["$ref"] != "#/components/schemas/NewShareLink" {
		t.Fatalf("POST /api/v2/share_links body: %v", body)
	}
	props := schemaAt(comps, "NewShareLink", "properties")
	for _, f := range []string{"kind", "asset_ids", "folder_id", "expires_at", "password", "max_uses", "allow_face_search"} {
		if props[f] == nil {
			t.Errorf("NewShareLink lacks %s: %v", f, props)
		}
	}
	if props["expires_at"].(map[string]any)["nullable"] != true || schemaAt(props, "expires_at")["format"] != "date-time" {
		t.Errorf("expires_at (an Opt[time.Time]): %v", props["expires_at"])
	}
	list := schemaAt(paths, "/api/v2/projects", "get", "responses", "200", "content", "application/json", "schema")
	if list["type"] != "array" || schemaAt(list, "items")["$ref"] != "#/components/schemas/Project" {
		t.Errorf("GET /api/v2/projects answers %v", list)
	}
	// Me embeds User: its fields are inline.
	if me := schemaAt(comps, "Me", "properties"); me["email"] == nil || me["site_name"] == nil {
		t.Errorf("Me: %v", me)
	}
}
