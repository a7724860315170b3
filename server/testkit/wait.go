package testkit

import (
	"fmt"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// WaitAsset reads asset id until ok accepts it and returns it; t fails
// with the last state seen when within passes.
func (c *Client) WaitAsset(t testing.TB, id string, within time.Duration, ok func(model.Asset) bool) model.Asset {
	t.Helper()
	var a model.Asset
	poll.Until(t, within, func() error {
		var err error
		if a, err = c.API().Asset(id); err != nil {
			return fmt.Errorf("asset %s: %w", id, err)
		}
		if ok(a) {
			return nil
		}
		return fmt.Errorf("asset %s: proxy %q %s, transcode %q %s, renditions %v", id, a.ProxyStatus, a.ProxyError, a.TranscodeStatus, a.TranscodeError, a.Renditions)
	})
	return a
}

// WaitProxies waits until every asset of ids has its image proxies.
func (c *Client) WaitProxies(t testing.TB, within time.Duration, ids ...string) {
	t.Helper()
	for _, id := range ids {
		c.WaitAsset(t, id, within, ProxiesReady)
	}
}

// ProxiesReady says whether a's image proxies are made.
func ProxiesReady(a model.Asset) bool { return a.ProxyStatus == model.ProxyReady }

// ProxiesSettled says whether making a's image proxies has ended, made or not.
func ProxiesSettled(a model.Asset) bool { return a.ProxyStatus != model.ProxyQueued }

// TranscodeSettled says whether making a's video or audio proxies has
// ended, made or failed.
func TranscodeSettled(a model.Asset) bool {
	return a.TranscodeStatus == assets.TranscodeReady || a.TranscodeStatus == assets.TranscodeFailed
}
