package uploads_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/ffclip"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// waitMedia polls asset id until until holds or three minutes pass (a loaded CI machine).
func waitMedia(t *testing.T, c *testkit.Client, id string, until func(model.Asset) bool) model.Asset {
	t.Helper()
	return c.WaitAsset(t, id, 3*time.Minute, until)
}

func settled(a model.Asset) bool {
	return a.TranscodeStatus == "ready" || a.TranscodeStatus == "failed" || a.ProxyStatus == "failed" || a.ProxyStatus == "unavailable"
}

// probeDuration is ffprobe's duration of b, in seconds.
func probeDuration(t *testing.T, b []byte) float64 {
	t.Helper()
	f := filepath.Join(t.TempDir(), "probe")
	os.WriteFile(f, b, 0o600)
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", f).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var d float64
	fmt.Sscan(strings.TrimSpace(string(out)), &d)
	return d
}

var (
	testVideo = ffclip.Pattern("320x240", "25", 2)
	testTone  = ffclip.Tone(2)
)

// TestVideoUploads uploads an H.264 MP4, a ProRes MOV, a phone clip turned
// 90°, a video without audio and a WAV, and checks what the API says of
// each, their posters, and their playable proxies.
func TestVideoUploads(t *testing.T) {
	ffclip.Need(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Footage")
	h264 := ffclip.Bytes(t, "h264.mp4", slices.Concat(testVideo, testTone, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	phoneSrc := filepath.Join(t.TempDir(), "src.mp4")
	os.WriteFile(phoneSrc, h264, 0o600)
	cases := []struct {
		name, filetype string
		data           []byte
		w, h           int
		fps            float64
		audio          string
		play           string
		thumbW, thumbH int
	}{
		{"h264.mp4", "video/mp4", h264, 320, 240, 25, "aac", "video_720", 320, 240},
		{"prores.mov", "video/quicktime", ffclip.Bytes(t, "prores.mov", slices.Concat(testVideo, testTone, []string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"})...),
			320, 240, 25, "pcm_s16le", "video_720", 320, 240},
		{"phone.mp4", "video/mp4", ffclip.Bytes(t, "phone.mp4", "-i", phoneSrc, "-c", "copy", "-metadata:s:v:0", "rotate=90"), 240, 320, 25, "aac", "video_720", 240, 320},
		{"silent.mkv", "video/x-matroska", ffclip.Bytes(t, "silent.mkv", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30000/1001:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p"),
			640, 360, 29.97, "", "video_720", 320, 180},
		{"tone.wav", "audio/wav", ffclip.Bytes(t, "tone.wav", slices.Concat(testTone, []string{"-ac", "2"})...), 0, 0, 0, "pcm_s16le", "audio", 0, 0},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		ids[tc.name] = c.Upload(p.RootAssetID, tc.name, tc.data, "filetype", tc.filetype)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := ids[tc.name]
			a := waitMedia(t, c, id, settled)
			if a.TranscodeStatus != "ready" || a.TranscodeProgress != 100 {
				t.Fatalf("transcode %s (%s), progress %d; proxy %s (%s)", a.TranscodeStatus, a.TranscodeError, a.TranscodeProgress, a.ProxyStatus, a.ProxyError)
			}
			if math.Abs(a.Duration-2) > 0.05 || math.Abs(a.FPS-tc.fps) > 0.01 || a.Properties == nil || a.Properties.Width != tc.w || a.Properties.Height != tc.h ||
				a.Properties.AudioCodec != tc.audio {
				t.Errorf("facts: %+v", a)
			}
			if tc.fps > 0 && (a.Frames < 59 && tc.fps > 29 || a.Frames < 49) {
				t.Errorf("frames %d", a.Frames)
			}
			if strings.Join(a.Renditions, ",") != tc.play {
				t.Errorf("renditions %v, want %s", a.Renditions, tc.play)
			}
			thumb := c.Do("GET", "/api/v2/assets/"+id+"/proxies/thumb", nil, nil)
			sprite := c.Do("GET", "/api/v2/assets/"+id+"/proxies/sprite", nil, nil)
			if tc.thumbW == 0 {
				if thumb.StatusCode != 404 || a.ProxyStatus != "none" || sprite.StatusCode != 404 || a.SpriteFrames != 0 {
					t.Errorf("audio has a thumb (%d) or a sprite (%d), proxy_status %s", thumb.StatusCode, sprite.StatusCode, a.ProxyStatus)
				}
			} else {
				// The strip of frames for scrubbing in grids.
				sc, err := jpeg.DecodeConfig(sprite.Body)
				if sprite.StatusCode != 200 || err != nil || a.SpriteFrames != 10 || sc.Width != 10*160 || sc.Height != 90 {
					t.Errorf("sprite %d: %d×%d (%v), %d frames", sprite.StatusCode, sc.Width, sc.Height, err, a.SpriteFrames)
				}
				cfg, err := jpeg.DecodeConfig(thumb.Body)
				if thumb.StatusCode != 200 || err != nil || cfg.Width != tc.thumbW || cfg.Height != tc.thumbH {
					t.Errorf("poster thumb %d: %d×%d (%v), want %d×%d", thumb.StatusCode, cfg.Width, cfg.Height, err, tc.thumbW, tc.thumbH)
				}
			}
			// The proxy streams with Range and an ETag, and lasts as long
			// as the original within a frame.
			url := "/api/v2/assets/" + id + "/proxies/" + tc.play
			whole := c.Do("GET", url, nil, nil)
			b, _ := io.ReadAll(whole.Body)
			wantType := map[string]string{"video_720": "video/mp4", "audio": "audio/mp4"}[tc.play]
			if whole.StatusCode != 200 || whole.Header.Get("Content-Type") != wantType || whole.Header.Get("ETag") == "" {
				t.Fatalf("proxy: %d %s", whole.StatusCode, whole.Header.Get("Content-Type"))
			}
			req, _ := http.NewRequest("GET", c.Base+url, nil)
			req.Header.Set("Range", "bytes=0-99")
			part := c.Send(req, nil)
			pb, _ := io.ReadAll(part.Body)
			if part.StatusCode != 206 || !bytes.Equal(pb, b[:100]) {
				t.Errorf("range: %d, %d bytes", part.StatusCode, len(pb))
			}
			frame := 1 / 25.0
			if tc.fps > 0 {
				frame = 1 / tc.fps
			}
			if d := probeDuration(t, b); math.Abs(d-a.Duration) > frame {
				t.Errorf("proxy lasts %.3f s, the original %.3f s", d, a.Duration)
			}
		})
	}
}

// TestVideoPlaysOnViewOnlyLinks: a previews-only share link and a review
// link without downloads play the proxy (watching is viewing) but cannot
// download it or the original; a link allowing the "video" group downloads it.
func TestVideoPlaysOnViewOnlyLinks(t *testing.T) {
	ffclip.Need(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Cuts")
	id := c.Upload(p.RootAssetID, "cut.mov", ffclip.Bytes(t, "cut.mov", slices.Concat(testVideo, testTone, []string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"})...), "filetype", "video/quicktime")
	waitMedia(t, c, id, settled)

	var view, dl model.ShareLink
	if res := c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "preview"}, &view); res.StatusCode != 201 {
		t.Fatalf("view-only link: %d %s", res.StatusCode, body(res))
	}
	if res := c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "download", AllowOriginal: model.Ptr(false), AllowProxies: []string{"video"}}, &dl); res.StatusCode != 201 {
		t.Fatalf("download link: %d %s", res.StatusCode, body(res))
	}
	v := srv.Client(t)
	var pub model.PublicShare
	v.Do("GET", "/api/v2/public/links/"+view.Key, nil, &pub)
	if len(pub.Items) != 1 || pub.Items[0].PlayURL == "" || pub.Items[0].MediaKind != "video" || len(pub.Items[0].Downloads) != 0 ||
		pub.Items[0].SpriteURL == "" {
		t.Fatalf("view-only link: %+v", pub)
	}
	base := "/api/v2/public/links/" + view.Key + "/assets/" + id + "/"
	for _, tc := range []struct {
		path string
		want int
	}{
		{pub.Items[0].PlayURL, 200}, {base + "thumb", 200}, {pub.Items[0].SpriteURL, 200},
		{base + "video_720?download=1", 403}, {base + "original", 403}, {base + "video_1080", 404}, {base + "video_..%2Fx", 404},
	} {
		if res := v.Do("GET", tc.path, nil, nil); res.StatusCode != tc.want {
			t.Errorf("view-only link, %s: %d, want %d", tc.path, res.StatusCode, tc.want)
		}
	}
	pub.Items = nil
	v.Do("GET", "/api/v2/public/links/"+dl.Key, nil, &pub)
	if len(pub.Items) != 1 || len(pub.Items[0].Downloads) != 1 || pub.Items[0].Downloads[0].Kind != "video_720" {
		t.Fatalf("download link: %+v", pub)
	}
	proxyRes := v.Do("GET", pub.Items[0].Downloads[0].URL, nil, nil)
	proxyBytes := body(proxyRes)
	if proxyRes.StatusCode != 200 || !strings.Contains(proxyRes.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("video download: %d %s", proxyRes.StatusCode, proxyRes.Header.Get("Content-Disposition"))
	}
	// "Download all" holds the proxy, not the original the link withholds.
	zres := v.Do("GET", "/api/v2/public/links/"+dl.Key+"/zip", nil, nil)
	zb := body(zres)
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatalf("zip: %d %v", zres.StatusCode, err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "cut (video_720).mp4" || zr.File[0].UncompressedSize64 != uint64(len(proxyBytes)) {
		for _, f := range zr.File {
			t.Errorf("zip entry %s (%d bytes)", f.Name, f.UncompressedSize64)
		}
		t.Fatalf("zip of the download link: %d entries, want the proxy of %d bytes", len(zr.File), len(proxyBytes))
	}

	// A link that shows the watermark plays only a marked proxy (see
	// TestWatermarkedVideo); its poster is marked too.
	if res := c.Do("PUT", "/api/v2/settings/watermark", model.WatermarkSettings{Text: "NORDLICHT", Position: "center", Opacity: 0.6}, nil); res.StatusCode != 200 {
		t.Fatalf("set watermark: %d %s", res.StatusCode, body(res))
	}
	var wm model.ShareLink
	c.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{id}, AllowedActions: "download", AllowOriginal: model.Ptr(false), AllowProxies: []string{"preview", "video"}, Watermark: true}, &wm)
	wbase := "/api/v2/public/links/" + wm.Key + "/assets/" + id + "/"
	plain := body(c.Do("GET", "/api/v2/assets/"+id+"/proxies/preview", nil, nil))
	if marked := body(v.Do("GET", wbase+"preview", nil, nil)); len(marked) == 0 || bytes.Equal(marked, plain) {
		t.Error("the watermarked link's poster is the clean one")
	}
	if res := v.Do("GET", wbase+"video_720", nil, nil); bytes.Equal(body(res), proxyBytes) {
		t.Error("the watermarked link let the clean proxy out")
	}
	// Its frame strip would show clean frames: there is none.
	pub.Items = nil
	v.Do("GET", "/api/v2/public/links/"+wm.Key, nil, &pub)
	if res := v.Do("GET", wbase+"sprite", nil, nil); res.StatusCode != 404 || len(pub.Items) != 1 || pub.Items[0].SpriteURL != "" {
		t.Errorf("the watermarked link's sprite: %d, sprite_url %q", res.StatusCode, pub.Items[0].SpriteURL)
	}

	// A review link without downloads plays the proxy instead of the original.
	var rl model.ReviewLink
	c.Do("POST", "/api/v2/projects/"+p.ID+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut review"), EnableDownloading: model.Ptr(false)}, &rl)
	c.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{id}}, nil)
	r := srv.Client(t)
	var rv model.PublicReview
	r.Do("GET", "/api/v2/public/links/"+rl.Key, nil, &rv)
	if len(rv.Items) != 1 || !strings.HasSuffix(rv.Items[0].MediaURL, "/video_720") || rv.Items[0].Kind != "video" || rv.Items[0].FPS != 25 {
		t.Fatalf("review item: %+v", rv)
	}
	if res := r.Do("GET", rv.Items[0].MediaURL, nil, nil); res.StatusCode != 200 || res.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("review proxy: %d", res.StatusCode)
	}
	if res := r.Do("GET", rv.Items[0].MediaURL+"?download=1", nil, nil); res.StatusCode != 403 {
		t.Errorf("review proxy download without downloading: %d", res.StatusCode)
	}
}

// TestVideoRefusesPlaylistsAndBadInput: playlists pointing at a local
// HTTP server or at /etc/passwd make no request and leak no byte; broken
// files fail with a reason; a photo uploaded beside them is unaffected.
func TestVideoRefusesPlaylistsAndBadInput(t *testing.T) {
	ffclip.Need(t)
	// The peak below is this test's: earlier tests of the package ran in
	// this process too, so return their memory and reset VmHWM (Linux
	// clear_refs 5) before the server starts.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var hits atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			hits.Add(1)
			conn.Write([]byte("HTTP/1.0 200 OK\r\nContent-Type: video/mp2t\r\n\r\nSECRET-BYTES"))
			conn.Close()
		}
	}()
	defer ln.Close()
	secret := "http://" + ln.Addr().String() + "/secret"
	passwd, _ := os.ReadFile("/etc/passwd")

	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Hostile")
	good := ffclip.Bytes(t, "good.mp4", slices.Concat(testVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...)
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(i*7919 + i>>3)
	}
	hls := "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n" + secret + "\n#EXTINF:2,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
	cases := []struct {
		name, filetype, data string
		want                 string
	}{
		{"evil.m3u8", "application/vnd.apple.mpegurl", hls, "failed"},
		{"evil.mp4", "video/mp4", hls, "failed"},
		{"concat.mov", "video/quicktime", "ffconcat version 1.0\nfile '/etc/passwd'\nfile '" + secret + "'\n", "failed"},
		{"truncated.mp4", "video/mp4", string(good[:len(good)/2]), "failed"},
		{"noise.mov", "video/quicktime", string(random), "failed"},
		{"empty.mp4", "video/mp4", "", "failed"},
		{"huge.mkv", "video/x-matroska", string(hugeHeader(t)), "too_large"},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		ids[tc.name] = c.Upload(p.RootAssetID, tc.name, []byte(tc.data), "filetype", tc.filetype)
	}
	photo := c.Upload(p.RootAssetID, "photo.jpg", jpegBytes(t, 300, 200), "filetype", "image/jpeg")
	for _, tc := range cases {
		a := waitMedia(t, c, ids[tc.name], settled)
		if a.ProxyStatus != tc.want || a.ProxyError == "" || a.TranscodeStatus != "failed" {
			t.Errorf("%s: proxy %s (%s), transcode %s", tc.name, a.ProxyStatus, a.ProxyError, a.TranscodeStatus)
		}
		if strings.Contains(a.ProxyError, srv.DataDir) {
			t.Errorf("%s: the reason names a server path: %s", tc.name, a.ProxyError)
		}
		if got := body(download(t, c, ids[tc.name])); string(got) != tc.data {
			t.Errorf("%s: the original changed", tc.name)
		}
		for _, r := range []string{"thumb", "video_720"} {
			if res := c.Do("GET", "/api/v2/assets/"+ids[tc.name]+"/proxies/"+r, nil, nil); res.StatusCode != 404 {
				t.Errorf("%s: %s answered %d", tc.name, r, res.StatusCode)
			}
		}
	}
	t.Logf("reasons: m3u8 %q, truncated %q", waitMedia(t, c, ids["evil.m3u8"], settled).ProxyError, waitMedia(t, c, ids["truncated.mp4"], settled).ProxyError)
	if ph := c.WaitAsset(t, photo, 20*time.Second, testkit.ProxiesSettled); ph.ProxyStatus != model.ProxyReady {
		t.Errorf("the photo beside them: %s", ph.ProxyStatus)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("ffmpeg made %d requests to %s", n, secret)
	}
	// The server (in this process) stayed within its memory budget: the
	// 16k × 16k header was refused from its header, nothing decoded it.
	if hwm := peakRSS(t); !resetPeak {
		t.Logf("peak RSS not checked: /proc/self/clear_refs cannot reset it here (%d MiB over the package's run)", hwm>>20)
	} else if hwm > 150<<20 {
		t.Errorf("the test process peaked at %d MiB of RSS (budget 150 MiB with the test itself)", hwm>>20)
	} else {
		t.Logf("peak RSS of the test process with the server: %d MiB", hwm>>20)
	}
	// No rendition holds a byte of /etc/passwd or of the listener's answer.
	filepath.Walk(filepath.Join(srv.DataDir, "proxies"), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte("SECRET-BYTES")) || len(passwd) > 32 && bytes.Contains(b, passwd[:32]) {
			t.Errorf("%s holds bytes of a file the playlist named", path)
		}
		return nil
	})
}

