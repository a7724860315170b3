package api

import (
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// summaries name what the routes do; a route without one gets its method
// and path. TestOpenAPIMatchesRoutes checks every route is documented.
var summaries = map[string]string{
	"POST /api/v2/auth/login":                              "Log in (sets the session cookie)",
	"POST /api/v2/auth/logout":                             "Log out",
	"GET /api/v2/me":                                       "The user behind the session or token",
	"GET /api/v2/projects":                                 "List projects",
	"POST /api/v2/projects":                                "Create a project",
	"GET /api/v2/projects/{id}":                            "Get a project (with root_asset_id)",
	"GET /api/v2/assets/{id}":                              "Get an asset",
	"GET /api/v2/assets/{id}/children":                     "List a folder, version stack or file's attachments",
	"POST /api/v2/assets/{id}/children":                    "Create a folder, or a file to upload (answers upload_url and Frame.io's upload_urls)",
	"PUT /api/v2/signed/parts/{id}/{index}":                "Frame.io upload_urls: one part of a file (signed URL, no token)",
	"GET /api/v2/signed/original/{id}":                     "Frame.io original: the original by signed URL (Range, no token)",
	"GET /api/v2/assets/{id}/original":                     "Download the original (Range, ETag)",
	"POST /api/v2/projects/{id}/review_links":              "Create a review link (Frame.io v2)",
	"GET /api/v2/projects/{id}/review_links":               "List a project's review links",
	"GET /api/v2/review_links/{id}":                        "Get a review link",
	"PUT /api/v2/review_links/{id}":                        "Update a review link",
	"DELETE /api/v2/review_links/{id}":                     "Delete a review link",
	"POST /api/v2/review_links/{id}/assets":                "Add assets to a review link ({\"asset_ids\": [...]})",
	"GET /api/v2/review_links/{id}/items":                  "List a review link's items, each with its asset",
	"GET /api/v2/review_links/{id}/activity":               "Approvals, comments and views of a review link",
	"GET /api/v2/assets/{id}/comments":                     "List an asset's comments",
	"POST /api/v2/assets/{id}/comments":                    "Comment on an asset (text, timestamp, annotation, page)",
	"POST /api/v2/comments/{id}/replies":                   "Reply to a comment",
	"GET /api/v2/upload_links":                             "List upload links",
	"POST /api/v2/upload_links":                            "Create an upload link (answers the passcode once)",
	"GET /api/v2/upload_links/stats":                       "Stat cards of upload links",
	"POST /api/v2/upload_links/{id}/resend":                "Resend both mails with a new passcode",
	"DELETE /api/v2/upload_links/{id}":                     "Revoke an upload link",
	"GET /api/v2/share_links":                              "List share links",
	"POST /api/v2/share_links":                             "Create a public or direct-download link",
	"POST /api/v2/share_links/{id}/items":                  "Add and remove files of a collection or selection link ({\"add\":[...],\"remove\":[...]})",
	"GET /api/v2/share_links/{id}/access_log":              "A share link's access log (?format=csv)",
	"GET /api/v2/assets/{id}/affected_links":               "Share links that deleting this asset would leave without a target",
	"GET /api/v2/collections/{id}/affected_links":          "Share links that deleting this collection would leave without a target",
	"GET /api/v2/public/links/{key}":                       "What a visitor of a link sees",
	"POST /api/v2/public/links/{key}/unlock":               "Give a link's password or passcode",
	"GET /api/v2/public/links/{key}/zip":                   "Download all: a streamed ZIP",
	"GET /d/{key}":                                         "A direct download link: the original itself",
	"POST /api/v2/public/links/{key}/reviewer":             "A reviewer gives their name",
	"PUT /api/v2/public/links/{key}/assets/{id}/approval":  "A reviewer approves, asks for changes or rejects",
	"POST /api/v2/public/links/{key}/assets/{id}/comments": "A reviewer comments",
	"GET /api/v2/settings/faces":                           "Face search: on or off, indexing progress, what is stored",
	"PUT /api/v2/settings/faces":                           "Switch face search on or off ({\"enabled\": true})",
	"POST /api/v2/settings/faces/purge":                    "Delete every face, crop and person, and switch face search off",
	"GET /api/v2/public/links/{key}/people":                "The people in a link's photos (face strip; links that allow search by people)",
	"GET /api/v2/public/links/{key}/people/{person}":       "The photos of a link that show one person",
	"GET /api/v2/public/links/{key}/faces/{face}":          "A face crop of a link's photo",
	"POST /api/v2/public/links/{key}/selfie":               "Find a link's photos of the person in a selfie (JPEG or PNG body; never stored)",
}

var paramPattern = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath turns "/a/:id/qr.:format" into "/a/{id}/qr.{format}".
func openAPIPath(p string) string { return paramPattern.ReplaceAllString(p, "{$1}") }

func (s *Server) openAPI(c *fiber.Ctx) error {
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		if r.Method == "HEAD" {
			continue
		}
		path := openAPIPath(r.Path)
		op := map[string]any{
			"summary":     summaryOf(r.Method, path),
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
		if r.Method == "POST" || r.Method == "PUT" {
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"type": "object"}}}}
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
		"components": fiber.Map{"securitySchemes": fiber.Map{
			"bearer":  fiber.Map{"type": "http", "scheme": "bearer"},
			"session": fiber.Map{"type": "apiKey", "in": "cookie", "name": SessionCookie}}},
		"security": []fiber.Map{{"bearer": []string{}}, {"session": []string{}}},
		"tags":     tags,
		"paths":    paths,
	})
}

func summaryOf(method, path string) string {
	if s, ok := summaries[method+" "+path]; ok {
		return s
	}
	return method + " " + path
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
