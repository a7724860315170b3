package admin

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Settings > API: the OpenAPI document the server publishes at
// /api/v2/openapi.json, grouped by tag and readable without a tool.

// openAPIDoc is the part of an OpenAPI 3 document the page shows.
type openAPIDoc struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	} `json:"info"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas    map[string]openAPISchema `json:"schemas"`
		Parameters map[string]openAPIParam  `json:"parameters"`
	} `json:"components"`
}

type openAPIOperation struct {
	Summary     string                     `json:"summary"`
	Description string                     `json:"description"`
	OperationID string                     `json:"operationId"`
	Tags        []string                   `json:"tags"`
	Scope       json.RawMessage            `json:"x-scope"` // a string, or a list of them
	AdminOnly   bool                       `json:"x-admin-only"`
	Security    *[]json.RawMessage         `json:"security"` // an empty list: no sign-in
	Deprecated  bool                       `json:"deprecated"`
	Parameters  []openAPIParam             `json:"parameters"`
	RequestBody *openAPIBody               `json:"requestBody"`
	Responses   map[string]openAPIResponse `json:"responses"`
}

type openAPIParam struct {
	Ref         string         `json:"$ref"`
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Required    bool           `json:"required"`
	Description string         `json:"description"`
	Schema      *openAPISchema `json:"schema"`
}

type openAPIBody struct {
	Description string                      `json:"description"`
	Required    bool                        `json:"required"`
	Content     map[string]openAPIMediaType `json:"content"`
}

type openAPIMediaType struct {
	Schema *openAPISchema `json:"schema"`
}

type openAPIResponse struct {
	Description string                      `json:"description"`
	Content     map[string]openAPIMediaType `json:"content"`
}

type openAPISchema struct {
	Ref         string                    `json:"$ref"`
	Type        json.RawMessage           `json:"type"` // a string, or a list in OpenAPI 3.1
	Format      string                    `json:"format"`
	Description string                    `json:"description"`
	Enum        []any                     `json:"enum"`
	Nullable    bool                      `json:"nullable"`
	Items       *openAPISchema            `json:"items"`
	Properties  map[string]*openAPISchema `json:"properties"`
	Required    []string                  `json:"required"`
	OneOf       []*openAPISchema          `json:"oneOf"`
	AnyOf       []*openAPISchema          `json:"anyOf"`
}

// apiRoute is one method of one path, ready to show.
type apiRoute struct {
	method, path, tag, scope string
	op                       openAPIOperation
}

func (r apiRoute) key() string { return r.method + " " + r.path }

var apiMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// apiRoutes flattens the paths into routes grouped by their first tag, in
// the order the document lists its tags, then the rest alphabetically.
func apiRoutes(doc *openAPIDoc) (tags []string, byTag map[string][]apiRoute) {
	byTag = map[string][]apiRoute{}
	for path, item := range doc.Paths {
		var shared []openAPIParam
		if raw, ok := item["parameters"]; ok {
			json.Unmarshal(raw, &shared)
		}
		for _, m := range apiMethods {
			raw, ok := item[m]
			if !ok {
				continue
			}
			var op openAPIOperation
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			op.Parameters = append(append([]openAPIParam(nil), shared...), op.Parameters...)
			tag := "Other"
			if len(op.Tags) > 0 && op.Tags[0] != "" {
				tag = op.Tags[0]
			}
			byTag[tag] = append(byTag[tag], apiRoute{method: m, path: path, tag: tag, scope: apiScope(op.Scope), op: op})
		}
	}
	seen := map[string]bool{}
	for _, t := range doc.Tags {
		if len(byTag[t.Name]) > 0 && !seen[t.Name] {
			tags, seen[t.Name] = append(tags, t.Name), true
		}
	}
	var rest []string
	for t := range byTag {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	sort.Strings(rest)
	tags = append(tags, rest...)
	order := map[string]int{}
	for i, m := range apiMethods {
		order[m] = i
	}
	for _, rs := range byTag {
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].path != rs[j].path {
				return rs[i].path < rs[j].path
			}
			return order[rs[i].method] < order[rs[j].method]
		})
	}
	return tags, byTag
}

// apiScope reads x-scope, a string or a list of strings.
func apiScope(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	return strings.Trim(string(raw), `"`)
}

