package linkui

import (
	"cmp"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
)

// Closed is why a visitor cannot use a link, shown instead of its page.
// The zero Closed means the link is open.
type Closed struct {
	ID          string // the screen's element id
	Title, Text string
	Missing     bool // the link does not exist
	Failed      bool // the server could not be reached: offer to try again
}

// IsClosed reports whether the link is closed.
func (c Closed) IsClosed() bool { return c.Title != "" }

// ClosedBy says why err closes a link. kind names the page in element ids
// ("share" gives share-missing and share-closed); gave says how the sender
// gave the link ("shared it", "sent it").
func ClosedBy(err error, kind, gave string) Closed {
	c := Closed{ID: kind + "-closed"}
	e, ok := err.(*client.Error)
	switch {
	case ok && e.Status == 404:
		c.ID, c.Missing = kind+"-missing", true
		c.Title, c.Text = "Share not found", "This link does not exist or its owner has revoked it. Check the address you were given."
	case ok && e.Code == "link_expired":
		c.Title, c.Text = "This link has expired", "Ask the person who "+gave+" for a new link."
	case ok && e.Code == "link_used_up":
		c.Title, c.Text = "This link has reached its maximum number of uses", "Ask the person who "+gave+" for a new link."
	case ok && e.Code == "link_locked":
		c.Title, c.Text = "This link is locked", cmp.Or(ui.Sentence(e.Detail), "Too many wrong passwords were tried. Ask the person who "+gave+" to unlock it.")
	case ok && e.Status == 410:
		c.Title, c.Text = "This link is no longer active", cmp.Or(ui.Sentence(e.Detail), "Ask the person who "+gave+" for a new link.")
	case ok:
		c.Title, c.Text = "Something went wrong", ui.Sentence(err.Error())
	default:
		c.Title, c.Text, c.Failed = "Cannot reach the server", ui.Sentence(err.Error()), true
	}
	return c
}

// UI draws the closed screen: a lock, or the page's icon when the link is
// missing or the server out of reach; retry is its Try again button's.
func (c Closed) UI(pageIcon string, retry app.EventHandler) app.UI {
	iconName := "lock"
	if c.Missing || c.Failed {
		iconName = pageIcon
	}
	return app.Div().Class("pub-closed gal-closed").ID(c.ID).Body(
		app.Div().Class("pub-closed-icon").Body(ui.Icon(iconName)),
		app.H1().Text(c.Title),
		app.P().Class("muted").Text(c.Text),
		app.If(c.Failed, func() app.UI {
			return app.Div().Class("gal-closed-actions").Body(ui.Button("Try again", "secondary", retry))
		}),
	)
}

// PasswordGate is the card that asks for a link's password. Its elements
// are <kind>-password-form, <kind>-password and <kind>-password-submit.
type PasswordGate struct {
	Kind        string
	Title, Lead string
	Submit      string // the button's label
	Foot        string // a line under the form; "" for none
	Password    string
	Busy        bool
	Err         string
	OnInput     app.EventHandler
	OnSubmit    app.EventHandler
}

// UI draws the card.
func (g PasswordGate) UI() app.UI {
	label := g.Submit
	if g.Busy {
		label = "Checking…"
	}
	return app.Div().Class("pub-card gal-lockcard").Body(
		app.Div().Class("gal-lock").Body(ui.Icon("lock")),
		app.H1().Text(g.Title),
		app.P().Class("muted").Text(g.Lead),
		app.Form().Class("gal-password").ID(g.Kind+"-password-form").Method("post").OnSubmit(g.OnSubmit).Body(
			app.Label().For(g.Kind+"-password").Class("field-label").Text("Password"),
			app.Input().Type("password").ID(g.Kind+"-password").Name("password").
				Attr("autocomplete", "current-password").Required(true).AutoFocus(true).
				Value(g.Password).OnInput(g.OnInput),
			ui.ErrorBox(g.Err),
			ui.SubmitButton(g.Kind+"-password-submit", label, g.Busy),
		),
		app.If(g.Foot != "", func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text(g.Foot)
		}),
	)
}
