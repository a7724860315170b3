package linkui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Protection is what the create and edit dialogs of share and review links
// both hold: when the link expires and its password. Its elements are named
// by the dialog's prefix ("sl", "rl"): <prefix>-expires-toggle,
// <prefix>-expires, <prefix>-password-toggle, <prefix>-password and
// <prefix>-generate.
type Protection struct {
	Prefix      string
	Expires     bool
	ExpiresOn   string // the last day the link works, 2006-01-02
	Password    bool
	NewPassword string
	HasPassword bool // the link edited has a password now
}

// ProtectionOf is the protection of a link being edited: expiresAt and
// whether it has a password.
func ProtectionOf(prefix string, expiresAt *time.Time, hasPassword bool) Protection {
	p := Protection{Prefix: prefix, Password: hasPassword, HasPassword: hasPassword}
	if expiresAt != nil {
		p.Expires, p.ExpiresOn = true, expiresAt.Local().Format("2006-01-02")
	}
	return p
}

// ExpiresAt is the expiry the API takes (null when off), or a message
// saying what to fix. The link works through the whole chosen day.
func (p *Protection) ExpiresAt() (model.Opt[time.Time], string) {
	if !p.Expires {
		return model.Null[time.Time](), ""
	}
	day, err := time.ParseInLocation("2006-01-02", p.ExpiresOn, time.Local)
	if err != nil {
		return model.Null[time.Time](), "Pick the day the link expires, or turn off the expiration date."
	}
	end := day.AddDate(0, 0, 1).Add(-time.Second)
	if end.Before(time.Now()) {
		return model.Null[time.Time](), "The expiration date has passed; pick a later day."
	}
	return model.Set(end), ""
}

// PasswordChange is what saving does to the password: set to a new one,
// remove it, or neither. missing is true when the password is on but none
// was typed and the link has none to keep.
func (p *Protection) PasswordChange() (set *string, remove, missing bool) {
	switch {
	case p.Password && p.NewPassword != "":
		pw := p.NewPassword
		return &pw, false, false
	case p.Password && !p.HasPassword:
		return nil, false, true
	case !p.Password && p.HasPassword:
		return nil, true, false
	}
	return nil, false, false
}

// ExpiryUI is the "Set expiration date" switch and, when on, the day picker
// starting days ahead; hint goes under the picker, touched runs on any
// change.
func (p *Protection) ExpiryUI(min string, days int, hint string, touched func()) app.UI {
	return app.Div().Body(
		ui.ReasonSwitch(p.Prefix+"-expires-toggle", "Set expiration date", p.Expires, "", func(on bool) {
			p.Expires = on
			if on && p.ExpiresOn == "" {
				p.ExpiresOn = time.Now().AddDate(0, 0, days).Format("2006-01-02")
			}
			touched()
		}),
		app.If(p.Expires, func() app.UI {
			return app.Div().Class("sl-sub").Body(
				ui.Field("Expires on", app.Input().ID(p.Prefix+"-expires").Type("date").Required(true).Min(min).
					Value(p.ExpiresOn).OnInput(func(ctx app.Context, e app.Event) {
					p.ExpiresOn = ctx.JSSrc().Get("value").String()
					touched()
				}), hint),
			)
		}),
	)
}

// PasswordUI is the "Set password" switch (greyed out with lock when it
// may not be turned off), the password field with its Generate button and
// hint, and the warning that saving removes a password the link has.
func (p *Protection) PasswordUI(lock, hint string) app.UI {
	if p.HasPassword {
		hint = "Leave blank to keep the current password; a new one replaces it and ends the visits of everyone who unlocked with the old one."
	}
	return app.Div().Body(
		ui.ReasonSwitch(p.Prefix+"-password-toggle", "Set password", p.Password, lock, func(on bool) { p.Password = on }),
		app.If(p.Password, func() app.UI {
			placeholder := "Password"
			if p.HasPassword {
				placeholder = "New password"
			}
			return app.Div().Class("sl-sub").Body(
				app.Label().Class("field").Body(
					app.Span().Class("sr-only").Text("Password"),
					app.Div().Class("sl-inline").Body(
						app.Input().ID(p.Prefix+"-password").Type("text").Attr("autocomplete", "new-password").Attr("spellcheck", "false").
							Placeholder(placeholder).Value(p.NewPassword).
							OnInput(func(ctx app.Context, e app.Event) { p.NewPassword = ctx.JSSrc().Get("value").String() }),
						ui.Button("Generate", "secondary", func(ctx app.Context, e app.Event) {
							p.NewPassword = RandomPassword()
							ui.CopyText(p.NewPassword)
							shell.Toast(ctx, "Password copied")
						}).ID(p.Prefix+"-generate"),
					),
					app.If(hint != "", func() app.UI { return app.Span().Class("field-hint").Text(hint) }),
				),
			)
		}),
		app.If(p.HasPassword && !p.Password, func() app.UI {
			return app.P().Class("field-hint sl-sub sl-remove-note").Text("Saving removes the password: anyone with the link can open it.")
		}),
	)
}
