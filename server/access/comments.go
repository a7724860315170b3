package access

import "github.com/ferryhq/ferry/server/feedback"

// ReviewerComments is what a reviewer of review link linkID sees of the
// comments cs on one asset: the threads started through that link (by its
// reviewers), with every reply in them, team members' included. Threads
// the team started among themselves are internal, and other review links'
// threads belong to other reviewers (their names, their feedback): both
// stay hidden, as do the team's private (Frame.io "team-only") comments.
func ReviewerComments(linkID string, cs []feedback.Comment) []feedback.Comment {
	byID := make(map[string]feedback.Comment, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := []feedback.Comment{}
	for _, c := range cs {
		root := c
		for depth := 0; root.ParentID != nil && depth < 64; depth++ {
			p, ok := byID[*root.ParentID]
			if !ok {
				break
			}
			root = p
		}
		if root.ParentID == nil && root.ReviewLinkID != nil && *root.ReviewLinkID == linkID && !c.Private {
			out = append(out, c)
		}
	}
	return out
}
