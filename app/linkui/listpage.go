package linkui

import (
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// ListPage is the frame of a page that lists links: what comes first
// (dialogs, breadcrumbs), the header, the load error, the stat cards, the
// toolbar, the list and what comes last (dialogs drawn over it).
type ListPage struct {
	Section         string // the navigation entry the page belongs to
	Loaded          bool
	Err             string
	Top             []app.UI
	Title, Subtitle string
	Actions         []app.UI
	Stats           app.UI
	Toolbar         app.UI
	List            app.UI
	Bottom          []app.UI
}

// UI draws the page.
func (p ListPage) UI() app.UI {
	body := append(append([]app.UI{}, p.Top...),
		ui.PageHeader(p.Title, p.Subtitle, p.Actions...),
		ui.ErrorBox(p.Err),
		p.Stats,
		p.Toolbar,
		p.List,
	)
	return shell.Frame(p.Section, ui.PageState(p.Loaded, p.Err), append(body, p.Bottom...))
}

// Stats is a row of stat cards; class is added to its "stats".
func Stats(class string, cards ...app.UI) app.UI {
	return app.Div().Class("stats " + class).Body(cards...)
}

// Empty is what a list says in a card (ID) when it shows nothing.
type Empty struct {
	ID          string
	Icon        string
	Title, Text string
	Action      app.UI
}

// UI draws the card.
func (e Empty) UI() app.UI {
	return app.Div().Class("card").ID(e.ID).Body(ui.EmptyState(e.Icon, e.Title, e.Text, e.Action))
}

// ListState is where the list of a page stands.
type ListState struct {
	Loaded bool
	Err    string
	Held   int  // the items loaded
	Shown  int  // of those, the items the tab and the search let through
	Scoped bool // the server already applied a tab or a search to Held
}

// UI is a spinner while the list loads, nothing when it failed to load (the
// page shows the error), empty when there is nothing at all, noMatch when
// the tab and the search hide everything, else list.
func (s ListState) UI(empty, noMatch Empty, list func() app.UI) app.UI {
	switch {
	case !s.Loaded:
		return ui.LoadingCard()
	case s.Held == 0 && s.Err != "":
		return nil
	case s.Held == 0 && !s.Scoped:
		return empty.UI()
	case s.Shown == 0:
		return noMatch.UI()
	}
	return list()
}

// Loaded takes the answer of a page's load: *loaded is set, and err
// becomes the page's error (see fetch.LoadError) or keep takes what arrived.
func Loaded(ctx app.Context, err error, loaded *bool, errMsg *string, keep func()) {
	*loaded = true
	if err != nil {
		*errMsg = fetch.LoadError(ctx, err)
		return
	}
	*errMsg = ""
	keep()
}

// ProjectOf is the project of a page at /projects/{id}/<list>, or "" for
// the list of every project.
func ProjectOf(path string) string {
	if parts := strings.Split(strings.Trim(path, "/"), "/"); len(parts) == 3 && parts[0] == "projects" {
		return parts[1]
	}
	return ""
}

// ProjectCrumbs are the breadcrumbs of a project's list, once the project
// is known.
func ProjectCrumbs(pr model.Project) app.UI {
	var root []model.Asset
	if pr.ID != "" {
		root = []model.Asset{{ID: pr.RootAssetID, Name: pr.Name}}
	}
	return shell.Breadcrumbs(pr, root)
}

// ProjectChip links to the lists of a link's project (href), on the lists
// of every project.
func ProjectChip(href, title, name string) app.UI {
	return app.A().Class("ul-project").Href(href).Title(title).Body(ui.Icon("folder"), app.Span().Text(name))
}

// Figure is one figure of a link card (class names it) over its label.
func Figure(class, value, label string) app.UI {
	return app.Div().Body(
		app.Div().Class("ul-figure "+class).Text(value),
		app.Div().Class("muted small").Text(label),
	)
}

// ExpiryChip is the clock and expiry line in a card's foot; title gives
// the date.
func ExpiryChip(title, text string) app.UI {
	return app.Span().Class("ul-expiry").Title(title).Body(ui.Icon("clock"), app.Span().Text(text))
}

// Expiry says when a link stops, or stopped, working.
func Expiry(at *time.Time, now time.Time) string {
	switch {
	case at == nil:
		return "Never expires"
	case at.After(now):
		return "Expires in " + ui.RoughDuration(at.Sub(now))
	}
	return "Expired " + ui.RoughAgo(now.Sub(*at))
}

// ExpiryDate is the date and time a link expires, or none.
func ExpiryDate(at *time.Time, none string) string {
	if at == nil {
		return none
	}
	return at.Local().Format("Mon 2 Jan 2006, 15:04")
}

// ShortURL drops the scheme: the rest is what people read.
func ShortURL(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host + p.Path
	}
	return u
}

// IconAction is an icon button acting on the link named name; label says
// what it does, for the tooltip and screen readers.
func IconAction(class, iconName, label, name string) app.HTMLButton {
	return app.Button().Type("button").Class("icon-btn "+class).Title(label).Attr("aria-label", label+": "+name).Body(ui.Icon(iconName))
}

// Matches reports whether text holds what was typed into a search box
// (q), case aside; an empty search matches everything.
func Matches(q, text string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	return q == "" || strings.Contains(strings.ToLower(text), q)
}

// Scope is the project a page of links shows, read from its address, and
// whether the page has started.
type Scope struct {
	project string
	started bool
}

// Nav reads the page's address; it reports whether the page starts over
// (it is new, or shows another project now).
func (s *Scope) Nav(path string) bool {
	id := ProjectOf(path)
	if s.started && id == s.project {
		return false
	}
	s.project, s.started = id, true
	return true
}

// Project is the project the page shows, "" for every project.
func (s Scope) Project() string { return s.project }
