package api_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// TestShareThumbsKeptBytes: a thumbnail sent from memory is the stored
// rendition, with the same validators, 304 and ranges as one sent from
// disk, and each link's request gets its own file.
func TestShareThumbsKeptBytes(t *testing.T) {
	f := newShareFixture(t)
	l := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[0], f.images[1]}})
	do := func(t *testing.T, id string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.s.URL+"/api/v2/public/links/"+l.Key+"/assets/"+id+"/thumb", nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, b
	}
	for _, id := range f.images[:2] {
		_, stored := get(t, f.admin, "/api/v2/assets/"+id+"/proxies/thumb")
		if len(stored) < 100 {
			t.Fatalf("stored thumb of %s: %d bytes", id, len(stored))
		}
		first, b1 := do(t, id)  // decided and read from disk
		second, b2 := do(t, id) // from memory
		for i, res := range []*http.Response{first, second} {
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
				res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("ETag") == "" {
				t.Fatalf("request %d of %s: %d %v", i+1, id, res.StatusCode, res.Header)
			}
		}
		if !bytes.Equal(b1, stored) || !bytes.Equal(b2, stored) {
			t.Fatalf("thumb of %s: %d and %d bytes sent, the stored one has %d", id, len(b1), len(b2), len(stored))
		}
		if first.Header.Get("ETag") != second.Header.Get("ETag") || first.Header.Get("Last-Modified") != second.Header.Get("Last-Modified") {
			t.Fatalf("validators changed between disk and memory: %v / %v", first.Header, second.Header)
		}
		if res, b := do(t, id, "If-None-Match", second.Header.Get("ETag")); res.StatusCode != 304 || len(b) != 0 {
			t.Fatalf("If-None-Match: %d, %d bytes", res.StatusCode, len(b))
		}
		if res, b := do(t, id, "Range", "bytes=10-19"); res.StatusCode != 206 || !bytes.Equal(b, stored[10:20]) ||
			res.Header.Get("Content-Range") != "bytes 10-19/"+strconv.Itoa(len(stored)) {
			t.Fatalf("Range: %d %q %v", res.StatusCode, res.Header.Get("Content-Range"), b)
		}
		if res, _ := do(t, id, "Range", "bytes=999999-"); res.StatusCode != 416 {
			t.Fatalf("a range past the end: %d", res.StatusCode)
		}
	}
	// A file the link does not hold is refused, kept or not.
	if res, _ := do(t, f.images[2]); res.StatusCode != 404 {
		t.Fatalf("a file outside the link: %d", res.StatusCode)
	}
}
