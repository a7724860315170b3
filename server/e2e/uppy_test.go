package e2e

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// uppyPage is the web app of another origin: Uppy 6 with @uppy/tus, as a
// site embedding it would use them, driven by the test through window.t.
const uppyPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Uppy on another origin</title>
<style>body{font:16px sans-serif;margin:24px} #drop{border:2px dashed #888;padding:48px;text-align:center}</style>
<script src="/uppy.js"></script></head>
<body><h1>Uppy on another origin</h1><div id="drop">Drop a folder here</div><pre id="log"></pre>
<script>
window.t = {progress: 0, url: null, paused: false, done: [], errors: [], files: 0};
function track(uppy) {
	uppy.on('upload-progress', (f, p) => {
		t.progress = p.bytesUploaded;
		t.url = uppy.getFile(f.id).tus && uppy.getFile(f.id).tus.uploadUrl;
		// Pause once, mid-way: the test checks the server holds part of it.
		if (t.pauseAt && !t.paused && p.bytesUploaded >= t.pauseAt) { t.paused = true; uppy.pauseResume(f.id); }
	});
	uppy.on('upload-success', (f, r) => { t.done.push({name: f.name, url: r.uploadURL, path: f.meta.relativePath || null}); });
	uppy.on('upload-error', (f, e) => { t.errors.push(f.name + ': ' + e); });
	uppy.on('upload-progress', () => { document.querySelector('#log').textContent = JSON.stringify(t, null, 1); });
}
// A file fetched from this origin, uploaded with a bearer token, paused at pauseAt bytes.
window.uploadWithToken = async (endpoint, token, parent, pauseAt) => {
	const blob = await (await fetch('/big.bin')).blob();
	const uppy = new Uppy({id: 'token'});
	uppy.use(UppyTus, {endpoint, headers: {Authorization: 'Bearer ' + token}, chunkSize: 1 << 20, retryDelays: [0, 500, 1000]});
	uppy.setMeta({parent_id: parent});
	track(uppy);
	t.pauseAt = pauseAt;
	t.id = uppy.addFile({source: 'test', name: 'big.bin', type: 'application/octet-stream', data: blob});
	window.uppy = uppy;
	uppy.upload();
};
window.resume = () => { window.uppy.pauseResume(t.id); };
// An upload link: unlock it with the passcode, then take dropped folders
// as Uppy's own drop targets do, and upload them with the link's session.
window.dropToLink = async (ferry, key, passcode) => {
	const r = await fetch(ferry + '/api/v2/public/links/' + key + '/unlock',
		{method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({passcode})});
	const session = (await r.json()).session;
	if (!r.ok || !session) { t.errors.push('unlock: ' + r.status); return; }
	const uppy = new Uppy({id: 'link', autoProceed: true});
	uppy.use(UppyTus, {endpoint: ferry + '/api/v2/tus/', headers: {'Ferry-Link': key, 'Ferry-Session': session}});
	track(uppy);
	const zone = document.querySelector('#drop');
	zone.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
	zone.addEventListener('drop', async (e) => {
		e.preventDefault();
		const files = await UppyGetDroppedFiles(e.dataTransfer);
		t.files = files.length;
		uppy.addFiles(files.map((f) => ({source: 'drop', name: f.name, type: f.type, data: f,
			meta: {relativePath: f.relativePath || f.webkitRelativePath || null}})));
	});
	t.ready = true;
};
</script></body></html>`

// otherOrigin serves uppyPage, the Uppy bundle and the test's files from a
// second loopback origin.
func otherOrigin(t *testing.T, big []byte) *httptest.Server {
	bundle, err := os.ReadFile(testkit.UppyBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, uppyPage)
	})
	mux.HandleFunc("/uppy.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(bundle)
	})
	mux.HandleFunc("/big.bin", func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestUppyFromAnotherOrigin: Uppy 6 with @uppy/tus in Chromium, on a page
// of another origin listed in cors.allowed_origins, uploads 30 MiB with a
// bearer token, paused mid-way and resumed on the same upload, and a
// dropped folder through an upload link whose files arrive in their
// folders; everything byte-identical.
func TestUppyFromAnotherOrigin(t *testing.T) {
	big := make([]byte, 30<<20)
	rand.Read(big)
	other := otherOrigin(t, big)
	srv := testkit.Start(t, func(c *config.Config) { c.CORS.AllowedOrigins = []string{other.URL} })
	admin := srv.Admin(t)
	project, root := ulProject(t, admin, "Uppy")
	token := srv.TokenClient(t, "assets.create", "assets.read")

	ctx := testkit.Browser(t, 1280, 800)
	run(t, ctx, "open the other origin's page", chromedp.Navigate(other.URL+"/"), waitFor(`typeof Uppy === 'function' && typeof UppyTus === 'function'`))

	// 1. 30 MiB with a bearer token, paused after 6 MiB.
	run(t, ctx, "start the upload", chromedp.Evaluate(fmt.Sprintf(`uploadWithToken(%s, %s, %s, %d)`,
		jsString(srv.URL+"/api/v2/tus/"), jsString(token.Token), jsString(root), 6<<20), nil))
	var url string
	run(t, ctx, "paused", evalUntil("Uppy paused with an upload URL", `t.paused && t.url ? t.url : ''`, &url, func(s string) bool { return s != "" }))
	if !strings.HasPrefix(url, srv.URL+"/api/v2/tus/") {
		t.Fatalf("the upload URL %q is not Ferry's", url)
	}
	id := url[strings.LastIndex(url, "/")+1:]
	// While paused the server holds part of the file, and no more arrives.
	var offset int64
	run(t, ctx, "the server holds part", chromedp.ActionFunc(func(c context.Context) error {
		return retry(c, "a stable offset below 30 MiB", func(context.Context) error {
			a, _ := token.TusHead(url)
			b, _ := token.TusHead(url)
			if a <= 0 || a >= int64(len(big)) || a != b {
				return fmt.Errorf("offsets %d, %d", a, b)
			}
			offset = a
			return nil
		})
	}))
	var st struct {
		Paused bool
		Done   []struct{ URL string }
	}
	run(t, ctx, "still paused", chromedp.Evaluate(`({Paused: t.paused, Done: t.done})`, &st))
	if len(st.Done) != 0 {
		t.Fatalf("finished while paused: %+v", st)
	}
	testkit.Screenshot(t, ctx, "uppy-other-origin-paused")
	run(t, ctx, "resume", chromedp.Evaluate(`resume()`, nil))
	var done []struct{ URL, Name string }
	run(t, ctx, "finished", evalUntil("the upload succeeded", `t.errors.length ? t.errors : t.done`, &done, func(d []struct{ URL, Name string }) bool { return len(d) == 1 }))
	if done[0].URL != url {
		t.Fatalf("resumed as %s, want the same upload %s", done[0].URL, url)
	}
	t.Logf("paused at %d of %d bytes, resumed on the same upload", offset, len(big))
	if got := original(t, admin, id); !bytes.Equal(got, big) {
		t.Fatalf("the stored file (%d bytes) is not the 30 MiB sent", len(got))
	}

	// 2. A folder dropped onto Uppy, through an upload link.
	dir := t.TempDir()
	want := map[string][]byte{}
	for _, p := range []string{"Shoot/a.jpg", "Shoot/Day 1/b.jpg", "Shoot/Day 1/Raw/c.bin", "Shoot/Day 2/d.jpg"} {
		b := make([]byte, 50<<10+len(p))
		rand.Read(b)
		want[p] = b
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var l model.UploadLink
	if res := admin.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: project, Name: "Drop", RecipientEmail: "a@b.example"}, &l); res.StatusCode != 201 {
		t.Fatalf("upload link: %d", res.StatusCode)
	}
	run(t, ctx, "unlock the link", chromedp.Evaluate(fmt.Sprintf(`dropToLink(%s, %s, %s)`, jsString(srv.URL), jsString(l.Key), jsString(l.Passcode)), nil),
		waitFor(`t.ready || t.errors.length > 0`))
	var zone struct{ X, Y float64 }
	run(t, ctx, "the drop zone", evalUntil("the drop zone", `(b => ({X: b.left + b.width/2, Y: b.top + b.height/2}))(document.querySelector('#drop').getBoundingClientRect())`, &zone,
		func(z struct{ X, Y float64 }) bool { return z.X > 0 }))
	run(t, ctx, "drop the folder", chromedp.ActionFunc(func(c context.Context) error {
		data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{filepath.Join(dir, "Shoot")}, DragOperationsMask: 1}
		for _, typ := range []input.DispatchDragEventType{input.DragEnter, input.DragOver, input.Drop} {
			if err := input.DispatchDragEvent(typ, zone.X, zone.Y, data).Do(c); err != nil {
				return err
			}
		}
		return nil
	}))
	var paths []string
	run(t, ctx, "the folder's files uploaded", evalUntil("four files uploaded", `t.errors.length ? t.errors : t.done.slice(1).map(d => d.path)`, &paths,
		func(p []string) bool { return len(p) == 4 }))
	sort.Strings(paths)
	if strings.Join(paths, ",") != "/Shoot/Day 1/Raw/c.bin,/Shoot/Day 1/b.jpg,/Shoot/Day 2/d.jpg,/Shoot/a.jpg" &&
		strings.Join(paths, ",") != "Shoot/Day 1/Raw/c.bin,Shoot/Day 1/b.jpg,Shoot/Day 2/d.jpg,Shoot/a.jpg" {
		t.Fatalf("Uppy sent relativePath %q", paths)
	}
	testkit.Screenshot(t, ctx, "uppy-other-origin-dropped")
	// Each file is in its folder under the link's folder, byte-identical.
	var link model.UploadLink
	admin.Do("GET", "/api/v2/upload_links/"+l.ID, nil, &link)
	got := map[string][]byte{}
	var walk func(id, prefix string)
	walk = func(id, prefix string) {
		var kids []model.Asset
		if res := admin.Do("GET", "/api/v2/assets/"+id+"/children", nil, &kids); res.StatusCode != 200 {
			t.Fatalf("children of %s: %d", prefix, res.StatusCode)
		}
		for _, k := range kids {
			if k.Type == "folder" {
				walk(k.ID, prefix+k.Name+"/")
			} else {
				got[prefix+k.Name] = original(t, admin, k.ID)
			}
		}
	}
	walk(cmp.Or(link.FolderID, root), "")
	for p, b := range want {
		var found []byte
		for g, gb := range got {
			if strings.HasSuffix(g, p) {
				found = gb
			}
		}
		if !bytes.Equal(found, b) {
			t.Errorf("%s: stored %d bytes, identical %v; stored files: %v", p, len(found), bytes.Equal(found, b), slices.Sorted(maps.Keys(got)))
		}
	}
}

// original downloads asset id's original as c.
func original(t *testing.T, c *testkit.Client, id string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", c.Base+"/api/v2/assets/"+id+"/original", nil)
	res := c.Send(req, nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("original of %s: %d", id, res.StatusCode)
	}
	return b
}
