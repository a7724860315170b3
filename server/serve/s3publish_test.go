//go:build !js

package serve_test

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// TestS3RenditionsPublishedAfterACrash: the bucket refuses renditions
// (503 to every PUT under proxies/) while a photo's proxies are made, so
// they exist only on the local disk when the job ends; ferry is killed
// (kill -9) and the bucket recovers; restarted, ferry copies them to the
// bucket (listed from MinIO) from the durable record the failed
// publication left, and with the local copies gone they serve
// byte-identical from the bucket.
func TestS3RenditionsPublishedAfterACrash(t *testing.T) {
	m := testkit.MinIO(t)
	var refusing atomic.Bool
	refusing.Store(true)
	proxy, refused := refusingProxy(t, m, func(r *http.Request) bool {
		return refusing.Load() && r.Method == "PUT" && strings.Contains(r.URL.Path, "/ferry/proxies/")
	})
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	env := s3Env(m, "FERRY_S3_ENDPOINT="+proxy)
	f := startFerry(t, dataDir, addr, env...)
	f.waitUp(t, base)
	c := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	p := newProject(t, c)
	id := c.Upload(p.RootAssetID, "photo.jpg", testkit.JPEG(t, 900, 600, color.RGBA{30, 90, 160, 255}))
	waitProxies(t, c, id, f.out.String)
	if refused.Load() == 0 {
		t.Fatal("the bucket refused nothing: the test did not test a failed publication")
	}
	dir := "ferry/proxies/" + id[:2] + "/" + id + "/"
	if got := m.Keys(dir); len(got) > 0 {
		t.Fatalf("renditions in the bucket although it refused them: %v", got)
	}
	local, err := os.ReadDir(filepath.Join(dataDir, "proxies", id[:2], id))
	if err != nil || len(local) == 0 {
		t.Fatalf("no local renditions: %v", err)
	}
	thumb := get200(t, c, "/api/v2/assets/"+id+"/proxies/thumb")

	f.cmd.Process.Kill() // kill -9
	<-f.exited
	refusing.Store(false) // the bucket is back
	f = startFerry(t, dataDir, addr, env...)
	f.waitUp(t, base)
	var want []string
	for _, e := range local {
		if !strings.HasPrefix(e.Name(), ".") {
			want = append(want, dir+e.Name())
		}
	}
	// The retry's backoff may still run from before the kill.
	poll.Until(t, 2*time.Minute, func() error {
		if got := m.Keys(dir); !slices.Equal(got, want) {
			return fmt.Errorf("after the restart the bucket holds %v, want %v\n%s", got, want, f.out.String())
		}
		return nil
	})
	if err := os.RemoveAll(filepath.Join(dataDir, "proxies")); err != nil {
		t.Fatal(err)
	}
	if b := get200(t, c, "/api/v2/assets/"+id+"/proxies/thumb"); !bytes.Equal(b, thumb) {
		t.Fatalf("the thumb from the bucket differs: %d bytes, %d before", len(b), len(thumb))
	}
}

// TestS3WatermarkPublishedAfterACrash: a visitor of a watermarked link
// asks for a preview, which is made on demand outside any job; ferry is
// killed (kill -9) as it sends the watermarked file to the bucket, so the
// file is on the local disk only. Restarted, ferry publishes it from the
// durable job stored before it was made (listed from MinIO), and with
// the local copies gone the visitor gets the same bytes from the bucket.
func TestS3WatermarkPublishedAfterACrash(t *testing.T) {
	m := testkit.MinIO(t)
	proxy := newKillingProxy(t, m)
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	env := s3Env(m, "FERRY_S3_ENDPOINT="+proxy.URL)
	f := startFerry(t, dataDir, addr, env...)
	f.waitUp(t, base)
	c := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	p := newProject(t, c)
	id := c.Upload(p.RootAssetID, "photo.jpg", testkit.JPEG(t, 900, 600, color.RGBA{30, 90, 160, 255}))
	waitProxies(t, c, id, f.out.String)
	if res := c.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "PROOF", Position: "center", Opacity: 0.6}, nil); res.StatusCode != 200 {
		t.Fatalf("set watermark: %d", res.StatusCode)
	}
	link, err := c.API().CreateShareLink(model.NewShareLink{Kind: "public", AssetIDs: []string{id}, Watermark: true, AllowProxies: []string{"preview"}})
	if err != nil {
		t.Fatal(err)
	}
	visitor := browser(t, base, &http.Client{Timeout: time.Minute})
	preview := "/api/v2/public/links/" + link.Key + "/assets/" + id + "/preview"
	get200(t, visitor, "/api/v2/public/links/"+link.Key)

	marked := func(r *http.Request) bool { return r.Method == "PUT" && strings.Contains(r.URL.Path, "-wm-") }
	killed := proxy.arm(marked, true, func() {
		f.cmd.Process.Kill()
		<-f.exited
	})
	go func() { // the answer never comes: ferry dies making it
		if res, err := visitor.HTTP.Get(base + preview); err == nil {
			res.Body.Close()
		}
	}()
	select {
	case <-killed:
	case <-time.After(2 * time.Minute):
		t.Fatalf("the watermarked preview was never sent to the bucket\n%s", f.out.String())
	}
	dir := "ferry/proxies/" + id[:2] + "/" + id + "/"
	local, _ := filepath.Glob(filepath.Join(dataDir, "proxies", id[:2], id, "preview-wm-*.jpg"))
	if len(local) != 1 {
		t.Fatalf("watermarked previews on the local disk after the kill: %v, want one", local)
	}
	want, err := os.ReadFile(local[0])
	if err != nil {
		t.Fatal(err)
	}
	key := dir + filepath.Base(local[0])
	if slices.Contains(m.Keys(dir), key) {
		t.Fatal("the bucket has the watermarked preview although ferry died sending it")
	}

	f = startFerry(t, dataDir, addr, env...)
	f.waitUp(t, base)
	poll.Until(t, time.Minute, func() error {
		if got := m.Keys(dir); !slices.Contains(got, key) {
			return fmt.Errorf("after the restart the bucket holds %v, not %s\n%s", got, key, f.out.String())
		}
		return nil
	})
	if err := os.RemoveAll(filepath.Join(dataDir, "proxies")); err != nil {
		t.Fatal(err)
	}
	if b := get200(t, visitor, preview); !bytes.Equal(b, want) {
		t.Fatalf("the watermarked preview from the bucket differs: %d bytes, %d made", len(b), len(want))
	}
}

// waitProxies waits until asset id's proxies are ready.
func waitProxies(t *testing.T, c *testkit.Client, id string, logs func() string) {
	t.Helper()
	poll.Until(t, 2*time.Minute, func() error {
		var a model.Asset
		c.Do("GET", "/api/v2/assets/"+id, nil, &a)
		if a.ProxyStatus == model.ProxyReady {
			return nil
		}
		err := fmt.Errorf("proxies of %s: %q %s\n%s", id, a.ProxyStatus, a.ProxyError, logs())
		if a.ProxyStatus == model.ProxyFailed {
			t.Fatal(err)
		}
		return err
	})
}

func get200(t *testing.T, c *testkit.Client, path string) []byte {
	t.Helper()
	res := c.Do("GET", path, nil, nil)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return b
}
