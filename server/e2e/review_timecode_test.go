package e2e

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// timecodeClip is a 3 s 320×240 H.264 MP4 at the frame rate rate ("24",
// "30000/1001"), made by ffmpeg.
func timecodeClip(t *testing.T, name, rate string) []byte {
	return ffmpegClip(t, name, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate="+rate+":duration=3",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart")
}

// TestReviewTimecodeFrames: on a 24 fps and a 29.97 fps clip the reviewer's
// player shows HH:MM:SS:FF at the file's own rate, → and ← (and the
// buttons) step one frame, a comment stores the frame number shown, and
// after a reload its chip and its marker on the timeline go back to that
// very frame. At desktop and phone width.
func TestReviewTimecodeFrames(t *testing.T) {
	clips := []struct {
		name, rate string
		fps        float64
		frame      int    // the frame stepped to
		tc         string // its timecode
	}{
		{"cut-24.mp4", "24", 24, 5, "00:00:00:05"},
		// Non-drop-frame: frame 35 at 29.97 is second 1, frame 5 (of 30).
		{"cut-2997.mp4", "30000/1001", 30000.0 / 1001, 35, "00:00:01:05"},
	}
	srv := testkit.Start(t)
	c := srv.Admin(t)
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Timecode"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	ids := make([]string, len(clips))
	for i, cl := range clips {
		ids[i] = c.Upload(p.RootAssetID, cl.name, timecodeClip(t, cl.name, cl.rate), "filetype", "video/mp4")
	}
	for i, id := range ids {
		a := c.WaitAsset(t, id, 90*time.Second, testkit.TranscodeSettled)
		if a.TranscodeStatus != "ready" || a.Properties == nil {
			t.Fatalf("%s was not processed: %+v", clips[i].name, a)
		}
		if math.Abs(a.FPS-clips[i].fps) > 0.01 {
			t.Fatalf("%s: fps %v, frame_rate %q", clips[i].name, a.FPS, a.Properties.FrameRate)
		}
	}
	var rl model.ReviewLink
	c.Do("POST", "/api/v2/projects/"+p.ID+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Cut review"), EnableDownloading: model.Ptr(false)}, &rl)
	if res := c.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: ids}, nil); res.StatusCode >= 300 {
		t.Fatalf("add to review: %d", res.StatusCode)
	}

	// The reviewer's page learns each file's exact rate.
	var pub model.PublicReview
	srv.Client(t).Do("GET", "/api/v2/public/links/"+rl.Key, nil, &pub)
	rates := map[string]string{}
	for _, it := range pub.Items {
		rates[it.ID] = it.FrameRate
	}
	if rates[ids[0]] != "24/1" || rates[ids[1]] != "30000/1001" {
		t.Fatalf("the review's frame rates: %+v", pub.Items)
	}

	type state struct {
		Ready int     `json:"ready"`
		At    float64 `json:"at"`
		Tc    string  `json:"tc"`
	}
	playerJS := `(() => { const v = document.querySelector('#review-media'), tc = document.querySelector('#review-timecode');
		return {ready: v ? v.readyState : 0, at: v ? v.currentTime : -1, tc: tc ? tc.textContent : ''}; })()`
	atSizes(t, desktopAndPhone, func(t *testing.T, size viewport) {
		ctx := testkit.Browser(t, size.w, size.h)
		run(t, ctx, "the reviewer gives their name",
			chromedp.Navigate(srv.URL+"/r/"+rl.Key),
			visible("#reviewer-name"),
			setValue("#reviewer-name", "Mia Chen "+size.name),
			click("#reviewer-name-submit"),
			visible(".review-item[data-id]"),
		)
		for i, cl := range clips {
			id := ids[i]
			lo, hi := float64(cl.frame)/cl.fps, float64(cl.frame+1)/cl.fps
			onFrame := func(s state) bool { return s.Ready >= 1 && s.At >= lo && s.At < hi && s.Tc == cl.tc }
			var got state
			run(t, ctx, cl.name+": the player starts at frame 0",
				chromedp.Navigate(srv.URL+"/r/"+rl.Key),
				click(fmt.Sprintf(`.review-item[data-id=%q]`, id)),
				visible("#review-media"),
				evalUntil("the video's metadata", playerJS, &got, func(s state) bool { return s.Ready >= 1 && s.Tc == "00:00:00:00" }),
				click("#review-viewer-close"), // focus on a button, not in a text field
			)
			run(t, ctx, cl.name+": open it again", click(fmt.Sprintf(`.review-item[data-id=%q]`, id)), visible("#review-media"))
			// → steps one frame each, the timecode follows.
			for n := 1; n <= cl.frame; n++ {
				run(t, ctx, fmt.Sprintf("%s: → to frame %d", cl.name, n),
					chromedp.KeyEvent(kb.ArrowRight),
					waitAttr("#review-timecode", "data-frame", fmt.Sprint(n)),
				)
			}
			// ← steps back, the button forward again.
			run(t, ctx, cl.name+": ← and the next-frame button",
				chromedp.KeyEvent(kb.ArrowLeft),
				waitAttr("#review-timecode", "data-frame", fmt.Sprint(cl.frame-1)),
				click("#frame-next"),
				waitAttr("#review-timecode", "data-frame", fmt.Sprint(cl.frame)),
				evalUntil("the player on frame "+fmt.Sprint(cl.frame), playerJS, &got, onFrame),
			)
			// A comment at this frame.
			text := fmt.Sprintf("Cut here (%s, %s)", cl.name, size.name)
			run(t, ctx, cl.name+": comment on the frame",
				waitText("#comment-at-time", nil, cl.tc),
				setValue("#comment-text", text),
				click("#comment-submit"),
				waitFor(fmt.Sprintf(`[...document.querySelectorAll('#review-comments .comment')].some(c =>
						c.textContent.includes(%q) && (c.querySelector('.comment-timestamp') || {}).textContent === %q)`, text, cl.tc)),
				visible(".rv-marker"),
			)
			if size.name == "desktop" || i == 1 {
				testkit.Screenshot(t, ctx, fmt.Sprintf("review-timecode-%s-%s", cl.rate[:2], size.name))
			}
			var cs []model.Comment
			c.Do("GET", "/api/v2/assets/"+id+"/comments", nil, &cs)
			cid := ""
			for _, cm := range cs {
				if cm.Text == text {
					cid = cm.ID
					if cm.Timestamp == nil || *cm.Timestamp != int64(cl.frame) {
						t.Fatalf("%s: the comment's timestamp is %v, want frame %d", cl.name, cm.Timestamp, cl.frame)
					}
				}
			}
			if cid == "" {
				t.Fatalf("%s: the comment was not stored: %+v", cl.name, cs)
			}
			// After a reload the comment goes back to its frame.
			comment := fmt.Sprintf(`.comment[data-id=%q] .comment-main`, cid)
			run(t, ctx, cl.name+": reload, click the comment",
				chromedp.Reload(),
				click(fmt.Sprintf(`.review-item[data-id=%q]`, id)),
				visible("#review-media"),
				evalUntil("the video's metadata", playerJS, &got, func(s state) bool { return s.Ready >= 1 && s.Tc == "00:00:00:00" }),
				click(comment),
				evalUntil("the player on the comment's frame", playerJS, &got, onFrame),
				waitAttr("#review-timecode", "data-frame", fmt.Sprint(cl.frame)),
			)
			// Its marker on the timeline, from elsewhere in the clip.
			marker := fmt.Sprintf(`.rv-marker[data-id=%q]`, cid)
			run(t, ctx, cl.name+": the timeline's marker",
				click("#frame-prev"),
				click("#frame-prev"),
				waitAttr("#review-timecode", "data-frame", fmt.Sprint(cl.frame-2)),
				waitAttr(marker, "data-frame", fmt.Sprint(cl.frame)),
				click(marker),
				evalUntil("the player on the marker's frame", playerJS, &got, onFrame),
			)
			// While it plays the timecode follows, at the player's
			// timeupdate (about four times a second).
			type playing struct {
				Lags []int `json:"lags"` // frames the timecode was behind the video, sampled
			}
			var pl playing
			run(t, ctx, cl.name+": the timecode follows the playing video",
				evalUntil("the timecode while playing", fmt.Sprintf(`(async () => { const v = document.querySelector('#review-media');
						v.currentTime = 0.5; v.muted = true; await v.play(); const lags = [];
						for (let i = 0; i < 10; i++) {
							await new Promise(r => setTimeout(r, 70));
							await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
							if (v.paused || v.ended) break;
							lags.push(Math.floor(v.currentTime * %v) - +document.querySelector('#review-timecode').dataset.frame);
						}
						v.pause(); return {lags}; })()`, cl.fps), &pl, func(p playing) bool {
					if len(p.Lags) < 6 {
						return false
					}
					for _, l := range p.Lags {
						if l < 0 || l > int(cl.fps*0.35)+1 {
							return false
						}
					}
					return true
				}),
			)
		}
	})
}
