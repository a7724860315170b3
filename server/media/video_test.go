package media

import (
	"context"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit/ffclip"
)

// testFFmpeg finds ffmpeg, or skips loudly (fails with FERRY_REQUIRE_TOOLS)
// when scripts/install-ffmpeg.sh could not install it.
func testFFmpeg(t testing.TB) *FFmpeg {
	t.Helper()
	f, err := FindFFmpeg("", "")
	if err != nil {
		msg := "ffmpeg is not installed (" + err.Error() + "); run scripts/install-ffmpeg.sh (make test-deps)"
		if os.Getenv("FERRY_REQUIRE_TOOLS") != "" {
			t.Fatal("FERRY_REQUIRE_TOOLS is set but " + msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	return f
}

var (
	srcVideo = ffclip.Pattern("320x240", "25", 2)
	srcTone  = ffclip.Tone(2)
)

func TestProbePosterProxy(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	h264 := ffclip.File(t, dir, "h264.mp4", slices.Concat(srcVideo, srcTone, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	cases := []struct {
		name           string
		file           string
		w, h, rot      int
		fps            string
		vcodec, acodec string
		channels       int
		proxies        []string
		proxyW, proxyH int
		frames         int64   // when not about 2 s worth
		duration       float64 // when not 2 s
	}{
		{name: "H.264 MP4 with audio", file: h264, w: 320, h: 240, fps: "25/1", vcodec: "h264", acodec: "aac", channels: 1,
			proxies: []string{"video_720"}, proxyW: 320, proxyH: 240},
		{name: "ProRes MOV (browsers cannot play it)", file: ffclip.File(t, dir, "prores.mov", slices.Concat(srcVideo, srcTone,
			[]string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-metadata", "creation_time=2026-03-04T05:06:07Z", "-shortest"})...),
			w: 320, h: 240, fps: "25/1", vcodec: "prores", acodec: "pcm_s16le", channels: 1, proxies: []string{"video_720"}, proxyW: 320, proxyH: 240},
		{name: "phone clip turned 90°", file: ffclip.File(t, dir, "phone.mp4", "-i", h264, "-c", "copy", "-metadata:s:v:0", "rotate=90"),
			w: 240, h: 320, rot: 90, fps: "25/1", vcodec: "h264", acodec: "aac", channels: 1, proxies: []string{"video_720"}, proxyW: 240, proxyH: 320},
		{name: "HEVC in MOV", file: ffclip.File(t, dir, "hevc.mov", slices.Concat(srcVideo, srcTone, []string{"-c:v", "libx265", "-x265-params", "log-level=error",
			"-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-c:a", "aac", "-shortest"})...),
			w: 320, h: 240, fps: "25/1", vcodec: "hevc", acodec: "aac", channels: 1, proxies: []string{"video_720"}, proxyW: 320, proxyH: 240},
		// 26 frames, first every 1/30 s then every 1/10 s, as phones record.
		{name: "variable frame rate", file: ffclip.File(t, dir, "vfr.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2",
			"-vf", "select='not(mod(n\\,3))+lt(n\\,10)'", "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p"),
			w: 320, h: 240, fps: "130/9", frames: 26, duration: 1.93, vcodec: "h264", proxies: []string{"video_720"}, proxyW: 320, proxyH: 240},
		{name: "video without audio, 29.97 fps", file: ffclip.File(t, dir, "silent.mkv", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30000/1001:duration=2",
			"-c:v", "libx264", "-pix_fmt", "yuv420p"), w: 640, h: 360, fps: "30000/1001", vcodec: "h264", proxies: []string{"video_720"}, proxyW: 640, proxyH: 360},
		{name: "audio-only WAV", file: ffclip.File(t, dir, "tone.wav", slices.Concat(srcTone, []string{"-ac", "2"})...),
			acodec: "pcm_s16le", channels: 2, proxies: []string{"audio"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			m, err := f.Probe(ctx, c.file)
			if err != nil {
				t.Fatal(err)
			}
			if m.Width != c.w || m.Height != c.h || m.Rotation != c.rot || m.FrameRate != c.fps ||
				m.VideoCodec != c.vcodec || m.AudioCodec != c.acodec || m.AudioChannels != c.channels {
				t.Fatalf("probe: %+v", m)
			}
			if want := cmpOr(c.duration, 2); math.Abs(m.Duration-want) > 0.05 {
				t.Errorf("duration %.3f, want %.3f", m.Duration, want)
			}
			switch {
			case c.frames > 0 && m.Frames != c.frames:
				t.Errorf("frames %d, want %d", m.Frames, c.frames)
			case c.frames == 0 && c.fps != "" && (m.Frames < 49 || m.Frames > 61):
				t.Errorf("frames %d for 2 s at %s", m.Frames, c.fps)
			}
			if strings.HasPrefix(c.name, "ProRes") && !m.CreatedAt.Equal(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)) {
				t.Errorf("creation time %v", m.CreatedAt)
			}
			if got := f.VideoProxyNames(m); strings.Join(got, ",") != strings.Join(c.proxies, ",") {
				t.Errorf("proxies %v, want %v", got, c.proxies)
			}
			if m.HasVideo() {
				poster := filepath.Join(t.TempDir(), "poster.png")
				if err := f.Poster(ctx, c.file, poster, m); err != nil {
					t.Fatal(err)
				}
				if w, h := imageSize(t, poster); w != c.w || h != c.h {
					t.Errorf("poster is %d×%d, want %d×%d (upright)", w, h, c.w, c.h)
				}
			}
			for _, name := range c.proxies {
				dst := filepath.Join(t.TempDir(), name+".mp4")
				var last float64
				if err := f.Proxy(ctx, c.file, dst, name, m, func(p float64) { last = p }); err != nil {
					t.Fatal(err)
				}
				if last < 0.9 {
					t.Errorf("last progress %.2f", last)
				}
				pm, err := f.Probe(ctx, dst)
				if err != nil {
					t.Fatal(err)
				}
				frame := 1 / 25.0
				if m.FPS > 0 {
					frame = 1 / m.FPS
				}
				if d := math.Abs(pm.Duration - m.Duration); d > frame {
					t.Errorf("proxy lasts %.3f s, the original %.3f s (%.3f s apart, more than a frame)", pm.Duration, m.Duration, d)
				}
				if name == "audio" {
					if pm.VideoCodec != "" || pm.AudioCodec != "aac" {
						t.Errorf("audio proxy: %+v", pm)
					}
					continue
				}
				if pm.VideoCodec != "h264" || pm.Width != c.proxyW || pm.Height != c.proxyH || pm.Rotation != 0 {
					t.Errorf("video proxy: %+v", pm)
				}
				if (pm.AudioCodec == "aac") != (c.acodec != "") {
					t.Errorf("proxy audio %q for an original with %q", pm.AudioCodec, c.acodec)
				}
				if !faststart(t, dst) {
					t.Error("the proxy's moov atom is not before its mdat (no +faststart)")
				}
			}
		})
	}
}

// TestPosterIsUpright: a phone clip stored landscape with red above blue
// and rotation metadata of 90° gets a portrait poster with red and blue
// side by side, as players show it; the stored landscape layout (red
// above blue) would mean the rotation was ignored.
func TestPosterIsUpright(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	flat := ffclip.File(t, dir, "flat.mp4", "-f", "lavfi", "-i", "color=red:size=320x120:duration=2", "-f", "lavfi", "-i", "color=blue:size=320x120:duration=2",
		"-filter_complex", "[0][1]vstack", "-c:v", "libx264", "-pix_fmt", "yuv420p")
	phone := ffclip.File(t, dir, "phone.mp4", "-i", flat, "-c", "copy", "-metadata:s:v:0", "rotate=90")
	m, err := f.Probe(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	poster := filepath.Join(dir, "poster.png")
	if err := f.Poster(context.Background(), phone, poster, m); err != nil {
		t.Fatal(err)
	}
	img := readImage(t, poster)
	b := img.Bounds()
	if b.Dx() != 240 || b.Dy() != 320 {
		t.Fatalf("poster %v, want 240×320", b)
	}
	isRed := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r > 0xc000 && g < 0x4000 && bl < 0x4000
	}
	isBlue := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return bl > 0xc000 && r < 0x4000 && g < 0x4000
	}
	left, right := b.Dx()/4, b.Dx()*3/4
	top, bottom := b.Dy()/4, b.Dy()*3/4
	sideBySide := isRed(left, top) && isRed(left, bottom) && isBlue(right, top) && isBlue(right, bottom) ||
		isBlue(left, top) && isBlue(left, bottom) && isRed(right, top) && isRed(right, bottom)
	if !sideBySide {
		t.Errorf("the poster is not turned: corners %v %v %v %v", img.At(left, top), img.At(right, top), img.At(left, bottom), img.At(right, bottom))
	}
}

func cmpOr(x, y float64) float64 {
	if x != 0 {
		return x
	}
	return y
}

func imageSize(t *testing.T, path string) (int, int) {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}

// faststart reports whether an MP4's moov box comes before its mdat.
func faststart(t *testing.T, path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	moov, mdat := strings.Index(string(b), "moov"), strings.Index(string(b), "mdat")
	return moov > 0 && mdat > 0 && moov < mdat
}

func TestProxySizesNeverUpscale(t *testing.T) {
	f := &FFmpeg{VideoProxies: []int{540, 720, 1080}}
	cases := []struct {
		w, h int
		want string
	}{
		{1920, 1080, "video_540,video_720,video_1080"},
		{1080, 1920, "video_540,video_720,video_1080"},
		{1280, 720, "video_540,video_720"},
		{320, 240, "video_540"},
	}
	for _, c := range cases {
		m := MediaInfo{VideoCodec: "h264", Width: c.w, Height: c.h}
		if got := strings.Join(f.VideoProxyNames(m), ","); got != c.want {
			t.Errorf("%d×%d: %s, want %s", c.w, c.h, got, c.want)
		}
	}
	for _, c := range []struct{ w, h, p, ww, wh int }{{1920, 1080, 720, 1280, 720}, {1080, 1920, 720, 720, 1280}, {320, 240, 540, 320, 240}, {1440, 1080, 540, 720, 540}} {
		if w, h := proxySize(c.w, c.h, c.p); w != c.ww || h != c.wh {
			t.Errorf("proxySize(%d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.p, w, h, c.ww, c.wh)
		}
	}
}

func TestProbeMediaRefusesBadInput(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	whole := ffclip.File(t, dir, "whole.mp4", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...)
	b, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(i*7919 + i>>3)
	}
	cases := []struct {
		name string
		file string
		want error
	}{
		{"HLS playlist", write("list.m3u8", []byte("#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n")), ErrPlaylist},
		{"concat list", write("list.mov", []byte("ffconcat version 1.0\nfile '/etc/passwd'\n")), ErrPlaylist},
		{"truncated MP4", write("cut.mp4", b[:len(b)/2]), ErrNotMedia},
		{"random bytes named .mov", write("noise.mov", random), ErrNotMedia},
		{"empty file", write("empty.mp4", nil), ErrNotMedia},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.Probe(context.Background(), c.file)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("the reason names the stored path: %v", err)
			}
		})
	}
}

// The format whitelist alone stops a playlist that got past the sniffing:
// an HLS list naming a local file that is a real video is refused, where
// plain ffprobe would read that file through it.
func TestFormatWhitelistRefusesPlaylists(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	segment := ffclip.File(t, dir, "private.ts", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mpegts"})...)
	list := filepath.Join(dir, "list.mp4")
	if err := os.WriteFile(list, []byte("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nfile:"+segment+"\n#EXT-X-ENDLIST\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Without the whitelist, ffprobe follows the list to the private file.
	out, err := exec.Command(f.FFprobe, "-v", "error", "-protocol_whitelist", "file,pipe", "-show_entries", "format=format_name", "-of", "csv=p=0", "file:"+list).Output()
	if err != nil || !strings.Contains(string(out), "hls") {
		t.Fatalf("plain ffprobe: %q %v (expected it to read the playlist)", out, err)
	}
	if _, err := f.probe(context.Background(), list); !errors.Is(err, ErrNotMedia) || !strings.Contains(err.Error(), "whitelist") {
		t.Fatalf("probe through the whitelist: %v", err)
	}
	if err := f.Proxy(context.Background(), list, filepath.Join(dir, "out.mp4"), "video_720", MediaInfo{VideoCodec: "h264", Width: 320, Height: 240, Duration: 2}, nil); err == nil {
		t.Fatal("ffmpeg made a proxy of a playlist")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.mp4")); !os.IsNotExist(err) {
		t.Errorf("an output exists: %v", err)
	}
}

// A process above its memory cap fails with a reason and leaves no output.
func TestProxyMemoryCap(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	src := ffclip.File(t, dir, "src.mp4", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...)
	m, err := f.Probe(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	capped := *f
	capped.MaxMemory = 48 << 20
	dst := filepath.Join(dir, "out.mp4")
	err = capped.Proxy(context.Background(), src, dst, "video_720", m, nil)
	if err == nil {
		t.Fatal("ffmpeg made a proxy within 48 MiB of address space")
	}
	t.Logf("reason: %v", err)
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("output left: %v", err)
	}
	// The same run under the default cap works.
	f.MaxMemory = 4 << 30
	if err := f.Proxy(context.Background(), src, dst, "video_720", m, nil); err != nil {
		t.Fatalf("under 4 GiB: %v", err)
	}
}

// A run longer than its timeout (base + factor × duration) is stopped
// with a reason and leaves no output.
func TestProxyTimeout(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	src := ffclip.File(t, dir, "src.mp4", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...)
	m, err := f.Probe(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	f.TimeoutBase, f.TimeoutFactor = 0, 0.005 // 10 ms for 2 s
	dst := filepath.Join(dir, "out.mp4")
	start := time.Now()
	err = f.Proxy(context.Background(), src, dst, "video_720", m, nil)
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("got %v, want a timeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping took %s", d)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("output left: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".out.mp4*")); len(left) > 0 {
		t.Errorf("temporary file left: %v", left)
	}
}

// TestSprite: a strip of SpriteFrames frames from across the clip, each
// fitted upright into its cell; the frames differ (spread over time, not
// one frame repeated).
func TestSprite(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	src := ffclip.File(t, dir, "src.mp4", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...)
	phone := ffclip.File(t, dir, "phone.mp4", "-i", src, "-c", "copy", "-metadata:s:v:0", "rotate=90")
	for _, file := range []string{src, phone} {
		m, err := f.Probe(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(file)+"-sprite.jpg")
		if err := f.Sprite(context.Background(), file, dst, m); err != nil {
			t.Fatal(err)
		}
		img := readImage(t, dst)
		if b := img.Bounds(); b.Dx() != SpriteFrames*SpriteWidth || b.Dy() != SpriteHeight {
			t.Fatalf("%s: sprite %v", file, b)
		}
		// 320×240 fits its cell as 120×90, upright 240×320 as 68×90: both
		// have bars left and right, the portrait one's wider.
		bar := func(cell int) int { // columns of near-black at the cell's left edge
			n := 0
			for x := cell * SpriteWidth; x < (cell+1)*SpriteWidth; x++ {
				r, g, b, _ := img.At(x, SpriteHeight/2).RGBA()
				if r+g+b > 3*0x1000 {
					break
				}
				n++
			}
			return n
		}
		want := (SpriteWidth - 120) / 2
		if m.Rotation == 90 {
			want = (SpriteWidth - 68) / 2 // 240×320 fits 67.5×90
		}
		if got := bar(0); got < want-2 || got > want+2 {
			t.Errorf("%s: the first frame's bar is %d px, want about %d (the picture upright in its cell)", file, got, want)
		}
		diff := 0.0
		for y := 0; y < SpriteHeight; y++ {
			for x := want + 2; x < SpriteWidth-want-2; x++ {
				r1, g1, b1, _ := img.At(x, y).RGBA()
				r2, g2, b2, _ := img.At(x+(SpriteFrames-1)*SpriteWidth, y).RGBA()
				diff += math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))
			}
		}
		if diff == 0 {
			t.Errorf("%s: the first and the last frame are the same", file)
		}
	}
}

// TestPosterSkipsBlackOpening: a clip that opens on two seconds of black
// (a fade-in, a slate) gets a poster of its picture, not of the black; a
// clip whose only keyframe is its first frame still gets one.
func TestPosterSkipsBlackOpening(t *testing.T) {
	f := testFFmpeg(t)
	dir := t.TempDir()
	cases := map[string]string{
		"black opening": ffclip.File(t, dir, "fade.mp4", "-f", "lavfi", "-i", "color=black:size=320x240:rate=25:duration=2", "-f", "lavfi",
			"-i", "testsrc2=size=320x240:rate=25:duration=6", "-filter_complex", "[0][1]concat=n=2:v=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25"),
		"one keyframe": ffclip.File(t, dir, "onekey.mp4", slices.Concat(srcVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "1000"})...),
	}
	for name, clip := range cases {
		m, err := f.Probe(context.Background(), clip)
		if err != nil {
			t.Fatal(err)
		}
		poster := filepath.Join(dir, filepath.Base(clip)+".png")
		if err := f.Poster(context.Background(), clip, poster, m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img := readImage(t, poster)
		var sum float64
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			for x := b.Min.X; x < b.Max.X; x += 4 {
				r, g, bl, _ := img.At(x, y).RGBA()
				sum += float64(r+g+bl) / 3 / 0xffff
			}
		}
		if mean := sum / float64((b.Dx()/4)*(b.Dy()/4)); mean < 0.2 {
			t.Errorf("%s: the poster is dark (mean level %.2f): the black opening, not the picture", name, mean)
		}
	}
}

// readImage reads the image file at path.
func readImage(t *testing.T, path string) image.Image {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, _, err := image.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
