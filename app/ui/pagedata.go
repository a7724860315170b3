package ui

import (
	"encoding/base64"
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// PageDataUI leaves v in a prerendered page, as the hidden element id, for
// the wasm's first render (PageData): the app then draws the same page
// instead of flashing "Loading…". In base64: go-app writes attributes with
// strconv.Quote, which would double the JSON's backslashes.
func PageDataUI(id string, v any) app.UI {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return app.Div().ID(id).Hidden(true).DataSet("page", base64.StdEncoding.EncodeToString(b))
}

// PageData reads into v what PageDataUI left in the page as element id and
// reports whether there was any.
func PageData(id string, v any) bool {
	if !app.IsClient {
		return false
	}
	el := app.Window().GetElementByID(id)
	if !el.Truthy() {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(el.Call("getAttribute", "data-page").String())
	return err == nil && json.Unmarshal(b, v) == nil
}
