package uploads_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/ffclip"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// countingFFmpeg is a script that runs the real ffmpeg and appends a line
// to the file it returns for each run that makes a watermarked proxy (its
// output is named "…-wm-…").
func countingFFmpeg(t *testing.T) (path, runs string) {
	t.Helper()
	real, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, runs = filepath.Join(dir, "ffmpeg"), filepath.Join(dir, "runs")
	script := fmt.Sprintf("#!/bin/sh\ncase \"$*\" in *-wm-*) echo run >> %q;; esac\nexec %q \"$@\"\n", runs, real)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, runs
}

func countRuns(runs string) int {
	b, _ := os.ReadFile(runs)
	return bytes.Count(b, []byte("run\n"))
}

// decodeFrame decodes the frame shown at 1 s of an MP4.
func decodeFrame(t *testing.T, mp4 []byte) *image.RGBA {
	t.Helper()
	in := filepath.Join(t.TempDir(), "in.mp4")
	if err := os.WriteFile(in, mp4, 0o600); err != nil {
		t.Fatal(err)
	}
	return ffclip.FrameAt(t, in)
}

// markArea is where watermark w covers a width×height frame.
func markArea(w media.Watermark, width, height int) image.Rectangle {
	ov := w.Overlay(width, height)
	var area image.Rectangle
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			if ov.NRGBAAt(x, y).A > 100 {
				area = area.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return area
}

// TestWatermarkedVideo: a link that shows the watermark plays its video
// with the site watermark burned in, made once however many visitors ask
// at once, and never lets the clean proxy out.
func TestWatermarkedVideo(t *testing.T) {
	ffclip.Need(t)
	ffmpeg, runs := countingFFmpeg(t)
	srv := testkit.Start(t, func(c *config.Config) { c.Media.FFmpeg = ffmpeg; c.Media.VideoWorkers = 2 })
	c := srv.Admin(t)
	p := newProject(t, c, "Marked")
	id := c.Upload(p.RootAssetID, "cut.mp4", ffclip.Bytes(t, "cut.mp4", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3", "-f", "lavfi", "-i",
		"sine=frequency=440:duration=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"), "filetype", "video/mp4")
	if a := waitMedia(t, c, id, settled); a.TranscodeStatus != "ready" || strings.Join(a.Renditions, ",") != "video_720" {
		t.Fatalf("transcode: %+v", a)
	}
	clean := body(c.Do("GET", "/api/v2/assets/"+id+"/proxies/video_720", nil, nil))

	var view model.ShareLink
	if res := c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview", Watermark: true}, &view); res.StatusCode != 201 {
		t.Fatalf("view-only watermarked link: %d %s", res.StatusCode, body(res))
	}
	v := srv.Client(t)
	play := "/api/v2/public/links/" + view.Key + "/assets/" + id + "/video_720"

	// No watermark set in Settings yet: the video does not play at all
	// rather than clean.
	var pub model.PublicShare
	v.Do("GET", "/api/v2/public/links/"+view.Key, nil, &pub)
	if len(pub.Items) != 1 || pub.Items[0].PlayURL != "" {
		t.Fatalf("watermarked link without a site watermark offers a player: %+v", pub)
	}
	if res := v.Do("GET", play, nil, nil); res.StatusCode != 403 {
		t.Fatalf("clean proxy through a watermarked link without a site watermark: %d %s", res.StatusCode, body(res))
	}

	wm := media.Watermark{Text: "NORDLICHT", Position: "top-left", Opacity: 0.8, Scale: 0.5}
	if res := c.Do("PUT", "/api/v2/settings/watermark", wm, nil); res.StatusCode != 200 {
		t.Fatalf("set watermark: %d %s", res.StatusCode, body(res))
	}

	// Ten visitors arrive at once: each is told it is being made, none
	// gets the clean proxy, and ffmpeg marks it once.
	var wg sync.WaitGroup
	answers := make([]string, 10)
	for i := range answers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := http.Get(srv.URL + play)
			if err != nil {
				answers[i] = err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			var e model.ErrorBody
			json.Unmarshal(b, &e)
			if bytes.Equal(b, clean) {
				answers[i] = "the clean proxy"
			} else if res.StatusCode == 503 && res.Header.Get("Retry-After") != "" && len(e.Errors) == 1 && e.Errors[0].Code == "processing" {
				answers[i] = "processing"
			} else {
				answers[i] = fmt.Sprintf("%d %s %q", res.StatusCode, res.Header.Get("Retry-After"), b[:min(len(b), 200)])
			}
		}(i)
	}
	wg.Wait()
	for i, a := range answers {
		if a != "processing" {
			t.Errorf("first request %d: %s, want 503 processing with Retry-After", i, a)
		}
	}
	res, marked := waitMarked(t, v, play)
	if ct := res.Header.Get("Content-Type"); ct != "video/mp4" {
		t.Errorf("marked proxy type %q", ct)
	}
	time.Sleep(500 * time.Millisecond) // sleep: nothing must start: a second job would have started by now
	if n := countRuns(runs); n != 1 {
		t.Errorf("ffmpeg marked the proxy %d times for 10 concurrent requests, want 1", n)
	}
	if bytes.Equal(marked, clean) {
		t.Fatal("the watermarked link plays the clean proxy")
	}
	// The mark is where Settings puts it, and the rest is the clean picture.
	area := markArea(wm, 640, 360)
	mf, cf := decodeFrame(t, marked), decodeFrame(t, clean)
	far := image.Rect(400, 220, 640, 360)
	if area.Empty() || area.Overlaps(far) {
		t.Fatalf("mark area %v", area)
	}
	if in, out := ffclip.MeanDiff(mf, cf, area), ffclip.MeanDiff(mf, cf, far); in < 25 || out > 6 {
		t.Errorf("marked frame differs by %.1f levels in the mark's area %v (want ≥ 25), by %.1f elsewhere (want ≤ 6)", in, area, out)
	}

	// It plays on the view-only link: the page offers it, Range works,
	// downloading it does not.
	pub = model.PublicShare{}
	v.Do("GET", "/api/v2/public/links/"+view.Key, nil, &pub)
	if len(pub.Items) != 1 || pub.Items[0].PlayURL != play || len(pub.Items[0].Downloads) != 0 {
		t.Errorf("view-only watermarked link: %+v", pub)
	}
	req, _ := http.NewRequest("GET", srv.URL+play, nil)
	req.Header.Set("Range", "bytes=100-199")
	part := v.Send(req, nil)
	if pb := body(part); part.StatusCode != 206 || !bytes.Equal(pb, marked[100:200]) ||
		part.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(marked)) {
		t.Errorf("range of the marked proxy: %d %s, %d bytes", part.StatusCode, part.Header.Get("Content-Range"), len(pb))
	}
	if res := v.Do("GET", play+"?download=1", nil, nil); res.StatusCode != 403 {
		t.Errorf("download from a view-only link: %d", res.StatusCode)
	}
	if n := countRuns(runs); n != 1 {
		t.Errorf("serving the marked proxy ran ffmpeg again: %d runs", n)
	}

	// A download link that shows the watermark offers and zips the marked
	// proxy, the same file, and never the clean one.
	var dl model.ShareLink
	c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "download", AllowOriginal: model.Ptr(false), AllowProxies: []string{"preview", "video"}, Watermark: true}, &dl)
	pub = model.PublicShare{}
	v.Do("GET", "/api/v2/public/links/"+dl.Key, nil, &pub)
	var kinds []string
	for _, d := range pub.Items[0].Downloads {
		kinds = append(kinds, d.Kind)
		if d.Kind == "video_720" {
			if b := body(v.Do("GET", d.URL, nil, nil)); !bytes.Equal(b, marked) {
				t.Errorf("downloaded video_720 is not the marked proxy (%d bytes)", len(b))
			}
		}
	}
	if strings.Join(kinds, ",") != "preview,video_720" {
		t.Errorf("downloads of the watermarked link: %v", kinds)
	}
	zb := body(v.Do("GET", "/api/v2/public/links/"+dl.Key+"/zip", nil, nil))
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "cut (video_720).mp4" {
		t.Fatalf("zip of the watermarked link: %v %d bytes", err, len(zb))
	}
	rc, _ := zr.File[0].Open()
	zbytes, _ := io.ReadAll(rc)
	if !bytes.Equal(zbytes, marked) {
		t.Errorf("the ZIP holds %d bytes that are not the marked proxy (clean: %v)", len(zbytes), bytes.Equal(zbytes, clean))
	}

	// New settings make a new marked proxy; the old one is swept.
	wm.Position = "bottom-right"
	c.Do("PUT", "/api/v2/settings/watermark", wm, nil)
	if res := v.Do("GET", play, nil, nil); res.StatusCode != 503 {
		t.Errorf("after changing the watermark: %d, want 503 while the new one is made", res.StatusCode)
	}
	// The ZIP waits for it too, rather than leaving the video out or
	// putting the old mark in.
	if res := v.Do("GET", "/api/v2/public/links/"+dl.Key+"/zip", nil, nil); res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
		t.Errorf("zip while the new marked proxy is made: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	_, remarked := waitMarked(t, v, play)
	if bytes.Equal(remarked, marked) || bytes.Equal(remarked, clean) || countRuns(runs) != 2 {
		t.Errorf("after changing the watermark: same as before %v, clean %v, %d runs", bytes.Equal(remarked, marked), bytes.Equal(remarked, clean), countRuns(runs))
	}
	dir := filepath.Join(srv.DataDir, "proxies", id[:2], id)
	if files, _ := filepath.Glob(filepath.Join(dir, "video_720-wm-*.mp4")); len(files) != 1 {
		t.Errorf("marked proxies kept: %v, want the current one", files)
	}

	// Deleting the asset removes its marked proxies with it.
	if res := c.Do("DELETE", "/api/v2/assets/"+id, nil, nil); res.StatusCode != 200 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s remains after the delete", dir)
	}
}

