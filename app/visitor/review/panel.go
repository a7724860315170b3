package review

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// panel is the right of the viewer (below it on a phone): the file's name,
// the reviewer's decision, and the comments with the composer. It keeps
// what the reviewer is typing and sending, and sends it itself.
type panel struct {
	app.Compo
	owner                 ui.Owner
	Key                   string
	Item                  model.PublicReviewItem
	Index                 int // of Item in the review
	Shown                 reviewShown
	Reviewer              string
	Approvals, Commenting bool
	Comments              []model.Comment // of the file shown
	Loading               bool
	ListErr               string
	Selected, ReplyTo     string
	At                    float64 // the player's time, seconds
	FPS                   float64
	CanDraw, Annotating   bool
	Drawing               *model.Annotation // the drawing of the next comment
	Host                  viewerHost

	of        string // the asset id the errors belong to
	drew      bool   // Annotating, as last seen
	text      string
	replyText string
	atTime    bool // attach the player's time to the comment
	posting   bool
	postErr   string
	deciding  bool
	decideErr string
}

func (pn *panel) OnInit() { pn.atTime, pn.of = true, pn.Shown.id }

func (pn *panel) OnMount(ctx app.Context) { pn.owner.Set(ctx) }

// OnUpdate forgets the errors of the file shown before; a drawing is of the
// frame shown, so starting one attaches the time.
func (pn *panel) OnUpdate(ctx app.Context) {
	if pn.Shown.id != pn.of {
		pn.of = pn.Shown.id
		pn.replyText, pn.postErr, pn.decideErr = "", "", ""
	}
	if pn.Annotating && !pn.drew {
		pn.atTime = true
	}
	pn.drew = pn.Annotating
}

func (pn *panel) Render() app.UI {
	it, s := pn.Item, pn.Shown
	info := linkui.FileExt(s.name, s.filetype)
	if s.versions > 1 && s.index > 0 {
		info = "Version " + strconv.Itoa(s.index) + " of " + strconv.Itoa(s.versions) + " · " + info
	}
	if s.current {
		info += " · " + ui.HumanBytes(it.Filesize)
		if it.Width > 0 && it.Height > 0 {
			info += " · " + strconv.Itoa(it.Width) + " × " + strconv.Itoa(it.Height)
		}
	}
	return app.Aside().Class("rv-panel").Body(
		app.Div().Class("rv-panel-head").Body(
			app.H2().Class("sv-name").Text(s.name),
			app.P().Class("muted small").Text(info),
		),
		app.If(pn.Approvals, func() app.UI { return pn.renderDecision(it, s) }),
		app.If(pn.Commenting, func() app.UI { return pn.renderComments(s) }).Else(func() app.UI {
			return app.P().Class("rv-note muted small").Text("Comments are turned off for this review.")
		}),
	)
}

func (pn *panel) renderDecision(it model.PublicReviewItem, s reviewShown) app.UI {
	me := pn.Reviewer
	var others []model.PublicReviewApproval
	for _, a := range it.Approvals {
		if !strings.EqualFold(a.ReviewerName, me) {
			others = append(others, a)
		}
	}
	choice := func(id, status, label string) app.UI {
		cls := "rv-decide-btn rv-decide-" + status
		on := it.MyApproval == status
		if on {
			cls += " on"
		}
		return app.Button().Type("button").ID(id).Class(cls).Attr("aria-pressed", strconv.FormatBool(on)).Disabled(pn.deciding || !s.current).
			OnClick(func(ctx app.Context, e app.Event) { pn.decide(ctx, status) }).
			Body(reviewStatusIcon(status), app.Span().Text(label))
	}
	return app.Section().Class("rv-section rv-decision").Body(
		app.H3().Text("Your decision"),
		app.Div().Class("rv-decide").Attr("role", "group").Attr("aria-label", "Your decision").Body(
			choice("approve", "approved", "Approve"),
			choice("needs-changes", "needs_changes", "Needs changes"),
			choice("reject", "rejected", "Reject"),
		),
		app.If(!s.current, func() app.UI {
			return app.P().Class("muted small").Text("Decisions are about the newest version.")
		}),
		ui.ErrorBox(pn.decideErr),
		app.If(len(others) > 0, func() app.UI {
			return app.Ul().Class("rv-others").Body(
				app.Range(others).Slice(func(i int) app.UI {
					a := others[i]
					return app.Li().Class("rv-other").Body(
						app.Span().Class("avatar sm").Text(ui.Initials(a.ReviewerName)),
						app.Span().Class("rv-other-name").Text(a.ReviewerName),
						reviewStatusBadge(a.Status, ""),
					)
				}),
			)
		}),
	)
}

// decide sends the reviewer's decision on the item shown.
func (pn *panel) decide(ctx app.Context, status string) {
	it := pn.Item
	if pn.deciding {
		return
	}
	if it.MyApproval == status {
		status = "" // pressing the chosen decision again takes it back
	}
	var verdict *string
	if status != "" {
		verdict = &status
	}
	pn.deciding, pn.decideErr = true, ""
	key, id, i := pn.Key, it.ID, pn.Index
	pn.owner.Async(ctx, func() func(app.Context) {
		err := fetch.API.SetApproval(key, id, verdict)
		return func(ctx app.Context) {
			pn.deciding = false
			if isClosedErr(err) {
				pn.Host.setClosed(err)
				return
			}
			if pn.Item.ID != id {
				return
			}
			if err != nil {
				pn.decideErr = ui.Sentence(err.Error())
				return
			}
			pn.Host.decided(ctx, i, id, status)
		}
	})
}
