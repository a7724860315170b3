package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Tab is one tab of a TabBar.
type Tab struct {
	Key, Label string
	ID         string // the element's id; "" for none
	Count      string // the figure after the label; "" for none
}

// TabBar is a row of tab buttons (role tablist) that filter or switch what
// is below it; the active tab is "on".
type TabBar struct {
	Class    string // added to the bar's "tabs"
	TabClass string // added to each tab's "tab"
	KeyData  string // when set, each tab carries data-<KeyData>=<its key>
	Active   string
	Tabs     []Tab
	OnSelect func(ctx app.Context, key string)
}

// UI draws the bar.
func (b TabBar) UI() app.UI {
	return app.Div().Class(joinClass("tabs", b.Class)).Attr("role", "tablist").Body(app.Range(b.Tabs).Slice(func(i int) app.UI {
		t := b.Tabs[i]
		cls := joinClass("tab", b.TabClass)
		if b.Active == t.Key {
			cls += " on"
		}
		btn := app.Button().Type("button").Class(cls).ID(t.ID).Attr("role", "tab").
			Attr("aria-selected", strconv.FormatBool(b.Active == t.Key)).
			OnClick(func(ctx app.Context, e app.Event) { b.OnSelect(ctx, t.Key) }, app.EventScope(t.Key))
		if b.KeyData != "" {
			btn = btn.DataSet(b.KeyData, t.Key)
		}
		return btn.Body(
			app.Text(t.Label),
			app.If(t.Count != "", func() app.UI { return app.Span().Class("tab-count").Text(t.Count) }),
		)
	}))
}

// NavTab is a tab that is a link to a section.
type NavTab struct {
	Key, Href, Label string
	Icon             string // "" for none
}

// NavTabs is a navigation (aria-label label) between the sections of a
// page; tab ids are idPrefix+key, and the active one is the current page.
func NavTabs(class, label, idPrefix, active string, tabs []NavTab) app.UI {
	return app.Nav().Class(joinClass("tabs", class)).Attr("aria-label", label).Body(app.Range(tabs).Slice(func(i int) app.UI {
		t := tabs[i]
		cls := "tab"
		if t.Key == active {
			cls += " on"
		}
		a := app.A().Class(cls).ID(idPrefix+t.Key).Href(t.Href).
			Attr("aria-current", map[bool]string{true: "page", false: "false"}[t.Key == active])
		if t.Icon == "" {
			return a.Text(t.Label)
		}
		return a.Body(Icon(t.Icon), app.Span().Text(t.Label))
	}))
}

// Search is a search box with a label for screen readers; class is added
// to the box's "ul-search".
func Search(class, id, label, placeholder, value string, onInput app.EventHandler) app.UI {
	return app.Label().Class(joinClass("ul-search", class)).Body(
		Icon("search"),
		app.Span().Class("sr-only").Text(label),
		app.Input().Type("search").ID(id).Placeholder(placeholder).Value(value).OnInput(onInput),
	)
}

func joinClass(base, extra string) string {
	if extra == "" {
		return base
	}
	return base + " " + extra
}
