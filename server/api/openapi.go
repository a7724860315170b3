package api

import (
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

var paramPattern = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath turns "/a/:id/qr.:format" into "/a/{id}/qr.{format}".
func openAPIPath(p string) string { return paramPattern.ReplaceAllString(p, "{$1}") }

func (s *Server) openAPI(c *fiber.Ctx, _ *Principal) error {
	paths := map[string]map[string]any{}
	models := schemas{}
	for _, r := range s.routes {
		path := openAPIPath(r.Path)
		op := map[string]any{
			"summary":     r.Summary,
			"operationId": strings.ToLower(r.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(path),
			"tags":        []string{tagOf(path)},
			"responses": map[string]any{
				"200": map[string]any{"description": "OK"},
				"4XX": map[string]any{"description": "An error: {\"errors\":[{\"status\",\"code\",\"title\",\"detail\"}]}"},
			},
		}
		if r.Scope != "" {
			op["x-scope"] = r.Scope
		}
		switch r.Access {
		case Public:
			op["security"] = []any{}
		case Admin:
			op["x-admin-only"] = true
		}
		var params []any
		for _, m := range paramPattern.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		if r.Method == "GET" && (strings.HasSuffix(path, "s") || strings.HasSuffix(path, "children") || strings.HasSuffix(path, "items")) {
			params = append(params,
				map[string]any{"name": "page", "in": "query", "schema": map[string]string{"type": "integer"}},
				map[string]any{"name": "page_size", "in": "query", "schema": map[string]string{"type": "integer"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		d := docs[r.Method+" "+r.Path]
		switch {
		case d.In != nil:
			op["requestBody"] = map[string]any{"content": jsonContent(models.of(reflect.TypeOf(d.In)))}
		case r.Method == "POST" || r.Method == "PUT":
			op["requestBody"] = map[string]any{"content": jsonContent(map[string]any{"type": "object"})}
		}
		if d.Out != nil {
			op["responses"].(map[string]any)["200"] = map[string]any{"description": "OK", "content": jsonContent(models.of(reflect.TypeOf(d.Out)))}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.Method)] = op
	}
	var tags []map[string]string
	seen := map[string]bool{}
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		if t := tagOf(p); !seen[t] {
			seen[t] = true
			tags = append(tags, map[string]string{"name": t})
		}
	}
	return c.JSON(fiber.Map{
		"openapi": "3.0.3",
		"info": fiber.Map{"title": "Ferry API", "version": "2",
			"description": "Frame.io v2-compatible review links and comments, plus Ferry's projects, assets, uploads (tus at /api/v2/tus/) and links. Authenticate with a session cookie or Authorization: Bearer <token>; each route names the token scope it needs in x-scope."},
		"servers": []fiber.Map{{"url": strings.TrimRight(s.Config.PublicURL, "/")}},
		"components": fiber.Map{"schemas": models, "securitySchemes": fiber.Map{
			"bearer":  fiber.Map{"type": "http", "scheme": "bearer"},
			"session": fiber.Map{"type": "apiKey", "in": "cookie", "name": SessionCookie}}},
		"security": []fiber.Map{{"bearer": []string{}}, {"session": []string{}}},
		"tags":     tags,
		"paths":    paths,
	})
}

func tagOf(path string) string {
	p := strings.TrimPrefix(strings.TrimPrefix(path, "/api/v2/"), "/")
	switch {
	case strings.HasPrefix(p, "public/") || strings.HasPrefix(p, "d/"):
		return "public links"
	case strings.HasSuffix(p, "review_links") || strings.HasPrefix(p, "review_links"):
		return "review links"
	case strings.Contains(p, "comments"):
		return "comments"
	}
	seg := strings.SplitN(p, "/", 2)[0]
	return strings.ReplaceAll(seg, "_", " ")
}
