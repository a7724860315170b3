package model

import (
	"time"

	"github.com/ferryhq/ferry/model/annotation"
)

// Comment is a remark on an asset, Frame.io v2 style.
type Comment struct {
	ID           string    `json:"id"`
	Type         string    `json:"_type"`
	AssetID      string    `json:"asset_id"`
	ParentID     *string   `json:"parent_id"`
	OwnerID      *string   `json:"owner_id"`
	AuthorName   string    `json:"author_name"`
	ReviewLinkID *string   `json:"review_link_id"`
	Text         string    `json:"text"`
	Timestamp    *int64    `json:"timestamp"` // frame number from 0
	Duration     *int64    `json:"duration"`  // frames, for a range from timestamp
	Private      bool      `json:"private"`   // team only: reviewers never see it
	Annotation   *string   `json:"annotation"`
	Page         *int      `json:"page"`
	Completed    bool      `json:"completed"`
	HasReplies   bool      `json:"has_replies"`
	InsertedAt   time.Time `json:"inserted_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Approval is one reviewer's verdict on one asset of a review link.
type Approval struct {
	ReviewLinkID string    `json:"review_link_id"`
	AssetID      string    `json:"asset_id"`
	ReviewerName string    `json:"reviewer_name"`
	Status       string    `json:"status"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Annotation is a comment's drawing in Ferry's format, in the coordinates
// of an image Width×Height (a comment carries it as JSON text); the
// annotation package reads, checks and converts it and Frame.io's format.
type Annotation = annotation.Doc

// AnnotationShape is one stroke of an Annotation.
type AnnotationShape = annotation.Shape

// ReviewLinkActivity is what reviewers did through a review link
// (GET /api/v2/review_links/{id}/activity).
type ReviewLinkActivity struct {
	Approvals []Approval      `json:"approvals"`
	Comments  []Comment       `json:"comments"`
	Views     []ReviewerViews `json:"views"`
}

// ReviewerViews counts how often a reviewer opened a review link.
type ReviewerViews struct {
	ReviewerName string `json:"reviewer_name"`
	Count        int    `json:"count"`
}
