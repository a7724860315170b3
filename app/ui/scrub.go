package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ScrubStrip lies over a video's tile: moving the pointer across it shows
// the frame of the sprite strip under the pointer (the first frame at the
// left edge, the last at the right), so a grid can be skimmed without
// opening each video. The strip loads on the first hover. It changes the
// element's style directly: a re-render of the grid per mouse move would
// be wasted work.
func ScrubStrip(src string, frames int) app.UI {
	if src == "" || frames < 2 {
		return nil
	}
	return app.Div().Class("thumb-sprite").Attr("aria-hidden", "true").
		DataSet("src", src).DataSet("frames", frames).DataSet("frame", -1).
		OnMouseMove(func(ctx app.Context, e app.Event) {
			ctx.PreventUpdate()
			el := e.Get("currentTarget")
			n, _ := strconv.Atoi(el.Get("dataset").Get("frames").String())
			rect := el.Call("getBoundingClientRect")
			w := rect.Get("width").Float()
			if n < 2 || w <= 0 {
				return
			}
			i := int((e.Get("clientX").Float() - rect.Get("left").Float()) / w * float64(n))
			i = max(0, min(n-1, i))
			style := el.Get("style")
			if style.Get("backgroundImage").String() == "" {
				style.Set("backgroundImage", `url("`+el.Get("dataset").Get("src").String()+`")`)
				style.Set("backgroundSize", strconv.Itoa(n*100)+"% auto")
			}
			style.Set("backgroundPosition", strconv.FormatFloat(float64(i)/float64(n-1)*100, 'f', 3, 64)+"% 50%")
			style.Call("setProperty", "--scrub", strconv.FormatFloat(float64(i+1)/float64(n)*100, 'f', 3, 64)+"%") // the bar along its foot
			el.Get("dataset").Set("frame", strconv.Itoa(i))
			el.Get("classList").Call("add", "is-scrubbing")
		}).
		OnMouseLeave(func(ctx app.Context, e app.Event) {
			ctx.PreventUpdate()
			e.Get("currentTarget").Get("classList").Call("remove", "is-scrubbing")
		})
}
