package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

// TestInstallableApp checks what makes the web app an installable PWA that
// loads fast: a local manifest and icons, a service worker that registers,
// the wasm precompressed under a content-hashed URL with a long cache, and
// no console errors (a CSP violation would show up there).
func TestInstallableApp(t *testing.T) {
	srv := testkit.Start(t)
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, b := get("/manifest.webmanifest")
	// The web app manifest is go-app's document, not Ferry's.
	var manifest struct {
		Name  string `json:"name"`
		Icons []struct {
			Src string `json:"src"`
		} `json:"icons"`
		StartURL string `json:"start_url"`
		Display  string `json:"display"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil || res.StatusCode != 200 {
		t.Fatalf("manifest: %d %v", res.StatusCode, err)
	}
	if manifest.Name != "Ferry" || len(manifest.Icons) == 0 {
		t.Errorf("manifest = %+v", manifest)
	}
	for _, ic := range manifest.Icons {
		if strings.HasPrefix(ic.Src, "http") {
			t.Errorf("icon %s is not served by Ferry itself", ic.Src)
		}
		if r, _ := get(ic.Src); r.StatusCode != 200 {
			t.Errorf("icon %s: %d", ic.Src, r.StatusCode)
		}
	}
	_, js := get("/app.js")
	wasm := regexp.MustCompile(`/web/app\.[0-9a-f]{16}\.wasm`).FindString(string(js))
	if wasm == "" {
		t.Fatal("app.js does not load a content-hashed wasm")
	}
	// Budgets on the wire: brotli (what browsers ask for) 4 MiB, gzip 4.5 MiB.
	for enc, budget := range map[string]int{"br": 4 << 20, "gzip": 9 << 19} {
		res, b = get(wasm, "Accept-Encoding", enc)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != enc || res.Header.Get("Content-Type") != "application/wasm" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") || len(b) > budget {
			t.Errorf("wasm as %s: %d %v (%d bytes)", enc, res.StatusCode, res.Header, len(b))
		}
	}
	if res, _ = get("/web/app.0000000000000000.wasm"); res.StatusCode != 404 {
		t.Errorf("a stale wasm hash answered %d", res.StatusCode)
	}
	if _, worker := get("/app-worker.js"); !strings.Contains(string(worker), wasm) {
		t.Error("the service worker does not cache the wasm for offline use")
	}

	ctx := testkit.Browser(t, 1280, 800)
	run(t, ctx, "service worker registered",
		chromedp.Navigate(srv.URL+"/login"),
		present("#app-ready"),
		// ready resolves once a service worker is active for this page.
		waitFor(`navigator.serviceWorker.ready.then(r => !!r.active)`),
	)
	if errs := testkit.Errors(ctx).List(); len(errs) > 0 {
		t.Errorf("console errors on the login page: %v", errs)
	}
}
