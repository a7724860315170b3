package e2e

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// TestUploadResumesAfterTheTabCloses is the promise to contributors on bad
// connections: a slow upload is cut off by reloading the page (as if the tab
// closed), the same file is picked again, and the upload continues from
// where the server stopped instead of starting over.
func TestUploadResumesAfterTheTabCloses(t *testing.T) {
	srv := testkit.Start(t)
	const size = 160 << 20
	data := make([]byte, size)
	rand.Read(data)
	path := filepath.Join(t.TempDir(), "interview.mov")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c := srv.Admin(t)
	var p struct {
		ID          string `json:"id"`
		RootAssetID string `json:"root_asset_id"`
	}
	c.Do("POST", "/api/v2/projects", map[string]string{"name": "Interviews"}, &p)

	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	var sent float64
	cut := func(wait time.Duration) error {
		c, cancel := context.WithTimeout(ctx, wait+30*time.Second)
		defer cancel()
		return chromedp.Run(c,
			chromedp.Navigate(srv.URL+"/projects/"+p.ID),
			// Rendered only once the app loaded the folder (a pending upload is a tile).
			chromedp.WaitVisible("#folder-empty, #asset-grid .tile", chromedp.ByQuery),
			// Small chunks so the cut lands mid-file on a fast loopback.
			chromedp.Evaluate(`window.ferryUploads.chunkSize = 256 * 1024`, nil),
			chromedp.SetUploadFiles("#file-input", []string{path}, chromedp.ByQuery),
			chromedp.Poll(`(() => { const s = window.ferryUploads.state()[0];
				if (s && s.status === 'failed') return -1;
				if (s && s.sent > 2*1024*1024) { window.ferryUploads.pauseAll(); return s.sent } return 0 })()`, &sent,
				chromedp.WithPollingTimeout(wait)),
		)
	}
	if err := cut(60 * time.Second); err != nil {
		// Seen in CI under load (not understood yet): the first pick never
		// moves. Record what the uploader says, then pick again on a fresh
		// page; the count of tus creations below still has to be one.
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify(window.ferryUploads && window.ferryUploads.state())`, &state))
		testkit.Screenshot(t, ctx, "resume-stuck")
		t.Logf("the first pick did not reach 2 MiB (%v); uploader state %s; picking again", err, state)
		if err := cut(90 * time.Second); err != nil {
			t.Fatalf("start an upload and cut it in the middle: %v", err)
		}
	}
	if sent < 0 {
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify(window.ferryUploads.state())`, &state))
		t.Fatalf("the upload failed: %s", state)
	}
	testkit.Screenshot(t, ctx, "resume-cut")
	run(t, ctx, "close the page and come back",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		chromedp.WaitVisible("#folder-empty", chromedp.ByQuery),
	)
	var stored string
	run(t, ctx, "the browser remembers the upload", chromedp.Evaluate(`localStorage.getItem('ferry.tus.v1') || ''`, &stored))
	m := regexp.MustCompile(`/api/v2/tus/([0-9a-f-]{36})`).FindStringSubmatch(stored)
	if m == nil {
		t.Fatalf("no unfinished upload remembered: %q", stored)
	}
	offset, res := c.TusHead(srv.URL + "/api/v2/tus/" + m[1])
	if res.StatusCode != 200 || offset == 0 || offset >= size {
		t.Fatalf("server offset after the cut: %d (status %d)", offset, res.StatusCode)
	}
	testkit.Screenshot(t, ctx, "resume-notice")
	runFor(t, ctx, 3*time.Minute, "pick the same file again",
		chromedp.SetUploadFiles("#file-input", []string{path}, chromedp.ByQuery),
		chromedp.WaitVisible(`#asset-grid .tile`, chromedp.ByQuery),
	)
	// One tus creation in all: the second pick resumed the first upload.
	if n := metric(t, srv.URL, `ferry_http_requests_total{method="POST",route="/api/v2/tus",status="201"}`); n != 1 {
		t.Errorf("%d tus creations, want 1 (the upload restarted instead of resuming)", n)
	}
	var kids []struct {
		ID       string `json:"id"`
		Filesize int64  `json:"filesize"`
	}
	c.Do("GET", "/api/v2/assets/"+p.RootAssetID+"/children", nil, &kids)
	if len(kids) != 1 || kids[0].ID != m[1] || kids[0].Filesize != size {
		t.Fatalf("folder after resume: %+v", kids)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v2/assets/"+kids[0].ID+"/original", nil)
	got := c.Send(req, nil)
	b, _ := io.ReadAll(got.Body)
	if sha256.Sum256(b) != sha256.Sum256(data) {
		t.Fatal("the resumed upload is not byte-identical")
	}
}

// metric reads one series from /metrics, which needs an admin.
func metric(t *testing.T, base, series string) int {
	t.Helper()
	res := (&testkit.Server{URL: base}).Admin(t).Do("GET", "/metrics", nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}
