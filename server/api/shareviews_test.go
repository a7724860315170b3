package api_test

import (
	"image/color"
	"net/http"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestShareViewsSurviveShutdown: views of a kept page wait in memory
// (links.WriteLogLater) and a clean shutdown stores them: after a restart
// on the same data the link counts every view, and its access log has an
// entry for each visitor (one a second at most for the same visitor).
func TestShareViewsSurviveShutdown(t *testing.T) {
	dir := t.TempDir()
	s := testkit.StartIn(t, dir)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Harbour")
	img := admin.Upload(root, "harbour-1.jpg", jpegBytes(t, 300, 200, color.RGBA{200, 40, 40, 255}), "filetype", "image/jpeg")
	l, err := admin.API().CreateShareLink(model.NewShareLink{Kind: "public", AssetIDs: []string{img}})
	wantErr(t, "create share link", err, 0, "")

	start := time.Now()
	for i := 0; i < 3; i++ {
		if g, _ := sharePage(t, s.URL, "/s/"+l.Key); !g {
			t.Fatalf("visit %d: no gallery", i+1)
		}
	}
	for _, gz := range []bool{false, true} {
		if status, body := publicJSON(t, s.URL, l.Key, gz); status != 200 {
			t.Fatalf("JSON: %d %s", status, body)
		}
	}
	req, _ := http.NewRequest("GET", s.URL+"/s/"+l.Key, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (another visitor)")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("another visitor: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if d := time.Since(start); d > time.Second {
		t.Logf("the visits took %v: the one-second store may have run before the shutdown", d)
	}
	s.Stop()

	s = testkit.StartIn(t, dir)
	admin = s.Admin(t)
	var got model.ShareLink
	wantStatus(t, "link after restart", admin.Do("GET", "/api/v2/share_links/"+l.ID, nil, &got), 200, "")
	if got.Views != 6 {
		t.Errorf("views after a clean shutdown: %d, want 6", got.Views)
	}
	var log []model.AccessLogEntry
	wantStatus(t, "access log", admin.Do("GET", "/api/v2/share_links/"+l.ID+"/access_log", nil, &log), 200, "")
	agents := map[string]int{}
	for _, e := range log {
		if e.Action == "view" {
			agents[e.UserAgent]++
		}
	}
	if len(agents) != 2 || agents["Mozilla/5.0 (another visitor)"] != 1 || len(log) > 6 {
		t.Errorf("access log views by user agent: %v (%d entries); want both visitors, the second once, at most 6", agents, len(log))
	}
}
