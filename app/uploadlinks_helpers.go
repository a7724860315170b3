package app

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

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
			button("Copy", "secondary", func(ctx app.Context, e app.Event) { copyText(code); toast(ctx, "Passcode copied") }).ID("ul-passcode-copy"),
		),
		app.P().Class("field-hint").Text("Shown once; it was also emailed separately to the recipient."),
	)
}

// uploadLinkExpiry says when a link stops, or stopped, taking uploads.
func uploadLinkExpiry(l model.UploadLink, now time.Time) string {
	switch {
	case l.Status == "revoked" && l.RevokedAt != nil:
		return "Revoked " + roughAgo(now.Sub(*l.RevokedAt))
	case l.ExpiresAt == nil:
		return "Never expires"
	case l.ExpiresAt.After(now):
		return "Expires in " + roughDuration(l.ExpiresAt.Sub(now))
	}
	return "Expired " + roughAgo(now.Sub(*l.ExpiresAt))
}

func roughAgo(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return roughDuration(d) + " ago"
}

func uploadLinkExpiryDate(l model.UploadLink) string {
	if l.ExpiresAt == nil {
		return "No expiry date; revoke the link when you no longer need it."
	}
	return l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")
}

// roughDuration is d in the largest whole unit that fits: minutes, hours, days.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return plural(max(1, int(d.Minutes())), "minute", "minutes")
	case d < 24*time.Hour:
		return plural(int(math.Round(d.Hours())), "hour", "hours")
	}
	return plural(int(math.Round(d.Hours()/24)), "day", "days")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// uploadLinkLimits sums up the file limits of a link, or "" when it has none.
func uploadLinkLimits(l model.UploadLink) string {
	var parts []string
	if l.MaxFiles != nil {
		parts = append(parts, "up to "+plural(*l.MaxFiles, "file", "files"))
	}
	if l.MaxFileMB != nil {
		parts = append(parts, megabytes(*l.MaxFileMB)+" per file")
	}
	if l.MaxTotalMB != nil {
		parts = append(parts, megabytes(*l.MaxTotalMB)+" in total")
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " · ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// megabytes is a limit in MB (MiB, as the server counts it) the way the app
// shows sizes, without a trailing ".0".
func megabytes(mb int64) string {
	return strings.Replace(humanBytes(mb<<20), ".0 ", " ", 1)
}

// uploadLinkIcons are icons only this page draws.
var uploadLinkIcons = map[string]string{
	"more":          `<circle cx="12" cy="5" r="1.3"/><circle cx="12" cy="12" r="1.3"/><circle cx="12" cy="19" r="1.3"/>`,
	"copy":          `<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"external":      `<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14L21 3"/>`,
	"clock":         `<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`,
	"ban":           `<circle cx="12" cy="12" r="10"/><path d="M4.9 4.9l14.2 14.2"/>`,
	"search":        `<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`,
	"chevron-right": `<path d="M9 18l6-6-6-6"/>`,
	"chevron-down":  `<path d="M6 9l6 6 6-6"/>`,
}

func uploadLinkIcon(name string) app.UI {
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + uploadLinkIcons[name] + `</svg>`)
}

// ulScope ties a card's handlers to the link it shows: go-app keeps an
// element's handler while its function is the same code, so a card that
// now shows another link would otherwise act on the one it showed before.
func ulScope(l model.UploadLink) app.EventOption {
	return app.EventScope(l.ID + "/" + l.Status + "/" + l.UpdatedAt.Format(time.RFC3339Nano))
}