// peakRSS is this process's peak resident set (VmHWM).
func peakRSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// hugeHeader is a small Matroska file whose header claims 16000×16000
// frames (256 MP): a 256×256 raw video with its size rewritten.
func hugeHeader(t *testing.T) []byte {
	b := ffclip.Bytes(t, "raw.mkv", "-f", "lavfi", "-i", "color=size=256x256:duration=0.2:rate=5", "-c:v", "rawvideo", "-pix_fmt", "gray", "-f", "matroska")
	for _, id := range []byte{0xb0, 0xba} { // PixelWidth, PixelHeight, 2 bytes each
		i := bytes.Index(b, []byte{id, 0x82, 0x01, 0x00})
		if i < 0 {
			t.Fatalf("no 256 px size element %x in the Matroska header", id)
		}
		b[i+2], b[i+3] = 0x3e, 0x80
	}
	return b
}

// ffmpegOf lists the ffmpeg processes working on asset id.
func ffmpegOf(id string) []string {
	var out []string
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err == nil && bytes.Contains(b, []byte("ffmpeg")) && bytes.Contains(b, []byte(id)) {
			out = append(out, d.Name())
		}
	}
	return out
}

// longClip is a clip whose 720p proxy takes a few seconds to make here, so
// a test can act while ffmpeg runs.
func longClip(t *testing.T) []byte {
	return ffclip.Bytes(t, "long.mp4", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=12",
		"-c:v", "mpeg2video", "-q:v", "8")
}

