package uploadlinks

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func resendNote(l model.UploadLink) string {
	s := "The new passcode replaces the old one; a recipient already signed in stays signed in."
	if l.Locked {
		s += " This also unlocks the link."
	}
	return s
}

// passcodeBox shows a passcode the one time the API hands it out.
func passcodeBox(code string) app.UI {
	return app.Div().Class("ul-passcode-box").Body(
		app.Div().Class("field-label").Text("Passcode"),
		app.Div().Class("ul-passcode-row").Body(
			app.Code().Class("ul-passcode").ID("ul-passcode").Text(code),
			ui.Button("Copy", "secondary", func(ctx app.Context, e app.Event) { ui.CopyText(code); shell.Toast(ctx, "Passcode copied") }).ID("ul-passcode-copy"),
		),
		app.P().Class("field-hint").Text("Shown once; it was also emailed separately to the recipient."),
	)
}

// uploadLinkExpiry says when a link stops, or stopped, taking uploads.
func uploadLinkExpiry(l model.UploadLink, now time.Time) string {
	if l.Status == "revoked" && l.RevokedAt != nil {
		return "Revoked " + ui.RoughAgo(now.Sub(*l.RevokedAt))
	}
	return linkui.Expiry(l.ExpiresAt, now)
}

func uploadLinkExpiryDate(l model.UploadLink) string {
	return linkui.ExpiryDate(l.ExpiresAt, "No expiry date; revoke the link when you no longer need it.")
}

// uploadLinkLimits sums up the file limits of a link, or "" when it has none.
func uploadLinkLimits(l model.UploadLink) string {
	var parts []string
	if l.MaxFiles != nil {
		parts = append(parts, "up to "+ui.Plural(*l.MaxFiles, "file", "files"))
	}
	if l.MaxFileMB != nil {
		parts = append(parts, ui.Megabytes(*l.MaxFileMB)+" per file")
	}
	if l.MaxTotalMB != nil {
		parts = append(parts, ui.Megabytes(*l.MaxTotalMB)+" in total")
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " · ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// ulScope ties a card's handlers to the link it shows: go-app keeps an
// element's handler while its function is the same code, so a card that
// now shows another link would otherwise act on the one it showed before.
func ulScope(l model.UploadLink) app.EventOption {
	return app.EventScope(l.ID + "/" + l.Status + "/" + l.UpdatedAt.Format(time.RFC3339Nano))
}

// uploadLinkMailError tells a link's owner why its mails have not gone
// out (the outbox is for admins): failed for good, or retrying.
func uploadLinkMailError(l model.UploadLink) app.UI {
	if l.MailError == "" || l.Status != "pending" {
		return nil
	}
	title, hint := "Mail not delivered yet", "Ferry keeps retrying."
	if l.InviteEmail == "failed" || l.PasscodeEmail == "failed" {
		title, hint = "Mail failed", "Check the address, then Resend from the … menu."
	}
	return app.Div().Class("alert alert-error ul-mail-error").Attr("role", "status").Body(
		app.Strong().Text(title+": "),
		app.Span().Class("ul-mail-reason").Text(l.MailError),
		app.Div().Class("small").Text(hint),
	)
}
