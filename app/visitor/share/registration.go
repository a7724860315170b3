package share

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// The visitor's side of a share link beyond the gallery: the invitation
// session, the registration and clickwrap gate, and uploads (the upload
// page of an "upload" link, the inbox of a preview or download link).

// shareGate is the first thing standing between the visitor and the content:
// password, invite, registration, clickwrap, or "" when nothing does.
func shareGate(s *model.PublicShare) string {
	if len(s.Needs) == 0 {
		return ""
	}
	return s.Needs[0]
}

func shareNeeds(s *model.PublicShare, what string) bool {
	for _, n := range s.Needs {
		if n == what {
			return true
		}
	}
	return false
}

// uploadOnly: the visitor sends files and sees none.
func uploadOnly(s *model.PublicShare) bool { return s.AllowedActions == "upload" }

// browsable: the visitor walks the link's folders and uploads into them.
func browsable(s *model.PublicShare) bool {
	return s.AllowedActions == "upload_download" || s.AllowedActions == "full"
}

// inbox: a preview or download link that also takes files (its associated
// inbox), whose contents the visitor never sees.
func inbox(s *model.PublicShare) bool { return s.CanUpload && !uploadOnly(s) && !browsable(s) }

// ---- the invitation session ---------------------------------------------------

func shareSessionKey(key string) string { return "ferry-share-session-" + key }

// shareSession is the session an invitation bound to this browser ("" when none).
func shareSession(key string) string {
	if !app.IsClient {
		return ""
	}
	v := app.Window().Get("localStorage").Call("getItem", shareSessionKey(key))
	if !v.Truthy() {
		return ""
	}
	return v.String()
}

// publicAPI is the client for the public API of the share link key: it also
// sends the session an invitation bound to this browser, which works where
// the link cookie does not (a browser that drops third-party cookies in an
// embed, a cleared cookie jar).
func publicAPI(key string) *client.Client {
	if s := shareSession(key); s != "" {
		return fetch.API.With("Ferry-Session", s)
	}
	return fetch.API
}

// invited finishes an invitation visit: the session the server bound to
// this browser is kept, and the code leaves the address bar (a copied or
// bookmarked address must not carry it to another browser).
func (p *Page) invited(session string, err error) {
	if _, answered := err.(*client.Error); err != nil && !answered {
		return // the server was not reached: Try again sends the code again
	}
	p.invite = ""
	if session != "" {
		app.Window().Get("localStorage").Call("setItem", shareSessionKey(p.key), session)
	}
	if e, ok := err.(*client.Error); ok && e.Code == "invitation_used" {
		return // keep the address: the page explains, and a reload asks again
	}
	u := app.Window().URL()
	q := u.Query()
	q.Del("invite")
	u.RawQuery = q.Encode()
	app.Window().Get("history").Call("replaceState", nil, "", u.String())
}

// registered shows what the link gives once the visitor has registered.
func (p *Page) registered(ctx app.Context, s model.PublicShare) {
	p.use(&s)
	p.setTitle(ctx)
}

// inviteRequired is what an invitation-only link says when it is opened
// without the invitation.
func inviteRequired() linkui.Closed {
	return linkui.Closed{ID: "share-invite-required", Title: "This link opens only from the invitation emailed to you",
		Text: "Open it with the link in your email, in the browser you first used. If it was forwarded to you, ask the sender for an invitation of your own."}
}

func (p *Page) renderInviteRequired() app.UI { return inviteRequired().UI("share", nil) }

// ---- registration and clickwrap ---------------------------------------------

// registration is the gate that asks who the visitor is (the link's form)
// and for their agreement to its terms (clickwrap). It keeps what the
// visitor has typed so far and what is wrong with it, sends it, and hands
// the page the link's answer.
type registration struct {
	app.Compo
	Key      string
	Share    *model.PublicShare
	OnDone   func(ctx app.Context, s model.PublicShare) // registered: the link's content
	OnClosed func(err error)                            // the link cannot be used

	of      string            // the key the answers belong to
	answers map[string]string // by field id
	errs    map[string]string // by field id; "clickwrap" for the terms
	accept  bool
	err     string // not about one field
	busy    bool
}

