package share

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

func TestGalleryGroups(t *testing.T) {
	items := []model.PublicAsset{
		{ID: "a", Path: "Day 2"}, {ID: "b"}, {ID: "c", Path: "Day 1/Selects"}, {ID: "d", Path: "Day 1"},
		{ID: "e", Path: "Day 1 extra"}, {ID: "f"}, {ID: "g", Path: "day 1"},
	}
	ordered, groups := galleryGroups(items)
	var ids []string
	for _, it := range ordered {
		ids = append(ids, it.ID)
	}
	// The top level first, a folder's subfolders right after it, the
	// server's order kept inside a folder.
	if got := strings.Join(ids, ""); got != "bfdgcea" {
		t.Errorf("order %q, want bfdgcea", got)
	}
	var paths []string
	for _, g := range groups {
		paths = append(paths, g.path)
	}
	if got := strings.Join(paths, "|"); got != "|Day 1|day 1|Day 1/Selects|Day 1 extra|Day 2" {
		t.Errorf("groups %q", got)
	}
}

func TestGalleryDetails(t *testing.T) {
	taken := time.Date(2026, 11, 17, 7, 42, 10, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		asset model.PublicAsset
		want  []string
	}{
		{"photo with EXIF", model.PublicAsset{Name: "a.jpg", Filetype: "image/jpeg", Filesize: 2048, Width: 6000, Height: 4000,
			Properties: &model.Properties{Width: 6000, Height: 4000, CameraMake: "Canon", CameraModel: "Canon EOS R5",
				LensModel: "RF 24-70mm", FNumber: "2.8", ExposureTime: "1/250", ISO: 100, FocalLength: "35 mm", TakenAt: &taken}},
			[]string{"Type", "image/jpeg", "Size", "2.0 KiB", "Dimensions", "6000 × 4000 px", "Taken", "17 Nov 2026, 07:42",
				"Camera", "Canon EOS R5", "Lens", "RF 24-70mm", "Exposure", "f/2.8 · 1/250\u00a0s · ISO\u00a0100 · 35\u00a0mm"}},
		{"video", model.PublicAsset{Name: "c.mp4", Filetype: "video/mp4", Duration: 3, Properties: &model.Properties{
			VideoCodec: "h264", AudioCodec: "aac", AudioChannels: 2, BitRate: 2_500_000}},
			[]string{"Type", "video/mp4", "Size", "0 B", "Duration", "0:03", "Codecs", "h264 · aac, 2 ch", "Bit rate", "2.5 Mbit/s"}},
		{"file without properties", model.PublicAsset{Name: "notes.pdf", Filetype: "application/pdf", Filesize: 10},
			[]string{"Type", "application/pdf", "Size", "10 B"}},
		{"dimensions only in properties", model.PublicAsset{Name: "b.png", Properties: &model.Properties{Width: 10, Height: 20}},
			[]string{"Type", "PNG", "Size", "0 B", "Dimensions", "10 × 20 px"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, row := range assetDetails(tc.asset) {
				got = append(got, html.UnescapeString(tagsRe.ReplaceAllString(app.HTMLString(row), "")))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("details\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

var tagsRe = regexp.MustCompile(`<[^>]*>|\n`)
