package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// proresClip is a ProRes MOV with sound: a file no browser plays.
func proresClip(t *testing.T) []byte {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not installed; run scripts/install-ffmpeg.sh (make test-deps)"
			if os.Getenv("FERRY_REQUIRE_TOOLS") != "" {
				t.Fatal("FERRY_REQUIRE_TOOLS is set but " + msg)
			}
			t.Skip("SKIPPED: " + msg)
		}
	}
	out := filepath.Join(t.TempDir(), "cut.mov")
	cmd := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
		"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVideoPlaysForViewers: a ProRes original no browser can play is
// watched through its H.264 proxy, poster first, on a view-only share link
// and on a review link without downloads, at desktop and phone width.
func TestVideoPlaysForViewers(t *testing.T) {
	clip := proresClip(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p struct {
		ID          string `json:"id"`
		RootAssetID string `json:"root_asset_id"`
	}
	if res := c.Do("POST", "/api/v2/projects", map[string]string{"name": "Harbour film"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	id := c.Upload(p.RootAssetID, "cut.mov", clip, "filetype", "video/quicktime")
	var a struct {
		TranscodeStatus string   `json:"transcode_status"`
		Renditions      []string `json:"renditions"`
		ProxyStatus     string   `json:"proxy_status"`
	}
	for deadline := time.Now().Add(90 * time.Second); a.TranscodeStatus != "ready" && a.TranscodeStatus != "failed"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the proxy was not made: %+v", a)
		}
		c.Do("GET", "/api/v2/assets/"+id, nil, &a)
	}
	if a.TranscodeStatus != "ready" || a.ProxyStatus != "ready" {
		t.Fatalf("processing: %+v", a)
	}
	share := visCreateLink(t, c, map[string]any{"kind": "public", "asset_ids": []string{id}, "allowed_actions": "preview", "name": "Harbour cut"})
	var rl struct{ ID, Key string }
	c.Do("POST", "/api/v2/projects/"+p.ID+"/review_links", map[string]any{"name": "Cut review", "enable_downloading": false}, &rl)
	c.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", map[string]any{"asset_ids": []string{id}}, nil)

	// What a player shows once it played for a second: [readyState,
	// currentTime, poster set, src].
	check := func(t *testing.T, sel string, got []any) {
		t.Helper()
		if len(got) != 4 {
			t.Fatalf("%s: %v", sel, got)
		}
		state, _ := got[0].(float64)
		at, _ := got[1].(float64)
		src, _ := got[3].(string)
		if state < 2 || at < 0.3 || got[2] != true || !(strings.Contains(src, "/"+id+"/") && strings.HasSuffix(src, "/video_720")) {
			t.Errorf("%s: readyState %v, currentTime %v, poster %v, src %s", sel, got[0], got[1], got[2], src)
		}
	}
	play := func(sel string) string {
		return fmt.Sprintf(`(async () => { const v = document.querySelector(%q); v.muted = true; await v.play();
			await new Promise(r => setTimeout(r, 1200)); v.pause();
			return [v.readyState, v.currentTime, !!v.poster, v.currentSrc]; })()`, sel)
	}

	// A member's asset page plays the proxy too, and the grid shows the length.
	mctx := testkit.Browser(t, 1280, 800)
	login(t, mctx, srv, "")
	var got []any
	run(t, mctx, "the asset page plays the proxy",
		chromedp.Navigate(srv.URL+"/assets/"+id),
		chromedp.WaitVisible("#asset-player", chromedp.ByQuery),
		chromedp.Evaluate(play("#asset-player"), &got, awaitPromise),
	)
	check(t, "asset page", got)
	testkit.Screenshot(t, mctx, "video-asset-page")
	var badge string
	run(t, mctx, "the grid shows the length",
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		chromedp.WaitVisible(".tile .thumb-badge", chromedp.ByQuery),
		chromedp.Text(".tile .thumb-badge", &badge, chromedp.ByQuery),
	)
	if strings.TrimSpace(badge) != "0:04" {
		t.Errorf("grid badge %q, want 0:04", badge)
	}
	testkit.Screenshot(t, mctx, "video-grid")

	// A longer clip being transcoded shows its progress in the grid.
	long := filepath.Join(t.TempDir(), "long.mp4")
	if b, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=12",
		"-c:v", "mpeg2video", "-q:v", "8", long).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	longBytes, _ := os.ReadFile(long)
	longID := c.Upload(p.RootAssetID, "long.mp4", longBytes, "filetype", "video/mp4")
	sel := fmt.Sprintf(`.tile[data-id=%q] .thumb-badge`, longID)
	run(t, mctx, "the grid shows the transcode's progress",
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		chromedp.Poll(fmt.Sprintf(`(() => { const b = document.querySelector(%q); return !!b && /Processing [1-9][0-9]? %%/.test(b.textContent) })()`, sel), nil,
			chromedp.WithPollingTimeout(60*time.Second)),
	)
	testkit.Screenshot(t, mctx, "video-grid-processing")
	run(t, mctx, "and the length once done",
		chromedp.Poll(fmt.Sprintf(`(() => { const b = document.querySelector(%q); return !!b && b.textContent.trim() === '0:12' })()`, sel), nil,
			chromedp.WithPollingTimeout(90*time.Second)),
	)

	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			var got []any
			run(t, ctx, "the share viewer plays the proxy",
				chromedp.Navigate(srv.URL+"/s/"+share.Key),
				chromedp.WaitReady("#app-ready", chromedp.ByQuery),
				chromedp.WaitVisible(fmt.Sprintf(`.gallery-tile[data-id=%q]`, id), chromedp.ByQuery),
				chromedp.Click(fmt.Sprintf(`.gallery-tile[data-id=%q]`, id), chromedp.ByQuery),
				chromedp.WaitVisible("#share-viewer-player", chromedp.ByQuery),
				chromedp.Evaluate(play("#share-viewer-player"), &got, awaitPromise),
			)
			check(t, "share viewer", got)
			if n := visEval[int](t, ctx, `document.querySelectorAll('.share-download').length`); n != 0 {
				t.Errorf("a view-only link offers %d downloads", n)
			}
			testkit.Screenshot(t, ctx, "video-share-viewer-"+size.name)

			rctx := testkit.Browser(t, size.w, size.h)
			got = nil
			run(t, rctx, "the review page plays the proxy",
				chromedp.Navigate(srv.URL+"/r/"+rl.Key),
				chromedp.WaitVisible("#reviewer-name", chromedp.ByQuery),
				chromedp.SendKeys("#reviewer-name", "Mia Chen", chromedp.ByQuery),
				chromedp.Click("#reviewer-name-submit", chromedp.ByQuery),
				chromedp.WaitVisible(fmt.Sprintf(`.review-item[data-id=%q]`, id), chromedp.ByQuery),
				chromedp.Click(fmt.Sprintf(`.review-item[data-id=%q]`, id), chromedp.ByQuery),
				chromedp.WaitVisible("#review-media", chromedp.ByQuery),
				chromedp.Evaluate(play("#review-media"), &got, awaitPromise),
			)
			check(t, "review page", got)
			testkit.Screenshot(t, rctx, "video-review-"+size.name)
		})
	}
}
