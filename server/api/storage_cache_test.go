package api_test

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestS3RenditionCacheCap: with storage.backend s3 and a small
// s3.rendition_cache_bytes, a library's thumbnails, previews and large
// proxies served again and again keep data/proxies under the cap (the
// least recently used copies go), and every one serves byte-identical,
// fetched again from the bucket.
func TestS3RenditionCacheCap(t *testing.T) {
	const capBytes = 96 << 10
	m := testkit.MinIO(t)
	s := start(t, func(c *config.Config) {
		m.Use(c, "ferry")
		c.S3.RenditionCacheBytes = capBytes
	})
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Cache")
	var ids []string
	for i := range 6 {
		img := testkit.JPEG(t, 900, 600, color.RGBA{uint8(40 * i), 90, 200, 255})
		ids = append(ids, admin.Upload(root, fmt.Sprintf("p%d.jpg", i), img, "filetype", "image/jpeg"))
	}
	waitReady(t, admin, ids...)
	var paths []string
	for _, id := range ids {
		for _, name := range []string{"thumb", "preview", "large"} {
			paths = append(paths, "/api/v2/assets/"+id+"/proxies/"+name)
		}
	}
	first := map[string][]byte{}
	for round := range 3 {
		for _, p := range paths {
			res, b := get(t, admin, p)
			if res.StatusCode != 200 || len(b) == 0 {
				t.Fatalf("round %d: %s: %d", round, p, res.StatusCode)
			}
			if was, ok := first[p]; ok && !bytes.Equal(was, b) {
				t.Fatalf("round %d: %s differs from its first answer", round, p)
			}
			first[p] = b
			// The copy just served is kept even when it alone is over.
			if used, _ := testkit.FilesUnder(t, filepath.Join(s.DataDir, "proxies")); used > max(capBytes, int64(len(b))) {
				t.Fatalf("round %d: data/proxies holds %d bytes, cap %d", round, used, capBytes)
			}
		}
	}
	total := int64(0)
	for _, b := range first {
		total += int64(len(b))
	}
	if total <= capBytes {
		t.Fatalf("the renditions take %d bytes, under the %d cap: the test evicts nothing", total, capBytes)
	}
	if used, files := testkit.FilesUnder(t, filepath.Join(s.DataDir, "proxies")); files >= len(paths) {
		t.Fatalf("every rendition is still on the disk (%d files, %d bytes)", files, used)
	}
}
