package sharing

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The Custom forms tab of Sharing: registration forms a share link can ask
// visitors to fill in, made of the standard fields (name, company, email)
// and questions of four types.

var formFieldTypes = []struct{ key, label string }{
	{"short", "Short answer"},
	{"paragraph", "Paragraph"},
	{"choice", "Multiple choice"},
	{"dropdown", "Dropdown"},
}

func formFieldTypeLabel(t string) string {
	for _, ft := range formFieldTypes {
		if ft.key == t {
			return ft.label
		}
	}
	return t
}

var standardFormFields = []struct{ key, label, hint string }{
	{"name", "Name", "Required when kept"},
	{"company", "Company", "Optional for visitors"},
	{"email", "Email", "Required when kept; must be a valid address"},
}

func hasChoices(t string) bool { return t == "choice" || t == "dropdown" }

// formDraft is a form while it is edited.
type formDraft struct {
	id     string
	title  string
	std    map[string]bool
	fields []model.FormField
}

func newFormDraft(f *model.ShareForm) *formDraft {
	d := &formDraft{std: map[string]bool{"name": true, "company": true, "email": true}}
	if f == nil {
		return d
	}
	d.id, d.title = f.ID, f.Title
	if f.StandardFields != nil {
		d.std = map[string]bool{}
		for _, k := range f.StandardFields {
			d.std[k] = true
		}
	}
	for _, fd := range f.Fields {
		fd.Options = append([]string(nil), fd.Options...)
		d.fields = append(d.fields, fd)
	}
	return d
}

// body is what the API takes, or a message saying what to fix.
func (d *formDraft) body() (model.ShareFormInput, string) {
	title := strings.TrimSpace(d.title)
	if title == "" {
		return model.ShareFormInput{}, "Give the form a title."
	}
	std := []string{}
	for _, s := range standardFormFields {
		if d.std[s.key] {
			std = append(std, s.key)
		}
	}
	fields := []model.FormField{}
	for i, f := range d.fields {
		f.Label = strings.TrimSpace(f.Label)
		f.Description = strings.TrimSpace(f.Description)
		if f.Label == "" {
			return model.ShareFormInput{}, app.FormatString("Question %d needs a label.", i+1)
		}
		var opts []string
		if hasChoices(f.Type) {
			for _, o := range f.Options {
				if o = strings.TrimSpace(o); o != "" {
					opts = append(opts, o)
				}
			}
			if len(opts) == 0 {
				return model.ShareFormInput{}, "“" + f.Label + "” needs at least one option."
			}
		}
		f.Options = opts
		if f.Options == nil {
			f.Options = []string{}
		}
		fields = append(fields, f)
	}
	if len(std) == 0 && len(fields) == 0 {
		return model.ShareFormInput{}, "Keep a standard field or add a question: an empty form asks nothing."
	}
	return model.ShareFormInput{Title: title, StandardFields: &std, Fields: fields}, ""
}

// sharingForms is the Custom forms tab.
type sharingForms struct {
	app.Compo
	library
	items    []model.ShareForm
	deleting *model.ShareForm
	draft    *formDraft
}

func (s *sharingForms) OnMount(ctx app.Context) {
	mountByName(ctx, &s.library, fetch.API.ShareForms, func(f model.ShareForm) string { return f.Title }, func(fs []model.ShareForm) { s.items = fs })
}

func (s *sharingForms) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	d := s.draft
	in, msg := d.body()
	if msg != "" {
		s.formErr = msg
		return
	}
	id := d.id
	s.send(ctx, func() error { _, err := fetch.API.SaveShareForm(id, in); return err }, "Form saved", func() { s.draft = nil })
}

func (s *sharingForms) remove(ctx app.Context, e app.Event) {
	id := s.deleting.ID
	s.drop(ctx, func() error { return fetch.API.DeleteShareForm(id) },
		"form_in_use", "Share links use this form: pick another form for them first.", "Form deleted", func() { s.deleting = nil })
}

func (s *sharingForms) Render() app.UI {
	if s.draft != nil {
		return s.renderEditor()
	}
	var name string
	if s.deleting != nil {
		name = s.deleting.Title
	}
	return libraryTab("sharing-forms", "Registration forms visitors fill in before a share link opens. Pick one in a link's settings under Require registration.",
		"New form", "sharing-new-form", func(ctx app.Context, e app.Event) { s.draft, s.formErr = newFormDraft(nil), "" }, s.err,
		s.list(linkui.Empty{ID: "sf-empty", Icon: "form", Title: "No custom forms yet",
			Text: "Links that require registration ask for name, company and email. A custom form asks your own questions too: a phone number, a title, a choice from a list."},
			"sf-table", "Form", "Asks for", len(s.items), s.renderRow),
		s.deleteDialog(s.deleting != nil, name, "The form goes; registrations already made with it keep their answers.", "Delete form", "sf-delete-confirm",
			s.closer(func() { s.deleting = nil }), s.remove),
	)
}

