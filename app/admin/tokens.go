package admin

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

var scopeResources = []string{"projects", "assets", "comments", "share_links", "review_links", "upload_links", "users", "settings"}
var scopeActions = []string{"read", "create", "update", "delete"}

// TokensPage lets each user create and revoke API tokens with scopes.
type TokensPage struct {
	app.Compo
	list ui.List[model.Token]

	creating bool
	name     string
	scopes   map[string]bool
	formErr  string
	secret   string
}

func (p *TokensPage) OnMount(ctx app.Context) { p.list.Mount(ctx, shell.ReloadAction, p.load) }

func (p *TokensPage) load(ctx app.Context) { p.list.Load(ctx, fetch.API.Tokens, nil) }

func (p *TokensPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	var scopes []string
	for _, r := range scopeResources {
		for _, a := range scopeActions {
			if p.scopes[r+"."+a] {
				scopes = append(scopes, r+"."+a)
			}
		}
	}
	in := model.NewToken{Name: p.name, Scopes: scopes}
	var out model.NewTokenAnswer
	ui.Run(ctx, &p.formErr, nil, func() (err error) {
		out, err = fetch.API.CreateToken(in)
		return err
	}, func(ctx app.Context) {
		p.creating, p.secret = false, out.Secret
		shell.Reload(ctx)
	})
}

func (p *TokensPage) revoke(ctx app.Context, t model.Token) {
	if !app.Window().Call("confirm", "Revoke \""+t.Name+"\"? Scripts using it stop working at once. This cannot be undone.").Bool() {
		return
	}
	p.list.Change(ctx, func() error { return fetch.API.DeleteToken(t.ID) }, func(ctx app.Context) {
		shell.Toast(ctx, "Token revoked")
		shell.Reload(ctx)
	})
}

// tokenText is what the search of tokens looks in.
func tokenText(t model.Token) string {
	return t.Name + " " + t.Prefix + " " + strings.Join(t.Scopes, " ")
}

func (p *TokensPage) Render() app.UI {
	return shell.Frame("tokens", p.list.State(), []app.UI{
		ui.PageHeader("API tokens", "Tokens let scripts use the Ferry API as you, limited to the scopes you pick.",
			ui.Button("Create token", "primary", func(ctx app.Context, e app.Event) {
				p.creating, p.name, p.formErr = true, "", ""
				p.scopes = map[string]bool{"projects.read": true, "assets.read": true}
			}).ID("create-token")),
		ui.ErrorBox(p.list.Err),
		app.If(p.secret != "", func() app.UI {
			return app.Div().Class("card token-once").Body(
				app.Strong().Text("Copy your new token now. It is shown only once."),
				app.Div().Class("copy-row").Body(
					app.Code().ID("token-secret").Text(p.secret),
					ui.Button("Copy", "primary", func(ctx app.Context, e app.Event) { ui.CopyText(p.secret); shell.Toast(ctx, "Token copied") }),
					ui.Button("Done", "ghost", func(ctx app.Context, e app.Event) { p.secret = "" }),
				),
			)
		}),
		p.list.SearchBox("tokens-search", "Search tokens", "Search name or scope"),
		p.list.Body(tokenText, ui.EmptyState("key", "No API tokens yet", "Create a token to script uploads, links and reviews. Clients written for the Frame.io v2 API work with base URL /api.", nil), func(tokens []model.Token) app.UI {
			return app.Div().Class("card table-card").Body(app.Table().Class("table").Body(
				app.THead().Body(app.Tr().Body(app.Th().Text("Name"), app.Th().Text("Scopes"), app.Th().Text("Created"), ui.SrTh("Actions"))),
				app.TBody().Body(app.Range(tokens).Slice(func(i int) app.UI {
					t := tokens[i]
					return app.Tr().Body(
						app.Td().Body(app.Strong().Text(t.Name), app.Div().Class("muted mono").Text(t.Prefix+"…")),
						app.Td().Body(app.Div().Class("chips").Body(app.Range(t.Scopes).Slice(func(j int) app.UI {
							return app.Span().Class("chip").Text(t.Scopes[j])
						}))),
						app.Td().Class("muted").Text(t.InsertedAt.Local().Format("2 Jan 2006")),
						app.Td().Class("row-actions").Body(ui.Button("Revoke", "danger-ghost", func(ctx app.Context, e app.Event) { p.revoke(ctx, t) })),
					)
				})),
			))
		}),
		app.If(p.creating, func() app.UI {
			return ui.Dialog("Create API token", func(ctx app.Context, e app.Event) { p.creating = false }, []app.UI{
				app.Form().ID("token-form").OnSubmit(p.create).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().ID("token-name").Required(true).Placeholder("e.g. Lightroom export").Value(p.name).OnInput(p.ValueTo(&p.name)), ""),
					app.Div().Class("field-label").Text("Scopes"),
					app.Table().Class("scope-grid").Body(
						app.THead().Body(app.Tr().Body(ui.SrTh("Resource"), app.Range(scopeActions).Slice(func(i int) app.UI { return app.Th().Text(scopeActions[i]) }))),
						app.TBody().Body(app.Range(scopeResources).Slice(func(i int) app.UI {
							r := scopeResources[i]
							return app.Tr().Body(
								app.Td().Text(strings.ReplaceAll(r, "_", " ")),
								app.Range(scopeActions).Slice(func(j int) app.UI {
									sc := r + "." + scopeActions[j]
									return app.Td().Body(app.Input().Type("checkbox").Attr("aria-label", sc).Checked(p.scopes[sc]).
										OnChange(func(ctx app.Context, e app.Event) { p.scopes[sc] = ctx.JSSrc().Get("checked").Bool() }))
								}),
							)
						})),
					),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.creating = false }),
						app.Button().Type("submit").ID("token-submit").Class("btn btn-primary").Text("Create token"),
					),
				),
			})
		}),
	})
}
