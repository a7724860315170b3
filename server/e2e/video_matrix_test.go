package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/ffclip"
)

// matrixClip is one file of the fixture matrix and what Ferry must learn
// of it and make of it.
type matrixClip struct {
	name, filetype string
	args           []string // ffmpeg inputs and codecs
	w, h           int      // as displayed, after rotation
	fps            float64  // 0: audio only
	frames         int64    // 0: about a second's worth
	vcodec, acodec string
	renditions     string // with media.video_proxies [540, 720, 1080]
}

var (
	oneSecond = func(size, rate string) []string { return ffclip.Pattern(size, rate, 1) }
	oneTone   = ffclip.Tone(1)
	x264      = []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"}
)

// TestVideoFixtureMatrix uploads one short file of each kind a production
// team sends (H.264 MP4, ProRes MOV, HEVC, a phone clip turned 90°, VFR,
// 4K at 60 fps, a WAV, a video without sound) to a server making proxies
// at 540p, 720p and 1080p, and checks for each: the probed facts, an
// upright poster, proxies at the configured heights and never above the
// picture's own, each lasting as long as the original within one frame,
// and each playing in headless Chromium (frames decoded, time moving).
func TestVideoFixtureMatrix(t *testing.T) {
	landscape := filepath.Join(t.TempDir(), "landscape.mp4")
	h264 := slices.Concat(oneSecond("1280x720", "30"), oneTone, x264, []string{"-c:a", "aac", "-shortest"})
	if err := os.WriteFile(landscape, ffmpegClip(t, "landscape.mp4", h264...), 0o600); err != nil {
		t.Fatal(err)
	}
	clips := []matrixClip{
		{name: "h264.mp4", filetype: "video/mp4", args: h264,
			w: 1280, h: 720, fps: 30, vcodec: "h264", acodec: "aac", renditions: "video_540,video_720"},
		{name: "prores.mov", filetype: "video/quicktime", args: slices.Concat(oneSecond("640x360", "25"), oneTone, []string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"}),
			w: 640, h: 360, fps: 25, vcodec: "prores", acodec: "pcm_s16le", renditions: "video_540"},
		{name: "hevc.mp4", filetype: "video/mp4", args: slices.Concat(oneSecond("640x360", "25"), oneTone, []string{"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
			"-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-c:a", "aac", "-shortest"}),
			w: 640, h: 360, fps: 25, vcodec: "hevc", acodec: "aac", renditions: "video_540"},
		// Stored 1280×720 with rotation metadata, as phones record portrait
		// (ffmpeg writes the rotation only when it copies the stream).
		{name: "phone.mov", filetype: "video/quicktime", args: []string{"-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90"},
			w: 720, h: 1280, fps: 30, vcodec: "h264", acodec: "aac", renditions: "video_540,video_720"},
		// 16 frames in 0.93 s: every 1/30 s for the first ten, then every 1/10 s.
		{name: "vfr.mp4", filetype: "video/mp4", args: slices.Concat(oneSecond("640x360", "30"), []string{"-vf", "select='not(mod(n\\,3))+lt(n\\,10)'", "-fps_mode", "vfr"}, x264),
			w: 640, h: 360, fps: 120.0 / 7, frames: 16, vcodec: "h264", renditions: "video_540"},
		{name: "uhd60.mp4", filetype: "video/mp4", args: slices.Concat(oneSecond("3840x2160", "60"), oneTone, x264, []string{"-crf", "35", "-c:a", "aac", "-shortest"}),
			w: 3840, h: 2160, fps: 60, vcodec: "h264", acodec: "aac", renditions: "video_540,video_720,video_1080"},
		{name: "tone.wav", filetype: "audio/wav", args: slices.Concat(oneTone, []string{"-ac", "2"}), acodec: "pcm_s16le", renditions: "audio"},
		{name: "silent.mkv", filetype: "video/x-matroska", args: slices.Concat(oneSecond("640x360", "30000/1001"), x264),
			w: 640, h: 360, fps: 30000.0 / 1001, vcodec: "h264", renditions: "video_540"},
	}
	data := make([][]byte, len(clips))
	for i, cl := range clips {
		data[i] = ffmpegClip(t, cl.name, cl.args...)
	}
	srv := testkit.Start(t, func(c *config.Config) { c.Media.VideoProxies = []int{540, 720, 1080}; c.Media.VideoWorkers = 2 })
	c := srv.Admin(t)
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Matrix"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	ids := make([]string, len(clips))
	for i, cl := range clips {
		ids[i] = c.Upload(p.RootAssetID, cl.name, data[i], "filetype", cl.filetype)
	}

	var sources []string // every proxy, for the browser
	for i, cl := range clips {
		a := c.WaitAsset(t, ids[i], 3*time.Minute, testkit.TranscodeSettled)
		if a.TranscodeStatus != "ready" || a.Properties == nil {
			t.Fatalf("%s was not processed: %+v", cl.name, a)
		}
		pr := a.Properties
		if pr.Width != cl.w || pr.Height != cl.h || pr.VideoCodec != cl.vcodec || pr.AudioCodec != cl.acodec || math.Abs(a.FPS-cl.fps) > 0.01 {
			t.Errorf("%s: facts %+v", cl.name, a)
		}
		if want := cl.frames; want > 0 && a.Frames != want || want == 0 && cl.fps > 0 && math.Abs(float64(a.Frames)-cl.fps) > 1 {
			t.Errorf("%s: %d frames at %.3f fps", cl.name, a.Frames, a.FPS)
		}
		if math.Abs(a.Duration-1) > 0.1 {
			t.Errorf("%s: lasts %.3f s", cl.name, a.Duration)
		}
		if strings.Join(a.Renditions, ",") != cl.renditions {
			t.Errorf("%s: renditions %v, want %s (never above the picture's own size)", cl.name, a.Renditions, cl.renditions)
		}
		// The poster is upright: a portrait clip gets a portrait thumb.
		thumb := c.Do("GET", "/api/v2/assets/"+ids[i]+"/proxies/thumb", nil, nil)
		if cl.fps == 0 {
			if thumb.StatusCode != 404 {
				t.Errorf("%s: audio has a poster: %d", cl.name, thumb.StatusCode)
			}
		} else if cfg, err := jpeg.DecodeConfig(thumb.Body); err != nil || (cfg.Width > cfg.Height) != (cl.w > cl.h) || max(cfg.Width, cfg.Height) != 320 {
			t.Errorf("%s: poster thumb %d×%d (%v) for a %d×%d picture", cl.name, cfg.Width, cfg.Height, err, cl.w, cl.h)
		}
		for _, name := range a.Renditions {
			url := "/api/v2/assets/" + ids[i] + "/proxies/" + name
			res := c.Do("GET", url, nil, nil)
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 {
				t.Fatalf("%s %s: %d", cl.name, name, res.StatusCode)
			}
			pw, ph, d := probeProxy(t, b)
			frame := 1 / 25.0
			if cl.fps > 0 {
				frame = 1 / cl.fps
			}
			if math.Abs(d-a.Duration) > frame {
				t.Errorf("%s %s lasts %.3f s, the original %.3f s: more than a frame apart", cl.name, name, d, a.Duration)
			}
			if name != "audio" {
				short, want := min(pw, ph), 0
				fmt.Sscanf(name, "video_%d", &want)
				want = min(want, min(cl.w, cl.h))
				if short != want || (pw > ph) != (cl.w > cl.h) {
					t.Errorf("%s %s is %d×%d, want a short edge of %d the same way up as %d×%d", cl.name, name, pw, ph, want, cl.w, cl.h)
				}
			}
			sources = append(sources, url)
		}
	}

	// Every proxy plays in Chromium: frames decoded, time moving.
	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	srcs, _ := json.Marshal(sources)
	type played struct {
		Src   string  `json:"src"`
		State int     `json:"state"`
		At    float64 `json:"at"`
		Err   string  `json:"err"`
	}
	var got []played
	runFor(t, ctx, 3*time.Minute, "every proxy plays",
		evalUntil("each proxy plays", fmt.Sprintf(`(async () => {
			const out = [];
			for (const src of %s) {
				const v = document.createElement(src.endsWith('/audio') ? 'audio' : 'video');
				v.muted = true; v.preload = 'auto'; v.src = src; document.body.appendChild(v);
				let err = '';
				try {
					await v.play();
					const until = Date.now() + 5000;
					while (v.currentTime < 0.2 && !v.ended && Date.now() < until) await new Promise(r => setTimeout(r, 50));
				} catch (e) { err = String(e); }
				out.push({src, state: v.readyState, at: v.currentTime, err: err || (v.error ? 'media error ' + v.error.code : '')});
				v.pause(); v.remove();
			}
			return out; })()`, srcs), &got, func(ps []played) bool {
			for _, p := range ps {
				if p.State < 2 || p.At < 0.2 || p.Err != "" {
					return false
				}
			}
			return len(ps) == len(sources)
		}),
	)
	t.Logf("played %d proxies of %d files", len(got), len(clips))
}

// probeProxy is the displayed size and the duration of the media file b.
func probeProxy(t *testing.T, b []byte) (w, h int, duration float64) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "proxy")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_entries", "format=duration:stream=width,height", f).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	// ffprobe's output, not Ferry's.
	var p struct {
		Streams []struct{ Width, Height int } `json:"streams"`
		Format  struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Streams {
		if s.Width > 0 {
			w, h = s.Width, s.Height
		}
	}
	fmt.Sscan(p.Format.Duration, &duration)
	return w, h, duration
}

