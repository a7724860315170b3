package fetch

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
)

// SendFile sends file as the body of a request with fetch, which streams
// it, and decodes the JSON answer or the API's error; header holds more
// request headers (name, value).
func SendFile[T any](method, path, contentType string, file app.Value, done func(T, error), header ...[2]string) {
	var onResponse, onText, onFail app.Func
	release := func() {
		onResponse.Release()
		onText.Release()
		onFail.Release()
	}
	status := 0
	onText = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer release()
		body := []byte(args[0].String())
		var w T
		if status >= 400 {
			e := &client.Error{Status: status}
			var doc struct {
				Errors []struct {
					Code   string `json:"code"`
					Detail string `json:"detail"`
				} `json:"errors"`
			}
			if json.Unmarshal(body, &doc) == nil && len(doc.Errors) > 0 {
				e.Code, e.Detail = doc.Errors[0].Code, doc.Errors[0].Detail
			}
			go done(w, e)
			return nil
		}
		err := json.Unmarshal(body, &w)
		go done(w, err)
		return nil
	})
	onResponse = app.FuncOf(func(this app.Value, args []app.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("text").Call("then", onText, onFail)
		return nil
	})
	onFail = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer release()
		var zero T
		go done(zero, &client.Error{Detail: "cannot reach the server"})
		return nil
	})
	headers := map[string]any{"Content-Type": contentType, "Accept": "application/json"}
	for _, h := range header {
		headers[h[0]] = h[1]
	}
	app.Window().Call("fetch", path, map[string]any{
		"method":      method,
		"body":        file,
		"headers":     headers,
		"credentials": "same-origin",
	}).Call("then", onResponse, onFail)
}
