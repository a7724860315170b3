package e2e

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/ffclip"
)

// ffmpegClip makes a file with ffmpeg (skipping the test without it) and
// returns its bytes.
func ffmpegClip(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	ffclip.Need(t)
	return ffclip.Bytes(t, name, args...)
}

// proresClip is a ProRes MOV with sound: a file no browser plays.
func proresClip(t *testing.T) []byte {
	return ffmpegClip(t, "cut.mov",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
		"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest")
}

// TestVideoPlaysForViewers: a ProRes original no browser can play is
// watched through its H.264 proxy, poster first, on a view-only share link
// and on a review link without downloads, at desktop and phone width.
func TestVideoPlaysForViewers(t *testing.T) {
	clip := proresClip(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Harbour film"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	id := c.Upload(p.RootAssetID, "cut.mov", clip, "filetype", "video/quicktime")
	if a := c.WaitAsset(t, id, 90*time.Second, testkit.TranscodeSettled); a.TranscodeStatus != "ready" || a.ProxyStatus != "ready" {
		t.Fatalf("processing: %+v", a)
	}
	share := visCreateLink(t, c, model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview", Name: "Harbour cut"})
	var rl model.ReviewLink
	c.Do("POST", "/api/v2/projects/"+p.ID+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut review"), EnableDownloading: model.Ptr(false)}, &rl)
	c.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{id}}, nil)

	// A player plays the proxy once it has played for a second: it has
	// frames (readyState 2 or more), its time moved, it shows a poster
	// first, and its source is the proxy. Tried again until the step's
	// deadline: the player may still be loading on a busy machine.
	type player struct {
		State  float64 `json:"state"`
		At     float64 `json:"at"`
		Poster bool    `json:"poster"`
		Src    string  `json:"src"`
	}
	plays := func(p player) bool {
		return p.State >= 2 && p.At >= 0.3 && p.Poster && strings.Contains(p.Src, "/"+id+"/") && strings.HasSuffix(p.Src, "/video_720")
	}
	play := func(sel string, out *player) chromedp.Action {
		return evalUntil(sel+" plays the proxy", fmt.Sprintf(`(async () => { const v = document.querySelector(%q);
			if (!v) return {state: 0, at: 0, poster: false, src: ''};
			v.muted = true; await v.play();
			await new Promise(r => setTimeout(r, 1200)); v.pause();
			return {state: v.readyState, at: v.currentTime, poster: !!v.poster, src: v.currentSrc}; })()`, sel), out, plays)
	}

	// A member's asset page plays the proxy too, and the grid shows the length.
	mctx := testkit.Browser(t, 1280, 800)
	login(t, mctx, srv, "")
	var got player
	run(t, mctx, "the asset page plays the proxy",
		chromedp.Navigate(srv.URL+"/assets/"+id),
		visible("#asset-player"),
		play("#asset-player", &got),
	)
	testkit.Screenshot(t, mctx, "video-asset-page")
	run(t, mctx, "the grid shows the length",
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		waitPageReady(),
		waitFor(fmt.Sprintf(`(() => { const b = document.querySelector(%q); return !!b && b.textContent.trim() === '0:04' })()`,
			fmt.Sprintf(`.tile[data-id=%q] .thumb-badge`, id))),
	)
	testkit.Screenshot(t, mctx, "video-grid")
	// Moving the pointer across its tile skims its frames.
	strip := fmt.Sprintf(`.tile[data-id=%q] .thumb-sprite`, id)
	run(t, mctx, "the tile skims the video's frames", scrubTo(strip, 0.95, 9))
	testkit.Screenshot(t, mctx, "video-grid-scrub-end")
	run(t, mctx, "back to its start", scrubTo(strip, 0.02, 0))

	// A longer clip being transcoded shows its progress on its page and in the grid.
	longBytes := ffmpegClip(t, "long.mp4", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=12", "-c:v", "mpeg2video", "-q:v", "8")
	longID := c.Upload(p.RootAssetID, "long.mp4", longBytes, "filetype", "video/mp4")
	run(t, mctx, "the asset page shows the transcode's progress",
		chromedp.Navigate(srv.URL+"/assets/"+longID),
		waitFor(`(() => { const b = document.querySelector('#processing'); return !!b && /^Processing [1-9][0-9]? %$/.test(b.textContent) })()`),
	)
	testkit.Screenshot(t, mctx, "video-asset-processing")
	sel := fmt.Sprintf(`.tile[data-id=%q] .thumb-badge`, longID)
	run(t, mctx, "the grid shows the transcode's progress",
		chromedp.Navigate(srv.URL+"/projects/"+p.ID),
		waitFor(fmt.Sprintf(`(() => { const b = document.querySelector(%q); return !!b && /Processing [1-9][0-9]? %%/.test(b.textContent) })()`, sel)),
	)
	testkit.Screenshot(t, mctx, "video-grid-processing")
	runFor(t, mctx, 90*time.Second, "and the length once done",
		waitFor(fmt.Sprintf(`(() => { const b = document.querySelector(%q); return !!b && b.textContent.trim() === '0:12' })()`, sel)),
	)

	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		var got player
		tile := fmt.Sprintf(`.gallery-tile[data-id=%q]`, id)
		run(t, ctx, "the gallery tile skims the video",
			chromedp.Navigate(srv.URL+"/s/"+share.Key),
			waitAttr(".pub", "data-state", "ready"),
			scrubTo(tile+" .thumb-sprite", 0.55, 5),
		)
		testkit.Screenshot(t, ctx, "video-share-scrub-"+size.name)
		run(t, ctx, "the share viewer plays the proxy",
			click(tile),
			visible("#share-viewer-player"),
			play("#share-viewer-player", &got),
		)
		var downloads int
		run(t, ctx, "the viewer offers no downloads",
			evalUntil("downloads in the viewer", `document.querySelectorAll('.share-download').length`, &downloads,
				func(n int) bool { return n == 0 }),
		)
		testkit.Screenshot(t, ctx, "video-share-viewer-"+size.name)

		rctx := testkit.Browser(t, size.w, size.h)
		item := fmt.Sprintf(`.review-item[data-id=%q]`, id)
		run(t, rctx, "the review page plays the proxy",
			chromedp.Navigate(srv.URL+"/r/"+rl.Key),
			visible("#reviewer-name"),
			setValue("#reviewer-name", "Mia Chen"),
			click("#reviewer-name-submit"),
			click(item),
			visible("#review-media"),
			play("#review-media", &got),
		)
		testkit.Screenshot(t, rctx, "video-review-"+size.name)
	})
}

