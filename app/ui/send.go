package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Run runs change off the UI goroutine; back on it, it clears *busy (when
// not nil), writes the failure to *errTo or clears it, and on success calls
// done.
func Run(ctx app.Context, errTo *string, busy *bool, change func() error, done func(app.Context)) {
	if busy != nil {
		*busy = true
	}
	ctx.Async(func() {
		err := change()
		ctx.Dispatch(func(ctx app.Context) {
			if busy != nil {
				*busy = false
			}
			if err != nil {
				*errTo = err.Error()
				return
			}
			*errTo = ""
			if done != nil {
				done(ctx)
			}
		})
	})
}

// Begin starts sending a form of one required value: it says no while a
// send is under way, and, with *errTo set to missing, when value is empty;
// else it marks the form busy and clears the error.
func Begin(busy *bool, errTo *string, value, missing string) bool {
	switch {
	case *busy:
		return false
	case value == "":
		*errTo = missing
		return false
	}
	*busy, *errTo = true, ""
	return true
}
