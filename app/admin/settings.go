package admin

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func mailRecipients(m model.OutboxMessage) string {
	var out []string
	for _, a := range m.To {
		out = append(out, a.Email)
	}
	return strings.Join(out, ", ")
}

// outboxPageSize is how many messages the page shows.
const outboxPageSize = 100

// SettingsPage is Settings for admins: how Ferry sends email, a test
// message, and the outbox.
type SettingsPage struct {
	app.Compo
	status *model.EmailStatus
	msgs   []model.OutboxMessage
	filter string
	loaded bool
	err    string

	testTo    string
	testing   bool
	testOK    string
	testErr   string
	viewing   *model.OutboxMessage
	viewHTML  bool
	polling   bool
	retrying  map[string]bool
	meFetched bool

	editing  bool
	smtpURL  string
	smtpFrom string
	saving   bool
	saveErr  string

	wm watermarkForm

	media *model.MediaStatus
	faces faceSettingsForm
}

func (p *SettingsPage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
	p.load(ctx)
	p.loadWatermark(ctx)
	p.loadFaces(ctx)
	ctx.Async(func() {
		if m, err := fetch.API.MediaStatus(); err == nil {
			ctx.Dispatch(func(ctx app.Context) { p.media = &m })
		}
	})
}

// renderMedia is one line on video processing, with how to turn it on.
func (p *SettingsPage) renderMedia() app.UI {
	if p.media == nil {
		return app.Span()
	}
	m := p.media
	detail := "Videos get a poster and H.264 proxies that play in every browser; audio gets an AAC proxy."
	state := ui.Badge("Available", "green")
	if !m.VideoProcessing {
		state = ui.Badge("Not available", "amber")
		detail = "Install ffmpeg on the server (apt-get install ffmpeg) or set media.ffmpeg, then restart Ferry. Until then videos play only where the browser reads the original."
	}
	return app.Section().Class("settings-section").ID("media").Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Video and audio"),
			app.P().Class("muted").ID("video-processing").Text(m.Status),
		),
		app.Div().Class("card").Body(app.Div().Class("pane-title").Body(app.P().Text(detail), state)),
	)
}

func (p *SettingsPage) load(ctx app.Context) {
	filter := p.filter
	fetchMe := !p.meFetched
	ctx.Async(func() {
		var msgs []model.OutboxMessage
		var me model.Me
		st, err := fetch.API.EmailStatus()
		if err == nil {
			q := url.Values{"page_size": {strconv.Itoa(outboxPageSize)}}
			if filter != "" {
				q.Set("status", filter)
			}
			msgs, err = fetch.API.Outbox(q)
		}
		if fetchMe {
			me, _ = fetch.API.Me()
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if fetchMe {
				p.meFetched = true
				if p.testTo == "" {
					p.testTo = me.Email
				}
			}
			if err != nil {
				p.err = err.Error()
				return
			}
			p.status, p.msgs, p.err = &st, msgs, ""
			p.pollWhileBusy(ctx)
		})
	})
}

// pollWhileBusy reloads every few seconds while mail is on its way, so
// queued turns into delivered without a manual refresh.
func (p *SettingsPage) pollWhileBusy(ctx app.Context) {
	if p.polling || p.status == nil || !p.status.Configured || p.status.Counts["queued"]+p.status.Counts["sending"] == 0 {
		return
	}
	p.polling = true
	ctx.After(3*time.Second, func(ctx app.Context) {
		p.polling = false
		p.load(ctx)
	})
}

func (p *SettingsPage) sendTest(ctx app.Context, e app.Event) {
	e.PreventDefault()
	to := strings.TrimSpace(p.testTo)
	p.testing, p.testOK, p.testErr = true, "", ""
	ctx.Async(func() {
		err := fetch.API.TestEmail(to)
		ctx.Dispatch(func(ctx app.Context) {
			p.testing = false
			if err != nil {
				p.testErr = err.Error()
			} else {
				p.testOK = "Delivered to " + to + ". The SMTP server accepted the message; check the inbox (and the spam folder)."
			}
			p.load(ctx)
		})
	})
}

func (p *SettingsPage) retry(ctx app.Context, m model.OutboxMessage) {
	if p.retrying == nil {
		p.retrying = map[string]bool{}
	}
	p.retrying[m.ID] = true
	ctx.Async(func() {
		_, err := fetch.API.RetryMail(m.ID)
		ctx.Dispatch(func(ctx app.Context) {
			delete(p.retrying, m.ID)
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, "Queued again: "+m.Subject)
			p.load(ctx)
		})
	})
}

