package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Owner keeps a component's own context (set in OnMount). go-app drops
// what is dispatched or deferred on the context of an element that is gone
// by then: a request started from a dialog's button, the focus to move
// after a child component closed itself. Their answers go through the
// owner's context, which lives as long as the component.
type Owner struct{ ctx app.Context }

// Set remembers ctx, the component's context from OnMount.
func (o *Owner) Set(ctx app.Context) { o.ctx = ctx }

// Ctx is the component's own context once mounted, else ctx.
func (o *Owner) Ctx(ctx app.Context) app.Context {
	if o.ctx.Context != nil {
		return o.ctx
	}
	return ctx
}

// Async runs f off the UI goroutine and applies the function it returns on
// the UI goroutine, through the owner's context.
func (o *Owner) Async(ctx app.Context, f func() func(app.Context)) {
	c := o.Ctx(ctx)
	c.Async(func() {
		done := f()
		c.Dispatch(done)
	})
}
