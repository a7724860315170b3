package api_test

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// TestS3OrphansSwept: an asset deleted while the bucket is down leaves its
// original and renditions there with no record naming them; once the
// bucket is back the sweeper removes them, and nothing of the assets that
// still exist.
func TestS3OrphansSwept(t *testing.T) {
	m := testkit.MinIO(t)
	clk := clock.New(time.Now())
	s := startAt(t, clk, func(c *config.Config) {
		m.Use(c, "ferry")
		c.Limits.UploadExpiry = config.Duration(2 * time.Second) // also the orphans' grace
	})
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Orphans")
	img := jpegBytes(t, 640, 480, color.RGBA{20, 140, 40, 255})
	gone := admin.Upload(root, "gone.jpg", img, "filetype", "image/jpeg")
	kept := admin.Upload(root, "kept.jpg", img, "filetype", "image/jpeg")
	waitReady(t, admin, gone, kept)
	objects := func(id string) []string {
		return append(m.Keys("ferry/originals/"+id[:2]+"/"+id), m.Keys("ferry/proxies/"+id[:2]+"/"+id+"/")...)
	}
	if n := len(objects(gone)); n < 2 {
		t.Fatalf("the asset to delete has %d objects in the bucket, want its original and renditions", n)
	}
	keptObjects := objects(kept)

	m.Stop()
	if res := admin.Do("DELETE", "/api/v2/assets/"+gone, nil, nil); res.StatusCode >= 300 {
		t.Fatalf("delete with the bucket down: %d %s", res.StatusCode, body(res))
	}
	m.Start()
	if left := objects(gone); len(left) == 0 {
		t.Fatal("the deletion reached the bucket while it was down: nothing to sweep")
	}
	// The orphans' grace passes; the sweeper (every second) removes them.
	clk.Advance(time.Minute)
	poll.Until(t, 30*time.Second, func() error {
		if left := objects(gone); len(left) > 0 {
			return fmt.Errorf("objects of a deleted asset still in the bucket: %v", left)
		}
		return nil
	})
	if got := objects(kept); strings.Join(got, ",") != strings.Join(keptObjects, ",") {
		t.Fatalf("the sweep touched a live asset's objects: %v, had %v", got, keptObjects)
	}
	if res, b := get(t, admin, "/api/v2/assets/"+kept+"/original"); res.StatusCode != 200 || len(b) != len(img) {
		t.Fatalf("live original after the sweep: %d, %d bytes", res.StatusCode, len(b))
	}
}
