// Package nethttp is client.Transport over net/http, for Go programs and
// tests (the web app sends its requests through the browser instead).
package nethttp

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/ferryhq/ferry/client"
)

// Transport sends requests to the server at Base ("http://127.0.0.1:8080";
// "" for the page's own origin in the wasm) with Client (nil:
// http.DefaultClient).
type Transport struct {
	Base   string
	Client *http.Client
}

// New is a client of the server at base.
func New(base string) *client.Client { return client.New(&Transport{Base: base}) }

// Do sends r.
func (t *Transport) Do(ctx context.Context, r client.Request) (client.Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, t.Base+r.Path, body)
	if err != nil {
		return client.Response{}, err
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	hc := t.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return client.Response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return client.Response{}, err
	}
	return client.Response{Status: res.StatusCode, Body: b}, nil
}
