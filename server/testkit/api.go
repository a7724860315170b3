package testkit

import (
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/client/nethttp"
)

// API is the typed Ferry client (package client) over this client's
// connection: the same cookie jar, token, Origin and extra headers.
func (c *Client) API() *client.Client {
	api := client.New(&nethttp.Transport{Base: c.Base, Client: c.HTTP})
	if c.Token != "" {
		api = api.WithToken(c.Token)
	}
	if c.Origin != "" {
		api = api.With("Origin", c.Origin)
	}
	for k := range c.Header {
		api = api.With(k, c.Header.Get(k))
	}
	return api
}
