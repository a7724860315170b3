package sharing

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// sharingSettings is the Settings tab: the site's rules for share links.
type sharingSettings struct {
	app.Compo
	loaded            bool
	err, saveErr      string
	customURLs, reqPW bool
	days              string
	saving            bool
}

func (s *sharingSettings) OnMount(ctx app.Context) {
	ctx.Async(func() {
		set, err := fetch.API.SharingSettings()
		ctx.Dispatch(func(ctx app.Context) {
			s.loaded = true
			if err != nil {
				s.err = err.Error()
				return
			}
			s.customURLs, s.reqPW, s.days = set.AllowCustomURLs, set.RequirePassword, ""
			if set.DefaultExpirationDays != nil {
				s.days = strconv.Itoa(*set.DefaultExpirationDays)
			}
		})
	})
}

func (s *sharingSettings) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	var days *int
	if d := strings.TrimSpace(s.days); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 3650 {
			s.saveErr = "Default expiration is a whole number of days from 1 to 3650, or blank for never."
			return
		}
		days = &n
	}
	in := model.SharingSettings{AllowCustomURLs: s.customURLs, RequirePassword: s.reqPW, DefaultExpirationDays: days}
	linkui.Send(ctx, &s.saving, &s.saveErr, func() error { _, err := fetch.API.SetSharingSettings(in); return err },
		func(ctx app.Context) { shell.Toast(ctx, "Sharing settings saved") })
}

func (s *sharingSettings) Render() app.UI {
	if !s.loaded {
		return ui.LoadingCard()
	}
	if s.err != "" {
		return ui.ErrorBox(s.err)
	}
	return app.Form().Class("card sharing-pane sharing-settings").ID("sharing-settings-form").OnSubmit(s.save).Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Share link settings"),
			app.P().Class("muted small").Text("They apply to every user's new links; existing links keep what they have."),
		),
		ui.ErrorBox(s.saveErr),
		app.Div().Class("sharing-setting").Body(
			ui.ReasonSwitch("ss-custom-urls", "Allow share links to use custom URLs", s.customURLs, "", func(on bool) { s.customURLs = on }),
			app.P().Class("field-hint sl-sub").Text("Users may replace the random URL key of a link with a friendly name of letters and digits."),
			app.Div().Class("callout callout-warn sl-sub").ID("ss-custom-warning").Body(
				ui.Icon("shield"),
				app.Div().Body(
					app.Strong().Text("A custom URL can be guessed"),
					app.P().Text("Such friendly names can pose a security risk: they can potentially be guessed in a similar way as commonly used passwords. Protect sensitive links with a password or registration."),
				),
			),
		),
		app.Div().Class("sharing-setting").Body(
			ui.ReasonSwitch("ss-require-password", "Password protect all new share and review links", s.reqPW, "", func(on bool) { s.reqPW = on }),
			app.P().Class("field-hint sl-sub").Text("New links cannot be created without a password; direct download links, which take none, are refused. Audit existing links in the Security column."),
		),
		app.Div().Class("sharing-setting").Body(
			ui.Field("Default expiration (days)", app.Input().ID("ss-expiration").Type("number").Min(1).Max(3650).Step(1).
				Attr("inputmode", "numeric").Placeholder("Never").Value(s.days).OnInput(s.ValueTo(&s.days)),
				"New links expire this many days after they are made, unless their creator picks another date. Minimum 1; blank: links never expire by default."),
		),
		app.Div().Class("form-actions").Body(
			app.Button().Type("submit").ID("ss-save").Class("btn btn-primary").Disabled(s.saving).
				Text(map[bool]string{true: "Saving…", false: "Save settings"}[s.saving]),
		),
	)
}

// sharingClickwraps is the Clickwraps tab.
type sharingClickwraps struct {
	app.Compo
	library
	items             []model.Clickwrap
	editing, deleting *model.Clickwrap
}

func (s *sharingClickwraps) OnMount(ctx app.Context) {
	mountByName(ctx, &s.library, fetch.API.Clickwraps, func(c model.Clickwrap) string { return c.Name }, func(cs []model.Clickwrap) { s.items = cs })
}

func (s *sharingClickwraps) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c := s.editing
	if strings.TrimSpace(c.Name) == "" || strings.TrimSpace(c.Body) == "" {
		s.formErr = "Give the clickwrap a name and its terms."
		return
	}
	id, in := c.ID, model.ClickwrapInput{Name: strings.TrimSpace(c.Name), Body: c.Body}
	s.send(ctx, func() error { _, err := fetch.API.SaveClickwrap(id, in); return err }, "Clickwrap saved", func() { s.editing = nil })
}

func (s *sharingClickwraps) remove(ctx app.Context, e app.Event) {
	id := s.deleting.ID
	s.drop(ctx, func() error { return fetch.API.DeleteClickwrap(id) },
		"clickwrap_in_use", "Share links use this clickwrap: take it off them first.", "Clickwrap deleted", func() { s.deleting = nil })
}

func (s *sharingClickwraps) Render() app.UI {
	closeIt := s.closer(func() { s.editing, s.deleting = nil, nil })
	var name string
	if s.deleting != nil {
		name = s.deleting.Name
	}
	return libraryTab("sharing-clickwraps", "Terms visitors must accept before a share link opens. Pick one in a link's settings.",
		"New clickwrap", "sharing-new-clickwrap", func(ctx app.Context, e app.Event) { s.editing, s.formErr = &model.Clickwrap{}, "" }, s.err,
		s.list(linkui.Empty{ID: "cw-empty", Icon: "shield", Title: "No clickwraps yet",
			Text: "A clickwrap is terms a visitor must accept before a share link opens, such as an embargo or a licence."},
			"cw-table", "Name", "Terms", len(s.items), s.renderRow),
		app.If(s.editing != nil, func() app.UI { return s.renderEditor(closeIt) }),
		s.deleteDialog(s.deleting != nil, name, "Links that use it must drop it first. Acceptances already recorded in registrations stay.", "Delete clickwrap", "cw-delete-confirm", closeIt, s.remove),
	)
}

func (s *sharingClickwraps) renderEditor(closeIt app.EventHandler) app.UI {
	c := s.editing
	title := "New clickwrap"
	if c.ID != "" {
		title = "Edit clickwrap"
	}
	return ui.Dialog(title, closeIt, []app.UI{
		app.Form().ID("cw-form").OnSubmit(s.save).Body(
			ui.ErrorBox(s.formErr),
			ui.Field("Name", app.Input().ID("cw-name").MaxLength(200).Required(true).Placeholder("e.g. Press embargo terms").
				Value(c.Name).OnInput(s.ValueTo(&c.Name)), "Only shown internally, to pick it for a link."),
			ui.Field("Terms", app.Textarea().ID("cw-body").Rows(10).MaxLength(20000).Required(true).
				Placeholder("The terms visitors agree to, as plain text").Text(c.Body).OnInput(s.ValueTo(&c.Body)),
				"Visitors read these and tick “I agree” before they see the files."),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", closeIt),
				app.Button().Type("submit").ID("cw-save").Class("btn btn-primary").Disabled(s.saving).
					Text(map[bool]string{true: "Saving…", false: "Save clickwrap"}[s.saving]),
			),
		),
	})
}

func (s *sharingClickwraps) renderRow(i int) app.UI {
	c := s.items[i]
	return libraryRow("cw", c.ID, "Name", c.Name, "Terms", c.Body, c.UpdatedAt,
		func(ctx app.Context, e app.Event) { cc := c; s.editing, s.formErr = &cc, "" },
		func(ctx app.Context, e app.Event) { cc := c; s.deleting, s.formErr = &cc, "" })
}
