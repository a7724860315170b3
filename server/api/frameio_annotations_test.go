package api_test

import (
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// frameioAnnotation is a drawing as the Frame.io web app and its SDK users
// write it: a JSON list of shapes in fractions of the frame.
const frameioAnnotation = `[{"tool":"arrow","color":"#E74A3C","size":3,"x":0.1,"y":0.2,"w":0.3,"h":0.4},` +
	`{"tool":"rect","color":"#34A3DB","size":3,"x":0.5,"y":0.5,"w":0.25,"h":0.2,"ix":0.75,"iy":0.7,"radius":8},` +
	`{"tool":"line","color":"#F1C40F","size":2,"x1":0,"y1":1,"x2":1,"y2":0},` +
	`{"tool":"pen","color":"#2ECC71","size":5,"points":[[0.1,0.9],[0.15,0.85],[0.2,0.9]]}]`

// TestFrameioAnnotations: comments.create with an annotation in Frame.io's
// format is stored and returned as written, by the v2 routes and to a
// reviewer who wrote one through a review link (whose page draws it); bad annotations and timestamps are refused with their reason
// and nothing is stored.
func TestFrameioAnnotations(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, root := linkProject(t, admin, "Film")
	asset := admin.Upload(root, "still.jpg", jpegBytes(t, 64, 48, color.RGBA{9, 9, 9, 255}))
	sdk := sdkClient(t, s, mintToken(t, admin, "comments.create", "comments.read", "comments.update", "assets.read"))

	var c1 model.Comment
	wantStatus(t, "create", sdk.Do("POST", "/api/v2/assets/"+asset+"/comments",
		[]byte(`{"text":"Look here","timestamp":0,"annotation":`+strconv.Quote(frameioAnnotation)+`}`), &c1), 201, "")
	if c1.Annotation == nil || *c1.Annotation != frameioAnnotation {
		t.Fatalf("created annotation %v, want it as written", c1.Annotation)
	}
	var got model.Comment
	wantStatus(t, "get", sdk.Do("GET", "/api/v2/comments/"+c1.ID, nil, &got), 200, "")
	if got.Annotation == nil || *got.Annotation != frameioAnnotation {
		t.Fatalf("read back %v", got.Annotation)
	}
	// comments.update with another Frame.io drawing.
	moved := strings.Replace(frameioAnnotation, `"x":0.1`, `"x":0.15`, 1)
	wantStatus(t, "update", sdk.Do("PUT", "/api/v2/comments/"+c1.ID, model.CommentPatch{Annotation: model.Ptr(moved)}, &got), 200, "")
	if *got.Annotation != moved {
		t.Fatalf("updated annotation %s", *got.Annotation)
	}

	// A reviewer sees it, and may write one in Frame.io's format.
	v, base := reviewerMia(t, s, admin, project, asset)
	pen := `[{"tool":"pen","color":"#ffffff","size":4,"points":[{"x":0.2,"y":0.2},{"x":0.8,"y":0.8}]}]`
	wantStatus(t, "reviewer draws", v.Do("POST", base, model.NewComment{Text: "Here", Annotation: model.Ptr(pen)}, nil), 201, "")
	var seen []model.Comment
	wantStatus(t, "reviewer list", v.Do("GET", base, nil, &seen), 200, "")
	if len(seen) != 1 || seen[0].Annotation == nil || *seen[0].Annotation != pen {
		t.Fatalf("the reviewer sees %+v", seen)
	}
	wantStatus(t, "team list", sdk.Do("GET", "/api/v2/assets/"+asset+"/comments", nil, &seen), 200, "")
	if len(seen) != 2 || *seen[0].Annotation != moved || *seen[1].Annotation != pen {
		t.Fatalf("the team sees %+v", seen)
	}

	count := func() int {
		var cs []model.Comment
		wantStatus(t, "list", admin.Do("GET", "/api/v2/assets/"+asset+"/comments", nil, &cs), 200, "")
		return len(cs)
	}
	before := count()
	tenThousand := "[" + strings.TrimSuffix(strings.Repeat(`{"tool":"line","color":"#fff","size":1,"x1":0,"y1":0,"x2":1,"y2":1},`, 10000), ",") + "]"
	for _, tc := range []struct{ body, reason string }{
		{`{"text":"x","annotation":"not json"}`, "annotation must be a JSON string"},
		{`{"text":"x","annotation":` + strconv.Quote(tenThousand) + `}`, "annotation"},
		{`{"text":"x","annotation":"[{\"tool\":\"blur\",\"color\":\"#fff\",\"size\":1}]"}`, `tool \"blur\": arrow, rect, line or pen`},
		{`{"text":"x","annotation":"[{\"tool\":\"rect\",\"color\":\"#fff\",\"size\":1,\"x\":0.1,\"y\":0.1,\"w\":9,\"h\":0.1}]"}`, "coordinates are fractions of the frame"},
		{`{"text":"x","timestamp":-1,"annotation":` + strconv.Quote(frameioAnnotation) + `}`, "timestamp is a frame number"},
		{`{"text":"x","timestamp":"NaN","annotation":` + strconv.Quote(frameioAnnotation) + `}`, `timestamp\" must be float64`},
		{`{"text":"x","timestamp":NaN}`, "malformed JSON"},
	} {
		for who, c := range map[string]*testkit.Client{"sdk": sdk, "reviewer": v} {
			path := "/api/v2/assets/" + asset + "/comments"
			if who == "reviewer" {
				path = base
			}
			res := c.Do("POST", path, []byte(tc.body), nil)
			if b := body(res); res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(b, tc.reason) {
				t.Errorf("%s %.80s: %d %.300s, want 4xx naming %q", who, tc.body, res.StatusCode, b, tc.reason)
			}
		}
	}
	res := sdk.Do("PUT", "/api/v2/comments/"+c1.ID, []byte(`{"annotation":"[]"}`), nil)
	wantStatus(t, "update to no shapes", res, v2Invalid, "")
	if n := count(); n != before {
		t.Fatalf("refused comments were stored: %d, want %d", n, before)
	}
	wantStatus(t, "get", sdk.Do("GET", "/api/v2/comments/"+c1.ID, nil, &got), 200, "")
	if *got.Annotation != moved {
		t.Fatalf("a refused update changed the annotation to %s", *got.Annotation)
	}
}

// reviewerMia makes a review link with comments of asset in project and
// opens it as the reviewer Mia; it returns her client and the path of the
// asset's comments through the link.
func reviewerMia(t *testing.T, s *testkit.Server, admin *testkit.Client, project, asset string) (*testkit.Client, string) {
	t.Helper()
	var rl model.ReviewLink
	wantStatus(t, "review link", admin.Do("POST", "/api/v2/projects/"+project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R"), EnableComments: model.Ptr(true)}, &rl), 201, "")
	wantStatus(t, "review item", admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{asset}}, nil), 200, "")
	v := s.Client(t)
	wantStatus(t, "open", v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, nil), 200, "")
	wantStatus(t, "name", v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Mia"}, nil), 200, "")
	return v, "/api/v2/public/links/" + rl.Key + "/assets/" + asset + "/comments"
}
