package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

func parentOf(c model.Comment) string {
	if c.ParentID == nil {
		return ""
	}
	return *c.ParentID
}

// rlTally counts the verdicts of a link.
type rlTally struct{ approved, changes, rejected, comments int }

func tallyOf(act model.ReviewLinkActivity) rlTally {
	var t rlTally
	for _, a := range act.Approvals {
		switch a.Status {
		case "approved":
			t.approved++
		case "needs_changes":
			t.changes++
		case "rejected":
			t.rejected++
		}
	}
	t.comments = len(act.Comments)
	return t
}

// rlStatusLabel is how a verdict reads.
func rlStatusLabel(s string) string {
	switch s {
	case "approved":
		return "Approved"
	case "needs_changes":
		return "Needs changes"
	case "rejected":
		return "Rejected"
	}
	return s
}

// approvalBadge shows a verdict, with who gave it when who is not "".
func approvalBadge(who, status string) app.UI {
	text := rlStatusLabel(status)
	if who != "" {
		text = who + " · " + text
	}
	iconName := map[string]string{"approved": "check", "needs_changes": "edit", "rejected": "x"}[status]
	return app.Span().Class("approval-badge is-"+strings.ReplaceAll(status, "_", "-")).DataSet("status", status).
		Title(rlStatusLabel(status)).Body(icon(iconName), app.Span().Text(text))
}

// rlTallyLine is the approvals summary of a link: one badge per verdict.
func rlTallyLine(t rlTally) app.UI {
	return app.Div().Class("rl-tally").Body(
		app.Span().Class("rl-tally-n is-approved").Title("Approved").Body(icon("check"), app.Span().Text(strconv.Itoa(t.approved)+" approved")),
		app.Span().Class("rl-tally-n is-needs-changes").Title("Needs changes").Body(icon("edit"), app.Span().Text(strconv.Itoa(t.changes)+" needs changes")),
		app.Span().Class("rl-tally-n is-rejected").Title("Rejected").Body(icon("x"), app.Span().Text(strconv.Itoa(t.rejected)+" rejected")),
	)
}

// rlTimecode turns a frame number of a file without a frame rate (24 fps,
// as the reviewer's page counts audio) into m:ss, or h:mm:ss.
func rlTimecode(frame int) string {
	s := frame / 24
	if s >= 3600 {
		return app.FormatString("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return app.FormatString("%02d:%02d", s/60, s%60)
}

func rlExpiry(l model.ReviewLink, now time.Time) string {
	switch {
	case l.ExpiresAt == nil:
		return "Never expires"
	case l.ExpiresAt.After(now):
		return "Expires in " + roughDuration(l.ExpiresAt.Sub(now))
	}
	return "Expired " + roughAgo(now.Sub(*l.ExpiresAt))
}

func rlExpiryDate(l model.ReviewLink) string {
	if l.ExpiresAt == nil {
		return "No expiration date"
	}
	return l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")
}

func rlStatusBadge(l model.ReviewLink) app.UI {
	switch {
	case l.Locked:
		return app.Span().Class("badge badge-red rl-status").DataSet("active", "false").
			Title("Locked after too many wrong passwords: nobody can open it until you unlock it").Text("Locked")
	case l.IsActive:
		return app.Span().Class("badge badge-green rl-status").DataSet("active", "true").Text("Active")
	case l.ExpiresAt != nil && l.ExpiresAt.Before(time.Now()):
		return app.Span().Class("badge badge-grey rl-status").DataSet("active", "false").Text("Expired")
	}
	return app.Span().Class("badge badge-grey rl-status").DataSet("active", "false").Text("Inactive")
}

// rlMailto is a mail to nobody yet with the link in it: the mail app asks
// for the recipient.
func rlMailto(l model.ReviewLink) string {
	body := "Please review " + l.Name + " and leave your comments and approvals here:\n\n" + l.ShortURL + "\n"
	if l.ExpiresAt != nil {
		body += "\nThe link works until " + l.ExpiresAt.Local().Format("2 Jan 2006") + ".\n"
	}
	q := url.Values{"subject": {"For your review: " + l.Name}, "body": {body}}
	// mailto wants %20 for spaces, not +.
	return "mailto:?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// rlIcons are icons only the review UI draws.
var rlIcons = map[string]string{
	"copy":     `<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"qr":       `<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="3" y="14" width="7" height="7" rx="1"/><path d="M14 14h3v3h-3zM20 14v.01M14 20h.01M17 20h4v-3"/>`,
	"mail":     `<rect x="2" y="4" width="20" height="16" rx="2"/><path d="M22 6l-10 7L2 6"/>`,
	"lock":     `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"external": `<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14L21 3"/>`,
	"clock":    `<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`,
	"eye":      `<path d="M1 12s4-8 11-8 11 8 11 8-4 8-11 8S1 12 1 12z"/><circle cx="12" cy="12" r="3"/>`,
	"pen":      `<path d="M12 19l7-7 3 3-7 7-3-3z"/><path d="M18 13l-1.5-7.5L2 2l3.5 14.5L13 18l5-5z"/><path d="M2 2l7.586 7.586"/><circle cx="11" cy="11" r="2"/>`,
	"reply":    `<path d="M9 17l-5-5 5-5"/><path d="M20 18v-2a4 4 0 0 0-4-4H4"/>`,
	"search":   `<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`,
	"live":     `<circle cx="12" cy="12" r="4" fill="currentColor" stroke="none"/>`,
}

func rlIcon(name string) app.UI {
	p, ok := rlIcons[name]
	if !ok {
		return icon(name)
	}
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + p + `</svg>`)
}

// go-app keeps an element's handler when the new one comes from the same
// function literal (it compares code pointers), so a handler made for one
// row can stay on an element that now shows another. Handlers here capture
// only their (stable) component and read what they act on from the
// element: its id, or the data-id of the row around it.

// closestData is the data-<key> of the nearest element around the event's
// source that has one.
func closestData(ctx app.Context, key string) string {
	el := ctx.JSSrc().Call("closest", "[data-"+key+"]")
	if el.IsNull() || el.IsUndefined() {
		return ""
	}
	return el.Get("dataset").Get(key).String()
}

// rlSwitch is an on/off toggle with a hint under its label; onChange reads
// the input's id to know which.
func rlSwitch(id, label, hint string, on bool, onChange app.EventHandler) app.UI {
	return app.Label().Class("sl-switch rl-switch").Body(
		app.Input().Type("checkbox").ID(id).Attr("role", "switch").Checked(on).OnChange(onChange),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(hint != "", func() app.UI { return app.Span().Class("sl-check-hint").Text(hint) }),
		),
	)
}
