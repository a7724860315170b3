// Package review holds review links: their records, items, passwords
// and reviewer sessions (Links, on the links core it shares with share and
// upload links), the invitation and digest mails (Mailer), and the work
// that joins a link, its files (server/assets) and the feedback on them
// (server/feedback): the reviewer's page, a named reviewer's comments and
// verdicts, and the owner's activity view. HTTP stays in server/api;
// access stays in server/access.
package review

import (
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/links"
)

// Service answers for review links across links, assets and feedback.
type Service struct {
	Links    *Links
	Assets   *assets.Service
	Feedback *feedback.Service
}

// Reviewer is a visitor of a review link acting on one of its files; Name
// is "" until they give one.
type Reviewer struct {
	Link  Link
	Name  string
	Asset assets.Asset
}

// On resolves the visitor vis of the link with key acting on file id.
func (s *Service) On(key, id string, vis links.Visitor) (Reviewer, error) {
	r, se, err := s.Links.ReviewVisitor(key, vis)
	if err != nil {
		return Reviewer{Link: r}, err
	}
	as, err := s.Links.File(r, id)
	if err != nil {
		return Reviewer{Link: r, Asset: as}, err
	}
	return Reviewer{Link: r, Name: se.Reviewer, Asset: as}, nil
}

// MayComment refuses a reviewer the link takes no comments from.
func (rv Reviewer) MayComment() error {
	if !rv.Link.EnableComments {
		return errs.New(errs.Forbidden, "comments_disabled", "this review link does not take comments")
	}
	return rv.named()
}

// MayApprove refuses a reviewer the link takes no verdicts from.
func (rv Reviewer) MayApprove() error {
	if !rv.Link.AllowApprovals {
		return errs.New(errs.Forbidden, "approvals_disabled", "this review link does not take approvals")
	}
	return rv.named()
}

func (rv Reviewer) named() error {
	if rv.Name == "" {
		return errs.New(errs.Unauthorized, "name_required", "enter your name first")
	}
	return nil
}

// Comments lists what the reviewer sees of the comments on their file.
func (s *Service) Comments(rv Reviewer) ([]feedback.Comment, error) {
	cs, err := s.Feedback.List(rv.Asset.ID)
	return access.ReviewerComments(rv.Link.ID, cs), err
}

// Comment adds the reviewer's comment on their file (after MayComment).
func (s *Service) Comment(rv Reviewer, in feedback.NewComment) (feedback.Comment, error) {
	return s.Feedback.Add(rv.Asset.ID, feedback.Author{Name: rv.Name, ReviewLinkID: rv.Link.ID}, in)
}

// Approve sets or, with a nil status, withdraws the reviewer's verdict on
// their file (after MayApprove).
func (s *Service) Approve(rv Reviewer, status *string) error {
	st := ""
	if status != nil {
		st = *status
	}
	return s.Feedback.SetApproval(rv.Link.ID, rv.Asset.ID, rv.Name, st)
}

// Activity is what the owner of review link id sees of its reviewers: the
// verdicts, every comment on its files (and on the other versions of their
// stacks) and the views per reviewer.
func (s *Service) Activity(v assets.Viewer, id string) (model.ReviewLinkActivity, error) {
	items, err := s.Links.Items(v, id)
	if err != nil {
		return model.ReviewLinkActivity{}, err
	}
	approvals, err := s.Feedback.Approvals(id)
	if err != nil {
		return model.ReviewLinkActivity{}, err
	}
	comments := []feedback.Comment{}
	seen := map[string]bool{}
	for _, it := range items {
		ids := []string{it.AssetID}
		if it.Asset.Type == assets.TypeVersionStack || it.Asset.ParentID != "" {
			if kids, err := s.Assets.Children(assets.Viewer{Admin: true}, s.stackOf(it.Asset)); err == nil {
				for _, k := range kids {
					ids = append(ids, k.ID)
				}
			}
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			cs, _ := s.Feedback.List(id)
			comments = append(comments, cs...)
		}
	}
	views := []model.ReviewerViews{}
	for name, n := range s.Links.ReviewerViews(id) {
		views = append(views, model.ReviewerViews{ReviewerName: name, Count: n})
	}
	return model.ReviewLinkActivity{Approvals: approvals, Comments: comments, Views: views}, nil
}

// stackOf is the version stack holding a (a itself when it is one), or "-".
func (s *Service) stackOf(a assets.Asset) string {
	if a.Type == assets.TypeVersionStack {
		return a.ID
	}
	if p, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
		return p.ID
	}
	return "-"
}

// Recipients reads the addresses of "share by email" as decoded from JSON:
// a comma-, semicolon- or line-separated string, or a list of strings.
func Recipients(v any) ([]string, error) {
	var list []string
	switch v := v.(type) {
	case string:
		list = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, errRecipients()
			}
			list = append(list, s)
		}
	default:
		return nil, errRecipients()
	}
	var clean []string
	for _, r := range list {
		if r = strings.TrimSpace(r); r != "" {
			clean = append(clean, r)
		}
	}
	return clean, nil
}

func errRecipients() error {
	return errs.Invalidf("recipients is a comma-separated string or a list of addresses")
}
