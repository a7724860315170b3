package api_test

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// The background queues' progress is on /metrics, for admins only.
func TestMetricsShowBackgroundJobs(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Jobs")
	good := admin.Upload(root, "good.jpg", jpegBytes(t, 300, 200, color.RGBA{200, 40, 40, 255}), "filetype", "image/jpeg")
	bad := admin.Upload(root, "bad.jpg", []byte("not a jpeg at all"), "filetype", "image/jpeg")
	waitReady(t, admin, good)
	if a := admin.WaitAsset(t, bad, 30*time.Second, testkit.ProxiesSettled); a.ProxyStatus != model.ProxyFailed {
		t.Fatalf("proxies of a broken image: %s", a.ProxyStatus)
	}
	var text string
	poll.True(30*time.Second, func() bool {
		res := admin.Do("GET", "/metrics", nil, nil)
		wantStatus(t, "metrics", res, 200, "")
		// The asset is recorded before its job leaves the count.
		text = body(res)
		return strings.Contains(text, `ferry_jobs_finished_total{kind="proxies",outcome="failed"} 1`)
	})
	for _, want := range []string{
		"# TYPE ferry_jobs gauge",
		`ferry_jobs{kind="proxies",state="queued"} 0`,
		`ferry_jobs{kind="proxies",state="running"} 0`,
		`ferry_jobs_finished_total{kind="proxies",outcome="done"} 1`,
		`ferry_jobs_finished_total{kind="proxies",outcome="failed"} 1`,
		`ferry_jobs{kind="video",state="queued"} 0`,
		`ferry_jobs{kind="watermarked video",state="queued"} 0`,
		`ferry_jobs{kind="faces",state="queued"} 0`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Who is queued for what is the site's business (TestMetricsNeedAnAdmin has every viewer).
	createMember(t, admin, "mia@x.example", "mia password 123")
	wantStatus(t, "metrics as a member", s.Login(t, "mia@x.example", "mia password 123").Do("GET", "/metrics", nil, nil), 403, "forbidden")
	wantStatus(t, "metrics anonymous", s.Client(t).Do("GET", "/metrics", nil, nil), 401, "unauthorized")
}
