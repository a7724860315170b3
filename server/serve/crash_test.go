//go:build !js

package serve_test

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// crashUpload is one file a client keeps trying to upload across crashes.
type crashUpload struct {
	name  string
	data  []byte
	chunk int // bytes per PATCH (256 KiB when 0)
	done  bool

	mu  sync.Mutex // url and err, which the test reads while push runs
	url string     // the tus URL once the server answered the creation
	err error      // why the last attempt failed (for a test that would hang)
}

func (u *crashUpload) setURL(url string) {
	u.mu.Lock()
	u.url = url
	u.mu.Unlock()
}

func (u *crashUpload) urlNow() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.url
}

func (u *crashUpload) lastErr() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.err
}

// keepPushing drives u as a client would, retrying every failure after a
// short back-off, until it is done or stop closes (the server was killed);
// the channel closes when it ends.
func keepPushing(hc *http.Client, base, parent string, u *crashUpload, sent *atomic.Int64, stop <-chan struct{}) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for !u.done {
			err := u.push(hc, base, parent, sent)
			if err == nil {
				continue
			}
			select {
			case <-stop:
				return
			default:
			}
			u.mu.Lock()
			u.err = err
			u.mu.Unlock()
			time.Sleep(20 * time.Millisecond) // sleep: a client's back-off while the server restarts
		}
	}()
	return done
}

// push drives one upload until it completes or a request fails (the
// server was killed): create if needed, HEAD for the offset, PATCH on. It
// adds the bytes each PATCH stored to sent.
func (u *crashUpload) push(hc *http.Client, base, parent string, sent *atomic.Int64) error {
	if u.url == "" {
		req, _ := http.NewRequest("POST", base+testkit.TusEndpoint, nil)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Origin", base)
		req.Header.Set("Upload-Length", strconv.Itoa(len(u.data)))
		req.Header.Set("Upload-Metadata", "filename "+base64.StdEncoding.EncodeToString([]byte(u.name))+
			",parent_id "+base64.StdEncoding.EncodeToString([]byte(parent)))
		res, err := hc.Do(req)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			return fmt.Errorf("create %s: %d", u.name, res.StatusCode)
		}
		u.setURL(res.Header.Get("Location"))
	}
	for {
		req, _ := http.NewRequest("HEAD", u.url, nil)
		req.Header.Set("Tus-Resumable", "1.0.0")
		res, err := hc.Do(req)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode == 404 || res.StatusCode == 410 {
			u.setURL("") // lost before its record was written: start over
			return fmt.Errorf("%s: upload gone (%d)", u.name, res.StatusCode)
		}
		if res.StatusCode != 200 {
			return fmt.Errorf("head %s: %d", u.name, res.StatusCode)
		}
		off, _ := strconv.Atoi(res.Header.Get("Upload-Offset"))
		if off == len(u.data) {
			u.done = true
			return nil
		}
		end := min(len(u.data), off+cmp.Or(u.chunk, 256<<10))
		req, _ = http.NewRequest("PATCH", u.url, bytes.NewReader(u.data[off:end]))
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Origin", base)
		req.Header.Set("Upload-Offset", strconv.Itoa(off))
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		if res, err = hc.Do(req); err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 204 && res.StatusCode != 409 {
			return fmt.Errorf("patch %s: %d", u.name, res.StatusCode)
		}
		if res.StatusCode == 204 {
			sent.Add(int64(end - off))
		}
	}
}

// crashStore is where a crash test's server keeps its bytes: what it
// needs in its environment, the asset IDs that have an original, and the
// bytes of unfinished uploads still there (files in data/uploads, or
// objects and open multipart uploads in the bucket).
type crashStore struct {
	env       []string
	originals func() map[string]bool
	stray     func(uploadIDs []string) []string
}

func diskCrashStore(dataDir string) crashStore {
	return crashStore{
		originals: func() map[string]bool {
			ids := map[string]bool{}
			filepath.WalkDir(filepath.Join(dataDir, "originals"), func(_ string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					ids[d.Name()] = true
				}
				return nil
			})
			return ids
		},
		stray: func([]string) []string {
			entries, _ := os.ReadDir(filepath.Join(dataDir, "uploads"))
			var names []string
			for _, e := range entries {
				if _, err := uuid.Parse(trimInfo(e.Name())); err == nil {
					names = append(names, e.Name())
				}
			}
			return names
		},
	}
}

func s3CrashStore(m *testkit.MinIOServer) crashStore {
	return crashStore{
		env: s3Env(m),
		originals: func() map[string]bool {
			ids := map[string]bool{}
			for _, k := range m.Keys("ferry/originals/") {
				ids[filepath.Base(k)] = true
			}
			return ids
		},
		stray: func(uploadIDs []string) []string {
			left := m.Keys("ferry/uploads/")
			for _, id := range uploadIDs {
				for _, u := range m.IncompleteUploads("ferry/" + originalKey(id)) {
					left = append(left, "multipart upload "+u+" of "+id)
				}
			}
			return left
		},
	}
}

// TestKillDuringUploads: the real binary is killed with SIGKILL at random
// points of 20 concurrent uploads (under make soak: 50 uploads of up to
// 16 MiB and 15 kills); restarted each time on the same data, every upload
// resumes. In the end every file is byte-identical, every asset has its
// file and every file its asset, and once the expiry sweep has run no
// unfinished upload bytes are left behind. One row per backend: the data
// directory, and a MinIO bucket (where the leftovers are objects and open
// multipart uploads, listed from MinIO).
func TestKillDuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: kills and restarts the real binary during uploads (a few seconds, longer under make soak); make test runs it")
	}
	for _, backend := range []string{"disk", "s3"} {
		t.Run(backend, func(t *testing.T) {
			dataDir := t.TempDir()
			store := diskCrashStore(dataDir)
			if backend == "s3" {
				store = s3CrashStore(testkit.MinIO(t))
			}
			killDuringUploads(t, dataDir, store)
		})
	}
}

