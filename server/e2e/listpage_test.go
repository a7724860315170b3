package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// The admin lists (users, groups, tokens) share one scaffold (ui.List):
// from eight records a search narrows the table, and a search that hides
// every row says so instead of showing an empty table.
func TestAdminListSearch(t *testing.T) {
	srv := testkit.Start(t)
	admin := srv.Admin(t)
	for i := range 7 {
		govMember(t, admin, fmt.Sprintf("Member %c", 'A'+i), fmt.Sprintf("member%d@example.com", i))
	}
	rows := `document.querySelectorAll('#users-table tbody tr').length`
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")
		run(t, ctx, "users page with eight users offers a search",
			chromedp.Navigate(srv.URL+"/users"), waitPageReady(),
			waitUntil("eight rows", rows+` === 8`), visible("#users-search"))
		run(t, ctx, "a search by email keeps one row",
			setValue("#users-search", "member3@"),
			waitUntil("one row", rows+` === 1`),
			waitText("#users-table tbody", nil, "Member D"))
		testkit.Screenshot(t, ctx, "users-search-"+size.name)
		run(t, ctx, "every word matches, in any order and case",
			setValue("#users-search", "g MEMBER"),
			waitUntil("Member G only", rows+` === 1 && document.querySelector('#users-table tbody').textContent.includes('Member G')`))
		var none string
		run(t, ctx, "a search that matches nothing says so",
			setValue("#users-search", "nobody-here"),
			gone("#users-table"),
			waitText(".list-none", &none, "Nothing matches", "nobody-here"))
		run(t, ctx, "clearing the search shows everyone again",
			setValue("#users-search", ""),
			waitUntil("eight rows", rows+` === 8`))
		noBrowserErrors(t, ctx)
	})
	// Below eight records there is no search: the whole list is in view.
	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	run(t, ctx, "tokens page without tokens: the empty state, no search",
		chromedp.Navigate(srv.URL+"/account/tokens"), waitPageReady(),
		waitText(".empty", nil, "No API tokens yet"), gone("#tokens-search"))
}
