package api_test

import (
	"archive/zip"
	"bytes"
	"image/color"
	"io"
	"testing"

	"github.com/ferryhq/ferry/server/testkit"
)

// liveLink is the part of a share link's JSON that says what it follows.
type liveLink struct {
	ID                   string `json:"id"`
	Key                  string `json:"key"`
	Status               string `json:"status"`
	TargetName           string `json:"target_name"`
	FollowsLatestVersion bool   `json:"follows_latest_version"`
	ShownVersion         *struct {
		AssetID  string `json:"asset_id"`
		Number   int    `json:"number"`
		Versions int    `json:"versions"`
	} `json:"shown_version"`
}

// zipFiles reads the "Download all" ZIP of link key as c: name → bytes.
func zipFiles(t *testing.T, c *testkit.Client, key string) map[string][]byte {
	t.Helper()
	res, b := get(t, c, "/api/v2/public/links/"+key+"/zip")
	if res.StatusCode != 200 {
		t.Fatalf("zip of %s: %d %s", key, res.StatusCode, b)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		out[zf.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// Seed (share-links.txt): "If you make changes to a file, this change is
// automatically reflected in all Share Links that include that file." A
// link made to a file serves its newest version once versions are added,
// by tus (version_of) or by POST /assets/{id}/version, everywhere: page,
// files, thumbnails, ZIP and /d/.
func TestShareLinkFollowsNewVersions(t *testing.T) {
	f := newShareFixture(t)
	img := f.images[0]
	single := f.create(t, map[string]any{"kind": "public", "asset_ids": []string{img}, "allow_original": true, "allow_proxies": []string{"preview"}})
	coll := f.create(t, map[string]any{"kind": "public", "asset_ids": []string{img, f.images[1]}, "allow_original": true})
	direct := f.create(t, map[string]any{"kind": "download", "asset_ids": []string{img}})
	v := f.s.Client(t)

	var before liveLink
	f.admin.Do("GET", "/api/v2/share_links/"+single.ID, nil, &before)
	if !before.FollowsLatestVersion || before.ShownVersion != nil {
		t.Fatalf("a link to a file without versions: %+v", before)
	}
	if res, b := get(t, v, "/d/"+direct.Key); res.StatusCode != 200 || !bytes.Equal(b, f.data[img]) {
		t.Fatalf("/d/ before a new version: %d, %d bytes", res.StatusCode, len(b))
	}

	// Version 2 through tus.
	v2data := jpegBytes(t, 600, 400, color.RGBA{250, 200, 10, 255})
	v2 := f.admin.Upload(f.root, "harbour-1 v2.jpg", v2data, "filetype", "image/jpeg", "version_of", img)
	waitReady(t, f.admin, v2)
	check := func(newest string, data []byte, old ...string) {
		t.Helper()
		for _, l := range []shareLink{single, coll} {
			var pub publicShare
			wantStatus(t, "page", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &pub), 200, "")
			found := false
			for _, it := range pub.Items {
				for _, o := range old {
					if it.ID == o {
						t.Errorf("%s still lists the older version %s", l.Key, o)
					}
				}
				if it.ID == newest {
					found = true
					if it.Name != "harbour-1.jpg" || it.ThumbURL == "" {
						t.Errorf("newest version shown as %+v", it)
					}
				}
			}
			if !found || len(pub.Items) != map[string]int{single.Key: 1, coll.Key: 2}[l.Key] {
				t.Fatalf("%s does not show the newest version %s: %+v", l.Key, newest, pub.Items)
			}
			base := "/api/v2/public/links/" + l.Key + "/assets/"
			if res, b := get(t, v, base+newest+"/original?download=1"); res.StatusCode != 200 || !bytes.Equal(b, data) {
				t.Errorf("%s original of the newest: %d, %d bytes", l.Key, res.StatusCode, len(b))
			}
			wantStatus(t, "thumb of the newest", v.Do("GET", base+newest+"/thumb", nil, nil), 200, "")
			for _, o := range old {
				wantStatus(t, "original of an older version", v.Do("GET", base+o+"/original", nil, nil), 404, "not_found")
				wantStatus(t, "thumb of an older version", v.Do("GET", base+o+"/thumb", nil, nil), 404, "not_found")
			}
			z := zipFiles(t, v, l.Key)
			if !bytes.Equal(z["harbour-1.jpg"], data) {
				t.Errorf("%s: the ZIP's harbour-1.jpg is not the newest version (%d entries)", l.Key, len(z))
			}
		}
		if res, b := get(t, v, "/d/"+direct.Key); res.StatusCode != 200 || !bytes.Equal(b, data) {
			t.Errorf("/d/ serves %d bytes (status %d), not the newest version", len(b), res.StatusCode)
		}
	}
	check(v2, v2data, img)

	var after liveLink
	f.admin.Do("GET", "/api/v2/share_links/"+single.ID, nil, &after)
	if !after.FollowsLatestVersion || after.ShownVersion == nil || after.ShownVersion.AssetID != v2 ||
		after.ShownVersion.Number != 2 || after.ShownVersion.Versions != 2 || after.Status != "active" {
		t.Fatalf("the link's JSON after a new version: %+v %+v", after, after.ShownVersion)
	}

	// Version 3 through POST /assets/{id}/version, on the stack.
	v3data := jpegBytes(t, 500, 300, color.RGBA{10, 200, 250, 255})
	v3 := f.admin.Upload(f.root, "harbour-1 v3.jpg", v3data, "filetype", "image/jpeg")
	waitReady(t, f.admin, v3)
	st, _ := assetOf(t, f.admin, img)
	wantStatus(t, "add version", f.admin.Do("POST", "/api/v2/assets/"+st.ParentID+"/version", map[string]any{"next_asset_id": v3}, nil), 200, "")
	check(v3, v3data, img, v2)

	// Deleting the newest version brings the previous one back.
	wantStatus(t, "delete v3", f.admin.Do("DELETE", "/api/v2/assets/"+v3, nil, nil), 200, "")
	check(v2, v2data, img)
}
