// Package client is a typed Go client of Ferry's JSON API (/api/v2): one
// method per route, with the documents of package model. It imports only
// the standard library and no net/http: requests go through a Transport,
// so the web app can send them with the browser's fetch and Go programs
// and tests with net/http (package client/nethttp).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// Request is one HTTP request to the API. Path is absolute from the
// server's root ("/api/v2/me"), with its query.
type Request struct {
	Method string
	Path   string
	Header map[string]string
	Body   []byte
}

// Response is the answer to a Request.
type Response struct {
	Status int
	Body   []byte
}

// Transport sends requests: nethttp.Transport over net/http, the web app's
// over the browser's fetch.
type Transport interface {
	Do(ctx context.Context, r Request) (Response, error)
}

// Client calls the API through a Transport. Its methods are safe for
// concurrent use; With and WithContext return changed copies.
type Client struct {
	t      Transport
	ctx    context.Context
	header map[string]string
}

// New is a client over t.
func New(t Transport) *Client { return &Client{t: t, ctx: context.Background()} }

// With is c sending one more header with every request (Authorization,
// or a share link's Ferry-Session).
func (c *Client) With(name, value string) *Client {
	out := *c
	out.header = make(map[string]string, len(c.header)+1)
	for k, v := range c.header {
		out.header[k] = v
	}
	out.header[name] = value
	return &out
}

// WithToken is c authenticated by an API token.
func (c *Client) WithToken(token string) *Client { return c.With("Authorization", "Bearer "+token) }

// WithContext is c sending its requests under ctx.
func (c *Client) WithContext(ctx context.Context) *Client {
	out := *c
	out.ctx = ctx
	return &out
}

// Error is an error answer of the API (model.ErrorBody), or a transport
// failure when Status is 0.
type Error struct {
	Status int
	Code   string
	Title  string
	Detail string
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Detail
	}
	return fmt.Sprintf("request failed (%d)", e.Status)
}

// StatusOf is the HTTP status of an API error, 0 for other errors.
func StatusOf(err error) int {
	if e, ok := err.(*Error); ok {
		return e.Status
	}
	return 0
}

// Do sends in as the JSON body (nil: none) and decodes a JSON answer into
// out (nil: ignored). Answers of 400 and above are an *Error. The typed
// methods use it; it is exported for routes they do not cover yet.
func (c *Client) Do(method, path string, in, out any) error {
	r := Request{Method: method, Path: path, Header: map[string]string{"Accept": "application/json"}}
	for k, v := range c.header {
		r.Header[k] = v
	}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		r.Body = b
		r.Header["Content-Type"] = "application/json"
	}
	res, err := c.t.Do(c.ctx, r)
	if err != nil {
		return fmt.Errorf("cannot reach the server: %w", err)
	}
	if res.Status >= 400 {
		e := &Error{Status: res.Status}
		var doc model.ErrorBody
		if json.Unmarshal(res.Body, &doc) == nil && len(doc.Errors) > 0 {
			e.Code, e.Title, e.Detail = doc.Errors[0].Code, doc.Errors[0].Title, doc.Errors[0].Detail
		}
		return e
	}
	if out != nil && len(bytes.TrimSpace(res.Body)) > 0 {
		if b, ok := out.(*[]byte); ok {
			*b = res.Body
			return nil
		}
		return json.Unmarshal(res.Body, out)
	}
	return nil
}

// get, post, put and del are Do for one method.
func (c *Client) get(path string, out any) error      { return c.Do("GET", path, nil, out) }
func (c *Client) post(path string, in, out any) error { return c.Do("POST", path, in, out) }
func (c *Client) put(path string, in, out any) error  { return c.Do("PUT", path, in, out) }
func (c *Client) del(path string) error               { return c.Do("DELETE", path, nil, nil) }
func (c *Client) delOut(path string, out any) error   { return c.Do("DELETE", path, nil, out) }

// path joins escaped segments under /api/v2: path("assets", id, "children").
func path(segs ...string) string {
	var b strings.Builder
	b.WriteString("/api/v2")
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// withQuery adds q to p.
func withQuery(p string, q url.Values) string {
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}
