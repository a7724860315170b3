package uploadlinks

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

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
