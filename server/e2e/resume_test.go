package e2e

import (
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

	"github.com/ferryhq/ferry/model"
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
	var p model.Project
	c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Interviews"}, &p)

	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	var sent float64
	runFor(t, ctx, 3*time.Minute, "start an upload and cut it in the middle",
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		// Pick only once the folder is drawn: a pick into an input the
		// page is about to replace would be lost.
		waitPageReady(),
		visible("#folder-empty"),
		// Small chunks so the cut lands mid-file on a fast loopback.
		chromedp.Evaluate(`window.ferryUploads.chunkSize = 256 * 1024`, nil),
		pickFiles("#file-input", path),
		evalUntil("2 MiB sent, then paused", `(() => { const s = window.ferryUploads.state()[0];
			if (s && s.status === 'failed') return -1;
			if (s && s.sent > 2*1024*1024) { window.ferryUploads.pauseAll(); return s.sent } return 0 })()`, &sent,
			func(n float64) bool { return n != 0 }),
	)
	if sent < 0 {
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify(window.ferryUploads.state())`, &state))
		t.Fatalf("the upload failed: %s", state)
	}
	testkit.Screenshot(t, ctx, "resume-cut")
	run(t, ctx, "close the page and come back",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		waitPageReady(),
		visible("#folder-empty"),
	)
	var stored string
	run(t, ctx, "the browser remembers the upload", evalUntil("an upload in local storage", `localStorage.getItem('ferry.tus.v1') || ''`, &stored,
		func(s string) bool { return strings.Contains(s, "/api/v2/tus/") }))
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
		pickFiles("#file-input", path),
		visible(`#asset-grid .tile`),
	)
	// One tus creation in all: the second pick resumed the first upload.
	if n := metric(t, srv.URL, `ferry_http_requests_total{method="POST",route="/api/v2/tus",status="201"}`); n != 1 {
		t.Errorf("%d tus creations, want 1 (the upload restarted instead of resuming)", n)
	}
	var kids []model.Asset
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