// TestWatermarkedVideoResumes stops the server while a marked proxy is
// being made: the job is kept in the queue and the next start makes it
// without another request.
func TestWatermarkedVideoResumes(t *testing.T) {
	ffclip.Need(t)
	dir := t.TempDir()
	srv := testkit.StartIn(t, dir)
	c := srv.Admin(t)
	p := newProject(t, c, "Marked restart")
	id := c.Upload(p.RootAssetID, "long.mp4", longClip(t), "filetype", "video/mp4")
	if a := waitMedia(t, c, id, settled); a.TranscodeStatus != "ready" {
		t.Fatalf("transcode: %+v", a)
	}
	c.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "NORDLICHT", Position: "center"}, nil)
	var view model.ShareLink
	c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview", Watermark: true}, &view)
	play := "/api/v2/public/links/" + view.Key + "/assets/" + id + "/video_720"
	if res := srv.Client(t).Do("GET", play, nil, nil); res.StatusCode != 503 {
		t.Fatalf("first request: %d, want 503", res.StatusCode)
	}
	srv.Stop()
	marked := filepath.Join(dir, "proxies", id[:2], id, "video_720-wm-*.mp4")
	if files, _ := filepath.Glob(marked); len(files) > 0 {
		t.Fatalf("the marked proxy was made before the server stopped; the test could not interrupt it: %v", files)
	}
	srv = testkit.StartIn(t, dir)
	poll.Until(t, 60*time.Second, func() error {
		if files, _ := filepath.Glob(marked); len(files) != 1 {
			return fmt.Errorf("the marked proxy was not made after the restart: %v", files)
		}
		return nil
	})
	if res := srv.Client(t).Do("GET", play, nil, nil); res.StatusCode != 200 || res.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("after the restart: %d", res.StatusCode)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "proxies", id[:2], id, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWatermarkedLinkPlaysAudio: audio has no picture to mark, so a link
