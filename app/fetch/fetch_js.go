//go:build js && wasm

package fetch

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/ferryhq/ferry/client"
)

// transport sends the client's requests with the browser's fetch, so
// the wasm carries no net/http client (nor the TLS stack behind it).
// Same-origin requests take the session cookie along.
type transport struct{}

func (transport) Do(ctx context.Context, r client.Request) (client.Response, error) {
	headers := js.Global().Get("Headers").New()
	for k, v := range r.Header {
		headers.Call("set", k, v)
	}
	opts := js.Global().Get("Object").New()
	opts.Set("method", r.Method)
	opts.Set("headers", headers)
	opts.Set("credentials", "same-origin")
	if r.Body != nil {
		body := js.Global().Get("Uint8Array").New(len(r.Body))
		js.CopyBytesToJS(body, r.Body)
		opts.Set("body", body)
	}
	type result struct {
		res client.Response
		err error
	}
	done := make(chan result, 1)
	status := 0
	var onRes, onBody, onErr js.Func
	onErr = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		buf := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, buf.Get("length").Int())
		js.CopyBytesToGo(b, buf)
		done <- result{res: client.Response{Status: status, Body: b}}
		return nil
	})
	onRes = js.FuncOf(func(_ js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("arrayBuffer").Call("then", onBody, onErr)
		return nil
	})
	js.Global().Call("fetch", r.Path, opts).Call("then", onRes, onErr)
	x := <-done
	onRes.Release()
	onBody.Release()
	onErr.Release()
	return x.res, x.err
}
