package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// comingPage is an honest empty state for a section whose feature has not
// landed yet: it says what will be here, and shows no invented data.
type comingPage struct {
	app.Compo
	active, iconName, title, subtitle, what string
}

func (p *comingPage) Render() app.UI {
	return frame(p.active, []app.UI{
		pageHeader(p.title, p.subtitle),
		app.Div().Class("card").Body(emptyState(p.iconName, "Not available yet", p.what, nil)),
	})
}

func newComing(active, iconName, title, subtitle, what string) func() app.Composer {
	return func() app.Composer {
		return &comingPage{active: active, iconName: iconName, title: title, subtitle: subtitle, what: what}
	}
}
