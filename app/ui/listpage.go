package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SearchFrom is how many records a list has before it offers a search:
// below it, the whole list is in view anyway.
const SearchFrom = 8

// List is the scaffolding of a page that lists records from the API (users,
// groups, tokens): it loads them, knows whether they have arrived or failed,
// filters them by a search, and draws the loading, empty and no-match
// states around the page's own table. A page keeps one as a field.
type List[T any] struct {
	Items  []T
	Loaded bool
	Err    string // loading or changing the list failed: the page's error box
	Query  string // the search
}

// Mount loads the list with load now, and again whenever action reload
// is posted (the shell's, after a change anywhere on the page).
func (l *List[T]) Mount(ctx app.Context, reload string, load func(app.Context)) {
	ctx.Handle(reload, func(ctx app.Context, _ app.Action) { load(ctx) })
	load(ctx)
}

// Load fetches the records off the UI goroutine. then, when not nil, runs
// on the UI goroutine once they arrived, before the page draws them (for
// what get fetched beside them).
func (l *List[T]) Load(ctx app.Context, get func() ([]T, error), then func()) {
	ctx.Async(func() {
		items, err := get()
		ctx.Dispatch(func(ctx app.Context) {
			l.Loaded = true
			if err != nil {
				l.Err = err.Error()
				return
			}
			l.Items, l.Err = items, ""
			if then != nil {
				then()
			}
		})
	})
}

// State is what the page's root says in data-state (PageState).
func (l *List[T]) State() string { return PageState(l.Loaded, l.Err) }

// Change runs change off the UI goroutine; back on it, a failure goes to
// the list's error box and success clears it and calls done.
func (l *List[T]) Change(ctx app.Context, change func() error, done func(app.Context)) {
	Run(ctx, &l.Err, nil, change, done)
}

// SearchBox is the list's search (id, and label for screen readers), once
// the list has SearchFrom records or a search is typed.
func (l *List[T]) SearchBox(id, label, placeholder string) app.UI {
	if len(l.Items) < SearchFrom && l.Query == "" {
		return nil
	}
	return Search("list-search", id, label, placeholder, l.Query, func(ctx app.Context, e app.Event) {
		l.Query = ctx.JSSrc().Get("value").String()
	})
}

// Shown is the records whose text holds every word of the search, in any
// case.
func (l *List[T]) Shown(text func(T) string) []T {
	words := strings.Fields(strings.ToLower(l.Query))
	if len(words) == 0 {
		return l.Items
	}
	var out []T
	for _, it := range l.Items {
		t := strings.ToLower(text(it))
		match := true
		for _, w := range words {
			match = match && strings.Contains(t, w)
		}
		if match {
			out = append(out, it)
		}
	}
	return out
}

// Body is the list: a spinner until the records arrive, empty when there
// are none (nothing when loading failed: the error box says why), a line
// when the search hides them all, else table of the records shown.
func (l *List[T]) Body(text func(T) string, empty app.UI, table func([]T) app.UI) app.UI {
	switch {
	case !l.Loaded:
		return LoadingCard()
	case len(l.Items) == 0 && l.Err != "":
		return nil
	case len(l.Items) == 0:
		return empty
	}
	shown := l.Shown(text)
	if len(shown) == 0 {
		return app.P().Class("muted list-none").Attr("role", "status").Text("Nothing matches “" + strings.TrimSpace(l.Query) + "”.")
	}
	return table(shown)
}
