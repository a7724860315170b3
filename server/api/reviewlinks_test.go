package api_test

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// A script written for Frame.io v2 review links, with only the base URL
// and the token changed.
func TestReviewLinkFrameIOClient(t *testing.T) {
	f := newShareFixture(t)
	api := f.s.TokenClient(t, "review_links.create", "review_links.read", "review_links.update", "projects.read", "assets.read")
	var project model.Project
	if res := api.Do("GET", "/api/v2/projects/"+f.project, nil, &project); res.StatusCode != 200 || project.RootAssetID != f.root {
		t.Fatalf("project: %d %s", res.StatusCode, body(res))
	}
	var kids []model.Asset
	res := api.Do("GET", "/api/v2/assets/"+project.RootAssetID+"/children?page=1&page_size=2", nil, &kids)
	if res.StatusCode != 200 || len(kids) != 2 || res.Header.Get("total") != "4" || res.Header.Get("total-pages") != "2" {
		t.Fatalf("children: %d %v %+v", res.StatusCode, res.Header, kids)
	}
	// The seed's example payload.
	var rl model.ReviewLink
	if res := api.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("New Review Link"), AllowApprovals: model.Ptr(true), CurrentVersionOnly: model.Ptr(false), EnableDownloading: model.Ptr(true), ExpiresAt: model.Null[time.Time](), HasPassword: model.Ptr(false)}, &rl); res.StatusCode != 201 {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	if rl.Type != "review_link" || rl.Name != "New Review Link" || !rl.AllowApprovals || rl.CurrentVersionOnly || !rl.EnableDownloading ||
		!rl.EnableComments || rl.ExpiresAt != nil || rl.HasPassword || !rl.IsActive || rl.ShortURL != f.s.Config.PublicURL+"/r/"+rl.Key ||
		rl.ProjectID != f.project || rl.OwnerID == "" || rl.InsertedAt.IsZero() {
		t.Fatalf("review link: %+v", rl)
	}
	// Name only: the defaults.
	var minimal model.ReviewLink
	api.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Only a name")}, &minimal)
	if !minimal.AllowApprovals || minimal.CurrentVersionOnly || !minimal.EnableDownloading || minimal.ItemCount != 0 {
		t.Fatalf("defaults: %+v", minimal)
	}
	if res := api.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0], f.images[1]}}, &rl); res.StatusCode != 200 || rl.ItemCount != 2 {
		t.Fatalf("add assets: %d %s", res.StatusCode, body(res))
	}
	var items []model.ReviewLinkItem
	if res := api.Do("GET", "/api/v2/review_links/"+rl.ID+"/items", nil, &items); res.StatusCode != 200 || len(items) != 2 ||
		items[0].ReviewLinkID != rl.ID || items[0].Asset.ID != items[0].AssetID || items[0].Asset.Type != "file" || items[0].Asset.Filesize == 0 {
		t.Fatalf("items: %d %+v", res.StatusCode, items)
	}
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	if res := api.Do("PUT", "/api/v2/review_links/"+rl.ID, model.ReviewLinkInput{ExpiresAt: model.Set(at)}, &rl); res.StatusCode != 200 || rl.ExpiresAt == nil {
		t.Fatalf("update expires_at: %d %s", res.StatusCode, body(res))
	}
	var list []model.ReviewLink
	if res := api.Do("GET", "/api/v2/projects/"+f.project+"/review_links", nil, &list); res.StatusCode != 200 || len(list) != 2 || res.Header.Get("total") != "2" {
		t.Fatalf("list: %d %+v", res.StatusCode, list)
	}
	// Scopes: no delete, no comments with this token.
	if res := api.Do("DELETE", "/api/v2/review_links/"+rl.ID, nil, nil); res.StatusCode != 403 || !strings.Contains(body(res), "review_links.delete") {
		t.Fatalf("delete without the scope: %d %s", res.StatusCode, body(res))
	}
	if res := api.Do("GET", "/api/v2/assets/"+f.images[0]+"/comments", nil, nil); res.StatusCode != 403 || !strings.Contains(body(res), "comments.read") {
		t.Fatalf("comments without the scope: %d %s", res.StatusCode, body(res))
	}
	del := f.s.TokenClient(t, "review_links.delete")
	if res := del.Do("DELETE", "/api/v2/review_links/"+rl.ID, nil, nil); res.StatusCode != 200 {
		t.Fatalf("delete: %d %s", res.StatusCode, body(res))
	}
	if res := api.Do("GET", "/api/v2/review_links/"+rl.ID, nil, nil); res.StatusCode != 404 {
		t.Fatalf("after delete: %d", res.StatusCode)
	}
	if res := f.s.Client(t).Do("GET", "/api/v2/public/links/"+rl.Key, nil, nil); res.StatusCode != 404 {
		t.Fatalf("deleted link's page: %d", res.StatusCode)
	}
}