func (p *SettingsPage) view(ctx app.Context, id string) {
	ctx.Async(func() {
		m, err := fetch.API.OutboxMessage(id)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			p.viewing, p.viewHTML = &m, false
		})
	})
}

func (p *SettingsPage) setFilter(ctx app.Context, f string) {
	p.filter = f
	p.load(ctx)
}

func (p *SettingsPage) Render() app.UI {
	return shell.Frame("settings", ui.PageState(p.loaded, p.err), []app.UI{
		ui.PageHeader("Settings", "How this Ferry reaches clients and collaborators by email, and the watermark on shared images."),
		settingsTabs("general"),
		ui.ErrorBox(p.err),
		app.If(!p.loaded, func() app.UI {
			return ui.LoadingCard()
		}).ElseIf(p.status != nil, func() app.UI {
			return app.Div().Body(p.renderEmail(), p.renderWatermark(), p.renderMedia(), p.renderFaces(), p.renderOutbox())
		}),
		app.If(p.viewing != nil, func() app.UI { return p.renderView() }),
	})
}

func (p *SettingsPage) saveSMTP(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.saving, p.saveErr = true, ""
	in := model.EmailSettings{SMTPURL: p.smtpURL, From: p.smtpFrom}
	ctx.Async(func() {
		st, err := fetch.API.SetEmailSettings(in)
		ctx.Dispatch(func(ctx app.Context) {
			p.saving = false
			if err != nil {
				p.saveErr = err.Error()
				return
			}
			p.status, p.editing = &st, false
			shell.Toast(ctx, "Email settings saved")
		})
	})
}

// renderSMTPForm lets an admin set the SMTP server when the config does not.
func (p *SettingsPage) renderSMTPForm(st *model.EmailStatus) app.UI {
	if !p.editing {
		return app.Div().Class("pane-note").Body(
			app.P().Text(st.ChangeHint),
			ui.Button("Change SMTP settings", "secondary", func(ctx app.Context, e app.Event) {
				p.editing, p.saveErr, p.smtpURL = true, "", st.SMTPURL
				if !st.FromDefault {
					p.smtpFrom = st.From
				}
			}).ID("smtp-edit"),
		)
	}
	return app.Form().ID("smtp-form").Class("pane-note").OnSubmit(p.saveSMTP).Body(
		ui.ErrorBox(p.saveErr),
		ui.Field("SMTP URL", app.Input().ID("smtp-url").Placeholder("smtp://user:password@smtp.example.com:587").
			Value(p.smtpURL).OnInput(p.ValueTo(&p.smtpURL)),
			"smtp:// uses STARTTLS (required unless the server is on this machine), smtps:// implicit TLS. Leave empty to stop sending."),
		ui.Field("From", app.Input().ID("smtp-from").Placeholder("Studio <studio@example.com>").
			Value(p.smtpFrom).OnInput(p.ValueTo(&p.smtpFrom)), "An address your server may send from."),
		app.Div().Class("form-actions").Body(
			ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.editing = false }),
			app.Button().Type("submit").ID("smtp-save").Class("btn btn-primary").Disabled(p.saving).Text("Save"),
		),
	)
}

