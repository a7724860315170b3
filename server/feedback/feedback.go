// Package feedback holds the feedback on assets: comments (with a video
// timestamp, a drawn annotation, a document page, replies) and approvals
// given through review links. Frame.io v2 names its fields; so does Ferry.
package feedback

import (
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/model/annotation"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Approval statuses.
const (
	Approved     = "approved"
	NeedsChanges = "needs_changes"
	Rejected     = "rejected"
)

// Limits on what a comment may carry.
const (
	MaxText = 10_000 // characters
	// MaxFrame bounds timestamps and durations: 2^40 frames is some 1 450
	// years at 24 fps, and far from where a float64 stops holding integers.
	MaxFrame = 1 << 40
)

// Comment is model.Comment, the JSON document.
type Comment = model.Comment

// NewComment is model.NewComment, the JSON document.
type NewComment = model.NewComment

// CommentPatch is model.CommentPatch, the JSON document.
type CommentPatch = model.CommentPatch

// frameOf turns a v2 timestamp into the frame it falls in.
func frameOf(ts *float64) (*int64, error) {
	if ts == nil {
		return nil, nil
	}
	if math.IsNaN(*ts) || *ts < 0 || *ts > MaxFrame {
		return nil, errs.Invalidf("timestamp is a frame number from 0 to %d (a fraction is allowed and kept as the frame it falls in), not %v", int64(MaxFrame), *ts)
	}
	f := int64(math.Floor(*ts))
	return &f, nil
}

// Author is who writes: a user, or a named reviewer of a link.
type Author struct {
	UserID       string
	Name         string
	ReviewLinkID string
}

// Approval is model.Approval, the JSON document.
type Approval = model.Approval

// Service stores comments and approvals.
type Service struct {
	Store *store.Store
	Now   func() time.Time
}

func (s *Service) now() time.Time { return store.NowUTC(s.Now) }

// checkAnnotation refuses an annotation that is neither Ferry's format
// nor Frame.io's (model/annotation), saying why.
func checkAnnotation(a string) error {
	if _, err := annotation.Parse(a); err != nil {
		return errs.Invalidf("%v", err)
	}
	return nil
}

func cleanText(t string) (string, error) {
	t, err := assets.CleanText("text", t, MaxText, false)
	if err == nil && t == "" {
		err = errs.Invalidf("text must not be empty")
	}
	return t, err
}

func getComment(tx *store.Tx, id string) (Comment, error) {
	var c Comment
	if _, err := uuid.Parse(id); err != nil {
		return c, errs.NotFoundf("comment %s not found", id)
	}
	err := tx.Get(store.PrefixComment+id, &c)
	if errors.Is(err, store.ErrNotFound) {
		return c, errs.NotFoundf("comment %s not found", id)
	}
	return c, err
}

// Add stores a comment on assetID (checked by the caller) by author.
func (s *Service) Add(assetID string, a Author, in NewComment) (Comment, error) {
	text, err := cleanText(in.Text)
	if err != nil {
		return Comment{}, err
	}
	frame, err := frameOf(in.Timestamp)
	if err != nil {
		return Comment{}, err
	}
	if in.Duration != nil && (*in.Duration < 0 || *in.Duration > MaxFrame) {
		return Comment{}, errs.Invalidf("duration is a number of frames from 0 to %d, not %d", int64(MaxFrame), *in.Duration)
	}
	if in.Duration != nil && frame == nil {
		return Comment{}, errs.Invalidf("duration needs a timestamp: it is the length of the range that starts there")
	}
	if in.Page != nil && *in.Page < 1 {
		return Comment{}, errs.Invalidf("page counts from 1")
	}
	if in.Annotation != nil {
		if err := checkAnnotation(*in.Annotation); err != nil {
			return Comment{}, err
		}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Comment{}, err
	}
	now := s.now()
	c := Comment{ID: id.String(), Type: "comment", AssetID: assetID, AuthorName: a.Name, Text: text,
		Timestamp: frame, Duration: in.Duration, Annotation: in.Annotation, Page: in.Page, InsertedAt: now, UpdatedAt: now,
		// Reviewers' comments are theirs to see: only the team's can be private.
		Private: in.Private && a.ReviewLinkID == ""}
	if a.UserID != "" {
		c.OwnerID = &a.UserID
	}
	if a.ReviewLinkID != "" {
		c.ReviewLinkID = &a.ReviewLinkID
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		if in.ParentID != "" {
			p, err := getComment(tx, in.ParentID)
			if err != nil || p.AssetID != assetID {
				return errs.Invalidf("parent_id %s is not a comment on this asset", in.ParentID)
			}
			if p.ParentID != nil { // replies to a reply join the thread
				p, err = getComment(tx, *p.ParentID)
				if err != nil {
					return err
				}
			}
			c.ParentID = &p.ID
			if !p.HasReplies {
				p.HasReplies = true
				if err := tx.Put(store.PrefixComment+p.ID, p); err != nil {
					return err
				}
			}
		}
		if err := tx.Put(store.PrefixComment+c.ID, c); err != nil {
			return err
		}
		return tx.Put(store.PrefixAssetComment+assetID+"/"+c.ID, "")
	})
	return c, err
}

