package api_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/ferryhq/ferry/model"
)

// get sends a GET with an Accept-Encoding (none when empty) and returns
// the answer with its body as sent.
func getEncoded(t *testing.T, url, accept string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Pages and JSON are gzipped for clients that accept it, byte for byte
// the plain answer once decoded, and say they vary by Accept-Encoding;
// small answers, clients refusing gzip and downloads (ranged or whole)
// are sent as they are.
func TestCompressedAnswers(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	auth := "Bearer " + s.TokenClient(t, "assets.read").Token
	_, root := linkProject(t, admin, "Zip")
	for i := 0; i < 30; i++ {
		admin.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "folder", Name: fmt.Sprintf("folder %02d", i)}, nil)
	}
	text := strings.Repeat("plain text original, compressible. ", 200)
	file := admin.Upload(root, "notes.txt", []byte(text), "filetype", "text/plain")
	for _, path := range []string{"/login", "/api/v2/assets/" + root + "/children"} {
		plainRes, plain := getEncoded(t, s.URL+path, "", "Authorization", auth)
		res, zb := getEncoded(t, s.URL+path, "gzip, deflate, br", "Authorization", auth)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: %d, encoding %q, vary %q", path, res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
		}
		if plainRes.Header.Get("Content-Encoding") != "" || !strings.Contains(plainRes.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s without Accept-Encoding: encoding %q, vary %q", path, plainRes.Header.Get("Content-Encoding"), plainRes.Header.Get("Vary"))
		}
		// go-app writes a tag's attributes in map order: a page is compared by length.
		if got := gunzip(t, zb); !bytes.Equal(got, plain) && (path != "/login" || len(got) != len(plain)) {
			t.Fatalf("%s: gunzipped answer differs from the plain one:\n%.300s\n%.300s", path, got, plain)
		}
		if len(zb)*2 > len(plain) {
			t.Errorf("%s: %d bytes gzipped of %d", path, len(zb), len(plain))
		}
		if res, _ := getEncoded(t, s.URL+path, "gzip;q=0, br", "Authorization", auth); res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip;q=0 got %q", path, res.Header.Get("Content-Encoding"))
		}
	}
	if res, _ := getEncoded(t, s.URL+"/healthz", "gzip"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a small answer was compressed")
	}
	orig := "/api/v2/assets/" + file + "/original"
	for _, rng := range []string{"", "bytes=0-9"} {
		res, b := getEncoded(t, s.URL+orig, "gzip", "Authorization", auth, "Range", rng)
		if res.Header.Get("Content-Encoding") != "" {
			t.Fatalf("original (range %q) compressed", rng)
		}
		if want := text; rng != "" && string(b) != want[:10] || rng == "" && string(b) != want {
			t.Fatalf("original (range %q): %d bytes, status %d", rng, len(b), res.StatusCode)
		}
	}
}

// Stylesheets and scripts come precompressed (brotli first) from the
// build, each encoding with its own ETag, and revalidate.
func TestPrecompressedStatic(t *testing.T) {
	s := start(t)
	for _, path := range []string{"/web/ferry.css", "/web/uploader.js"} {
		_, plain := getEncoded(t, s.URL+path, "")
		res, br := getEncoded(t, s.URL+path, "gzip, br")
		if res.Header.Get("Content-Encoding") == "" {
			t.Skipf("%s: no precompressed copy in this build; `make build` makes them (scripts/precompress -keep)", path)
		}
		if res.Header.Get("Content-Encoding") != "br" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: encoding %q, vary %q", path, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
		}
		got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%s: brotli copy differs from the file (%v)", path, err)
		}
		gres, gz := getEncoded(t, s.URL+path, "gzip")
		if gres.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, gz), plain) {
			t.Fatalf("%s: gzip copy: %q", path, gres.Header.Get("Content-Encoding"))
		}
		if gres.Header.Get("ETag") == res.Header.Get("ETag") {
			t.Fatalf("%s: one ETag for two encodings", path)
		}
		if again, _ := getEncoded(t, s.URL+path, "gzip, br", "If-None-Match", res.Header.Get("ETag")); again.StatusCode != 304 {
			t.Fatalf("%s: revalidation %d", path, again.StatusCode)
		}
	}
	if res, _ := getEncoded(t, s.URL+"/web/ferry.css.br", ""); res.StatusCode != 404 {
		t.Fatalf("a compressed copy is served by its own name: %d", res.StatusCode)
	}
}