func (s *sharingForms) renderRow(i int) app.UI {
	f := s.items[i]
	var asks []string
	for _, st := range standardFormFields {
		for _, k := range f.StandardFields {
			if k == st.key {
				asks = append(asks, st.label)
			}
		}
	}
	for _, fd := range f.Fields {
		asks = append(asks, fd.Label)
	}
	return libraryRow("sf", f.ID, "Form", f.Title, "Asks for", strings.Join(asks, ", "), f.UpdatedAt,
		func(ctx app.Context, e app.Event) { ff := f; s.draft, s.formErr = newFormDraft(&ff), "" },
		func(ctx app.Context, e app.Event) { ff := f; s.deleting, s.formErr = &ff, "" })
}

func (s *sharingForms) renderEditor() app.UI {
	d := s.draft
	title := "New form"
	if d.id != "" {
		title = "Edit form"
	}
	cancel := func(ctx app.Context, e app.Event) { s.draft, s.formErr = nil, "" }
	return app.Form().Class("sf-editor").ID("sf-editor").OnSubmit(s.save).Body(
		app.Div().Class("sf-editor-head").Body(
			app.H2().Text(title),
			app.Div().Class("page-actions").Body(
				ui.Button("Cancel", "ghost", cancel).ID("sf-cancel"),
				app.Button().Type("submit").ID("sf-save").Class("btn btn-primary").Disabled(s.saving).
					Text(map[bool]string{true: "Saving…", false: "Save form"}[s.saving]),
			),
		),
		ui.ErrorBox(s.formErr),
		app.Div().Class("sf-grid").Body(
			app.Div().Class("sf-main").Body(
				app.Div().Class("card sharing-pane").Body(
					ui.Field("Form title", app.Input().ID("sf-title").MaxLength(200).Placeholder("e.g. Press registration").
						Value(d.title).OnInput(s.ValueTo(&d.title)), "Only shown internally, to pick the right form for a link."),
					app.Div().Class("sf-std").Body(
						app.Div().Class("field-label").Text("Standard registration fields"),
						app.P().Class("field-hint").Text("Turn off the ones this form does not need."),
						app.Range(standardFormFields).Slice(func(i int) app.UI {
							st := standardFormFields[i]
							return ui.ReasonSwitch("sf-std-"+st.key, st.label, d.std[st.key], "", func(on bool) { d.std[st.key] = on })
						}),
					),
				),
				app.Range(d.fields).Slice(func(i int) app.UI { return s.renderField(i) }),
				app.Button().Type("button").Class("btn btn-secondary sf-add").ID("sf-add-field").
					OnClick(func(ctx app.Context, e app.Event) {
						d.fields = append(d.fields, model.FormField{Type: "short", Options: []string{}})
					}).Body(ui.Icon("plus"), app.Span().Text("Add field")),
			),
			s.renderPreview(),
		),
	)
}

// renderField edits question i. Handlers read the question by its index
// at the time of the event, so reordering and removing stay correct.
func (s *sharingForms) renderField(i int) app.UI {
	d := s.draft
	f := d.fields[i]
	n := len(d.fields)
	set := func(apply func(*model.FormField)) app.EventHandler {
		return func(ctx app.Context, e app.Event) {
			if i < len(d.fields) {
				apply(&d.fields[i])
			}
		}
	}
	val := func(ctx app.Context) string { return ctx.JSSrc().Get("value").String() }
	scope := app.EventScope(i, n)
	return app.Div().Class("card sf-field").DataSet("index", i).Body(
		app.Div().Class("sf-field-head").Body(
			app.Span().Class("sf-field-num").Text(app.FormatString("Question %d", i+1)),
			app.Div().Class("sf-field-tools").Body(
				app.Button().Type("button").Class("icon-btn sf-up").Title("Move up").Attr("aria-label", "Move question up").Disabled(i == 0).
					OnClick(func(ctx app.Context, e app.Event) {
						if i > 0 && i < len(d.fields) {
							d.fields[i-1], d.fields[i] = d.fields[i], d.fields[i-1]
						}
					}, scope).Body(ui.Icon("up")),
				app.Button().Type("button").Class("icon-btn sf-down").Title("Move down").Attr("aria-label", "Move question down").Disabled(i == n-1).
					OnClick(func(ctx app.Context, e app.Event) {
						if i+1 < len(d.fields) {
							d.fields[i+1], d.fields[i] = d.fields[i], d.fields[i+1]
						}
					}, scope).Body(ui.Icon("chevron-down")),
				app.Button().Type("button").Class("icon-btn sf-remove danger").Title("Remove question").Attr("aria-label", "Remove question").
					OnClick(func(ctx app.Context, e app.Event) {
						if i < len(d.fields) {
							d.fields = append(d.fields[:i], d.fields[i+1:]...)
						}
					}, scope).Body(ui.Icon("trash")),
			),
		),
		app.Div().Class("sf-row").Body(
			ui.Field("Label", app.Input().Class("sf-label").MaxLength(200).Placeholder("e.g. Phone").Value(f.Label).
				OnInput(func(ctx app.Context, e app.Event) {
					v := val(ctx)
					set(func(x *model.FormField) { x.Label = v })(ctx, e)
				}, scope), ""),
			ui.Field("Type", app.Select().Class("sf-type").OnChange(func(ctx app.Context, e app.Event) {
				v := val(ctx)
				set(func(x *model.FormField) {
					x.Type = v
					if hasChoices(v) && len(x.Options) == 0 {
						x.Options = []string{""}
					}
				})(ctx, e)
			}, scope).Body(app.Range(formFieldTypes).Slice(func(j int) app.UI {
				t := formFieldTypes[j]
				return app.Option().Value(t.key).Selected(f.Type == t.key).Text(t.label)
			})), ""),
		),
		ui.Field("Description", app.Input().Class("sf-desc").MaxLength(500).Placeholder("Optional help text").Value(f.Description).
			OnInput(func(ctx app.Context, e app.Event) {
				v := val(ctx)
				set(func(x *model.FormField) { x.Description = v })(ctx, e)
			}, scope),
			"Visitors see it when they hover the ? next to the label."),
		app.If(hasChoices(f.Type), func() app.UI { return s.renderOptions(i) }),
		shareCheck(app.FormatString("sf-required-%d", i), "Required", "", f.Required, "", func(on bool) {
			if i < len(d.fields) {
				d.fields[i].Required = on
			}
		}),
	)
}

