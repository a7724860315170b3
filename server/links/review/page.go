package review

import (
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/links"
)

// mediaKind is how the reviewer's page plays a file of type ft named name.
func mediaKind(ft, name string) string {
	ft = strings.ToLower(ft)
	switch {
	case strings.HasPrefix(ft, "video/"):
		return "video"
	case strings.HasPrefix(ft, "audio/"):
		return "audio"
	case ft == "application/pdf" || strings.HasSuffix(strings.ToLower(name), ".pdf"):
		return "pdf"
	case strings.HasPrefix(ft, "image/"):
		return "image"
	}
	return "other"
}

// Page is what a reviewer sees of review link r: its settings and, once
// unlocked, every file shown with its versions, renditions, verdicts and
// the number of comments the reviewer may read.
func (s *Service) Page(r Link, reviewer string, unlocked bool) (model.PublicReview, error) {
	out := model.PublicReview{Kind: links.ReviewKind, Key: r.Key, SiteName: s.Links.SiteName, Name: r.Name, OwnerName: r.OwnerName,
		ExpiresAt: r.ExpiresAt, NeedsPassword: !unlocked, ReviewerName: reviewer, AllowApprovals: r.AllowApprovals,
		EnableDownloading: r.EnableDownloading, EnableComments: r.EnableComments, CurrentVersionOnly: r.CurrentVersionOnly,
		Items: []model.PublicReviewItem{}}
	if !unlocked {
		return out, nil
	}
	approvals, err := s.Feedback.Approvals(r.ID)
	if err != nil {
		return out, err
	}
	base := "/api/v2/public/links/" + r.Key + "/assets/"
	for _, sh := range s.Links.ReviewShown(r) {
		as := sh.Asset
		it := model.PublicReviewItem{ID: as.ID, StackID: sh.StackID, Name: as.Name, Filetype: as.Filetype, Filesize: as.Filesize,
			Kind: mediaKind(as.Filetype, as.Name), Versions: []model.PublicReviewVersion{}, Approvals: []model.PublicReviewApproval{}}
		if as.MediaKind != "" {
			it.Kind = as.MediaKind
		}
		// The original plays only where it may be downloaded: reviewers
		// without downloads look at the renditions made for viewing.
		if s.Links.Rendition(r, as, "original", false) == nil {
			it.MediaURL = base + as.ID + "/original"
		}
		// The proxy plays for every reviewer (watching is viewing) and
		// plays where the original's codec does not.
		if play := links.PlayRendition(as); play != "" && s.Links.Rendition(r, as, play, false) == nil {
			it.MediaURL = base + as.ID + "/" + play
		}
		it.Duration, it.FPS, it.Frames = as.Duration, as.FPS, as.Frames
		if as.Properties != nil {
			it.Width, it.Height = as.Properties.Width, as.Properties.Height
			it.FrameRate = as.Properties.FrameRate
		}
		if as.ProxyStatus == assets.ProxyReady {
			it.ThumbURL, it.PreviewURL, it.LargeURL = base+as.ID+"/thumb", base+as.ID+"/preview", base+as.ID+"/large"
		}
		if s.Links.Rendition(r, as, "original", true) == nil {
			it.DownloadURL = base + as.ID + "/original?download=1"
		}
		for _, v := range sh.Versions {
			it.Versions = append(it.Versions, model.PublicReviewVersion{ID: v.ID, Name: v.Name, Index: v.Index, InsertedAt: v.InsertedAt})
		}
		for _, ap := range approvals {
			if ap.AssetID != as.ID {
				continue
			}
			it.Approvals = append(it.Approvals, model.PublicReviewApproval{ReviewerName: ap.ReviewerName, Status: ap.Status})
			if strings.EqualFold(ap.ReviewerName, reviewer) {
				it.MyApproval = ap.Status
			}
		}
		if cs, err := s.Feedback.List(as.ID); err == nil {
			it.CommentCount = len(access.ReviewerComments(r.ID, cs))
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}