// APIDocsPage is Settings > API: every route of the API with its scope,
// for admins and members alike.
type APIDocsPage struct {
	app.Compo
	doc    *openAPIDoc
	tags   []string
	byTag  map[string][]apiRoute
	err    string
	loaded bool
	admin  bool
	q      string
	open   map[string]bool
}

func (p *APIDocsPage) OnNav(ctx app.Context) {
	if !app.IsClient {
		return
	}
	var me model.Me
	ctx.GetState("me", &me)
	p.admin = me.Role == "admin"
	ctx.Async(func() {
		var doc openAPIDoc
		err := fetch.API.Do("GET", "/api/v2/openapi.json", nil, &doc) // the OpenAPI document, not a model type
		me, meErr := fetch.API.Me()
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if meErr == nil {
				p.admin = me.Role == "admin"
			} else if fetch.IsUnauthorized(meErr) {
				ctx.Navigate("/login")
				return
			}
			if err != nil {
				p.err = "Could not load the API description: " + err.Error()
				return
			}
			p.doc, p.err = &doc, ""
			p.tags, p.byTag = apiRoutes(&doc)
		})
	})
}

// settingsTabs switch between the parts of Settings; members, who see
// only the API part, get no tabs.
func settingsTabs(active string) app.UI {
	return ui.NavTabs("settings-tabs", "Settings sections", "settings-tab-", active, []ui.NavTab{
		{Key: "general", Href: "/settings", Label: "Email & watermark"},
		{Key: "api", Href: "/settings/api", Label: "API"},
	})
}

func (p *APIDocsPage) matches(r apiRoute) bool {
	q := strings.ToLower(strings.TrimSpace(p.q))
	if q == "" {
		return true
	}
	return strings.Contains(strings.ToLower(r.method+" "+r.path+" "+r.tag+" "+r.scope+" "+r.op.Summary), q)
}

func (p *APIDocsPage) Render() app.UI {
	total := 0
	for _, rs := range p.byTag {
		total += len(rs)
	}
	title, version := "Ferry API", ""
	if p.doc != nil {
		if p.doc.Info.Title != "" {
			title = p.doc.Info.Title
		}
		version = p.doc.Info.Version
	}
	return shell.Frame("settings", ui.PageState(p.loaded, p.err), []app.UI{
		ui.PageHeader("Settings", "Everything the web app does, scripts can do through the API."),
		app.If(p.admin, func() app.UI { return settingsTabs("api") }),
		app.Section().Class("settings-section api-docs").ID("api-docs").Body(
			app.Div().Class("section-head section-head-row").Body(
				app.Div().Body(
					app.H2().Body(app.Text(title), app.If(version != "", func() app.UI { return app.Span().Class("badge badge-grey api-version").Text(version) })),
					app.P().Class("muted").Body(
						app.Text("Send a token as "), app.Code().Class("api-inline").Text("Authorization: Bearer …"),
						app.Text("; make one under "), app.A().Href("/account/tokens").Text("API tokens"),
						app.Text(" with the scopes a route needs. JSON in and out; times are RFC 3339."),
					),
				),
				app.A().Class("btn btn-secondary").ID("api-raw").Href("/api/v2/openapi.json").Target("_blank").Rel("noopener").
					Body(ui.Icon("file"), app.Span().Text("openapi.json")),
			),
			ui.ErrorBox(p.err),
			app.If(!p.loaded, func() app.UI {
				return ui.LoadingCard()
			}),
			app.If(p.doc != nil, func() app.UI { return p.renderRoutes(total) }),
		),
	})
}

func (p *APIDocsPage) renderRoutes(total int) app.UI {
	var groups []app.UI
	shown := 0
	for _, tag := range p.tags {
		var rs []apiRoute
		for _, r := range p.byTag[tag] {
			if p.matches(r) {
				rs = append(rs, r)
			}
		}
		if len(rs) == 0 {
			continue
		}
		shown += len(rs)
		desc := ""
		for _, t := range p.doc.Tags {
			if t.Name == tag {
				desc = t.Description
			}
		}
		groups = append(groups, app.Div().Class("api-group").DataSet("tag", tag).Body(
			app.Div().Class("api-group-head").Body(
				app.H3().Text(apiTagTitle(tag)),
				app.Span().Class("tab-count").Text(app.FormatString("%d", len(rs))),
				app.If(desc != "", func() app.UI { return app.P().Class("muted small").Text(desc) }),
			),
			app.Div().Class("card api-list").Body(app.Range(rs).Slice(func(i int) app.UI { return p.renderRoute(rs[i]) })),
		))
	}
	return app.Div().Body(
		app.Div().Class("api-toolbar").Body(
			ui.Search("api-search", "api-search", "Filter routes", "Filter by path, scope or summary", p.q, p.ValueTo(&p.q)),
			app.Span().Class("muted small").Text(app.FormatString("%d of %d routes", shown, total)),
		),
		app.If(len(groups) == 0, func() app.UI {
			return app.Div().Class("card").Body(ui.EmptyState("file", "No matching routes", "No route matches the filter.", nil))
		}),
		app.Div().Class("api-groups").Body(groups...),
	)
}

