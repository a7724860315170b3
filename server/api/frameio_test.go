package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// v2Asset is an asset as a Frame.io v2 client reads it. Not model.Asset:
// it reads the wire fields model.Asset's MarshalJSON adds (_type,
// is_session_watermarked, checksums), which model.Asset does not decode.
type v2Asset struct {
	ID                   string   `json:"id"`
	Type                 string   `json:"_type"`
	Name                 string   `json:"name"`
	Filesize             int64    `json:"filesize"`
	Filetype             string   `json:"filetype"`
	UploadStatus         string   `json:"upload_status"`
	UploadCompletedAt    *string  `json:"upload_completed_at"`
	UploadURLs           []string `json:"upload_urls"`
	Original             string   `json:"original"`
	IsSessionWatermarked *bool    `json:"is_session_watermarked"`
	Checksums            *struct {
		XXHash string `json:"xx_hash"`
	} `json:"checksums"`
}

// smallParts makes upload_urls parts of 64 KiB so a few hundred KiB make several parts.
func smallParts(c *config.Config) { c.Limits.UploadPartBytes = 64 << 10 }

// newV2Upload is an upload as a Frame.io client starts one: a token client
// of s (assets.read, assets.create), a new project named project, size
// random bytes, and a file for them created with POST children (its
// upload_urls are where the parts go).
func newV2Upload(t *testing.T, s *testkit.Server, project, name, filetype string, size int) (*testkit.Client, []byte, v2Asset) {
	t.Helper()
	c := s.TokenClient(t, "assets.read", "assets.create")
	_, root := linkProject(t, s.Admin(t), project)
	data := randomBytes(size)
	return c, data, createV2File(t, c, root, name, filetype, len(data))
}

// allocatedBy is how many bytes this process allocated while f ran: the
// test's server runs in it, so a body it buffered instead of streaming
// shows here.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// createV2File is the SDK's assets.create(type="file", ...): POST children.
func createV2File(t *testing.T, c *testkit.Client, parent, name, filetype string, size int) v2Asset {
	t.Helper()
	var a v2Asset
	res := c.Do("POST", "/api/v2/assets/"+parent+"/children",
		model.NewAsset{Type: "file", Name: name, Filetype: filetype, Filesize: model.Ptr(int64(size))}, &a)
	wantStatus(t, "create file", res, 201, "")
	return a
}

