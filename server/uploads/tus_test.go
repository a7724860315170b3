package uploads_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

func randBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func newProject(t *testing.T, c *testkit.Client, name string) model.Project {
	t.Helper()
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: name}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	return p
}

func children(t *testing.T, c *testkit.Client, id string) []model.Asset {
	t.Helper()
	var out []model.Asset
	if res := c.Do("GET", "/api/v2/assets/"+id+"/children", nil, &out); res.StatusCode != 200 {
		t.Fatalf("children: %d", res.StatusCode)
	}
	return out
}

func download(t *testing.T, c *testkit.Client, id string, hdr ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+"/api/v2/assets/"+id+"/original", nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.Send(req, nil)
}

func body(res *http.Response) []byte {
	b, _ := io.ReadAll(res.Body)
	return b
}

func TestUploadResumeAndDownload(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Shoot")
	data := randBytes(t, 3<<20+17)
	name := "Été à Zürich \"final\".bin"
	res := c.TusCreate(map[string]string{"filename": name, "filetype": "application/octet-stream", "parent_id": p.RootAssetID}, int64(len(data)), nil)
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	loc := res.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	if res.Header.Get("Upload-Expires") == "" {
		t.Error("no Upload-Expires on creation")
	}
	if !strings.Contains(res.Header.Get("Tus-Extension"), "expiration") {
		t.Errorf("Tus-Extension %q lacks expiration", res.Header.Get("Tus-Extension"))
	}
	// Pending: visible as an upload, not in the folder.
	var pending model.Asset
	c.Do("GET", "/api/v2/assets/"+id, nil, &pending)
	if pending.UploadStatus != "pending" || !strings.HasSuffix(pending.UploadURL, "/api/v2/tus/"+id) {
		t.Errorf("pending asset = %+v", pending)
	}
	if n := len(children(t, c, p.RootAssetID)); n != 0 {
		t.Errorf("folder lists %d items before the upload finished", n)
	}
	if res := c.TusPatch(loc, 0, bytes.NewReader(data[:1<<20]), 1<<20); res.StatusCode != 204 {
		t.Fatalf("patch 1: %d %s", res.StatusCode, body(res))
	}
	off, res := c.TusHead(loc)
	if res.StatusCode != 200 || off != 1<<20 {
		t.Fatalf("HEAD: %d offset %d", res.StatusCode, off)
	}
	// A PATCH at the wrong offset is refused and changes nothing.
	if res := c.TusPatch(loc, 5, bytes.NewReader(data[5:10]), 5); res.StatusCode != 409 {
		t.Errorf("wrong offset: %d", res.StatusCode)
	}
	if res := c.TusPatch(loc, off, bytes.NewReader(data[off:]), int64(len(data))-off); res.StatusCode != 204 {
		t.Fatalf("patch 2: %d %s", res.StatusCode, body(res))
	}
	if off, res := c.TusHead(loc); res.StatusCode != 200 || off != int64(len(data)) {
		t.Errorf("HEAD after finish: %d offset %d", res.StatusCode, off)
	}
	kids := children(t, c, p.RootAssetID)
	if len(kids) != 1 || kids[0].ID != id || kids[0].Filesize != int64(len(data)) || kids[0].CreatorName == "" {
		t.Fatalf("children after upload = %+v", kids)
	}
	res = download(t, c, id)
	got := body(res)
	if sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatal("download differs from upload")
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.Contains(cd, "filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Z%C3%BCrich%20%22final%22.bin") || !strings.Contains(cd, `filename="_t_ _ Z_rich _final_.bin"`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	etag := res.Header.Get("ETag")
	if res := download(t, c, id, "If-None-Match", etag); res.StatusCode != 304 {
		t.Errorf("If-None-Match: %d", res.StatusCode)
	}
	res = download(t, c, id, "Range", "bytes=100-199")
	if res.StatusCode != 206 || !bytes.Equal(body(res), data[100:200]) || res.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(data)) {
		t.Errorf("Range: %d %q", res.StatusCode, res.Header.Get("Content-Range"))
	}
	res = download(t, c, id, "Range", "bytes=-10")
	if res.StatusCode != 206 || !bytes.Equal(body(res), data[len(data)-10:]) {
		t.Errorf("suffix Range: %d", res.StatusCode)
	}
	if res := download(t, c, id, "Range", fmt.Sprintf("bytes=%d-", len(data))); res.StatusCode != 416 {
		t.Errorf("unsatisfiable Range: %d", res.StatusCode)
	}
	// The finished upload cannot be terminated: delete the asset instead.
	if res := c.TusDelete(loc); res.StatusCode != 409 {
		t.Errorf("DELETE finished upload: %d", res.StatusCode)
	}
}