// that shows the watermark plays the audio proxy as it is (with or without
// a site watermark set), but never hands it out as a download, alone or
// in the ZIP; a video beside it still plays only marked.
func TestWatermarkedLinkPlaysAudio(t *testing.T) {
	ffclip.Need(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Voice-over")
	id := c.Upload(p.RootAssetID, "vo.wav", ffclip.Bytes(t, "vo.wav", slices.Concat(testTone, []string{"-ac", "2"})...), "filetype", "audio/wav")
	if a := waitMedia(t, c, id, settled); a.TranscodeStatus != "ready" || strings.Join(a.Renditions, ",") != "audio" {
		t.Fatalf("transcode: %+v", a)
	}
	clean := body(c.Do("GET", "/api/v2/assets/"+id+"/proxies/audio", nil, nil))
	v := srv.Client(t)
	check := func(when string) {
		var view, dl model.ShareLink
		c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview", Watermark: true}, &view)
		c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "download", AllowOriginal: model.Ptr(false), AllowProxies: []string{"audio", "video"}, Watermark: true}, &dl)
		for _, key := range []string{view.Key, dl.Key} {
			var pub model.PublicShare
			v.Do("GET", "/api/v2/public/links/"+key, nil, &pub)
			play := "/api/v2/public/links/" + key + "/assets/" + id + "/audio"
			if len(pub.Items) != 1 || pub.Items[0].PlayURL != play || len(pub.Items[0].Downloads) != 0 || pub.ZipURL != "" {
				t.Errorf("%s: watermarked link %s: %+v", when, key, pub)
			}
			res := v.Do("GET", play, nil, nil)
			if b := body(res); res.StatusCode != 200 || res.Header.Get("Content-Type") != "audio/mp4" || !bytes.Equal(b, clean) {
				t.Errorf("%s: playing the audio: %d %s, %d bytes", when, res.StatusCode, res.Header.Get("Content-Type"), len(b))
			}
			if res := v.Do("GET", play+"?download=1", nil, nil); res.StatusCode != 403 {
				t.Errorf("%s: downloading the audio from a watermarked link: %d", when, res.StatusCode)
			}
		}
		if res := v.Do("GET", "/api/v2/public/links/"+dl.Key+"/zip", nil, nil); res.StatusCode < 400 {
			t.Errorf("%s: the ZIP of a link whose only file is audio: %d", when, res.StatusCode)
		}
	}
	check("no site watermark")
	c.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "NORDLICHT", Position: "center"}, nil)
	check("with the site watermark")
}

// waitMarked polls a link's video rendition path, which answers 503 while
// its watermarked proxy is made, until it answers 200, and returns that
// answer and its body.
func waitMarked(t *testing.T, v *testkit.Client, path string) (*http.Response, []byte) {
	t.Helper()
	var res *http.Response
	poll.Until(t, 60*time.Second, func() error {
		if res = v.Do("GET", path, nil, nil); res.StatusCode == 200 {
			return nil
		}
		if res.StatusCode != 503 {
			t.Fatalf("waiting for the marked proxy: %d %s", res.StatusCode, body(res))
		}
		return fmt.Errorf("the marked proxy is still being made")
	})
	return res, body(res)
}
