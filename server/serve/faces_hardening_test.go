//go:build !js

package serve_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// selfieRSSBudget is what the real binary may hold at its peak while
// visitors storm the selfie search of a link with indexed photos: the
// face networks (~40 MB), one picture decoded at a time (at most 100 MB)
// and what the server holds anyway.
const selfieRSSBudget = 400 << 20

// The bad-input storms against the real binary: 50 parallel
// selfies from one address get at most 6 comparisons and 429s; 50 parallel
// 16-bit PNGs of 36 MP (288 MB each once decoded, 300 KiB sent) are
// refused from their header; 50 parallel 8-bit PNGs of 25 MP (the most a
// selfie may take decoded) from 50 addresses are compared one at a time or
// told the server is busy. The
// process's peak memory stays under selfieRSSBudget throughout.
func TestSelfieStormsStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: indexes photos and decodes large pictures in the real binary (~1 min on 2 cores)")
	}
	ev := testkit.EventPhotos(t)
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	p := startFerry(t, dataDir, addr, "FERRY_TRUSTED_PROXIES=127.0.0.1/32")
	p.waitUp(t, base)
	admin := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, admin)
	if res := admin.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(true)}, nil); res.StatusCode != 200 {
		t.Fatalf("enable face search: %d", res.StatusCode)
	}
	proj := newProject(t, admin)
	var ids []string
	for i, photo := range ev.Photos[:3] {
		ids = append(ids, admin.Upload(proj.RootAssetID, fmt.Sprintf("p%d.jpg", i), photo, "filetype", "image/jpeg"))
	}
	poll.Until(t, 3*time.Minute, func() error {
		var st model.FaceSettings
		admin.Do("GET", "/api/v2/settings/faces", nil, &st)
		if st.Indexed == len(ids) && !st.Busy {
			return nil
		}
		return fmt.Errorf("photos not indexed in time: %+v", st)
	})
	var link model.ShareLink
	if res := admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: ids, AllowFaceSearch: model.Ptr(true)}, &link); res.StatusCode != 201 {
		t.Fatalf("share link: %d", res.StatusCode)
	}
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	selfie := func(ip string, body []byte, ctype string) *http.Response {
		c := &testkit.Client{T: t, Base: base, Origin: base, HTTP: hc, Header: http.Header{"X-Forwarded-For": {ip}}}
		req, _ := http.NewRequest("POST", base+"/api/v2/public/links/"+link.Key+"/selfie", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		return c.Send(req, nil)
	}
	before := peakRSS(t, p.cmd.Process.Pid)

	got := storm(t, 50, func(int) *http.Response { return selfie("203.0.113.9", ev.Selfies[0], "image/jpeg") })
	if got[200]+got[429] != 50 || got[200] > 6 || got[200] == 0 {
		t.Errorf("50 parallel selfies from one address: %v, want 1 to 6 compared and the rest 429", got)
	}
	t.Logf("peak RSS %d MiB after 50 selfies from one address", peakRSS(t, p.cmd.Process.Pid)>>20)
	deep := testkit.BlankPNG(6000, 6000, 16, 6)
	got = storm(t, 50, func(i int) *http.Response {
		return selfie(fmt.Sprintf("10.30.0.%d", i+1), deep, "image/png")
	})
	if got[413] != 50 {
		t.Errorf("50 parallel 16-bit PNGs of 36 MP (%d KiB each): %v, want 50 × 413", len(deep)>>10, got)
	}
	t.Logf("peak RSS %d MiB after 50 16-bit PNGs", peakRSS(t, p.cmd.Process.Pid)>>20)
	wide := testkit.BlankPNG(5000, 5000, 8, 6)
	got = storm(t, 50, func(i int) *http.Response {
		return selfie(fmt.Sprintf("10.31.0.%d", i+1), wide, "image/png")
	})
	if got[422]+got[503]+got[429] != 50 || got[422]+got[503] == 0 {
		t.Errorf("50 parallel 8-bit PNGs of 25 MP from 50 addresses: %v, want 422 (no face; 503 if it took over 10 s) one at a time, the rest 429 (busy)", got)
	}
	peak := peakRSS(t, p.cmd.Process.Pid)
	t.Logf("storms: peak RSS %d MiB before, %d MiB after", before>>20, peak>>20)
	if peak > selfieRSSBudget {
		t.Fatalf("peak RSS %d MiB, want under %d MiB", peak>>20, selfieRSSBudget>>20)
	}
}