func killDuringUploads(t *testing.T, dataDir string, store crashStore) {
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	env := append([]string{"FERRY_LIMITS_UPLOAD_EXPIRY=6s"}, store.env...)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}

	p := startFerry(t, dataDir, addr, env...)
	runs := []*ferryProcess{p}
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range runs {
				t.Logf("ferry's output in run %d:\n%s", i+1, p.out.String())
			}
		}
	})
	p.waitUp(t, base)
	c := browser(t, base, hc)
	login(t, c)
	proj := newProject(t, c)

	nUploads, maxSize, nKills := testkit.SoakScale(20, 50), testkit.SoakScale(4<<20, 16<<20), testkit.SoakScale(3, 15)
	rng := mrand.New(mrand.NewPCG(1, 2))
	ups := make([]*crashUpload, nUploads)
	var total int64
	for i := range ups {
		data := make([]byte, 1<<20+rng.IntN(maxSize-1<<20))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		ups[i] = &crashUpload{name: fmt.Sprintf("clip-%02d.mov", i), data: data}
		total += int64(len(data))
	}
	var sent atomic.Int64 // bytes the server acknowledged, resends included
	var killedAt []string // how far the uploads were at each kill
	for round := 0; ; round++ {
		if round > 0 {
			p = startFerry(t, dataDir, addr, env...)
			runs = append(runs, p)
			p.waitUp(t, base)
		}
		var pushers []<-chan struct{}
		for _, u := range ups {
			if !u.done {
				pushers = append(pushers, keepPushing(hc, base, proj.RootAssetID, u, &sent, p.exited))
			}
		}
		finished := make(chan struct{})
		go func() {
			for _, done := range pushers {
				<-done
			}
			close(finished)
		}()
		if round < nKills {
			// Kill at a random point of the bytes still to send rather than
			// after a random delay: on localhost the 20 uploads finished
			// before a 150 ms delay ran out. A round sends on average
			// 1/(kills left + 1) of the rest, so every kill lands during
			// the uploads, some right after a restart.
			rest := max(total-sent.Load(), 0)
			target := sent.Load() + rng.Int64N(2*rest/int64(nKills-round+1)+1)
			for sent.Load() < target && !closed(finished) {
				time.Sleep(time.Millisecond) // sleep: a fine poll (1 ms), so the kill lands near its byte target
			}
			p.cmd.Process.Signal(syscall.SIGKILL)
			<-p.exited
			<-finished
			unfinished := 0
			for _, u := range ups {
				if !u.done {
					unfinished++
				}
			}
			if unfinished == 0 {
				t.Errorf("kill %d came after every upload had finished: it tested nothing", round+1)
			}
			killedAt = append(killedAt, fmt.Sprintf("%d%% (%d unfinished)", sent.Load()*100/total, unfinished))
			continue
		}
		// The last round has no kill: every upload must finish, and one
		// that keeps failing fails the test with its error, not a hang.
		select {
		case <-finished:
		case <-time.After(3 * time.Minute):
			p.cmd.Process.Signal(syscall.SIGKILL)
			<-finished
			for _, u := range ups {
				if !u.done {
					t.Errorf("%s (%s) still failing: %v", u.name, u.urlNow(), u.lastErr())
				}
			}
			t.Fatal("uploads did not finish within 3 minutes of the last restart")
		}
		break
	}
	left := 0
	for _, u := range ups {
		if !u.done {
			left++
		}
	}
	if left > 0 {
		t.Fatalf("%d uploads did not finish after %d kills", left, nKills)
	}

	// Every upload is an asset with exactly its bytes.
	var kids []model.Asset
	byName := map[string]string{}
	for _, u := range ups {
		id := uploadID(u.url)
		if got := original(t, c, id); sha256.Sum256(got) != sha256.Sum256(u.data) {
			t.Errorf("%s: %d bytes, not the %d sent", u.name, len(got), len(u.data))
		}
		byName[u.name] = id
	}
	// After the expiry sweep: no unfinished uploads, no stray bytes.
	var uploadIDs []string
	for _, id := range byName {
		uploadIDs = append(uploadIDs, id)
	}
	poll.Until(t, 20*time.Second, func() error {
		c.Do("GET", "/api/v2/assets/"+proj.RootAssetID+"/children?page_size=1000", nil, &kids)
		stray := store.stray(uploadIDs)
		if len(kids) == len(ups) && len(stray) == 0 {
			return nil
		}
		return fmt.Errorf("after the sweep: %d children (want %d), unfinished upload bytes left: %v (uploads: %v)", len(kids), len(ups), stray, byName)
	})
	ids := map[string]bool{}
	files := store.originals()
	for _, k := range kids {
		if k.UploadStatus != "" || byName[k.Name] != k.ID {
			t.Errorf("child %+v is not one of the uploads", k)
		}
		ids[k.ID] = true
		if !files[k.ID] {
			t.Errorf("asset %s has no file", k.Name)
		}
	}
	for id := range files {
		if !ids[id] {
			t.Errorf("file %s has no asset", id)
		}
	}
	t.Logf("%d uploads survived %d kills, at %v of the bytes", len(ups), nKills, killedAt)
}

// closed reports whether ch is closed, without blocking.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func trimInfo(name string) string {
	if len(name) > 5 && name[len(name)-5:] == ".info" {
		return name[:len(name)-5]
	}
	return name
}