func (r *registration) OnInit() { r.of = r.Key }

// OnUpdate forgets the answers given to another link.
func (r *registration) OnUpdate(ctx app.Context) {
	if r.Key != r.of {
		r.of, r.answers, r.errs, r.accept, r.err, r.busy = r.Key, nil, nil, false, "", false
	}
}

// standardFields stand in when the server asks for registration without
// listing the form's fields.
var standardFields = []model.FormField{
	{ID: "name", Label: "Name", Type: "short", Required: true},
	{ID: "company", Label: "Company", Type: "short"},
	{ID: "email", Label: "Email", Type: "short", Required: true},
}

// formFields are the questions of the gate: none when only terms are asked.
func (r *registration) formFields() []model.FormField {
	s := r.Share
	if !shareNeeds(s, "registration") {
		return nil
	}
	if s.Registration == nil || len(s.Registration.Fields) == 0 {
		return standardFields
	}
	return s.Registration.Fields
}

func (r *registration) answer(id string) string { return r.answers[id] }

func (r *registration) setAnswer(id, v string) {
	if r.answers == nil {
		r.answers = map[string]string{}
	}
	r.answers[id] = v
	delete(r.errs, id)
}

// validEmail is a light check of an address; the server checks it too.
func validEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	if at < 1 || strings.ContainsAny(s, " \t\r\n,;<>") || strings.Count(s, "@") != 1 {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndex(domain, ".")
	return dot > 0 && dot < len(domain)-1
}

// validate checks the form as the server would; it reports whether it passes.
func (r *registration) validate() bool {
	errs := map[string]string{}
	for _, f := range r.formFields() {
		v := strings.TrimSpace(r.answer(f.ID))
		switch {
		case f.Required && v == "":
			if f.Type == "choice" || f.Type == "dropdown" {
				errs[f.ID] = "Choose an answer."
			} else {
				errs[f.ID] = "Fill this in."
			}
		case f.ID == "email" && v != "" && !validEmail(v):
			errs[f.ID] = "Enter a valid email address, like name@example.com."
		}
	}
	if r.Share.Clickwrap != nil && !r.accept {
		errs["clickwrap"] = "Agree to the terms to continue."
	}
	r.errs = errs
	return len(errs) == 0
}

func (r *registration) register(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if r.busy {
		return
	}
	r.err = ""
	if !r.validate() {
		focusFirstError(ctx)
		return
	}
	answers := map[string]string{}
	for _, f := range r.formFields() {
		answers[f.ID] = strings.TrimSpace(r.answer(f.ID))
	}
	body := model.RegisterRequest{Answers: answers, AcceptClickwrap: r.Share.Clickwrap != nil && r.accept}
	r.busy = true
	key := r.Key
	ctx.Async(func() {
		s, err := publicAPI(key).Register(key, body)
		ctx.Dispatch(func(ctx app.Context) {
			r.busy = false
			if e, ok := err.(*client.Error); ok && (e.Status == 404 || e.Status == 410 || e.Status == 403) {
				r.OnClosed(err)
				return
			}
			if err != nil {
				r.registerError(err)
				focusFirstError(ctx)
				return
			}
			r.answers, r.errs, r.accept = nil, nil, false
			r.OnDone(ctx, s)
			app.Window().Call("scrollTo", 0, 0)
		})
	})
}

// registerError puts the server's refusal next to the field its detail
// names, or above the form when it names none.
func (r *registration) registerError(err error) {
	e, ok := err.(*client.Error)
	if !ok {
		r.err = ui.Sentence(err.Error())
		return
	}
	msg := ui.Sentence(e.Detail)
	if e.Code == "clickwrap_required" {
		r.errs = map[string]string{"clickwrap": cmp.Or(msg, "Agree to the terms to continue.")}
		return
	}
	if id := fieldNamed(r.formFields(), e.Detail); id != "" {
		r.errs = map[string]string{id: cmp.Or(msg, "Check this answer.")}
		return
	}
	r.err = cmp.Or(msg, ui.Sentence(err.Error()))
}