// TestWatermarkedVideoPlays: a view-only link that shows the watermark
// plays its video, marked, poster (marked too) first; the player waits
// while the marked proxy is made and then plays it without a reload.
func TestWatermarkedVideoPlays(t *testing.T) {
	clip := proresClip(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p model.Project
	c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Marked film"}, &p)
	id := c.Upload(p.RootAssetID, "cut.mov", clip, "filetype", "video/quicktime")
	if a := c.WaitAsset(t, id, 90*time.Second, testkit.TranscodeSettled); a.TranscodeStatus != "ready" {
		t.Fatalf("the proxy was not made: %+v", a)
	}
	if res := c.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "NORDLICHT", Position: "bottom-right", Opacity: 0.7}, nil); res.StatusCode != 200 {
		t.Fatalf("set watermark: %d", res.StatusCode)
	}
	share := visCreateLink(t, c, model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview", Watermark: true, Name: "Marked cut"})

	type player struct {
		State  float64 `json:"state"`
		At     float64 `json:"at"`
		Poster string  `json:"poster"`
		Src    string  `json:"src"`
	}
	var got player
	ctx := testkit.Browser(t, 1280, 800)
	runFor(t, ctx, 90*time.Second, "the share viewer plays the marked proxy",
		chromedp.Navigate(srv.URL+"/s/"+share.Key),
		waitAttr(".pub", "data-state", "ready"),
		click(fmt.Sprintf(`.gallery-tile[data-id=%q]`, id)),
		visible("#share-viewer-player"),
		evalUntil("the player plays", `(async () => { const v = document.querySelector('#share-viewer-player');
			if (!v || v.readyState < 1) return {state: v ? v.readyState : 0, at: 0, poster: v ? v.poster : '', src: v ? v.currentSrc : ''};
			v.muted = true; await v.play();
			await new Promise(r => setTimeout(r, 1200)); v.pause();
			return {state: v.readyState, at: v.currentTime, poster: v.poster, src: v.currentSrc}; })()`, &got,
			func(p player) bool {
				return p.State >= 2 && p.At >= 0.3 && strings.HasSuffix(p.Poster, "/"+id+"/preview") && strings.HasSuffix(p.Src, "/"+id+"/video_720")
			}),
	)
	testkit.Screenshot(t, ctx, "video-share-viewer-watermarked")
	// What played is the marked proxy, not the clean one.
	v := srv.Client(t)
	marked := v.Do("GET", "/api/v2/public/links/"+share.Key+"/assets/"+id+"/video_720", nil, nil)
	clean := c.Do("GET", "/api/v2/assets/"+id+"/proxies/video_720", nil, nil)
	mb, _ := io.ReadAll(marked.Body)
	cb, _ := io.ReadAll(clean.Body)
	if marked.StatusCode != 200 || len(mb) == 0 || bytes.Equal(mb, cb) || marked.Header.Get("ETag") == clean.Header.Get("ETag") {
		t.Errorf("the link's video_720: %d, ETag %s (clean %s)", marked.StatusCode, marked.Header.Get("ETag"), clean.Header.Get("ETag"))
	}
}
