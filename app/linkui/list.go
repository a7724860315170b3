// Package linkui holds what the pages of the three link kinds (share,
// review, upload) share: the list scaffold (stat cards, status tabs and a
// search box), the status and expiry lines, the QR code, and the gate
// screens a visitor meets (closed, password, passcode).
package linkui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
)

// Counted is tabs with the count of each tab's key from counts.
func Counted(tabs []ui.Tab, counts map[string]int) []ui.Tab {
	out := make([]ui.Tab, len(tabs))
	for i, t := range tabs {
		t.Count = strconv.Itoa(counts[t.Key])
		out[i] = t
	}
	return out
}

// Toolbar is the row over a list of links: status tabs (data-status) and a
// search box. class is added to the row's "ul-toolbar".
func Toolbar(class string, tabs ui.TabBar, search app.UI) app.UI {
	tabs.KeyData = "status"
	cls := "ul-toolbar"
	if class != "" {
		cls += " " + class
	}
	return app.Div().Class(cls).Body(tabs.UI(), search)
}