// fieldNamed finds the field a server detail is about: the one whose id or
// label appears in it as whole words, the longest if several do ("Company
// size" wins over "company").
func fieldNamed(fields []model.FormField, detail string) string {
	low := strings.ToLower(detail)
	best, bestLen := "", 0
	for _, f := range fields {
		for _, name := range []string{f.ID, strings.TrimSpace(f.Label)} {
			name = strings.ToLower(name)
			if name != "" && len(name) > bestLen && containsWord(low, name) {
				best, bestLen = f.ID, len(name)
			}
		}
	}
	return best
}

// containsWord reports whether w appears in s between non-letters.
func containsWord(s, w string) bool {
	isWord := func(b byte) bool {
		return b == '_' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWord(s[j-1])) && (end == len(s) || !isWord(s[end])) {
			return true
		}
		i = j + 1
	}
}

func focusFirstError(ctx app.Context) {
	ctx.Defer(func(ctx app.Context) {
		el := app.Window().Get("document").Call("querySelector", ".vis-reg [aria-invalid=true], .vis-reg .alert-error")
		if el.Truthy() {
			el.Call("focus")
			el.Call("scrollIntoView", map[string]any{"block": "center"})
		}
	})
}

func (r *registration) Render() app.UI {
	s := r.Share
	fields := r.formFields()
	var lead string
	who := cmp.Or(s.OwnerName, "The person who shared these files")
	switch {
	case len(fields) > 0 && s.Clickwrap != nil:
		lead = who + " asks you to register and accept the terms below before you continue."
	case len(fields) > 0:
		lead = who + " asks you to tell who you are before you continue."
	default:
		lead = who + " asks you to accept the terms below before you continue."
	}
	label := "Continue"
	if r.busy {
		label = "Sending…"
	}
	gateIcon := "file"
	if len(fields) > 0 {
		gateIcon = "users"
	}
	return app.Div().Class("pub-card vis-gate").Body(
		app.Div().Class("gal-lock").Body(ui.Icon(gateIcon)),
		app.H1().ID("share-title").Text(shareName(s)),
		app.P().Class("muted vis-gate-lead").Text(lead),
		app.Form().Class("vis-reg").ID("share-register").Attr("novalidate", true).OnSubmit(r.register).Body(
			ui.ErrorBox(r.err),
			app.Range(fields).Slice(func(i int) app.UI { return r.renderFormField(fields[i]) }),
			app.If(s.Clickwrap != nil, r.renderClickwrap),
			app.Button().Type("submit").ID("share-register-submit").Class("btn btn-primary btn-block").Disabled(r.busy).Text(label),
		),
		app.If(s.ExpiresAt != nil, func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text("Available until " + ui.DayDate(*s.ExpiresAt))
		}),
	)
}