func (s *sharingForms) renderOptions(i int) app.UI {
	d := s.draft
	opts := d.fields[i].Options
	n := len(opts)
	return app.Div().Class("sf-options").Body(
		app.Div().Class("field-label").Text("Options"),
		app.Range(opts).Slice(func(j int) app.UI {
			scope := app.EventScope(i, j, n, len(d.fields))
			return app.Div().Class("sf-option").Body(
				app.Span().Class(map[bool]string{true: "sf-bullet sf-radio", false: "sf-bullet"}[d.fields[i].Type == "choice"]),
				app.Input().Class("sf-option-input").MaxLength(200).Placeholder(app.FormatString("Option %d", j+1)).Value(opts[j]).
					Attr("aria-label", app.FormatString("Option %d", j+1)).
					OnInput(func(ctx app.Context, e app.Event) {
						if i < len(d.fields) && j < len(d.fields[i].Options) {
							d.fields[i].Options[j] = ctx.JSSrc().Get("value").String()
						}
					}, scope),
				app.Button().Type("button").Class("icon-btn sf-option-remove").Title("Remove option").Attr("aria-label", "Remove option").
					Disabled(n == 1).OnClick(func(ctx app.Context, e app.Event) {
					if i < len(d.fields) && j < len(d.fields[i].Options) {
						o := d.fields[i].Options
						d.fields[i].Options = append(o[:j:j], o[j+1:]...)
					}
				}, scope).Body(ui.Icon("x")),
			)
		}),
		app.Button().Type("button").Class("btn btn-ghost sf-option-add").Disabled(n >= 50).
			OnClick(func(ctx app.Context, e app.Event) {
				if i < len(d.fields) {
					d.fields[i].Options = append(d.fields[i].Options, "")
				}
			}, app.EventScope(i, n)).Body(ui.Icon("plus"), app.Span().Text("Add option")),
	)
}

// renderPreview shows the form as visitors will see it.
func (s *sharingForms) renderPreview() app.UI {
	d := s.draft
	q := func(label, desc string, required bool, input app.UI) app.UI {
		return app.Div().Class("sf-pv-q").Body(
			app.Div().Class("sf-pv-label").Body(
				app.Span().Text(ui.ValueOr(label, "Untitled question")),
				app.If(required, func() app.UI { return app.Span().Class("sf-pv-req").Text("*") }),
				app.If(desc != "", func() app.UI { return app.Span().Class("sf-pv-help").Title(desc).Text("?") }),
			),
			input,
		)
	}
	box := func(tall bool) app.UI {
		return app.Div().Class(map[bool]string{true: "sf-pv-input tall", false: "sf-pv-input"}[tall])
	}
	return app.Aside().Class("card sharing-pane sf-preview").ID("sf-preview").Body(
		app.Div().Class("sf-pv-title").Body(ui.Icon("eye"), app.Span().Text("What visitors see")),
		app.Range(standardFormFields).Slice(func(i int) app.UI {
			st := standardFormFields[i]
			if !d.std[st.key] {
				return nil
			}
			return q(st.label, "", st.key != "company", box(false))
		}),
		app.Range(d.fields).Slice(func(i int) app.UI {
			f := d.fields[i]
			var input app.UI
			switch f.Type {
			case "paragraph":
				input = box(true)
			case "choice":
				input = app.Div().Class("sf-pv-choices").Body(app.Range(f.Options).Slice(func(j int) app.UI {
					return app.Div().Class("sf-pv-choice").Body(app.Span().Class("sf-bullet sf-radio"), app.Span().Text(ui.ValueOr(f.Options[j], "Option "+strconv.Itoa(j+1))))
				}))
			case "dropdown":
				first := "Choose…"
				input = app.Div().Class("sf-pv-input sf-pv-select").Body(app.Span().Text(first), ui.Icon("chevron-down"))
			default:
				input = box(false)
			}
			return q(f.Label, f.Description, f.Required, input)
		}),
		app.Div().Class("sf-pv-button").Text("Continue"),
	)
}