// scrubTo moves the mouse over sel at fx of its width (0 left, 1 right)
// until the strip shows frame want, and says what it shows.
func scrubTo(sel string, fx float64, want int) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return retry(ctx, fmt.Sprintf("hover %s at %.0f %%", sel, fx*100), func(ctx context.Context) error {
			var r struct {
				X, Y, W, H float64
				Frame      string
				Image      string
				Shown      bool
			}
			js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return null; const b = e.getBoundingClientRect();
				return {X: b.left, Y: b.top, W: b.width, H: b.height, Frame: e.dataset.frame, Image: e.style.backgroundImage,
					Shown: e.classList.contains('is-scrubbing') && getComputedStyle(e).opacity === '1'}; })()`, sel)
			if err := evalJS(ctx, js, &r); err != nil {
				return err
			}
			if r.W == 0 {
				return fmt.Errorf("%s is not on the page", sel)
			}
			if r.Frame == fmt.Sprint(want) && r.Shown && strings.Contains(r.Image, "/sprite") {
				return nil
			}
			if err := input.DispatchMouseEvent(input.MouseMoved, r.X+r.W*fx, r.Y+r.H/2).Do(ctx); err != nil {
				return err
			}
			return fmt.Errorf("shows frame %s (image %q, shown %v), want %d", r.Frame, r.Image, r.Shown, want)
		})
	})
}