func waitProcessing(t *testing.T, c *testkit.Client, id string) model.Asset {
	t.Helper()
	a := waitMedia(t, c, id, func(a model.Asset) bool {
		return a.TranscodeStatus == "processing" && a.TranscodeProgress > 0 || settled(a)
	})
	if a.TranscodeStatus != "processing" {
		t.Fatalf("the transcode ended before the test could act: %+v", a)
	}
	return a
}

// TestVideoRestartResumes stops the server during a transcode: ffmpeg
// ends with it, and the next start finishes the job, once.
func TestVideoRestartResumes(t *testing.T) {
	ffclip.Need(t)
	dir := t.TempDir()
	srv := testkit.StartIn(t, dir)
	c := srv.Admin(t)
	p := newProject(t, c, "Restart")
	id := c.Upload(p.RootAssetID, "long.mp4", longClip(t), "filetype", "video/mp4")
	before := waitProcessing(t, c, id)
	srv.Stop()
	// The kill is sent as the server stops; the process takes a moment to go.
	if !poll.True(2*time.Second, func() bool { return len(ffmpegOf(id)) == 0 }) {
		t.Fatalf("ffmpeg still runs 2 s after the server stopped: %v", ffmpegOf(id))
	}
	srv = testkit.StartIn(t, dir)
	c = srv.Admin(t)
	a := waitMedia(t, c, id, settled)
	if a.TranscodeStatus != "ready" || strings.Join(a.Renditions, ",") != "video_720" || a.ProxyStatus != "ready" {
		t.Fatalf("after the restart: %+v (before: progress %d)", a, before.TranscodeProgress)
	}
	proxy := filepath.Join(dir, "proxies", id[:2], id, "video_720.mp4")
	st1, err := os.Stat(proxy)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // sleep: nothing must run again; the queue is looked at again every few seconds (a real timer)
	st2, _ := os.Stat(proxy)
	if ps := ffmpegOf(id); len(ps) > 0 || !st2.ModTime().Equal(st1.ModTime()) {
		t.Errorf("the job ran again after finishing: ffmpeg %v, proxy rewritten %v", ps, !st2.ModTime().Equal(st1.ModTime()))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "proxies", id[:2], id, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	b, _ := os.ReadFile(proxy)
	if d := probeDuration(t, b); math.Abs(d-12) > 0.04 {
		t.Errorf("the resumed proxy lasts %.3f s, want 12", d)
	}
}

// TestVideoDeleteStopsTranscode deletes a video while ffmpeg works on it:
// the process ends and no file of it remains.
func TestVideoDeleteStopsTranscode(t *testing.T) {
	ffclip.Need(t)
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Delete")
	id := c.Upload(p.RootAssetID, "long.mp4", longClip(t), "filetype", "video/mp4")
	waitProcessing(t, c, id)
	if len(ffmpegOf(id)) == 0 {
		t.Fatal("no ffmpeg process found for the asset while it is processing")
	}
	if res := c.Do("DELETE", "/api/v2/assets/"+id, nil, nil); res.StatusCode != 200 {
		t.Fatalf("delete: %d %s", res.StatusCode, body(res))
	}
	if !poll.True(5*time.Second, func() bool { return len(ffmpegOf(id)) == 0 }) {
		t.Fatalf("ffmpeg still runs 5 s after the delete: %v", ffmpegOf(id))
	}
	for _, path := range []string{filepath.Join(srv.DataDir, "proxies", id[:2], id), filepath.Join(srv.DataDir, "originals", id[:2], id)} {
		if !poll.True(5*time.Second, func() bool { _, err := os.Stat(path); return os.IsNotExist(err) }) {
			t.Errorf("%s remains after the delete", path)
		}
	}
}

// TestVideoWithoutFFmpeg: a server whose ffmpeg cannot be found starts,
// says so, and marks videos unavailable with the reason; started again
// with ffmpeg, it processes them.
func TestVideoWithoutFFmpeg(t *testing.T) {
	dir := t.TempDir()
	srv := testkit.StartIn(t, dir, func(c *config.Config) { c.Media.FFmpeg = "/nonexistent/ffmpeg" })
	c := srv.Admin(t)
	var h map[string]string
	res, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&h)
	if h["video_processing"] != "Video processing: not available (ffmpeg not found)" {
		t.Errorf("healthz: %v", h)
	}
	var ms model.MediaStatus
	c.Do("GET", "/api/v2/settings/media", nil, &ms)
	if ms.VideoProcessing || !strings.Contains(ms.Status, "not available") {
		t.Errorf("settings: %+v", ms)
	}
	p := newProject(t, c, "No ffmpeg")
	data := []byte("made without ffmpeg: not a video")
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		data = ffclip.Bytes(t, "clip.webm", slices.Concat(testVideo, []string{"-c:v", "libvpx", "-b:v", "200k"})...)
	}
	id := c.Upload(p.RootAssetID, "clip.webm", data, "filetype", "video/webm")
	var a model.Asset
	c.Do("GET", "/api/v2/assets/"+id, nil, &a)
	if a.ProxyStatus != "unavailable" || !strings.Contains(a.ProxyError, "ffmpeg not found") || a.MediaKind != "video" {
		t.Errorf("video without ffmpeg: %+v", a)
	}
	srv.Stop()

	ffclip.Need(t)
	srv = testkit.StartIn(t, dir)
	c = srv.Admin(t)
	a = waitMedia(t, c, id, func(a model.Asset) bool { return a.TranscodeStatus == "ready" || a.TranscodeStatus == "failed" })
	if a.ProxyStatus != "ready" || a.TranscodeStatus != "ready" || a.ProxyError != "" || strings.Join(a.Renditions, ",") != "video_720" {
		t.Errorf("after installing ffmpeg: %+v", a)
	}
}