func (r *registration) renderFormField(f model.FormField) app.UI {
	id := "reg-" + f.ID
	errID := id + "-error"
	msg := r.errs[f.ID]
	invalid := "false"
	if msg != "" {
		invalid = "true"
	}
	onInput := func(ctx app.Context, e app.Event) {
		r.setAnswer(dataOf(ctx, "field"), ctx.JSSrc().Get("value").String())
	}
	var input app.UI
	switch f.Type {
	case "paragraph":
		input = app.Textarea().ID(id).Name(f.ID).Rows(4).Required(f.Required).Attr("aria-invalid", invalid).
			Attr("aria-describedby", errID).Text(r.answer(f.ID)).OnInput(onInput)
	case "choice":
		return app.FieldSet().Class("vis-field vis-choice").ID(id).DataSet("field", f.ID).Attr("aria-invalid", invalid).
			Attr("aria-describedby", errID).Attr("tabindex", "-1").Body(
			app.Legend().Class("field-label").Body(r.fieldLabel(f)...),
			app.Div().Class("vis-options").Body(
				app.Range(f.Options).Slice(func(i int) app.UI {
					o := f.Options[i]
					return app.Label().Class("vis-option").Body(
						app.Input().Type("radio").Name(id).Value(o).Checked(r.answer(f.ID) == o).
							OnChange(func(ctx app.Context, e app.Event) {
								r.setAnswer(dataOf(ctx, "field"), ctx.JSSrc().Get("value").String())
							}),
						app.Span().Text(o),
					)
				}),
			),
			r.fieldError(errID, msg),
		)
	case "dropdown":
		input = app.Select().ID(id).Name(f.ID).Required(f.Required).Attr("aria-invalid", invalid).
			Attr("aria-describedby", errID).OnChange(onInput).Body(
			app.Option().Value("").Text("Choose…").Selected(r.answer(f.ID) == ""),
			app.Range(f.Options).Slice(func(i int) app.UI {
				return app.Option().Value(f.Options[i]).Text(f.Options[i]).Selected(r.answer(f.ID) == f.Options[i])
			}),
		)
	default:
		in := app.Input().Type("text").ID(id).Name(f.ID).Required(f.Required).Attr("aria-invalid", invalid).
			Attr("aria-describedby", errID).Value(r.answer(f.ID)).OnInput(onInput)
		switch f.ID {
		case "name":
			in = in.Attr("autocomplete", "name")
		case "company":
			in = in.Attr("autocomplete", "organization")
		case "email":
			in = in.Type("email").Attr("autocomplete", "email").Attr("inputmode", "email")
		}
		input = in
	}
	return app.Div().Class("vis-field").DataSet("field", f.ID).Body(
		app.Label().For(id).Class("field-label").Body(r.fieldLabel(f)...),
		input,
		r.fieldError(errID, msg),
	)
}

// fieldLabel is the label, a required marker and the description as a "?"
// that shows it on hover or focus.
func (r *registration) fieldLabel(f model.FormField) []app.UI {
	out := []app.UI{app.Span().Text(cmp.Or(f.Label, f.ID))}
	if f.Required {
		out = append(out, app.Span().Class("vis-req").Attr("aria-hidden", "true").Text("*"),
			app.Span().Class("sr-only").Text(" (required)"))
	}
	if d := strings.TrimSpace(f.Description); d != "" {
		out = append(out, app.Span().Class("vis-help").Attr("tabindex", "0").Attr("role", "note").
			Attr("aria-label", d).DataSet("tip", d).Text("?"))
	}
	return out
}

func (r *registration) fieldError(id, msg string) app.UI {
	if msg == "" {
		return app.Span().ID(id).Hidden(true)
	}
	return app.P().ID(id).Class("vis-field-error").Attr("role", "alert").Text(msg)
}

func (r *registration) renderClickwrap() app.UI {
	c := r.Share.Clickwrap
	msg := r.errs["clickwrap"]
	paras := strings.Split(strings.ReplaceAll(c.Body, "\r\n", "\n"), "\n")
	return app.Div().Class("vis-terms").Body(
		app.H2().Class("vis-terms-title").Text(cmp.Or(c.Name, "Terms")),
		app.Div().Class("vis-terms-body").ID("share-terms").Attr("tabindex", "0").Attr("role", "document").
			Attr("aria-label", cmp.Or(c.Name, "Terms")).Body(
			app.Range(paras).Slice(func(i int) app.UI { return app.P().Text(paras[i]) }),
		),
		app.Label().Class("vis-agree").Body(
			app.Input().Type("checkbox").ID("share-accept").Checked(r.accept).Required(true).
				Attr("aria-invalid", strconv.FormatBool(msg != "")).Attr("aria-describedby", "share-accept-error").
				OnChange(func(ctx app.Context, e app.Event) {
					r.accept = ctx.JSSrc().Get("checked").Bool()
					delete(r.errs, "clickwrap")
				}),
			app.Span().Text("I agree to the terms"),
		),
		r.fieldError("share-accept-error", msg),
	)
}
