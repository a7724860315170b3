package e2e

import (
	"image/color"
	"os"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// uploadImage uploads a w×h JPEG tinted tint into parent and waits for its
// proxies; it returns the asset's ID.
func uploadImage(t *testing.T, c *testkit.Client, parent, name string, w, h int, tint color.RGBA) string {
	t.Helper()
	b, err := os.ReadFile(jpegFile(t, t.TempDir(), name, w, h, tint))
	if err != nil {
		t.Fatal(err)
	}
	id := c.Upload(parent, name, b)
	waitProxiesReady(t, c, id)
	return id
}

// waitProxiesReady waits until the server has made an image's renditions.
func waitProxiesReady(t *testing.T, c *testkit.Client, id string) {
	t.Helper()
	if a := c.WaitAsset(t, id, 60*time.Second, testkit.ProxiesSettled); a.ProxyStatus != model.ProxyReady {
		t.Fatalf("asset %s: proxy_status %q", id, a.ProxyStatus)
	}
}
