package e2e

import (
	"fmt"
	"image/color"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// canvasPixel is the colour of the overlay canvas at fractions (x, y) of
// its size, as [r, g, b, a].
const canvasPixel = `((x, y) => { const c = document.querySelector('#review-canvas'); if (!c) return [];
	return [...c.getContext('2d').getImageData(Math.round(x * c.width), Math.round(y * c.height), 1, 1).data] })`

// TestReviewFrameioAnnotation: a comment written with a Frame.io v2
// annotation (a green rect and a line, in fractions of the frame) is drawn
// on the review page where Frame.io would draw it, on a desktop and a phone.
func TestReviewFrameioAnnotation(t *testing.T) {
	srv := testkit.Start(t)
	atSizes(t, tallDesktopAndPhone, func(t *testing.T, size viewport) {
		admin := srv.Admin(t)
		project, root := ulProject(t, admin, "Frame.io drawings "+size.name)
		still := ruiImage(t, admin, root, "still.jpg", color.RGBA{40, 40, 40, 255})
		var l model.ReviewLink
		if res := admin.Do("POST", "/api/v2/projects/"+project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Drawings"), EnableComments: model.Ptr(true)}, &l); res.StatusCode != 201 {
			t.Fatalf("review link: %d", res.StatusCode)
		}
		if res := admin.Do("POST", "/api/v2/review_links/"+l.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{still}}, nil); res.StatusCode != 200 {
			t.Fatalf("review item: %d", res.StatusCode)
		}
		rv := ruiReviewer{t: t, c: srv.Client(t), key: l.Key}
		rv.do("GET", "", nil, 200)
		rv.do("POST", "/reviewer", model.ReviewerName{Name: "Frame.io user"}, 200)
		var cm model.Comment
		ann := `[{"tool":"rect","color":"#00FF00","size":3,"x":0.25,"y":0.25,"w":0.5,"h":0.5,"radius":8},` +
			`{"tool":"line","color":"#FF00FF","size":3,"x1":0,"y1":0.9,"x2":1,"y2":0.9}]`
		if res := rv.c.Do("POST", "/api/v2/public/links/"+l.Key+"/assets/"+still+"/comments", model.NewComment{Text: "Frame this", Annotation: model.Ptr(ann)}, &cm); res.StatusCode != 201 {
			t.Fatalf("comment: %d (%s)", res.StatusCode, testkit.ErrorCode(res))
		}

		ctx := testkit.Browser(t, size.w, size.h)
		run(t, ctx, "open the link and name",
			chromedp.Navigate(srv.URL+"/r/"+l.Key),
			present("#app-ready"),
			visible("#reviewer-name"),
			setValue("#reviewer-name", "Jo"),
			click("#reviewer-name-submit"),
			visible(fmt.Sprintf(`.review-item[data-id=%q]`, still)),
		)
		run(t, ctx, "open the viewer and select the comment",
			click(fmt.Sprintf(`.review-item[data-id=%q]`, still)),
			visible("#review-viewer"),
			waitFor(`(() => { const i = document.querySelector('#review-img'); return i && i.complete && i.naturalWidth > 0 })()`),
			visible(fmt.Sprintf(`.comment[data-id=%q]`, cm.ID)),
			click(fmt.Sprintf(`.comment[data-id=%q] .comment-main`, cm.ID)),
			visible(fmt.Sprintf(`.comment.is-selected[data-id=%q]`, cm.ID)),
		)
		green := func(p []int) bool { return len(p) == 4 && p[3] > 200 && p[1] > 180 && p[0] < 90 && p[2] < 90 }
		magenta := func(p []int) bool { return len(p) == 4 && p[3] > 200 && p[0] > 180 && p[2] > 180 && p[1] < 90 }
		var px []int
		for _, at := range []struct {
			what string
			x, y float64
			ok   func([]int) bool
		}{
			{"the rect's left edge", 0.25, 0.5, green},
			{"the rect's right edge", 0.75, 0.5, green},
			{"the rect's top edge", 0.5, 0.25, green},
			{"the line", 0.5, 0.9, magenta},
			{"inside the rect, nothing", 0.5, 0.5, func(p []int) bool { return len(p) == 4 && p[3] == 0 }},
		} {
			run(t, ctx, at.what, evalUntil(at.what, fmt.Sprintf("%s(%v, %v)", canvasPixel, at.x, at.y), &px, at.ok))
		}
		run(t, ctx, "back to the top", chromedp.Evaluate(`document.querySelector('#review-viewer').scrollTo(0, 0)`, nil),
			waitFor(`document.querySelector('#review-viewer').scrollTop === 0`), settled())
		testkit.Screenshot(t, ctx, "review-frameio-annotation-"+size.name)
	})
}
