package reviewlinks

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
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
		Title(rlStatusLabel(status)).Body(ui.Icon(iconName), app.Span().Text(text))
}

// rlTallyLine is the approvals summary of a link: one badge per verdict.
func rlTallyLine(t rlTally) app.UI {
	return app.Div().Class("rl-tally").Body(
		app.Span().Class("rl-tally-n is-approved").Title("Approved").Body(ui.Icon("check"), app.Span().Text(strconv.Itoa(t.approved)+" approved")),
		app.Span().Class("rl-tally-n is-needs-changes").Title("Needs changes").Body(ui.Icon("edit"), app.Span().Text(strconv.Itoa(t.changes)+" needs changes")),
		app.Span().Class("rl-tally-n is-rejected").Title("Rejected").Body(ui.Icon("x"), app.Span().Text(strconv.Itoa(t.rejected)+" rejected")),
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

func rlExpiry(l model.ReviewLink, now time.Time) string { return linkui.Expiry(l.ExpiresAt, now) }

func rlExpiryDate(l model.ReviewLink) string {
	return linkui.ExpiryDate(l.ExpiresAt, "No expiration date")
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