func TestCreationWithUploadAndZeroBytes(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	data := []byte("hello, ferry")
	res := c.TusCreate(map[string]string{"filename": "hello.txt", "filetype": "text/plain", "parent_id": p.RootAssetID}, int64(len(data)), data)
	if res.StatusCode != 201 || res.Header.Get("Upload-Offset") != fmt.Sprint(len(data)) {
		t.Fatalf("creation-with-upload: %d offset %q %s", res.StatusCode, res.Header.Get("Upload-Offset"), body(res))
	}
	id := c.Upload(p.RootAssetID, "empty.txt", nil, "filetype", "text/plain")
	var a model.Asset
	if res := c.Do("GET", "/api/v2/assets/"+id, nil, &a); res.StatusCode != 200 || a.Filesize != 0 || a.UploadStatus != "" {
		t.Fatalf("zero-byte asset: %d %+v", res.StatusCode, a)
	}
	if got := body(download(t, c, id)); len(got) != 0 {
		t.Errorf("zero-byte download has %d bytes", len(got))
	}
	if n := len(children(t, c, p.RootAssetID)); n != 2 {
		t.Errorf("folder has %d items, want 2", n)
	}
}

func TestTerminationAndExpiry(t *testing.T) {
	clk := clock.New(time.Now())
	srv := testkit.StartAt(t, clk, func(c *config.Config) { c.Limits.UploadExpiry = config.Duration(2 * time.Second) })
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	data := randBytes(t, 1<<20)
	meta := map[string]string{"filename": "a.bin", "parent_id": p.RootAssetID}

	res := c.TusCreate(meta, int64(len(data)), nil)
	loc := res.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	c.TusPatch(loc, 0, bytes.NewReader(data[:1000]), 1000)
	if res := c.TusDelete(loc); res.StatusCode != 204 {
		t.Fatalf("terminate: %d %s", res.StatusCode, body(res))
	}
	if _, res := c.TusHead(loc); res.StatusCode != 404 {
		t.Errorf("HEAD after terminate: %d", res.StatusCode)
	}
	if res := c.Do("GET", "/api/v2/assets/"+id, nil, nil); res.StatusCode != 404 {
		t.Errorf("asset after terminate: %d", res.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(srv.DataDir, "uploads", id)); !os.IsNotExist(err) {
		t.Errorf("terminated bytes still on disk: %v", err)
	}

	// An idle partial upload expires: its bytes and record go away (on
	// either backend: waiting for HEAD, not for a file on disk).
	res = c.TusCreate(meta, int64(len(data)), nil)
	loc = res.Header.Get("Location")
	id = loc[strings.LastIndex(loc, "/")+1:]
	c.TusPatch(loc, 0, bytes.NewReader(data[:1000]), 1000)
	// It sits idle past its expiry; the sweeper (every second) removes it.
	clk.Advance(time.Minute)
	poll.Until(t, 10*time.Second, func() error {
		if _, res := c.TusHead(loc); res.StatusCode != 404 {
			return fmt.Errorf("expired upload still answers HEAD: %d", res.StatusCode)
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(srv.DataDir, "uploads", id)); !os.IsNotExist(err) {
		t.Errorf("expired bytes still on disk: %v", err)
	}
	if res := c.Do("GET", "/api/v2/assets/"+id, nil, nil); res.StatusCode != 404 {
		t.Errorf("pending record after expiry: %d", res.StatusCode)
	}
}

func TestConcurrentUploadsToOneFolder(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	const n = 12
	want := map[string][32]byte{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			data := randBytes(t, 200_000+i)
			id := c.Upload(p.RootAssetID, fmt.Sprintf("f%02d.bin", i), data)
			mu.Lock()
			want[id] = sha256.Sum256(data)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	kids := children(t, c, p.RootAssetID)
	if len(kids) != n {
		t.Fatalf("folder has %d children, want %d", len(kids), n)
	}
	var root model.Asset
	c.Do("GET", "/api/v2/assets/"+p.RootAssetID, nil, &root)
	if root.ItemCount != n {
		t.Errorf("item_count = %d, want %d (lost update?)", root.ItemCount, n)
	}
	for id, sum := range want {
		if sha256.Sum256(body(download(t, c, id))) != sum {
			t.Errorf("%s differs", id)
		}
	}
}

func TestVersionsAndAttachments(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	v1 := []byte("version one")
	v2 := []byte("version two, longer")
	id1 := c.Upload(p.RootAssetID, "cut.mov", v1, "filetype", "video/quicktime")
	id2 := c.Upload(p.RootAssetID, "cut-v2.mov", v2, "filetype", "video/quicktime", "version_of", id1)
	kids := children(t, c, p.RootAssetID)
	if len(kids) != 1 || kids[0].Type != "version_stack" || kids[0].Versions != 2 || kids[0].CoverAssetID != id2 {
		t.Fatalf("folder after version upload = %+v", kids)
	}
	stack := kids[0]
	versions := children(t, c, stack.ID)
	if len(versions) != 2 || versions[0].ID != id2 || versions[0].Index != 2 || versions[1].ID != id1 || versions[1].Index != 1 {
		t.Fatalf("versions (newest first) = %+v", versions)
	}
	if !bytes.Equal(body(download(t, c, id1)), v1) {
		t.Error("old version does not download")
	}
	if !bytes.Equal(body(download(t, c, stack.ID)), v2) {
		t.Error("the stack's original is not the newest version")
	}
	// A third version through the API endpoint.
	id3 := c.Upload(p.RootAssetID, "cut-v3.mov", []byte("three"), "filetype", "video/quicktime")
	var st model.Asset
	if res := c.Do("POST", "/api/v2/assets/"+stack.ID+"/version", model.NewVersion{NextAssetID: id3}, &st); res.StatusCode != 200 || st.Versions != 3 || st.CoverAssetID != id3 {
		t.Fatalf("POST version: %d %+v", res.StatusCode, st)
	}
	if n := len(children(t, c, p.RootAssetID)); n != 1 {
		t.Errorf("folder has %d items after third version, want 1", n)
	}
	// Attachments hang off a file, not the folder.
	att := c.Upload(p.RootAssetID, "notes.pdf", []byte("%PDF-1.4 notes"), "filetype", "application/pdf", "attachment_of", id3)
	var f model.Asset
	c.Do("GET", "/api/v2/assets/"+id3, nil, &f)
	if f.Attachments != 1 {
		t.Errorf("attachments = %d", f.Attachments)
	}
	if a := children(t, c, id3); len(a) != 1 || a[0].ID != att || a[0].AttachmentOf != id3 {
		t.Errorf("attachments list = %+v", a)
	}
	if n := len(children(t, c, p.RootAssetID)); n != 1 {
		t.Errorf("attachment leaked into the folder: %d items", n)
	}
}

func TestUploadViaChildrenEndpoint(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.TokenClient(t, "projects.create", "projects.read", "assets.create", "assets.read")
	p := newProject(t, c, "API")
	data := randBytes(t, 100_000)
	var a model.Asset
	res := c.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "file", Name: "api.bin", Filesize: model.Ptr(int64(len(data))), Filetype: "application/octet-stream"}, &a)
	if res.StatusCode != 201 || a.UploadStatus != "pending" || a.UploadURL == "" {
		t.Fatalf("create file: %d %+v %s", res.StatusCode, a, body(res))
	}
	if res := c.TusPatch(a.UploadURL, 0, bytes.NewReader(data), int64(len(data))); res.StatusCode != 204 {
		t.Fatalf("PATCH upload_url: %d %s", res.StatusCode, body(res))
	}
	if !bytes.Equal(body(download(t, c, a.ID)), data) {
		t.Error("download differs")
	}
}

func TestUploadBadInput(t *testing.T) {
	srv := testkit.Start(t, func(c *config.Config) { c.Limits.MaxUploadBytes = 1 << 20 })
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	other := newProject(t, c, "Other")
	file := c.Upload(p.RootAssetID, "x.bin", []byte("x"))
	otherFile := c.Upload(other.RootAssetID, "y.bin", []byte("y"))
	var gone model.Asset
	c.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "folder", Name: "gone"}, &gone)
	if res := c.Do("DELETE", "/api/v2/assets/"+gone.ID, nil, nil); res.StatusCode != 200 {
		t.Fatalf("delete folder: %d", res.StatusCode)
	}
	unknown := "6f1c4f5e-0000-4000-8000-000000000000"
	cases := []struct {
		name string
		meta map[string]string
		size int64
		want int
	}{
		{"unknown parent", map[string]string{"filename": "a", "parent_id": unknown}, 10, 400},
		{"parent is a file", map[string]string{"filename": "a", "parent_id": file}, 10, 400},
		{"deleted folder", map[string]string{"filename": "a", "parent_id": gone.ID}, 10, 400},
		{"version_of in another project", map[string]string{"filename": "a", "parent_id": p.RootAssetID, "version_of": otherFile}, 10, 400},
		{"dot-dot path", map[string]string{"filename": "../etc/passwd", "parent_id": p.RootAssetID}, 10, 400},
		{"NUL", map[string]string{"filename": "a\x00b", "parent_id": p.RootAssetID}, 10, 400},
		{"300 characters", map[string]string{"filename": strings.Repeat("n", 300), "parent_id": p.RootAssetID}, 10, 400},
		{"no filename", map[string]string{"parent_id": p.RootAssetID}, 10, 400},
		{"over the size limit", map[string]string{"filename": "big", "parent_id": p.RootAssetID}, 2 << 20, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.TusCreate(tc.meta, tc.size, nil)
			if res.StatusCode != tc.want {
				t.Errorf("status %d, want %d: %s", res.StatusCode, tc.want, body(res))
			}
			if msg := string(body(res)); !strings.Contains(msg, "ERR_") && res.StatusCode != 413 {
				t.Errorf("no clear reason in %q", msg)
			}
		})
	}
	if n := len(children(t, c, p.RootAssetID)); n != 1 {
		t.Errorf("bad uploads touched the folder: %d items, want 1", n)
	}
	entries, _ := os.ReadDir(filepath.Join(srv.DataDir, "uploads"))
	if len(entries) != 0 {
		t.Errorf("refused uploads left %d files in uploads/", len(entries))
	}
	// Who may upload.
	anon := srv.Client(t)
	if res := anon.TusCreate(map[string]string{"filename": "a", "parent_id": p.RootAssetID}, 1, nil); res.StatusCode != 401 {
		t.Errorf("anonymous upload: %d", res.StatusCode)
	}
	ro := srv.TokenClient(t, "assets.read")
	if res := ro.TusCreate(map[string]string{"filename": "a", "parent_id": p.RootAssetID}, 1, nil); res.StatusCode != 403 {
		t.Errorf("token without assets.create: %d", res.StatusCode)
	}
	// Another user cannot PATCH my upload.
	res := c.TusCreate(map[string]string{"filename": "mine", "parent_id": p.RootAssetID}, 10, nil)
	if res := ro.TusPatch(res.Header.Get("Location"), 0, bytes.NewReader(make([]byte, 10)), 10); res.StatusCode != 403 && res.StatusCode != 404 {
		t.Errorf("foreign PATCH: %d", res.StatusCode)
	}
}

