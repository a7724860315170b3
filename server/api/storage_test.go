package api_test

import (
	"archive/zip"
	"bytes"
	"image/color"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestStorageBackends runs the byte paths (tus upload, download, Range,
// ZIP, proxies, versions, copies, share links, deletion) on each backend:
// one body, a row per backend. (FERRY_TEST_STORAGE=s3 also runs every
// other test of the package on S3.)
func TestStorageBackends(t *testing.T) {
	rows := []struct {
		name    string
		s3      bool
		presign bool
	}{
		{"disk", false, false},
		{"s3", true, false},
		{"s3-presigned", true, true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var m *testkit.MinIOServer
			mod := testkit.OnDisk // also under FERRY_TEST_STORAGE=s3
			if row.s3 {
				m = testkit.MinIO(t)
				mod = func(c *config.Config) {
					m.Use(c, "ferry")
					c.S3.PresignDownloads = row.presign
				}
			}
			s := start(t, mod)
			admin := s.Admin(t)
			_, root := linkProject(t, admin, "Bytes")
			data := testkit.RandomBytes(t, 5<<20+123)
			id := admin.Upload(root, "clip.bin", data, "filetype", "application/octet-stream")
			img := jpegBytes(t, 640, 480, color.RGBA{200, 40, 40, 255})
			imgID := admin.Upload(root, "photo.jpg", img, "filetype", "image/jpeg")
			waitReady(t, admin, imgID) // proxies made from the original, wherever it lives

			if res, b := get(t, admin, "/api/v2/assets/"+id+"/original"); res.StatusCode != 200 || !bytes.Equal(b, data) {
				t.Fatalf("original: %d, %d bytes, equal %v", res.StatusCode, len(b), bytes.Equal(b, data))
			}
			req, _ := http.NewRequest("GET", admin.Base+"/api/v2/assets/"+id+"/original", nil)
			req.Header.Set("Range", "bytes=1000-2999")
			res := admin.Send(req, nil)
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != 206 || !bytes.Equal(b, data[1000:3000]) {
				t.Fatalf("range: %d, %d bytes", res.StatusCode, len(b))
			}
			res, thumb := get(t, admin, "/api/v2/assets/"+imgID+"/proxies/thumb")
			if res.StatusCode != 200 || len(thumb) == 0 {
				t.Fatalf("thumb: %d, %d bytes", res.StatusCode, len(thumb))
			}
			if row.s3 {
				// Renditions are in the bucket too: with the local disk's
				// copies gone (a new machine) they are served from there.
				proxies := "proxies/" + imgID[:2] + "/" + imgID
				if !slices.Contains(m.Keys("ferry/"+proxies+"/"), "ferry/"+proxies+"/thumb.jpg") {
					t.Fatalf("the thumb is not in the bucket: %v", m.Keys("ferry/proxies/"))
				}
				if err := os.RemoveAll(filepath.Join(s.DataDir, "proxies")); err != nil {
					t.Fatal(err)
				}
				if res, b := get(t, admin, "/api/v2/assets/"+imgID+"/proxies/thumb"); res.StatusCode != 200 || !bytes.Equal(b, thumb) {
					t.Fatalf("thumb without its local copy: %d, %d bytes", res.StatusCode, len(b))
				}
			}

			// A new version and a copy are new originals.
			v2 := bytes.Repeat([]byte("v2"), 1<<20)
			v2ID := admin.Upload(root, "clip.bin", v2, "filetype", "application/octet-stream", "version_of", id)
			if res, b := get(t, admin, "/api/v2/assets/"+v2ID+"/original"); res.StatusCode != 200 || !bytes.Equal(b, v2) {
				t.Fatalf("version 2: %d, %d bytes", res.StatusCode, len(b))
			}
			var cp model.Asset
			wantStatus(t, "copy", admin.Do("POST", "/api/v2/assets/"+root+"/copy", model.CopySource{ID: id}, &cp), 200, "")
			if res, b := get(t, admin, "/api/v2/assets/"+cp.ID+"/original"); res.StatusCode != 200 || !bytes.Equal(b, data) {
				t.Fatalf("copy: %d, %d bytes", res.StatusCode, len(b))
			}

			// A share link's visitor: one original and the ZIP, entry by entry
			// (of the copy: the first file now heads a version stack).
			l := createShare(t, admin, model.NewShareLink{Kind: "public", AssetIDs: []string{cp.ID, imgID}, AllowOriginal: model.Ptr(true)})
			v := s.Client(t)
			if res, b := get(t, v, "/api/v2/public/links/"+l.Key+"/assets/"+cp.ID+"/original?download=1"); res.StatusCode != 200 || !bytes.Equal(b, data) {
				t.Fatalf("visitor original: %d, %d bytes", res.StatusCode, len(b))
			}
			res, zb := get(t, v, "/api/v2/public/links/"+l.Key+"/zip")
			if res.StatusCode != 200 {
				t.Fatalf("zip: %d", res.StatusCode)
			}
			z, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]byte{"clip.bin": data, "photo.jpg": img}
			for _, e := range z.File {
				r, _ := e.Open()
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, want[e.Name]) {
					t.Fatalf("zip entry %s: %d bytes, %v", e.Name, len(got), err)
				}
				delete(want, e.Name)
			}
			if len(want) > 0 {
				t.Fatalf("zip lacks %v", want)
			}
			// Without a link nothing is served, whatever the backend; a link
			// without originals gives no redirect to the bucket either.
			wantStatus(t, "anonymous original", v.Do("GET", "/api/v2/assets/"+id+"/original", nil, nil), 401, "")
			closed := createShare(t, admin, model.NewShareLink{Kind: "public", AssetIDs: []string{cp.ID}, AllowOriginal: model.Ptr(false)})
			noFollow := *v.HTTP
			noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			nv := *v
			nv.HTTP = &noFollow
			if res := nv.Do("GET", "/api/v2/public/links/"+closed.Key+"/assets/"+cp.ID+"/original?download=1", nil, nil); res.StatusCode < 400 {
				t.Fatalf("original through a link without originals: %d (Location %q), want a refusal", res.StatusCode, res.Header.Get("Location"))
			}

			original := "originals/" + id[:2] + "/" + id
			onDisk := func() bool { _, err := os.Stat(filepath.Join(s.DataDir, original)); return err == nil }
			if row.s3 {
				// tus went straight into a multipart upload: nothing staged locally.
				if left, _ := os.ReadDir(filepath.Join(s.DataDir, "uploads")); len(left) > 0 {
					t.Fatalf("tus staged files on the local disk: %v", left)
				}
				if onDisk() {
					t.Fatalf("%s is on the local disk with storage.backend s3", original)
				}
				if !slices.Contains(m.Keys("ferry/originals/"), "ferry/"+original) {
					t.Fatalf("%s is not in the bucket: %v", original, m.Keys("ferry/"))
				}
				checkPresigned(t, s, admin, id, row.presign, m.Endpoint)
			} else if !onDisk() {
				t.Fatalf("%s is not on disk", original)
			}

			if res := admin.Do("DELETE", "/api/v2/assets/"+id, nil, nil); res.StatusCode >= 300 {
				t.Fatalf("delete: %d %s", res.StatusCode, body(res))
			}
			if row.s3 {
				if slices.Contains(m.Keys("ferry/originals/"), "ferry/"+original) {
					t.Fatalf("%s stayed in the bucket after its asset was deleted", original)
				}
				if left := m.IncompleteUploads("ferry/" + original); len(left) > 0 {
					t.Fatalf("multipart uploads left behind: %v", left)
				}
			}
		})
	}
}

// checkPresigned: with presign_downloads a download is a 302 to the store
// (the test client followed it above); without, the bytes come from Ferry.
func checkPresigned(t *testing.T, s *testkit.Server, admin *testkit.Client, id string, presign bool, endpoint string) {
	t.Helper()
	noFollow := *admin.HTTP
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := *admin
	c.HTTP = &noFollow
	res := c.Do("GET", "/api/v2/assets/"+id+"/original?download=1", nil, nil)
	loc := res.Header.Get("Location")
	switch {
	case presign && (res.StatusCode != 302 || !strings.HasPrefix(loc, endpoint+"/") || !strings.Contains(loc, "X-Amz-Signature=")):
		t.Fatalf("presigned download: %d Location %q, want 302 to a signed URL of %s", res.StatusCode, loc, endpoint)
	case presign && !strings.Contains(loc, "response-content-disposition=attachment"):
		t.Fatalf("presigned URL does not ask for an attachment: %s", loc)
	case !presign && res.StatusCode != 200:
		t.Fatalf("streamed download: %d", res.StatusCode)
	}
}
