package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// DropZone is a box (id, class) that files and folders are dropped on:
// while they are dragged over it, *dragging is true and the box has the
// class "dragging"; drop gets the drop.
func DropZone(id, class string, dragging *bool, drop app.EventHandler) app.HTMLDiv {
	if *dragging {
		class += " dragging"
	}
	return app.Div().Class(class).ID(id).
		On("dragover", func(ctx app.Context, e app.Event) { e.PreventDefault(); *dragging = true }).
		On("dragleave", func(ctx app.Context, e app.Event) { *dragging = false }).
		On("drop", func(ctx app.Context, e app.Event) {
			*dragging = false
			drop(ctx, e)
		})
}