func (p *SettingsPage) renderEmail() app.UI {
	st := p.status
	state := ui.Badge("Configured", "green")
	if !st.Configured {
		state = ui.Badge("Not configured", "amber")
	}
	signIn := "None"
	if st.Username != "" {
		signIn = st.Username + " (password set)"
	}
	return app.Section().Class("settings-section").ID("email").Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Email"),
			app.P().Class("muted").Text("Upload invitations, passcodes and notifications go out through your SMTP server."),
		),
		app.If(!st.Configured, func() app.UI {
			return app.Div().Class("callout callout-warn").ID("smtp-missing").Attr("role", "status").Body(
				ui.Icon("mail"),
				app.Div().Body(
					app.Strong().Text("Email is not set up, so nothing is sent yet."),
					app.P().Text("Ferry keeps every mail in the outbox below and sends it as soon as an SMTP server is configured."),
				),
			)
		}),
		app.Div().Class("card email-card").Body(
			app.Div().Class("email-pane").ID("email-status").Body(
				app.Div().Class("pane-title").Body(app.H3().Text("SMTP server"), state),
				app.Dl().Class("meta email-meta").Body(
					app.Dt().Text("Server"), app.Dd().Class("mono-dd").Text(ui.ValueOrDash(st.Host)),
					app.Dt().Text("Security"), app.Dd().Text(smtpSecurityLabel(st.Security)),
					app.Dt().Text("Sign-in"), app.Dd().Text(whenConfigured(st, signIn)),
					app.Dt().Text("From"), app.Dd().Body(
						app.Span().Class("mono-dd").Text(st.From),
						app.If(st.FromDefault, func() app.UI {
							return app.Div().Class("field-hint").Text("Made up from the public URL; set smtp.from to an address your server may send from.")
						}),
					),
					app.Dt().Text("Links in mail"), app.Dd().Class("mono-dd").Text(st.PublicURL),
				),
				app.If(st.Editable, func() app.UI { return p.renderSMTPForm(st) }).Else(func() app.UI {
					return app.P().Class("pane-note").Body(
						app.Strong().Text("Set in the config file. "),
						app.Text("smtp.url and smtp.from come from the config file or environment (FERRY_SMTP_URL, FERRY_SMTP_FROM) and take precedence; change them there and restart Ferry."),
					)
				}),
			),
			app.Div().Class("email-pane email-test").Body(
				app.Div().Class("pane-title").Body(app.H3().Text("Send a test email")),
				app.P().Class("muted small").Text("Ferry sends it right away and shows you what the SMTP server answers."),
				app.Form().ID("test-form").OnSubmit(p.sendTest).Body(
					ui.Field("Recipient", app.Input().ID("test-to").Type("email").Required(true).Placeholder("you@studio.com").
						Value(p.testTo).OnInput(p.ValueTo(&p.testTo)), ""),
					app.Button().Type("submit").ID("test-send").Class("btn btn-primary").Disabled(p.testing || !st.Configured).
						Text(map[bool]string{true: "Sending…", false: "Send test email"}[p.testing]),
					app.If(!st.Configured, func() app.UI {
						return app.P().Class("field-hint test-hint").Text("Available once SMTP is configured.")
					}),
				),
				app.If(p.testOK != "", func() app.UI {
					return app.Div().Class("alert alert-success").ID("test-result").Attr("role", "status").Text(p.testOK)
				}),
				app.If(p.testErr != "", func() app.UI {
					return app.Div().Class("alert alert-error").ID("test-result").Attr("role", "alert").Body(
						app.Strong().Text("Not delivered. "),
						app.Span().Class("server-says").Text(p.testErr),
					)
				}),
			),
		),
	)
}

var outboxFilters = []ui.Tab{
	{Key: "", Label: "All"}, {Key: "queued", Label: "Queued"}, {Key: "failed", Label: "Failed"}, {Key: "delivered", Label: "Delivered"},
}

// outboxTabs are the outbox's filters with their counts (queued counts
// the mail being sent too).
func outboxTabs(counts map[string]int, total int) []ui.Tab {
	out := make([]ui.Tab, len(outboxFilters))
	for i, f := range outboxFilters {
		n := total
		if f.Key != "" {
			n = counts[f.Key]
			if f.Key == "queued" {
				n += counts["sending"]
			}
		}
		f.ID, f.Count = "filter-"+ui.ValueOrDash(f.Key), strconv.Itoa(n)
		out[i] = f
	}
	return out
}

