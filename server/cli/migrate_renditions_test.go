package cli_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"image/color"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/ffclip"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

var renditionsRe = regexp.MustCompile(`migrated renditions to (?:s3|disk): (\d+) copied \((\d+) bytes\), (\d+) already there`)

// TestStorageMigrateRenditions: a disk server's photo (thumb, preview,
// large) and video (poster, video proxies, sprite) renditions go to the
// bucket with `ferry storage migrate --to s3`: every file on the disk is
// an object with the same SHA-256 (listed from MinIO). With the local
// copies gone, the switched-over server serves each byte-identical from
// the bucket. Back with `--to disk`, MinIO stopped, the disk server serves
// them all again.
func TestStorageMigrateRenditions(t *testing.T) {
	ffclip.Need(t)
	m := testkit.MinIO(t)
	env := s3Env(m, "moved")
	dir := dataDir(t)
	a := serve(t, dir, adminEnv...)
	c := adminClient(t, a.URL)
	root := rootFolder(t, c)
	photo := c.Upload(root, "photo.jpg", testkit.JPEG(t, 1600, 1000, color.RGBA{40, 120, 200, 255}), "filetype", "image/jpeg")
	clip := c.Upload(root, "clip.mp4", ffclip.Bytes(t, "clip.mp4",
		append(ffclip.Pattern("640x360", "25", 2), "-c:v", "libx264", "-pix_fmt", "yuv420p")...), "filetype", "video/mp4")
	routes := append(renditionRoutes(t, c, photo, false), renditionRoutes(t, c, clip, true)...)
	served := map[string][32]byte{}
	for _, r := range routes {
		served[r] = sha256.Sum256(getBytes(t, c, r))
	}
	onDisk := localSums(t, dir)
	if len(onDisk) < len(routes) {
		t.Fatalf("%d rendition files on the disk for %d routes", len(onDisk), len(routes))
	}
	t.Logf("%d rendition files on the disk, %d routes", len(onDisk), len(routes))
	a.Stop()

	r := mustRun(t, "", env, "storage", "migrate", "--to", "s3", "--data-dir", dir)
	if got := renditionsRe.FindStringSubmatch(r.stdout); got == nil || got[1] != strconv.Itoa(len(onDisk)) || got[3] != "0" {
		t.Fatalf("migration of %d renditions: %q", len(onDisk), r.stdout)
	}
	inBucket := map[string][32]byte{}
	for _, key := range m.Keys("moved/proxies/") {
		inBucket[strings.TrimPrefix(key, "moved/")] = objectSum(t, m, key)
	}
	if !maps.Equal(inBucket, onDisk) {
		t.Fatalf("the bucket holds %v, the disk held %v", slices.Sorted(maps.Keys(inBucket)), slices.Sorted(maps.Keys(onDisk)))
	}

	// Switch over, the local copies gone: each rendition serves from the bucket.
	for _, sub := range []string{"proxies", "originals"} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	b := serve(t, dir, append(env, "FERRY_STORAGE_BACKEND=s3")...)
	c = adminClient(t, b.URL)
	for _, r := range routes {
		if sha256.Sum256(getBytes(t, c, r)) != served[r] {
			t.Fatalf("%s differs after the switch to s3", r)
		}
	}
	b.Stop()

	// And back to the disk, with the bucket gone.
	r = mustRun(t, "", env, "storage", "migrate", "--to", "disk", "--data-dir", dir)
	if got := renditionsRe.FindStringSubmatch(r.stdout); got == nil {
		t.Fatalf("migration back: %q", r.stdout)
	}
	if back := localSums(t, dir); !maps.Equal(back, onDisk) {
		t.Fatalf("back on the disk: %v, want %v", slices.Sorted(maps.Keys(back)), slices.Sorted(maps.Keys(onDisk)))
	}
	m.Stop()
	d := serve(t, dir)
	c = adminClient(t, d.URL)
	for _, r := range routes {
		if sha256.Sum256(getBytes(t, c, r)) != served[r] {
			t.Fatalf("%s differs after the move back to disk", r)
		}
	}
}

// renditionRoutes waits until asset id's renditions are made and lists
// the routes serving them: thumb, preview, large, and a video's proxies.
func renditionRoutes(t *testing.T, c *testkit.Client, id string, video bool) []string {
	t.Helper()
	var a model.Asset
	poll.Until(t, 3*time.Minute, func() error {
		c.Do("GET", "/api/v2/assets/"+id, nil, &a)
		if a.ProxyStatus == model.ProxyReady && (!video || a.TranscodeStatus == assets.TranscodeReady) {
			return nil
		}
		err := fmt.Errorf("renditions of %s: proxy %q %s, transcode %q %s", id, a.ProxyStatus, a.ProxyError, a.TranscodeStatus, a.TranscodeError)
		if a.ProxyStatus == model.ProxyFailed || a.TranscodeStatus == assets.TranscodeFailed {
			t.Fatal(err)
		}
		return err
	})
	if video && len(a.Renditions) == 0 {
		t.Fatalf("video %s has no video proxies", id)
	}
	var out []string
	names := append([]string{"thumb", "preview", "large"}, a.Renditions...)
	if a.SpriteFrames > 0 {
		names = append(names, model.Sprite)
	}
	for _, name := range names {
		out = append(out, "/api/v2/assets/"+id+"/proxies/"+name)
	}
	return out
}

func getBytes(t *testing.T, c *testkit.Client, path string) []byte {
	t.Helper()
	res := c.Do("GET", path, nil, nil)
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != 200 || err != nil {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return b
}

// localSums is the SHA-256 of every rendition file under dir/proxies, by key.
func localSums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(filepath.Join(dir, "proxies"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func objectSum(t *testing.T, m *testkit.MinIOServer, key string) [32]byte {
	t.Helper()
	o, err := m.Client.GetObject(context.Background(), m.Bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	h := sha256.New()
	if _, err := io.Copy(h, o); err != nil {
		t.Fatalf("reading %s from the bucket: %v", key, err)
	}
	return [32]byte(h.Sum(nil))
}