// TestVideoWorkersBound: with media.video_workers 1, two videos are
// transcoded one after the other, never side by side.
func TestVideoWorkersBound(t *testing.T) {
	ffclip.Need(t)
	srv := testkit.Start(t, func(c *config.Config) { c.Media.VideoWorkers = 1 })
	c := srv.Admin(t)
	p := newProject(t, c, "Queue")
	data := longClip(t)
	ids := []string{c.Upload(p.RootAssetID, "a.mp4", data, "filetype", "video/mp4"), c.Upload(p.RootAssetID, "b.mp4", data, "filetype", "video/mp4")}
	most, seen := 0, map[string]bool{}
	deadline := time.Now().Add(3 * time.Minute)
	for done := 0; done < len(ids); {
		if time.Now().After(deadline) {
			t.Fatal("the videos were not processed in time")
		}
		running := 0
		for _, id := range ids {
			if n := len(ffmpegOf(id)); n > 0 {
				running += n
				seen[id] = true
			}
		}
		most = max(most, running)
		done = 0
		for _, id := range ids {
			var a model.Asset
			c.Do("GET", "/api/v2/assets/"+id, nil, &a)
			if settled(a) {
				done++
			}
		}
		time.Sleep(30 * time.Millisecond) // sleep: the sampling interval of the process list
	}
	if most != 1 || len(seen) != 2 {
		t.Errorf("at most %d ffmpeg processes at once (want 1); seen working on %d of 2 videos", most, len(seen))
	}
}