func (p *SettingsPage) renderOutbox() app.UI {
	st := p.status
	total := 0
	for _, n := range st.Counts {
		total += n
	}
	shown := total
	if p.filter != "" {
		shown = st.Counts[p.filter]
	}
	return app.Section().Class("settings-section").ID("outbox").Body(
		app.Div().Class("section-head section-head-row").Body(
			app.Div().Body(
				app.H2().Text("Outbox"),
				app.P().Class("muted").Text("Every mail Ferry sends, newest first. Failed mail can be sent again."),
			),
			ui.Button("Refresh", "ghost", func(ctx app.Context, e app.Event) { p.load(ctx) }).ID("outbox-refresh"),
		),
		app.Div().Class("stats outbox-stats").Body(
			ui.StatCard("Queued", strconv.Itoa(st.Counts["queued"]+st.Counts["sending"]), false),
			ui.StatCard("Delivered", strconv.Itoa(st.Counts["delivered"]), false),
			ui.StatCard("Failed", strconv.Itoa(st.Counts["failed"]), st.Counts["failed"] > 0),
		),
		ui.TabBar{Active: p.filter, Tabs: outboxTabs(st.Counts, total), OnSelect: p.setFilter}.UI(),
		app.If(len(p.msgs) == 0, func() app.UI {
			title, text := "No mail yet", "When Ferry sends an invitation, a passcode or a test message, it appears here with its delivery state."
			if p.filter != "" {
				title, text = "Nothing "+p.filter, "No message is "+p.filter+" right now."
			}
			return app.Div().Class("card").ID("outbox-empty").Body(app.Div().Class("empty").Body(
				app.Div().Class("empty-icon").Body(ui.Icon("mail")),
				app.H3().Text(title),
				app.P().Text(text),
			))
		}).Else(func() app.UI {
			return app.Div().Class("card table-card").Body(
				app.Table().Class("table outbox-table").ID("outbox-table").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Text("Status"), app.Th().Text("To"), app.Th().Text("Message"),
						app.Th().Class("num").Text("Tries"), app.Th().Text("When"), ui.SrTh("Actions"),
					)),
					app.TBody().Body(app.Range(p.msgs).Slice(func(i int) app.UI { return p.renderRow(p.msgs[i]) })),
				),
				app.If(shown > len(p.msgs), func() app.UI {
					return app.P().Class("table-foot muted small").Text("Showing the newest " + strconv.Itoa(len(p.msgs)) + " of " + strconv.Itoa(shown) + ".")
				}),
			)
		}),
	)
}

func (p *SettingsPage) renderRow(m model.OutboxMessage) app.UI {
	return app.Tr().Class("outbox-row").DataSet("status", m.Status).Body(
		app.Td().Body(mailStatusBadge(m.Status)),
		app.Td().Class("to-cell").Body(
			app.Range(m.To).Slice(func(j int) app.UI {
				a := m.To[j]
				return app.Div().Class("to-line").Title(a.Email).Body(
					app.If(a.Name != "", func() app.UI { return app.Div().Class("to-name").Text(a.Name) }),
					app.Div().Class("muted small ellipsis").Text(a.Email),
				)
			}),
		),
		app.Td().Class("msg-cell").Body(
			app.Div().Class("msg-subject ellipsis").Title(m.Subject).Text(m.Subject),
			app.Div().Class("muted small").Body(
				app.Span().Text(mailKindLabel(m.Kind)),
				app.Span().Class("phone-only").Text(" · "+mailRecipients(m)),
			),
			app.If(m.LastError != "" && m.Status != "delivered", func() app.UI {
				return app.Div().Class("msg-error").Title(m.LastError).Text(m.LastError)
			}),
		),
		app.Td().Class("num").Text(strconv.Itoa(m.Attempts)),
		app.Td().Class("muted small nowrap").Title(m.UpdatedAt.Local().Format("2 Jan 2006 15:04:05")).Text(p.when(m)),
		app.Td().Class("row-actions").Body(
			ui.Button("View", "ghost", func(ctx app.Context, e app.Event) { p.view(ctx, m.ID) }).Class("view-btn"),
			app.If(m.Status == "failed" || (m.Status == "queued" && m.Attempts > 0 && p.status.Configured), func() app.UI {
				label := "Retry"
				if m.Status == "queued" {
					label = "Retry now"
				}
				if p.retrying[m.ID] {
					label = "Queuing…"
				}
				return ui.Button(label, "secondary", func(ctx app.Context, e app.Event) { p.retry(ctx, m) }).
					Class("btn-sm retry-btn").Disabled(p.retrying[m.ID])
			}),
		),
	)
}

// when says what happened last, or what happens next.
func (p *SettingsPage) when(m model.OutboxMessage) string {
	switch m.Status {
	case "delivered":
		if m.DeliveredAt != nil {
			return "Delivered " + ui.RelTime(*m.DeliveredAt)
		}
	case "failed":
		return "Failed " + ui.RelTime(m.UpdatedAt)
	case "sending":
		return "Sending now"
	case "queued":
		if !p.status.Configured {
			return "Waiting for SMTP"
		}
		if m.NextAttemptAt != nil && time.Until(*m.NextAttemptAt) > time.Second {
			return "Next try " + mailUntil(*m.NextAttemptAt)
		}
		return "Due now"
	}
	return ui.RelTime(m.UpdatedAt)
}

