//go:build !js

package testkit

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ferryhq/ferry/server/api"
)

// LinkSession is the session c holds for the link with key: the value of
// that link's cookie ("" when it holds none).
func (c *Client) LinkSession(key string) string {
	base, err := url.Parse(c.Base)
	if err != nil || c.HTTP.Jar == nil {
		return ""
	}
	for _, ck := range c.HTTP.Jar.Cookies(base) {
		if ck.Name == api.LinkCookie(key) {
			return ck.Value
		}
	}
	return ""
}

// SessionClient is an anonymous client that keeps no cookies and sends
// secret as the link session header (api.SessionHeader), as the app does
// for links bound to an email, or as someone who copied a session would.
func (s *Server) SessionClient(t testing.TB, secret string) *Client {
	c := s.Client(t)
	c.HTTP.Jar = nil
	c.Header = http.Header{api.SessionHeader: {secret}}
	return c
}