func TestReviewLinkReviewer(t *testing.T) {
	f := newShareFixture(t)
	var rl model.ReviewLink
	f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Campaign"), Password: model.Ptr("review-pass-1")}, &rl)
	f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0], f.pdf}}, nil)
	if !rl.HasPassword {
		t.Fatalf("has_password: %+v", rl)
	}
	v := f.s.Client(t)
	pub := func() (out model.PublicReview) {
		if res := v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, &out); res.StatusCode != 200 {
			t.Fatalf("public: %d %s", res.StatusCode, body(res))
		}
		return out
	}
	if p := pub(); p.Kind != "review" || !p.NeedsPassword || len(p.Items) != 0 {
		t.Fatalf("before the password: %+v", p)
	}
	base := "/api/v2/public/links/" + rl.Key + "/assets/" + f.images[0]
	if res := v.Do("POST", base+"/comments", model.NewComment{Text: "hi"}, nil); res.StatusCode != 401 {
		t.Fatalf("comment before the password: %d", res.StatusCode)
	}
	if res := v.Do("POST", "/api/v2/public/links/"+rl.Key+"/unlock", model.Unlock{Password: "wrong-pass-1"}, nil); res.StatusCode != 401 {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if res := v.Do("POST", "/api/v2/public/links/"+rl.Key+"/unlock", model.Unlock{Password: "review-pass-1"}, nil); res.StatusCode != 200 {
		t.Fatalf("password: %d %s", res.StatusCode, body(res))
	}
	if res := v.Do("POST", base+"/comments", model.NewComment{Text: "hi"}, nil); res.StatusCode != 401 || !strings.Contains(body(res), "name") {
		t.Fatalf("comment before a name: %d %s", res.StatusCode, body(res))
	}
	if res := v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "  "}, nil); res.StatusCode != 400 {
		t.Fatalf("empty name: %d", res.StatusCode)
	}
	if res := v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Mia Chen"}, nil); res.StatusCode != 200 {
		t.Fatalf("name: %d %s", res.StatusCode, body(res))
	}
	p := pub()
	if p.ReviewerName != "Mia Chen" || len(p.Items) != 2 || p.Items[0].ThumbURL == "" || p.Items[1].Kind != "pdf" || p.Items[0].DownloadURL == "" {
		t.Fatalf("after name: %+v", p)
	}
	if res, _ := get(t, v, p.Items[0].ThumbURL); res.StatusCode != 200 {
		t.Fatalf("thumb: %d", res.StatusCode)
	}
	// Approve, comment with a timestamp and an annotation, reply.
	if res := v.Do("PUT", base+"/approval", model.ApprovalInput{Status: model.Ptr("approved")}, nil); res.StatusCode != 200 {
		t.Fatalf("approve: %d %s", res.StatusCode, body(res))
	}
	ann := `{"width":900,"height":600,"shapes":[{"type":"path","color":"#ff0000","points":[[10,10],[40,60]]}]}`
	var c1 model.Comment
	if res := v.Do("POST", base+"/comments", model.NewComment{Text: "Warmer here", Timestamp: model.Ptr[float64](48), Annotation: model.Ptr(ann)}, &c1); res.StatusCode != 201 ||
		c1.AuthorName != "Mia Chen" || c1.OwnerID != nil || c1.ReviewLinkID == nil || *c1.Timestamp != 48 || c1.Annotation == nil {
		t.Fatalf("comment: %d %s", res.StatusCode, body(res))
	}
	var r1 model.Comment
	if res := v.Do("POST", base+"/comments", model.NewComment{Text: "And the sky", ParentID: c1.ID}, &r1); res.StatusCode != 201 || r1.ParentID == nil || *r1.ParentID != c1.ID {
		t.Fatalf("reply: %d %s", res.StatusCode, body(res))
	}
	// The owner sees it all, replies through the Frame.io API, and completes it.
	var act model.ReviewLinkActivity
	f.admin.Do("GET", "/api/v2/review_links/"+rl.ID+"/activity", nil, &act)
	if len(act.Approvals) != 1 || act.Approvals[0].Status != "approved" || act.Approvals[0].ReviewerName != "Mia Chen" ||
		len(act.Comments) != 2 || len(act.Views) != 1 || act.Views[0].Count < 1 {
		t.Fatalf("activity: %+v", act)
	}
	var log []model.AccessLogEntry
	f.admin.Do("GET", "/api/v2/review_links/"+rl.ID+"/access_log", nil, &log)
	seen := map[string]int{}
	for _, e := range log {
		seen[e.Action]++
	}
	if seen["failed_password"] != 1 || seen["view"] < 1 {
		t.Fatalf("review access log: %+v", log)
	}
	if res, b := get(t, f.admin, "/api/v2/review_links/"+rl.ID+"/access_log?format=csv"); res.StatusCode != 200 || !strings.Contains(string(b), "failed_password") {
		t.Fatalf("review access log CSV: %d %s", res.StatusCode, b)
	}
	var r2 model.Comment
	if res := f.admin.Do("POST", "/api/v2/comments/"+c1.ID+"/replies", model.NewComment{Text: "Will do"}, &r2); res.StatusCode != 201 || r2.OwnerID == nil || r2.AuthorName != "Admin" {
		t.Fatalf("owner reply: %d %s", res.StatusCode, body(res))
	}
	var got model.Comment
	f.admin.Do("PUT", "/api/v2/comments/"+c1.ID, model.CommentPatch{Completed: model.Ptr(true)}, &got)
	if !got.Completed || !got.HasReplies {
		t.Fatalf("completed: %+v", got)
	}
	var cs []model.Comment
	v.Do("GET", base+"/comments", nil, &cs)
	if len(cs) != 3 {
		t.Fatalf("the reviewer sees %d comments", len(cs))
	}

	// Bad input: each a clear 4xx.
	for _, tc := range []struct {
		in   model.NewComment
		want string
	}{
		{model.NewComment{Text: "x", Timestamp: model.Ptr[float64](-1)}, "frame number"},
		{model.NewComment{Text: strings.Repeat("x", 100<<10)}, "longer than"},
		{model.NewComment{Text: "x", Annotation: model.Ptr("not json")}, "annotation"},
		{model.NewComment{Text: "x", Annotation: model.Ptr(`{"width":1,"height":1,"shapes":[{"type":"circle","points":[[1,1]]}]}`)}, "shape type"},
		{model.NewComment{}, "empty"},
	} {
		if res := v.Do("POST", base+"/comments", tc.in, nil); res.StatusCode != 400 || !strings.Contains(body(res), tc.want) {
			t.Errorf("comment %.60v: %d %.200s", tc.in, res.StatusCode, body(res))
		}
	}
	if res := v.Do("PUT", base+"/approval", model.ApprovalInput{Status: model.Ptr("maybe")}, nil); res.StatusCode != 400 {
		t.Errorf("approval maybe: %d", res.StatusCode)
	}
	var noApprovals model.ReviewLink
	f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("No approvals"), AllowApprovals: model.Ptr(false), EnableDownloading: model.Ptr(false)}, &noApprovals)
	f.admin.Do("POST", "/api/v2/review_links/"+noApprovals.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0]}}, nil)
	v2 := f.s.Client(t)
	v2.Do("POST", "/api/v2/public/links/"+noApprovals.Key+"/reviewer", model.ReviewerName{Name: "Tom"}, nil)
	if res := v2.Do("PUT", "/api/v2/public/links/"+noApprovals.Key+"/assets/"+f.images[0]+"/approval", model.ApprovalInput{Status: model.Ptr("approved")}, nil); res.StatusCode != 403 {
		t.Errorf("approval on a link without approvals: %d %s", res.StatusCode, body(res))
	}
	if res, _ := get(t, v2, "/api/v2/public/links/"+noApprovals.Key+"/assets/"+f.images[0]+"/original?download=1"); res.StatusCode != 403 {
		t.Errorf("download on a link without downloads: %d", res.StatusCode)
	}
	_, otherRoot := linkProject(t, f.admin, "Elsewhere")
	foreign := f.admin.Upload(otherRoot, "x.jpg", jpegBytes(t, 8, 8, color.RGBA{1, 1, 1, 255}))
	if res := f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{foreign}}, nil); res.StatusCode != 400 || !strings.Contains(body(res), "another project") {
		t.Errorf("asset of another project: %d %s", res.StatusCode, body(res))
	}
	past := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	if res := f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("x"), ExpiresAt: model.Set(past)}, nil); res.StatusCode != 400 {
		t.Errorf("expiry in the past: %d", res.StatusCode)
	}
	if res := f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("x"), Password: model.Ptr("short")}, nil); res.StatusCode != 400 {
		t.Errorf("short password: %d", res.StatusCode)
	}
}