func (p *SettingsPage) renderView() app.UI {
	m := p.viewing
	closeView := func(ctx app.Context, e app.Event) { p.viewing = nil }
	var body app.UI
	if p.viewHTML && m.HTML != "" {
		body = app.IFrame().Class("mail-html").Attr("sandbox", "allow-popups").Attr("srcdoc", m.HTML).Title("HTML part of the message")
	} else {
		body = app.Pre().Class("mail-text").ID("mail-text").Text(m.Text)
	}
	return ui.Dialog(m.Subject, closeView, []app.UI{
		app.Div().Class("mail-view").ID("mail-view").Body(
			app.Dl().Class("meta mail-meta").Body(
				app.Dt().Text("To"), app.Dd().Text(mailAddresses(m.To)),
				app.Dt().Text("Status"), app.Dd().Body(mailStatusBadge(m.Status), app.Span().Class("muted small tries").Text(triesLabel(m.Attempts))),
				app.Dt().Text("Type"), app.Dd().Text(mailKindLabel(m.Kind)),
				app.Dt().Text("Created"), app.Dd().Text(m.InsertedAt.Local().Format("2 Jan 2006, 15:04:05")),
				app.If(m.DeliveredAt != nil, func() app.UI {
					return app.Div().Class("meta-pair").Body(app.Dt().Text("Delivered"), app.Dd().Text(m.DeliveredAt.Local().Format("2 Jan 2006, 15:04:05")))
				}),
				app.If(m.MessageID != "", func() app.UI {
					return app.Div().Class("meta-pair").Body(app.Dt().Text("Message-ID"), app.Dd().Class("mono-dd").Text(m.MessageID))
				}),
			),
			app.If(m.LastError != "" && m.Status != "delivered", func() app.UI {
				return app.Div().Class("alert alert-error").Body(app.Strong().Text("Last error: "), app.Text(m.LastError))
			}),
			app.If(m.HTML != "", func() app.UI {
				return app.Div().Class("tabs tabs-sm").Body(
					app.Button().Type("button").Class(map[bool]string{true: "tab", false: "tab on"}[p.viewHTML]).ID("view-text").
						OnClick(func(ctx app.Context, e app.Event) { p.viewHTML = false }).Text("Text"),
					app.Button().Type("button").Class(map[bool]string{true: "tab on", false: "tab"}[p.viewHTML]).ID("view-html").
						OnClick(func(ctx app.Context, e app.Event) { p.viewHTML = true }).Text("HTML preview"),
				)
			}),
			body,
		),
	},
		app.If(m.Status == "failed", func() app.UI {
			mm := *m
			return ui.Button("Retry", "secondary", func(ctx app.Context, e app.Event) {
				p.viewing = nil
				p.retry(ctx, mm)
			})
		}),
		ui.Button("Close", "primary", closeView),
	)
}

func mailStatusBadge(status string) app.UI {
	switch status {
	case "delivered":
		return ui.Badge("Delivered", "green")
	case "failed":
		return ui.Badge("Failed", "red")
	case "sending":
		return ui.Badge("Sending", "blue")
	}
	return ui.Badge("Queued", "amber")
}

func mailKindLabel(kind string) string {
	switch kind {
	case "test":
		return "Test message"
	case "upload_link_invite":
		return "Upload invitation"
	case "upload_link_passcode":
		return "Upload passcode"
	}
	return strings.ReplaceAll(kind, "_", " ")
}

func smtpSecurityLabel(s string) string {
	switch s {
	case "tls":
		return "TLS (smtps://)"
	case "starttls":
		return "STARTTLS, required"
	case "starttls_if_offered":
		return "STARTTLS when offered (server on this machine)"
	}
	return "—"
}

func whenConfigured(st *model.EmailStatus, v string) string {
	if !st.Configured {
		return "—"
	}
	return v
}

func mailAddresses(as []model.MailAddress) string {
	var out []string
	for _, a := range as {
		if a.Name != "" {
			out = append(out, a.Name+" <"+a.Email+">")
		} else {
			out = append(out, a.Email)
		}
	}
	return strings.Join(out, ", ")
}

func triesLabel(n int) string {
	if n == 1 {
		return "1 try"
	}
	return strconv.Itoa(n) + " tries"
}

// mailUntil is a short "in 30 s", "in 4 min" for a time ahead.
func mailUntil(t time.Time) string {
	d := time.Until(t)
	switch {
	case d < time.Minute:
		return app.FormatString("in %d s", int(d.Seconds()))
	case d < time.Hour:
		return app.FormatString("in %d min", int(d.Minutes()))
	}
	return "at " + t.Local().Format("15:04")
}
