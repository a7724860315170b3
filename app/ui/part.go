package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Part is a part of a page that loads on its own (an access log, a list of
// recipients): a spinner until done, then its error, empty when it holds
// nothing (n is 0), else full.
func Part(done bool, err string, n int, empty app.UI, full func() app.UI) app.UI {
	switch {
	case !done:
		return Loading()
	case err != "":
		return ErrorBox(err)
	case n == 0:
		return empty
	}
	return full()
}