// current_version_only shows only the newest version of a stack, on every route.
func TestReviewLinkCurrentVersionOnly(t *testing.T) {
	f := newShareFixture(t)
	v2 := f.admin.Upload(f.root, "harbour-1 v2.jpg", jpegBytes(t, 300, 200, color.RGBA{9, 90, 9, 255}), "version_of", f.images[0])
	var stack model.Asset
	f.admin.Do("GET", "/api/v2/assets/"+v2, nil, &stack)
	for _, cvo := range []bool{true, false} {
		var rl model.ReviewLink
		f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Versions"), CurrentVersionOnly: model.Ptr(cvo)}, &rl)
		if res := f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{stack.ParentID}}, nil); res.StatusCode != 200 {
			t.Fatalf("add stack: %d %s", res.StatusCode, body(res))
		}
		v := f.s.Client(t)
		v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Ann"}, nil)
		var p model.PublicReview
		v.Do("GET", "/api/v2/public/links/"+rl.Key, nil, &p)
		if len(p.Items) != 1 || p.Items[0].ID != v2 {
			t.Fatalf("cvo=%v items: %+v", cvo, p.Items)
		}
		wantVersions := map[bool]int{true: 1, false: 2}[cvo]
		if len(p.Items[0].Versions) != wantVersions {
			t.Fatalf("cvo=%v versions: %+v", cvo, p.Items[0].Versions)
		}
		old := "/api/v2/public/links/" + rl.Key + "/assets/" + f.images[0]
		wantOld := map[bool]int{true: 404, false: 200}[cvo]
		for _, path := range []string{old + "/thumb", old + "/original", old + "/comments"} {
			if res, _ := get(t, v, path); res.StatusCode != wantOld {
				t.Errorf("cvo=%v %s: %d (want %d)", cvo, path, res.StatusCode, wantOld)
			}
		}
		if res := v.Do("POST", old+"/comments", model.NewComment{Text: "old"}, nil); res.StatusCode != map[bool]int{true: 404, false: 201}[cvo] {
			t.Errorf("cvo=%v comment on the old version: %d", cvo, res.StatusCode)
		}
	}
}

