//go:build !js

package serve_test

import (
	"bytes"
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
	name string
	data []byte
	url  string // the tus URL once the server answered the creation
	done bool
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
		u.url = res.Header.Get("Location")
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
			u.url = "" // lost before its record was written: start over
			return fmt.Errorf("%s: upload gone (%d)", u.name, res.StatusCode)
		}
		off, _ := strconv.Atoi(res.Header.Get("Upload-Offset"))
		if off == len(u.data) {
			u.done = true
			return nil
		}
		end := min(len(u.data), off+256<<10)
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

// TestKillDuringUploads: the real binary is killed with SIGKILL at random
// points of 20 concurrent uploads (under make soak: 50 uploads of up to
// 16 MiB and 15 kills); restarted each time on the same data, every upload
// resumes. In the end every file is byte-identical, every asset has its
// file and every file its asset, and once the expiry sweep has run no
// unfinished upload bytes are left behind.
func TestKillDuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: kills and restarts the real binary during uploads (a few seconds, longer under make soak); make test runs it")
	}
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	env := []string{"FERRY_LIMITS_UPLOAD_EXPIRY=6s"}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}

	p := startFerry(t, dataDir, addr, env...)
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
			p.waitUp(t, base)
		}
		var wg sync.WaitGroup
		for _, u := range ups {
			if u.done {
				continue
			}
			wg.Add(1)
			go func(u *crashUpload) {
				defer wg.Done()
				for !u.done && u.push(hc, base, proj.RootAssetID, &sent) != nil {
					select {
					case <-p.exited:
						return
					default:
						time.Sleep(20 * time.Millisecond) // sleep: a client's back-off while the server restarts
					}
				}
			}(u)
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
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
		<-finished
		break
	}
	left := 0
	for _, u := range ups {
		if !u.done {
			left++
		}
	}
	if left > 0 {
		t.Fatalf("%d uploads did not finish after %d kills\n%s", left, nKills, p.out.String())
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
	poll.Until(t, 20*time.Second, func() error {
		c.Do("GET", "/api/v2/assets/"+proj.RootAssetID+"/children?page_size=1000", nil, &kids)
		entries, _ := os.ReadDir(filepath.Join(dataDir, "uploads"))
		stray := 0
		var names []string
		for _, e := range entries {
			if _, err := uuid.Parse(trimInfo(e.Name())); err == nil {
				stray++
				names = append(names, e.Name())
			}
		}
		if len(kids) == len(ups) && stray == 0 {
			return nil
		}
		return fmt.Errorf("after the sweep: %d children (want %d), files left in data/uploads: %v (uploads: %v)", len(kids), len(ups), names, byName)
	})
	ids := map[string]bool{}
	for _, k := range kids {
		if k.UploadStatus != "" || byName[k.Name] != k.ID {
			t.Errorf("child %+v is not one of the uploads", k)
		}
		ids[k.ID] = true
		if _, err := os.Stat(filepath.Join(dataDir, "originals", k.ID[:2], k.ID)); err != nil {
			t.Errorf("asset %s has no file: %v", k.Name, err)
		}
	}
	filepath.WalkDir(filepath.Join(dataDir, "originals"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !ids[d.Name()] {
			t.Errorf("file %s has no asset", path)
		}
		return nil
	})
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
