package app

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestGalleryGroups(t *testing.T) {
	items := []PublicAsset{
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
	for _, tc := range []struct {
		name  string
		asset PublicAsset
		want  []string
	}{
		{"photo with EXIF", PublicAsset{Name: "a.jpg", Filetype: "image/jpeg", Filesize: 2048, Width: 6000, Height: 4000,
			Properties: map[string]any{"width": 6000.0, "height": 4000.0, "camera_make": "Canon", "camera_model": "Canon EOS R5",
				"lens_model": "RF 24-70mm", "f_number": "2.8", "exposure_time": "1/250", "iso": 100.0, "focal_length": "35 mm",
				"taken_at": "2026-11-17T07:42:10Z", "color_space": "sRGB"}},
			[]string{"Type", "image/jpeg", "Size", "2.0 KiB", "Dimensions", "6000 × 4000 px", "Taken", "17 Nov 2026, 07:42",
				"Camera", "Canon EOS R5", "Lens", "RF 24-70mm", "Exposure", "f/2.8 · 1/250\u00a0s · ISO\u00a0100 · 35\u00a0mm", "Color space", "sRGB"}},
		{"file without properties", PublicAsset{Name: "notes.pdf", Filetype: "application/pdf", Filesize: 10},
			[]string{"Type", "application/pdf", "Size", "10 B"}},
		{"dimensions only in properties", PublicAsset{Name: "b.png", Properties: map[string]any{"width": 10.0, "height": 20.0}},
			[]string{"Type", "PNG", "Size", "0 B", "Dimensions", "10 × 20 px"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, row := range tc.asset.details() {
				got = append(got, html.UnescapeString(tagsRe.ReplaceAllString(app.HTMLString(row), "")))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("details\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

var tagsRe = regexp.MustCompile(`<[^>]*>|\n`)