func TestReviewLinkExpiry(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	var rl model.ReviewLink
	at := clk.Now().Add(time.Hour)
	f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Soon"), ExpiresAt: model.Set(at)}, &rl)
	f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0]}}, nil)
	v := f.s.Client(t)
	v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Ann"}, nil)
	base := "/api/v2/public/links/" + rl.Key
	clk.Advance(time.Hour - time.Second)
	if res, b := get(t, v, base+"/assets/"+f.images[0]+"/comments"); res.StatusCode != 200 {
		t.Fatalf("a second before expiry: %d %s", res.StatusCode, b)
	}
	clk.Advance(time.Second)
	for _, p := range []string{base, base + "/assets/" + f.images[0] + "/thumb", base + "/assets/" + f.images[0] + "/comments"} {
		if res, b := get(t, v, p); res.StatusCode != 410 {
			t.Errorf("%s after expiry: %d %s", p, res.StatusCode, b)
		}
	}
	f.admin.Do("GET", "/api/v2/review_links/"+rl.ID, nil, &rl)
	if rl.IsActive {
		t.Error("an expired review link is active")
	}

}

// Review links go out by email, and their owner gets a digest of feedback.
func TestReviewLinkMail(t *testing.T) {
	mp := testkit.Mailpit(t)
	f := newShareFixture(t, withSMTP("smtp://"+mp.SMTPAddr, "Studio <desk@nordlicht.example>"),
		func(c *config.Config) { c.Review.DigestInterval = config.Duration(500 * time.Millisecond) })
	var rl model.ReviewLink
	f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("Campaign cut"), Password: model.Ptr("review-pass-1")}, &rl)
	f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0]}}, nil)
	var sent model.ReviewLinkShareAnswer
	if res := f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/share", model.ReviewLinkShare{Recipients: "mia@client.example, tom@client.example", Message: "Cut 3, please"}, &sent); res.StatusCode != 202 || len(sent.SentTo) != 2 {
		t.Fatalf("share: %d %s", res.StatusCode, body(res))
	}
	if res := f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/share", model.ReviewLinkShare{Recipients: "not-an-address"}, nil); res.StatusCode != 400 {
		t.Fatalf("a bad recipient: %d %s", res.StatusCode, body(res))
	}
	msgs := mp.WaitMessages(t, 2, 15*time.Second)
	for _, m := range msgs {
		full := mp.Message(t, m.ID)
		if !strings.Contains(full.Text, "/r/"+rl.Key) || !strings.Contains(full.Text, "Cut 3, please") || strings.Contains(full.Text, "review-pass-1") {
			t.Fatalf("invitation:\n%s", full.Text)
		}
	}
	mp.DeleteAll(t)

	v := f.s.Client(t)
	v.Do("POST", "/api/v2/public/links/"+rl.Key+"/unlock", model.Unlock{Password: "review-pass-1"}, nil)
	v.Do("POST", "/api/v2/public/links/"+rl.Key+"/reviewer", model.ReviewerName{Name: "Mia"}, nil)
	base := "/api/v2/public/links/" + rl.Key + "/assets/" + f.images[0]
	v.Do("POST", base+"/comments", model.NewComment{Text: "Warmer skin tones"}, nil)
	v.Do("PUT", base+"/approval", model.ApprovalInput{Status: model.Ptr("needs_changes")}, nil)
	msgs = mp.WaitMessages(t, 1, 15*time.Second)
	d := mp.Message(t, msgs[0].ID)
	if d.To[0].Address != testkit.AdminEmail || !strings.Contains(d.Subject, "Campaign cut") ||
		!strings.Contains(d.Text, "Mia commented on harbour-1.jpg: “Warmer skin tones”") || !strings.Contains(d.Text, "Mia asked for changes to harbour-1.jpg") {
		t.Fatalf("digest to %v: %s\n%s", d.To, d.Subject, d.Text)
	}
	time.Sleep(1500 * time.Millisecond) // sleep: nothing must go out in three passes of the digest loop (every 500 ms, a real timer)
	if n := len(mp.Messages(t)); n != 1 {
		t.Fatalf("%d digests without new feedback", n)
	}
}