func TestMoveAndFolderPicker(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	var a, b model.Asset
	c.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "folder", Name: "A"}, &a)
	c.Do("POST", "/api/v2/assets/"+a.ID+"/children", model.NewAsset{Type: "folder", Name: "B"}, &b)
	f := c.Upload(p.RootAssetID, "f.txt", []byte("x"))
	var folders []model.FolderPath
	if res := c.Do("GET", "/api/v2/projects/"+p.ID+"/folders", nil, &folders); res.StatusCode != 200 || len(folders) != 3 || folders[2].Path != "/A/B/" {
		t.Fatalf("folders: %d %+v", res.StatusCode, folders)
	}
	var moved model.Asset
	if res := c.Do("PUT", "/api/v2/assets/"+f, model.AssetPatch{ParentID: model.Ptr(b.ID)}, &moved); res.StatusCode != 200 || moved.ParentID != b.ID {
		t.Fatalf("move: %d %+v", res.StatusCode, moved)
	}
	if res := c.Do("PUT", "/api/v2/assets/"+a.ID, model.AssetPatch{ParentID: model.Ptr(b.ID)}, nil); res.StatusCode != 400 {
		t.Errorf("moving a folder into its child: %d", res.StatusCode)
	}
	if res := c.Do("PUT", "/api/v2/assets/"+f, model.AssetPatch{Name: model.Ptr("../x")}, nil); res.StatusCode != 400 {
		t.Errorf("rename to a path: %d", res.StatusCode)
	}
	if kids := children(t, c, b.ID); len(kids) != 1 || kids[0].ID != f {
		t.Errorf("B holds %+v", kids)
	}
}

// TestTusRequestsLeaveNoGoroutines: tusd keeps a goroutine per request
// until the request's context ends, plus its grace period (10 s) for
// storage to finish; 60 tus requests must not leave 60 goroutines for good.
func TestTusRequestsLeaveNoGoroutines(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "P")
	for i := 0; i < 20; i++ {
		c.Upload(p.RootAssetID, fmt.Sprintf("f%02d.bin", i), randBytes(t, 1000)) // create + 2 PATCHes
	}
	waiting := func() int {
		buf := make([]byte, 8<<20)
		return strings.Count(string(buf[:runtime.Stack(buf, true)]), "handler.newDelayedContext")
	}
	if n := waiting(); n < 60 {
		t.Logf("only %d tusd request goroutines right after the requests", n)
	}
	poll.Until(t, 15*time.Second, func() error {
		if n := waiting(); n > 0 {
			return fmt.Errorf("%d tusd request goroutines still wait after their requests ended", n)
		}
		return nil
	})
}