// putPart PUTs a part as the Frame.io SDK's uploader does: no token, the
// file's type and x-amz-acl. length < 0 sends the body chunked.
func putPart(t *testing.T, rawURL string, data []byte, length int) *http.Response {
	t.Helper()
	var body io.Reader = bytes.NewReader(data)
	if length < 0 {
		body = io.MultiReader(bytes.NewReader(data)) // unknown length: chunked
	}
	req, err := http.NewRequest("PUT", rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	if length >= 0 {
		req.ContentLength = int64(length)
	}
	req.Header.Set("content-type", "video/quicktime")
	req.Header.Set("x-amz-acl", "private")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT part: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

func getURL(t *testing.T, rawURL string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", rawURL, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res, b
}

// cut splits data into the parts a Frame.io client sends: equal parts of
// ceil(size / count), the last one the rest.
func cut(data []byte, count int) [][]byte {
	per := (len(data) + count - 1) / count
	var out [][]byte
	for off := 0; off < len(data); off += per {
		out = append(out, data[off:min(len(data), off+per)])
	}
	return out
}

// waitChecksum polls the asset until checksums.xx_hash appears, as the
// SDK's downloader does.
func waitChecksum(t *testing.T, c *testkit.Client, id string) v2Asset {
	t.Helper()
	var a v2Asset
	poll.Until(t, 10*time.Second, func() error {
		a = v2Asset{}
		wantStatus(t, "get asset", c.Do("GET", "/api/v2/assets/"+id, []byte("{}"), &a), 200, "")
		if a.Checksums != nil && a.Checksums.XXHash != "" {
			return nil
		}
		return fmt.Errorf("checksums.xx_hash did not appear: %+v", a)
	})
	return a
}

// withQuery returns rawURL with key set to value in its query.
func withQuery(t *testing.T, rawURL, key, value string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestFrameioUploadURLsAndDownload drives the v2 routes as the Frame.io
// Python SDK 2.0.0 does (every API call with x-frameio-client and a JSON
// body, {} on a GET): create a file, PUT its three upload_urls out of
// order with the uploader's headers (one part sent twice, the first time
// with wrong bytes, as its retry of a failed PUT does), then read the
// asset, wait for checksums.xx_hash and download original without a token,
// whole and in the multi-part downloader's ranges.
func TestFrameioUploadURLsAndDownload(t *testing.T) {
	s := start(t, smallParts)
	c := sdkClient(t, s, s.TokenClient(t, "assets.read", "assets.create").Token)
	_, root := linkProject(t, s.Admin(t), "Frame.io")
	data := randomBytes(150 << 10) // 3 parts of 51 200 bytes
	a := createV2File(t, c, root, "clip.mov", "video/quicktime", len(data))
	if len(a.UploadURLs) != 3 || a.UploadStatus != "pending" || a.Type != "file" {
		t.Fatalf("create answered %d upload_urls, status %q, _type %q; want 3, pending, file", len(a.UploadURLs), a.UploadStatus, a.Type)
	}
	parts := cut(data, len(a.UploadURLs))
	for i, p := range parts {
		if len(p) != 51200 {
			t.Fatalf("part %d is %d bytes", i, len(p))
		}
	}
	for _, u := range a.UploadURLs {
		if !strings.HasPrefix(u, s.URL+"/") || strings.Contains(u, c.Token) {
			t.Fatalf("upload URL %s is not this server's or carries the token", u)
		}
	}
	wrong := bytes.Repeat([]byte{0xAA}, len(parts[0]))
	for _, step := range []struct {
		part int
		data []byte
	}{{2, parts[2]}, {0, wrong}, {0, parts[0]}} {
		res := putPart(t, a.UploadURLs[step.part], step.data, len(step.data))
		wantStatus(t, fmt.Sprintf("PUT part %d", step.part), res, 200, "")
		var got v2Asset
		c.Do("GET", "/api/v2/assets/"+a.ID, nil, &got)
		if got.UploadStatus != "pending" || got.Original != "" {
			t.Fatalf("after part %d of 3 the asset is %+v, want still pending without original", step.part, got)
		}
	}
	wantStatus(t, "PUT last part", putPart(t, a.UploadURLs[1], parts[1], len(parts[1])), 200, "")

	got := waitChecksum(t, c, a.ID)
	// The SDK's downloader refuses an asset without upload_completed_at.
	if got.Type != "file" || got.UploadStatus != "" || got.Filesize != int64(len(data)) || got.UploadCompletedAt == nil ||
		got.IsSessionWatermarked == nil || *got.IsSessionWatermarked || got.Original == "" {
		t.Fatalf("finished asset = %+v", got)
	}
	if want := fmt.Sprintf("%016x", xxhash.Sum64(data)); got.Checksums.XXHash != want {
		t.Fatalf("xx_hash %s, want %s", got.Checksums.XXHash, want)
	}
	res, b := getURL(t, got.Original)
	if res.StatusCode != 200 || !bytes.Equal(b, data) {
		t.Fatalf("original without a token: %d, %d bytes, identical=%v", res.StatusCode, len(b), bytes.Equal(b, data))
	}
	if fmt.Sprintf("%016x", xxhash.Sum64(b)) != got.Checksums.XXHash {
		t.Fatal("downloaded bytes do not match checksums.xx_hash")
	}
	// The SDK's multi-part download asks for ranges "bytes=%d-%d" of
	// (start, offset*(i+1)): each one byte longer than its share (the end
	// is inclusive) and the last one past the end of the file.
	chunks := 4
	offset := (len(data) + chunks - 1) / chunks
	assembled := make([]byte, len(data))
	for i, in := 0, 0; i < chunks; i++ {
		out := offset * (i + 1)
		res, b = getURL(t, got.Original, "Range", fmt.Sprintf("bytes=%d-%d", in, out), "X-Frameio-Client", "python/2.0.0")
		if res.StatusCode != 206 || !bytes.Equal(b, data[in:min(out+1, len(data))]) {
			t.Fatalf("range %d-%d: %d, %d bytes", in, out, res.StatusCode, len(b))
		}
		copy(assembled[in:], b)
		in = out
	}
	if fmt.Sprintf("%016x", xxhash.Sum64(assembled)) != got.Checksums.XXHash {
		t.Fatal("the multi-part download does not match checksums.xx_hash")
	}
	// The asset is listed with the same fields (projects.tree / download walk children).
	var kids []v2Asset
	c.Do("GET", "/api/v2/assets/"+root+"/children", []byte("{}"), &kids)
	if len(kids) != 1 || kids[0].Original == "" || kids[0].Checksums == nil || kids[0].Type != "file" {
		t.Fatalf("children = %+v", kids)
	}
	var folder v2Asset
	c.Do("GET", "/api/v2/assets/"+root, nil, &folder)
	if folder.Type != "folder" || folder.Original != "" {
		t.Fatalf("root folder = %+v", folder)
	}

	// A part after completion changes nothing.
	res = putPart(t, a.UploadURLs[1], wrong[:len(parts[1])], len(parts[1]))
	wantStatus(t, "replay after completion", res, 409, "upload_complete")
	if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
		t.Fatal("the original changed after a replayed part")
	}
	// The upload files are gone from data/uploads.
	if left, _ := filepath.Glob(filepath.Join(s.DataDir, "uploads", a.ID+"*")); len(left) != 0 {
		t.Fatalf("left in uploads: %v", left)
	}
}

// Signed URLs work for api.SignedTTL on the server's clock, then answer
// url_expired.
func TestFrameioSignedURLsExpire(t *testing.T) {
	clk := clock.New(time.Now())
	s := startAt(t, clk, smallParts)
	_, data, a := newV2Upload(t, s, "Frame.io", "clip.mov", "video/quicktime", 100<<10)
	parts := cut(data, len(a.UploadURLs))
	clk.Advance(api.SignedTTL - time.Second)
	wantStatus(t, "part a second before expiry", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	clk.Advance(time.Second)
	wantStatus(t, "part at expiry", putPart(t, a.UploadURLs[1], parts[1], len(parts[1])), 403, "url_expired")
}

// TestFrameioSignedURLsRefused: part and original URLs work only as
// signed, for their one asset, part and action, until they expire, and
// bad parts store nothing.
func TestFrameioSignedURLsRefused(t *testing.T) {
	s := start(t, smallParts)
	c := s.TokenClient(t, "assets.read", "assets.create")
	_, root := linkProject(t, s.Admin(t), "Frame.io")
	data := randomBytes(150 << 10)
	parts := cut(data, 3)
	a := createV2File(t, c, root, "a.bin", "application/octet-stream", len(data))
	b := createV2File(t, c, root, "b.bin", "application/octet-stream", len(data))
	secret, err := os.ReadFile(filepath.Join(s.DataDir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	expired := s.URL + "/api/v2/signed/parts/" + a.ID + "/0?" +
		secure.Signed{Action: "upload_part", AssetID: a.ID, Part: 0, Expires: time.Now().Add(-time.Minute)}.Query(secret)
	otherKey := s.URL + "/api/v2/signed/parts/" + a.ID + "/0?" +
		secure.Signed{Action: "upload_part", AssetID: a.ID, Part: 0, Expires: time.Now().Add(time.Hour)}.Query(bytes.Repeat([]byte{7}, 32))
	aPart0 := a.UploadURLs[0]
	for _, tt := range []struct {
		name, url string
		data      []byte
		length    int
		status    int
		code      string
	}{
		{"expired", expired, parts[0], len(parts[0]), 403, "url_expired"},
		{"signed with another key", otherKey, parts[0], len(parts[0]), 403, "bad_signature"},
		{"tampered signature", withQuery(t, aPart0, "signature", strings.Repeat("A", 43)), parts[0], len(parts[0]), 403, "bad_signature"},
		{"no signature", strings.Split(aPart0, "?")[0], parts[0], len(parts[0]), 403, "bad_signature"},
		{"later expiry", withQuery(t, aPart0, "expires", fmt.Sprint(time.Now().Add(48*time.Hour).Unix())), parts[0], len(parts[0]), 403, "bad_signature"},
		{"another asset's URL", strings.Replace(b.UploadURLs[0], b.ID, a.ID, 1), parts[0], len(parts[0]), 403, "bad_signature"},
		{"another part's URL", strings.Replace(aPart0, a.ID+"/0?", a.ID+"/1?", 1), parts[1], len(parts[1]), 403, "bad_signature"},
		{"too short", aPart0, parts[0][:100], 100, 400, "part_size"},
		{"too long", aPart0, append(append([]byte{}, parts[0]...), 1), len(parts[0]) + 1, 413, "part_too_large"},
		{"too short, chunked", aPart0, parts[0][:100], -1, 400, "part_size"},
		{"too long, chunked", aPart0, append(append([]byte{}, parts[0]...), 1, 2, 3), -1, 413, "part_too_large"},
		{"beyond the last part", strings.Replace(aPart0, a.ID+"/0?", a.ID+"/9?", 1), parts[0], len(parts[0]), 403, "bad_signature"},
	} {
		res := putPart(t, tt.url, tt.data, tt.length)
		wantStatus(t, tt.name, res, tt.status, tt.code)
	}
	// Nothing of that counted: a is still pending after all three parts but
	// the first (which only the bad requests sent), then complete and intact.
	for i := 1; i < 3; i++ {
		wantStatus(t, "part", putPart(t, a.UploadURLs[i], parts[i], len(parts[i])), 200, "")
	}
	var got v2Asset
	c.Do("GET", "/api/v2/assets/"+a.ID, nil, &got)
	if got.UploadStatus != "pending" {
		t.Fatalf("a completed without a valid part 0: %+v", got)
	}
	wantStatus(t, "part 0", putPart(t, aPart0, parts[0], len(parts[0])), 200, "")
	got = waitChecksum(t, c, a.ID)
	if _, body := getURL(t, got.Original); !bytes.Equal(body, data) {
		t.Fatal("original is not byte-identical after refused parts")
	}
	// b received nothing.
	c.Do("GET", "/api/v2/assets/"+b.ID, nil, &got)
	if got.UploadStatus != "pending" {
		t.Fatalf("b = %+v", got)
	}

	// Original URLs: tampered, for another asset, expired, or used for
	// another action refuse; the good one works without a token.
	orig := waitChecksum(t, c, a.ID).Original
	signer := ""
	if u, err := url.Parse(orig); err == nil {
		signer = u.Query().Get("signer")
	}
	expiredOrig := s.URL + "/api/v2/signed/original/" + a.ID + "?" +
		secure.Signed{Action: "download_original", AssetID: a.ID, Signer: signer, Expires: time.Now().Add(-time.Second)}.Query(secret)
	for _, tt := range []struct {
		name, url, code string
	}{
		{"tampered", withQuery(t, orig, "signature", strings.Repeat("B", 43)), "bad_signature"},
		{"another asset", strings.Replace(orig, a.ID, b.ID, 1), "bad_signature"},
		{"another signer", withQuery(t, orig, "signer", b.ID), "bad_signature"},
		{"expired", expiredOrig, "url_expired"},
		{"a part URL used as original", strings.Replace(strings.Replace(aPart0, "/parts/", "/original/", 1), "/0?", "?", 1), "bad_signature"},
	} {
		res, _ := getURL(t, tt.url)
		wantStatus(t, "original "+tt.name, res, 403, tt.code)
	}
	if res, _ := getURL(t, orig); res.StatusCode != 200 {
		t.Fatalf("good original URL: %d", res.StatusCode)
	}
}

// TestFrameioSignedURLsFollowTheSigner: who may not upload gets no
// upload_urls, and a URL stops working when its user loses access.
func TestFrameioSignedURLsFollowTheSigner(t *testing.T) {
	s := start(t, smallParts)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Admin's")
	anon := s.Client(t)
	res := anon.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "file", Name: "x.bin", Filesize: model.Ptr[int64](10)}, nil)
	wantStatus(t, "create without a token", res, 401, "")
	if strings.Contains(body(res), "upload_urls") {
		t.Fatal("refusal carries upload_urls")
	}
	eve := createMember(t, admin, "eve@x.example", "eve password 123")
	eveC := s.Login(t, "eve@x.example", "eve password 123")
	res = eveC.Do("POST", "/api/v2/assets/"+root+"/children", model.NewAsset{Type: "file", Name: "x.bin", Filesize: model.Ptr[int64](10)}, nil)
	if res.StatusCode < 400 || res.StatusCode >= 500 || strings.Contains(body(res), "upload_urls") {
		t.Fatalf("member outside the project creating a file: %d %s", res.StatusCode, body(res))
	}

	// Eve's own project: her URLs work until she is disabled.
	_, eveRoot := linkProject(t, eveC, "Eve's")
	data := randomBytes(100 << 10)
	a := createV2File(t, eveC, eveRoot, "e.bin", "application/octet-stream", len(data))
	parts := cut(data, len(a.UploadURLs))
	wantStatus(t, "part 0", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	done := createV2File(t, eveC, eveRoot, "done.bin", "application/octet-stream", 2000)
	wantStatus(t, "single part", putPart(t, done.UploadURLs[0], randomBytes(2000), 2000), 200, "")
	var got v2Asset
	eveC.Do("GET", "/api/v2/assets/"+done.ID, nil, &got)
	if r, _ := getURL(t, got.Original); r.StatusCode != 200 {
		t.Fatalf("original before disabling: %d", r.StatusCode)
	}
	wantStatus(t, "disable eve", admin.Do("PUT", "/api/v2/users/"+eve.ID, model.UserPatch{Disabled: model.Ptr(true)}, nil), 200, "")
	r, _ := getURL(t, got.Original)
	wantStatus(t, "original of a disabled signer", r, 403, "signer_gone")
	wantStatus(t, "part of a disabled creator", putPart(t, a.UploadURLs[1], parts[1], len(parts[1])), 403, "signer_gone")
}

// TestFrameioDeleteAnswersTheObject: v2 DELETEs answer 200 with what was
// deleted (the SDK raises on 204 after the delete happened), and the
// object is gone.
func TestFrameioDeleteAnswersTheObject(t *testing.T) {
	s := start(t)
	c := sdkClient(t, s, s.TokenClient(t, "projects.read", "projects.create", "projects.delete", "assets.read", "assets.create",
		"assets.delete", "comments.create", "comments.delete", "review_links.create", "review_links.read", "review_links.delete").Token)
	project, root := linkProject(t, c, "To delete")
	file := c.Upload(root, "a.bin", []byte("some bytes"))
	var cm model.Comment
	var rl model.ReviewLink
	wantStatus(t, "comment", c.Do("POST", "/api/v2/assets/"+file+"/comments", model.NewComment{Text: "hi"}, &cm), 201, "")
	wantStatus(t, "review link", c.Do("POST", "/api/v2/projects/"+project+"/review_links", model.ReviewLinkInput{Name: model.Ptr("R")}, &rl), 201, "")
	for _, tt := range []struct{ what, path, id, get string }{
		{"comment", "/api/v2/comments/" + cm.ID, cm.ID, "/api/v2/assets/" + file + "/comments"},
		{"review link", "/api/v2/review_links/" + rl.ID, rl.ID, "/api/v2/review_links/" + rl.ID},
		{"asset", "/api/v2/assets/" + file, file, "/api/v2/assets/" + file},
		{"project", "/api/v2/projects/" + project, project, "/api/v2/projects/" + project},
	} {
		// Partial on purpose: the id of a comment, review link, asset or project alike.
		var got struct {
			ID string `json:"id"`
		}
		// The SDK sends its default payload {} with every call, DELETEs too.
		res := c.Do("DELETE", tt.path, []byte("{}"), &got)
		wantStatus(t, "delete "+tt.what, res, 200, "")
		if got.ID != tt.id {
			t.Errorf("delete %s answered %s, want the object with id %s", tt.what, body(res), tt.id)
		}
		if res := c.Do("GET", tt.get, nil, nil); res.StatusCode == 200 && strings.Contains(body(res), tt.id) {
			t.Errorf("%s still there after DELETE: %s", tt.what, body(res))
		}
		wantStatus(t, "delete "+tt.what+" again", c.Do("DELETE", tt.path, nil, nil), 404, "")
	}
}

// TestFrameioPartsInParallel: parts larger than the JSON body limit
// (streamed to disk, not read into memory) sent all at once, as the SDK's
// thread pool does, make one byte-identical original; a HEAD of the
// signed original answers its length.
func TestFrameioPartsInParallel(t *testing.T) {
	s := start(t, func(c *config.Config) { c.Limits.UploadPartBytes = 1536 << 10 })
	c, data, a := newV2Upload(t, s, "Parallel", "big.mov", "video/quicktime", 4608<<10) // 3 parts of 1.5 MiB
	parts := cut(data, len(a.UploadURLs))
	if len(parts) != 3 || int64(len(parts[0])) <= s.Config.Limits.MaxJSONBytes {
		t.Fatalf("%d parts of %d bytes; want 3 above the %d-byte body limit", len(parts), len(parts[0]), s.Config.Limits.MaxJSONBytes)
	}
	putInParallel(t, a, parts)
	got := waitChecksum(t, c, a.ID)
	if got.Checksums.XXHash != fmt.Sprintf("%016x", xxhash.Sum64(data)) {
		t.Fatal("xx_hash does not match the sent bytes")
	}
	if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
		t.Fatalf("original differs (%d bytes)", len(b))
	}
	res, err := http.Head(got.Original)
	if err != nil || res.StatusCode != 200 || res.ContentLength != int64(len(data)) {
		t.Fatalf("HEAD original: %v %v", res, err)
	}
}

// putInParallel PUTs all parts of a at once, as the SDK's thread pool
// does; each must be taken and exactly one must complete the upload.
func putInParallel(t *testing.T, a v2Asset, parts [][]byte) {
	t.Helper()
	statuses := make(chan string, len(parts))
	for i := range parts {
		go func(i int) {
			req, _ := http.NewRequest("PUT", a.UploadURLs[i], bytes.NewReader(parts[i]))
			req.Header.Set("content-type", a.Filetype)
			req.Header.Set("x-amz-acl", "private")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			statuses <- fmt.Sprintf("%d %s", res.StatusCode, b)
		}(i)
	}
	completes := 0
	for range parts {
		st := <-statuses
		if !strings.HasPrefix(st, "200 ") {
			t.Fatalf("parallel part: %s", st)
		}
		if strings.Contains(st, `"complete":true`) {
			completes++
		}
	}
	if completes != 1 {
		t.Fatalf("%d parts reported completing the upload, want exactly 1", completes)
	}
}

// TestFrameioPartIsStreamed: a 6 MiB part goes to disk through a small
// buffer; reading it into memory first would allocate at least its size.
// (The server runs in this process, so its allocations are counted.)
func TestFrameioPartIsStreamed(t *testing.T) {
	s := start(t, func(c *config.Config) { c.Limits.UploadPartBytes = 6 << 20 })
	c, data, a := newV2Upload(t, s, "Stream", "one.bin", "application/octet-stream", 6<<20)
	if len(a.UploadURLs) != 1 {
		t.Fatalf("%d upload_urls, want 1", len(a.UploadURLs))
	}
	var res *http.Response
	alloc := allocatedBy(func() { res = putPart(t, a.UploadURLs[0], data, len(data)) })
	wantStatus(t, "PUT", res, 200, "")
	if alloc > 4<<20 {
		t.Fatalf("a 6 MiB part allocated %d bytes: it was buffered, not streamed", alloc)
	}
	if _, b := getURL(t, waitChecksum(t, c, a.ID).Original); !bytes.Equal(b, data) {
		t.Fatal("original differs")
	}
}

// TestFrameioPartsRecoverAfterACrash: when the server stops after the last
// part was recorded but before the upload became its asset, the next start
// finishes it. The stop is simulated by recording the last part with the
// server down; the layout recorded at creation holds though the part size
// changed in between.
func TestFrameioPartsRecoverAfterACrash(t *testing.T) {
	dir := t.TempDir()
	s := testkit.StartIn(t, dir, smallParts)
	c, data, a := newV2Upload(t, s, "Crash", "crash.bin", "application/octet-stream", 150<<10)
	parts := cut(data, len(a.UploadURLs))
	for i := 0; i < 2; i++ {
		wantStatus(t, "part", putPart(t, a.UploadURLs[i], parts[i], len(parts[i])), 200, "")
	}
	s.Stop()

	f, err := os.OpenFile(filepath.Join(dir, "uploads", a.ID+".parts"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(parts[2], int64(2*len(parts[0]))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := store.Open(filepath.Join(dir, "db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(tx *store.Tx) error {
		return tx.Put(fmt.Sprintf("%s%s/%05d", store.PrefixUploadPart, a.ID, 2), map[string]int{"size": len(parts[2])})
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	s = testkit.StartIn(t, dir, func(c *config.Config) { c.Limits.UploadPartBytes = 1 << 20 })
	c = s.TokenClient(t, "assets.read", "assets.create")
	got := waitChecksum(t, c, a.ID)
	if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
		t.Fatal("recovered original differs")
	}
}

// TestFrameioIdlePartsExpire: an upload_urls upload left unfinished is
// swept like an idle tus upload: its parts file and records go, and a late
// part is told the upload is gone.
func TestFrameioIdlePartsExpire(t *testing.T) {
	clk := clock.New(time.Now())
	s := startAt(t, clk, smallParts, func(c *config.Config) { c.Limits.UploadExpiry = config.Duration(2 * time.Second) })
	c, data, a := newV2Upload(t, s, "Idle", "idle.bin", "application/octet-stream", 150<<10)
	parts := cut(data, len(a.UploadURLs))
	wantStatus(t, "part 0", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	file := filepath.Join(s.DataDir, "uploads", a.ID+".parts")
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	// The upload sits idle past its expiry; the sweeper (every second)
	// removes it.
	clk.Advance(time.Minute)
	poll.Until(t, 10*time.Second, func() error {
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			return fmt.Errorf("idle parts file still on disk")
		}
		return nil
	})
	wantStatus(t, "late part", putPart(t, a.UploadURLs[1], parts[1], len(parts[1])), 410, "upload_gone")
	wantStatus(t, "asset", c.Do("GET", "/api/v2/assets/"+a.ID, nil, nil), 404, "")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("a late part recreated the parts file")
	}
}

// TestFrameioFollowsFolderPrivileges: upload_urls and original exist only
// for who may upload or download there, and a URL handed out stops working
// when its user's privilege on the folder is lowered.
func TestFrameioFollowsFolderPrivileges(t *testing.T) {
	f := newAccessFixture(t) // Carol: preview only on /Private, all rights in the root
	var secret, open v2Asset
	wantStatus(t, "carol gets the private file", f.carol.Do("GET", "/api/v2/assets/"+f.secret, nil, &secret), 200, "")
	wantStatus(t, "carol gets the open file", f.carol.Do("GET", "/api/v2/assets/"+f.open, nil, &open), 200, "")
	if secret.Original != "" || open.Original == "" {
		t.Fatalf("original for preview-only %q, for full rights %q", secret.Original, open.Original)
	}
	var kids []v2Asset
	f.carol.Do("GET", "/api/v2/assets/"+f.private+"/children", nil, &kids)
	for _, k := range kids {
		if k.Original != "" {
			t.Fatalf("preview-only listing carries original: %+v", k)
		}
	}
	res := f.carol.Do("POST", "/api/v2/assets/"+f.private+"/children", model.NewAsset{Type: "file", Name: "x.bin", Filetype: "application/octet-stream", Filesize: model.Ptr[int64](10)}, nil)
	if res.StatusCode != 403 || strings.Contains(body(res), "upload_urls") {
		t.Fatalf("preview-only member creating a file: %d %s", res.StatusCode, body(res))
	}
	readOnly := f.s.TokenClient(t, "assets.read")
	res = readOnly.Do("POST", "/api/v2/assets/"+f.root+"/children", model.NewAsset{Type: "file", Name: "x.bin", Filesize: model.Ptr[int64](10)}, nil)
	wantStatus(t, "token without assets.create", res, 403, "insufficient_scope")

	// URLs Carol got in the root stop when the root is lowered to preview.
	data := randomBytes(2000)
	up := createV2File(t, f.carol, f.root, "later.bin", "application/octet-stream", len(data))
	if r, b := getURL(t, open.Original); r.StatusCode != 200 || !bytes.Equal(b, f.openData) {
		t.Fatalf("original before the change: %d", r.StatusCode)
	}
	wantStatus(t, "lower carol", f.admin.Do("PUT", "/api/v2/users/"+f.carolID+"/privileges/"+f.root,
		model.PrivilegeInput{Access: "preview", Share: model.Ptr(false)}, nil), 200, "")
	if r, _ := getURL(t, open.Original); r.StatusCode != 403 {
		t.Fatalf("original after carol lost download: %d", r.StatusCode)
	}
	if r := putPart(t, up.UploadURLs[0], data, len(data)); r.StatusCode != 403 {
		t.Fatalf("part after carol lost upload: %d %s", r.StatusCode, body(r))
	}
	var still v2Asset
	f.admin.Do("GET", "/api/v2/assets/"+up.ID, nil, &still)
	if still.UploadStatus != "pending" {
		t.Fatalf("the refused part completed the upload: %+v", still)
	}
}

// TestFrameioPartFromAnAllowedOrigin: a web app on an allowed CORS origin
// may PUT parts (signed URLs carry no cookie); other origins are refused.
func TestFrameioPartFromAnAllowedOrigin(t *testing.T) {
	s := start(t, smallParts, allowApp)
	_, data, a := newV2Upload(t, s, "Browser", "web.bin", "application/octet-stream", 1000)
	send := func(origin string) *http.Response {
		req, _ := http.NewRequest("PUT", a.UploadURLs[0], bytes.NewReader(data))
		req.Header.Set("Origin", origin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := send("http://evil.example"); res.StatusCode != 403 {
		t.Fatalf("part from an unlisted origin: %d", res.StatusCode)
	}
	res := send(appOrigin)
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != appOrigin {
		t.Fatalf("part from the app: %d ACAO %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestFrameioTusCompletionDropsParts: a file created with POST children
// may be sent by tus instead of its upload_urls (or after some parts);
// when tus finishes it, the parts file and records go too.
func TestFrameioTusCompletionDropsParts(t *testing.T) {
	dir := t.TempDir()
	s := testkit.StartIn(t, dir, smallParts)
	c, data, a := newV2Upload(t, s, "Either way", "tus.bin", "application/octet-stream", 150<<10)
	parts := cut(data, len(a.UploadURLs))
	wantStatus(t, "part 0", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	var created model.Asset
	c.Do("GET", "/api/v2/assets/"+a.ID, nil, &created)
	wantStatus(t, "tus PATCH", c.TusPatch(created.UploadURL, 0, bytes.NewReader(data), int64(len(data))), 204, "")
	got := waitChecksum(t, c, a.ID)
	if _, b := getURL(t, got.Original); !bytes.Equal(b, data) {
		t.Fatal("original differs")
	}
	wantStatus(t, "part after tus finished", putPart(t, a.UploadURLs[1], parts[1], len(parts[1])), 409, "upload_complete")
	if left, _ := filepath.Glob(filepath.Join(dir, "uploads", a.ID+"*")); len(left) != 0 {
		t.Fatalf("left in uploads: %v", left)
	}
	s.Stop()
	st := teststore.OpenData(t, dir)
	var n int
	st.View(func(tx *store.Tx) (err error) { n, err = tx.Count(store.PrefixUploadPart); return err })
	if n != 0 {
		t.Fatalf("%d upload part records left", n)
	}
}

// TestFrameioCutPart: a client that stops sending mid-part (a part above
// the body limit, so the handler reads it as a stream) gets a 400 it can
// read, the part does not count, and sending it again completes the upload
// byte for byte.
func TestFrameioCutPart(t *testing.T) {
	s := start(t, func(c *config.Config) { c.Limits.UploadPartBytes = 1536 << 10 })
	c, data, a := newV2Upload(t, s, "Cut", "cut.bin", "application/octet-stream", 3<<20)
	parts := cut(data, len(a.UploadURLs))
	wantStatus(t, "cut part", putCutPart(t, a.UploadURLs[0], parts[0], 1<<20+1000), 400, "part_size")
	for i := len(parts) - 1; i >= 1; i-- {
		wantStatus(t, "part", putPart(t, a.UploadURLs[i], parts[i], len(parts[i])), 200, "")
	}
	var got v2Asset
	c.Do("GET", "/api/v2/assets/"+a.ID, nil, &got)
	if got.UploadStatus != "pending" {
		t.Fatalf("completed with a cut part: %+v", got)
	}
	wantStatus(t, "part 0 again", putPart(t, a.UploadURLs[0], parts[0], len(parts[0])), 200, "")
	if _, b := getURL(t, waitChecksum(t, c, a.ID).Original); !bytes.Equal(b, data) {
		t.Fatal("original differs")
	}
}

// putCutPart PUTs a part that announces all of part's bytes, sends only
// the first n and stops sending (the connection stays open to read the
// answer), as a client that dies mid-part; also a way to read a refusal
// that comes before the body is read.
func putCutPart(t *testing.T, rawURL string, part []byte, n int) *http.Response {
	t.Helper()
	u, _ := url.Parse(rawURL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/octet-stream\r\nx-amz-acl: private\r\nContent-Length: %d\r\n\r\n",
		u.RequestURI(), u.Host, len(part))
	conn.Write(part[:n])
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a cut part: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

// sdkSlimChildren is the query of the SDK's assets.get_children(slim=True),
// which projects.tree and projects.download walk.
const sdkSlimChildren = "?include=children&only_fields=a.name,a.filesize,u.name,a.is_session_watermarked,a.item_count,a.creator.namea.creator.id,a.inserted_at,a.original,a.upload_completed_at" +
	"&drop_includes=a.trancode_statuses,a.transcodes,a.source,a.checksums&hard_drop_fields=a.transcodes,a.source"

// v2Node is an asset listed with include=children.
type v2Node struct {
	v2Asset
	ItemCount int       `json:"item_count"`
	Children  *[]v2Node `json:"children"`
}

// TestFrameioProjectTreeAndDownload walks a project as the SDK's
// projects.tree and projects.download do (FrameioHelpers): GET the
// project, list the root's children with include=children, read
// "children" of every asset (files too), list a folder again when its
// item_count is above 3, else take its included children and descend into
// their folders; then download every file from its original and verify it
// against checksums.xx_hash.
func TestFrameioProjectTreeAndDownload(t *testing.T) {
	s := start(t)
	admin := s.Admin(t)
	project, root := linkProject(t, admin, "Tree")
	want := map[string][]byte{}
	put := func(parent, path string) {
		b := randomBytes(2000 + len(path))
		want[path] = b
		admin.Upload(parent, filepath.Base(path), b)
	}
	put(root, "top.bin")
	small := mkdir(t, admin, root, "Small")
	put(small, "Small/a.bin")
	deeper := mkdir(t, admin, small, "Deeper")
	put(deeper, "Small/Deeper/b.bin")
	big := mkdir(t, admin, root, "Big")
	for i := range 5 {
		put(big, fmt.Sprintf("Big/%d.bin", i))
	}
	sdk := sdkClient(t, s, mintToken(t, admin, "projects.read", "assets.read"))

	var pr model.Project
	wantStatus(t, "projects.get", sdk.Do("GET", "/api/v2/projects/"+project, []byte("{}"), &pr), 200, "")
	list := func(id string) []v2Node {
		var out []v2Node
		wantStatus(t, "get_children slim", sdk.Do("GET", "/api/v2/assets/"+id+"/children"+sdkSlimChildren, []byte("{}"), &out), 200, "")
		return out
	}
	// FrameioHelpers.get_assets_recursively, then recursive_downloader.
	var tree func(id string) []v2Node
	tree = func(id string) []v2Node {
		nodes := list(id)
		for i, n := range nodes {
			if n.Children == nil {
				t.Fatalf("%s has no children key: the SDK reads len(asset['children']) of every asset listed", n.Name)
			}
			if n.Type != "folder" {
				continue
			}
			if n.ItemCount > 3 {
				kids := tree(n.ID)
				nodes[i].Children = &kids
				continue
			}
			if len(*n.Children) != n.ItemCount {
				t.Fatalf("%s: %d children included, item_count %d", n.Name, len(*n.Children), n.ItemCount)
			}
			for j, k := range *n.Children {
				if k.Type == "folder" {
					kids := tree(k.ID)
					(*n.Children)[j].Children = &kids
				}
			}
		}
		return nodes
	}
	got := map[string]v2Node{}
	var download func(nodes []v2Node, dir string)
	download = func(nodes []v2Node, dir string) {
		for _, n := range nodes {
			switch n.Type {
			case "file":
				got[dir+n.Name] = n
			case "folder":
				download(*n.Children, dir+n.Name+"/")
			}
		}
	}
	download(tree(pr.RootAssetID), "")
	if len(got) != len(want) {
		t.Fatalf("the walk found %d files, want %d", len(got), len(want))
	}
	for path, b := range want {
		n, ok := got[path]
		if !ok {
			t.Fatalf("the walk missed %s", path)
		}
		// A file met only as an included child is downloaded as listed.
		if n.UploadCompletedAt == nil || n.Checksums == nil || n.Original == "" {
			n.v2Asset = waitChecksum(t, sdk, n.ID)
		}
		res, body := getURL(t, n.Original)
		if res.StatusCode != 200 || fmt.Sprintf("%016x", xxhash.Sum64(body)) != n.Checksums.XXHash || !bytes.Equal(body, b) {
			t.Fatalf("%s: %d, %d bytes, checksum match %v", path, res.StatusCode, len(body), fmt.Sprintf("%016x", xxhash.Sum64(body)) == n.Checksums.XXHash)
		}
	}
	// An outsider's token walks nothing.
	createMember(t, admin, "eve@x.example", "eve password 123")
	eve := sdkClient(t, s, mintToken(t, s.Login(t, "eve@x.example", "eve password 123"), "assets.read"))
	wantStatus(t, "an outsider's tree", eve.Do("GET", "/api/v2/assets/"+root+"/children"+sdkSlimChildren, []byte("{}"), nil), 404, "")
}