// apiSummary is the route's summary, or "" when it only repeats the path.
func apiSummary(r apiRoute) string {
	if r.op.Summary == strings.ToUpper(r.method)+" "+r.path {
		return ""
	}
	return r.op.Summary
}

// apiAccess is what a route needs: a token scope, an admin, or nothing.
func apiAccess(r apiRoute) app.UI {
	var out []app.UI
	if r.op.AdminOnly {
		out = append(out, app.Span().Class("chip api-scope is-admin").Title("Admins only").Text("admin"))
	}
	switch {
	case r.scope != "":
		out = append(out, app.Span().Class("chip api-scope").Title("Token scope").Text(r.scope))
	case r.op.Security != nil && len(*r.op.Security) == 0:
		out = append(out, app.Span().Class("chip api-scope is-none").Title("No sign-in needed").Text("public"))
	case !r.op.AdminOnly:
		out = append(out, app.Span().Class("chip api-scope is-none").Title("Any signed-in user; no token scope").Text("signed in"))
	}
	return app.Span().Class("api-access").Body(out...)
}

// apiTagTitle turns a tag such as review_links into "Review links".
func apiTagTitle(tag string) string {
	s := strings.ReplaceAll(tag, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (p *APIDocsPage) renderRoute(r apiRoute) app.UI {
	open := p.open[r.key()]
	cls := "api-route"
	if open {
		cls += " is-open"
	}
	if r.op.Deprecated {
		cls += " is-deprecated"
	}
	return app.Div().Class(cls).DataSet("method", strings.ToUpper(r.method)).DataSet("path", r.path).Body(
		app.Button().Type("button").Class("api-route-head").Attr("aria-expanded", map[bool]string{true: "true", false: "false"}[open]).
			OnClick(p.toggle).Body(
			app.Span().Class("api-method api-"+r.method).Text(strings.ToUpper(r.method)),
			app.Code().Class("api-path").Text(r.path),
			app.Span().Class("api-summary").Text(apiSummary(r)),
			apiAccess(r),
			app.Span().Class("api-chevron").Body(ui.Icon(map[bool]string{true: "chevron-down", false: "chevron-right"}[open])),
		),
		app.If(open, func() app.UI { return p.renderDetails(r) }),
	)
}

// toggle opens or closes the route around the clicked head.
func (p *APIDocsPage) toggle(ctx app.Context, e app.Event) {
	key := strings.ToLower(ui.ClosestData(ctx, "method")) + " " + ui.ClosestData(ctx, "path")
	if p.open == nil {
		p.open = map[string]bool{}
	}
	p.open[key] = !p.open[key]
}

func (p *APIDocsPage) renderDetails(r apiRoute) app.UI {
	op := r.op
	var params []openAPIParam
	for _, prm := range op.Parameters {
		if prm.Ref != "" {
			if c, ok := p.doc.Components.Parameters[strings.TrimPrefix(prm.Ref, "#/components/parameters/")]; ok {
				prm = c
			}
		}
		params = append(params, prm)
	}
	var codes []string
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return app.Div().Class("api-details").Body(
		app.If(op.Description != "", func() app.UI { return app.P().Class("api-desc").Text(op.Description) }),
		app.If(len(params) > 0, func() app.UI {
			return app.Div().Class("api-block").Body(
				app.H4().Text("Parameters"),
				app.Div().Class("api-table-wrap").Body(app.Table().Class("table api-table").Body(
					app.THead().Body(app.Tr().Body(app.Th().Text("Name"), app.Th().Text("In"), app.Th().Text("Type"), app.Th().Text("Description"))),
					app.TBody().Body(app.Range(params).Slice(func(i int) app.UI {
						prm := params[i]
						return app.Tr().Body(
							app.Td().Body(app.Code().Text(prm.Name), app.If(prm.Required, func() app.UI { return app.Span().Class("api-req").Title("Required").Text("*") })),
							app.Td().Class("muted").Text(prm.In),
							app.Td().Class("mono").Text(p.typeOf(prm.Schema)),
							app.Td().Text(prm.Description),
						)
					})),
				)),
			)
		}),
		app.If(op.RequestBody != nil, func() app.UI {
			b := op.RequestBody
			return app.Div().Class("api-block").Body(
				app.H4().Body(app.Text("Request body"), app.If(b.Required, func() app.UI { return app.Span().Class("api-req").Text(" *") })),
				app.If(b.Description != "", func() app.UI { return app.P().Class("muted small").Text(b.Description) }),
				p.renderContent(b.Content),
			)
		}),
		app.If(len(codes) > 0, func() app.UI {
			return app.Div().Class("api-block").Body(
				app.H4().Text("Responses"),
				app.Range(codes).Slice(func(i int) app.UI {
					res := op.Responses[codes[i]]
					return app.Div().Class("api-response").Body(
						app.Div().Class("api-response-head").Body(
							app.Span().Class("api-code api-code-"+codes[i][:1]).Text(codes[i]),
							app.Span().Text(res.Description),
						),
						p.renderContent(res.Content),
					)
				}),
			)
		}),
	)
}

// renderContent shows the schema of a body: its type, and the fields of an
// object one level deep.
func (p *APIDocsPage) renderContent(content map[string]openAPIMediaType) app.UI {
	var types []string
	for t := range content {
		types = append(types, t)
	}
	sort.Strings(types)
	var out []app.UI
	for _, t := range types {
		s := content[t].Schema
		out = append(out, app.Div().Class("api-content").Body(
			app.Div().Class("muted small").Body(app.Code().Text(t), app.If(s != nil, func() app.UI { return app.Text(" · " + p.typeOf(s)) })),
			p.renderFields(s),
		))
	}
	return app.Div().Body(out...)
}

func (p *APIDocsPage) resolve(s *openAPISchema) *openAPISchema {
	for i := 0; s != nil && s.Ref != "" && i < 8; i++ {
		c, ok := p.doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		if !ok {
			return s
		}
		s = &c
	}
	return s
}

func (p *APIDocsPage) renderFields(s *openAPISchema) app.UI {
	s = p.resolve(s)
	if s != nil && s.Items != nil && len(s.Properties) == 0 {
		s = p.resolve(s.Items)
	}
	if s == nil || len(s.Properties) == 0 {
		return nil
	}
	required := map[string]bool{}
	for _, n := range s.Required {
		required[n] = true
	}
	var names []string
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return app.Dl().Class("api-fields").Body(app.Range(names).Slice(func(i int) app.UI {
		f := s.Properties[names[i]]
		desc := ""
		if f != nil {
			desc = f.Description
			if len(f.Enum) > 0 {
				var vs []string
				for _, v := range f.Enum {
					b, _ := json.Marshal(v)
					vs = append(vs, string(b))
				}
				desc = strings.TrimSpace(desc + " One of " + strings.Join(vs, ", ") + ".")
			}
		}
		return app.Div().Class("api-field").Body(
			app.Dt().Body(app.Code().Text(names[i]), app.If(required[names[i]], func() app.UI { return app.Span().Class("api-req").Title("Required").Text("*") }),
				app.Span().Class("api-type").Text(p.typeOf(f))),
			app.Dd().Text(desc),
		)
	}))
}

// typeOf is a schema in a few characters: string, int, Asset[], …
func (p *APIDocsPage) typeOf(s *openAPISchema) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	var alts []*openAPISchema
	alts = append(alts, s.OneOf...)
	alts = append(alts, s.AnyOf...)
	if len(alts) > 0 {
		var parts []string
		for _, a := range alts {
			parts = append(parts, p.typeOf(a))
		}
		return strings.Join(parts, " | ")
	}
	var t string
	if json.Unmarshal(s.Type, &t) != nil {
		var ts []string
		json.Unmarshal(s.Type, &ts)
		t = strings.Join(ts, " | ")
	}
	switch {
	case t == "array":
		t = p.typeOf(s.Items) + "[]"
	case s.Format != "":
		t += " (" + s.Format + ")"
	case t == "":
		t = "any"
	}
	if s.Nullable {
		t += " | null"
	}
	return t
}
