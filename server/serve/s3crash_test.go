//go:build !js

package serve_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// killingProxy stands between ferry and MinIO and kills ferry (kill -9)
// at the first request a step matches: right after MinIO has answered it,
// before ferry reads the answer, or before MinIO sees it at all. A crash
// between two of the store's steps, placed exactly. It also notes the
// original keys of every multipart upload started, for listing what is
// left of them.
type killingProxy struct {
	URL string

	mu      sync.Mutex
	step    func(*http.Request) bool // nil: disarmed
	before  bool                     // kill before forwarding the request
	kill    func()
	killed  chan struct{}
	started map[string]bool // object keys multipart uploads were started for
}

// take reports whether r is the armed step's request (at the point
// before says) and disarms the proxy if so.
func (k *killingProxy) take(r *http.Request, before bool) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.step == nil || k.before != before || !k.step(r) {
		return false
	}
	k.step = nil
	return true
}

// killNow kills ferry and says so to the armed step's waiter.
func (k *killingProxy) killNow() {
	k.kill()
	close(k.killed)
}

func newKillingProxy(t *testing.T, m *testkit.MinIOServer) *killingProxy {
	target, _ := url.Parse(m.Endpoint)
	k := &killingProxy{started: map[string]bool{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(res *http.Response) error {
		r := res.Request
		if r.Method == "POST" && r.URL.Query().Has("uploads") {
			k.mu.Lock()
			k.started[strings.TrimPrefix(r.URL.Path, "/"+m.Bucket+"/")] = true
			k.mu.Unlock()
		}
		if !k.take(r, false) {
			return nil
		}
		// The whole answer first: MinIO sends the headers of a completion
		// before it has completed.
		io.ReadAll(res.Body)
		res.Body.Close()
		k.killNow()
		return errors.New("ferry was killed")
	}
	rp.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k.take(r, true) {
			k.killNow()
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	k.URL = srv.URL
	return k
}

// arm makes the next request step matches kill ferry through kill, after
// MinIO answered it or, with before, instead of forwarding it; the channel
// closes once ferry is dead.
func (k *killingProxy) arm(step func(*http.Request) bool, before bool, kill func()) <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.step, k.before, k.kill, k.killed = step, before, kill, make(chan struct{})
	return k.killed
}

// multipartKeys are the object keys multipart uploads were started for.
func (k *killingProxy) multipartKeys() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var keys []string
	for key := range k.started {
		keys = append(keys, key)
	}
	return keys
}

// TestS3KillBetweenSteps: ferry is killed right after each step of a tus
// upload into the bucket has reached MinIO and before ferry learnt of it:
// the upload's record written but no multipart upload yet, the multipart
// upload started but its ID not recorded, a tail stored, a part stored,
// the multipart upload completed but no asset written (the step after
// which an upload used to answer 503 for ever). Restarted, the client's
// retries finish the upload (resuming the same upload unless the kill
// came before the client had its URL), the file is byte-identical and is
// one asset, and after the expiry sweep the bucket holds no upload record,
// no multipart upload of any key and no other original (listed from MinIO).
func TestS3KillBetweenSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: starts the real binary three times per step; make test runs it")
	}
	m := testkit.MinIO(t)
	query := func(method, key string) func(*http.Request) bool {
		return func(r *http.Request) bool { return r.Method == method && r.URL.Query().Has(key) }
	}
	object := func(method, part string) func(*http.Request) bool {
		return func(r *http.Request) bool { return r.Method == method && strings.Contains(r.URL.Path, part) }
	}
	for _, step := range []struct {
		name     string
		after    func(*http.Request) bool
		creation bool // the kill comes before the client has the upload's URL
	}{
		{"record-written", object("PUT", ".info"), true},
		{"multipart-started", query("POST", "uploads"), true},
		{"tail-stored", object("PUT", ".tail-"), false},
		{"part-stored", query("PUT", "partNumber"), false},
		{"multipart-completed", query("POST", "uploadId"), false},
	} {
		t.Run(step.name, func(t *testing.T) {
			killBetweenSteps(t, m, step.name, step.after, step.creation)
		})
	}
}

func killBetweenSteps(t *testing.T, m *testkit.MinIOServer, prefix string, after func(*http.Request) bool, creation bool) {
	proxy := newKillingProxy(t, m)
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	env := s3Env(m, "FERRY_S3_ENDPOINT="+proxy.URL, "FERRY_S3_PREFIX="+prefix)
	var runs []*ferryProcess
	start := func(extra ...string) *ferryProcess {
		p := startFerry(t, dataDir, addr, append(env, extra...)...)
		runs = append(runs, p)
		p.waitUp(t, base)
		return p
	}
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range runs {
				t.Logf("ferry's output in run %d:\n%s", i+1, p.out.String())
			}
		}
	})
	f := start()
	hc := &http.Client{Timeout: time.Minute}
	c := browser(t, base, hc)
	login(t, c)
	proj := newProject(t, c)

	// 3 MiB PATCHes into 8 MiB parts: tails, parts, and a short last part.
	u := &crashUpload{name: "cut.mov", data: testkit.RandomBytes(t, 20<<20+5), chunk: 3 << 20}
	killed := proxy.arm(after, false, func() {
		f.cmd.Process.Kill()
		<-f.exited
	})
	stop := make(chan struct{})
	defer close(stop)
	pushed := keepPushing(hc, base, proj.RootAssetID, u, new(atomic.Int64), stop)
	select {
	case <-killed:
	case <-pushed:
		t.Fatal("the upload finished without the step: the test tested nothing")
	case <-time.After(2 * time.Minute):
		t.Fatal("the step did not come within 2 minutes")
	}
	urlAtKill := u.urlNow()
	f = start()
	select {
	case <-pushed:
	case <-time.After(2 * time.Minute):
		t.Fatalf("the upload did not finish within 2 minutes of the restart: %v", u.lastErr())
	}
	if !creation && u.url != urlAtKill {
		t.Errorf("the client started over (%s, was %s): the upload did not resume", u.url, urlAtKill)
	}
	id := uploadID(u.url)
	if got := original(t, c, id); sha256.Sum256(got) != sha256.Sum256(u.data) {
		t.Fatalf("download differs: %d bytes, %d sent", len(got), len(u.data))
	}
	var kids []model.Asset
	c.Do("GET", "/api/v2/assets/"+proj.RootAssetID+"/children", nil, &kids)
	if len(kids) != 1 || kids[0].ID != id {
		t.Fatalf("children of the folder: %+v, want the one upload %s", kids, id)
	}

	// The sweep of a start with a short expiry leaves nothing behind.
	f.cmd.Process.Kill()
	<-f.exited
	start("FERRY_LIMITS_UPLOAD_EXPIRY=1s")
	poll.Until(t, 30*time.Second, func() error {
		left := m.Keys(prefix + "/uploads/")
		for _, key := range proxy.multipartKeys() {
			for _, mid := range m.IncompleteUploads(key) {
				left = append(left, "multipart upload "+mid+" of "+key)
			}
		}
		for _, key := range m.Keys(prefix + "/originals/") {
			if key != prefix+"/"+originalKey(id) {
				left = append(left, key)
			}
		}
		if len(left) > 0 {
			return fmt.Errorf("left in the bucket after the sweep: %v", left)
		}
		return nil
	})
	if !bytes.Equal(original(t, c, id), u.data) {
		t.Fatal("the sweep changed the original")
	}
}