// Get returns comment id.
func (s *Service) Get(id string) (Comment, error) {
	var c Comment
	err := s.Store.View(func(tx *store.Tx) (err error) { c, err = getComment(tx, id); return err })
	return c, err
}

// List returns the comments on assetID, oldest first (replies included).
func (s *Service) List(assetID string) ([]Comment, error) {
	out := []Comment{}
	err := s.Store.View(func(tx *store.Tx) error {
		prefix := store.PrefixAssetComment + assetID + "/"
		return tx.ScanKeys(prefix, func(k string) error {
			c, err := getComment(tx, strings.TrimPrefix(k, prefix))
			if err == nil {
				out = append(out, c)
			}
			return nil
		})
	})
	return out, err
}

// Update changes a comment's text, timestamp, annotation or completed
// flag; nothing changes when one of them is invalid.
func (s *Service) Update(id string, in CommentPatch) (Comment, error) {
	var c Comment
	frame, err := frameOf(in.Timestamp)
	if err != nil {
		return c, err
	}
	if in.Annotation != nil {
		if err := checkAnnotation(*in.Annotation); err != nil {
			return c, err
		}
	}
	err = s.Store.Update(func(tx *store.Tx) (err error) {
		if c, err = getComment(tx, id); err != nil {
			return err
		}
		if in.Text != nil {
			if c.Text, err = cleanText(*in.Text); err != nil {
				return err
			}
		}
		if frame != nil {
			c.Timestamp = frame
		}
		if in.Annotation != nil {
			c.Annotation = in.Annotation
		}
		if in.Completed != nil {
			c.Completed = *in.Completed
		}
		c.UpdatedAt = s.now()
		return tx.Put(store.PrefixComment+c.ID, c)
	})
	return c, err
}

// Delete removes a comment and its replies.
func (s *Service) Delete(id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		c, err := getComment(tx, id)
		if err != nil {
			return err
		}
		prefix := store.PrefixAssetComment + c.AssetID + "/"
		var gone []string
		tx.ScanKeys(prefix, func(k string) error {
			r, err := getComment(tx, strings.TrimPrefix(k, prefix))
			if err == nil && r.ParentID != nil && *r.ParentID == c.ID {
				gone = append(gone, r.ID)
			}
			return nil
		})
		for _, rid := range append(gone, c.ID) {
			if err := tx.Delete(store.PrefixComment + rid); err != nil {
				return err
			}
			if err := tx.Delete(prefix + rid); err != nil {
				return err
			}
		}
		return nil
	})
}

func reviewerKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// SetApproval records reviewer's verdict on assetID in a link ("" clears it).
func (s *Service) SetApproval(linkID, assetID, reviewer, status string) error {
	switch status {
	case "", Approved, NeedsChanges, Rejected:
	default:
		return errs.Invalidf("status must be approved, needs_changes, rejected or null")
	}
	key := store.PrefixApproval + linkID + "/" + assetID + "/" + reviewerKey(reviewer)
	return s.Store.Update(func(tx *store.Tx) error {
		if status == "" {
			return tx.Delete(key)
		}
		return tx.Put(key, Approval{ReviewLinkID: linkID, AssetID: assetID, ReviewerName: reviewer, Status: status, UpdatedAt: s.now()})
	})
}

// Approvals lists the verdicts given through a link.
func (s *Service) Approvals(linkID string) ([]Approval, error) {
	out := []Approval{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixApproval+linkID+"/", func(_ string, b []byte) error {
			var a Approval
			if json.Unmarshal(b, &a) == nil {
				out = append(out, a)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].UpdatedAt.Before(out[j].UpdatedAt) })
	return out, err
}
