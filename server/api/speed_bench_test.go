package api_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// The hot paths of issue 21 over loopback, for CPU profiles:
//
//	go test -run '^$' -bench Speed -cpuprofile cpu.out ./server/api
//
// `make bench` measures the same paths against nginx.

// speedGallery is a folder of n photos with proxies, shared by a public
// folder link, and beside it a folder of 1 000 empty files.
type speedGallery struct {
	s      *testkit.Server
	admin  *testkit.Client
	key    string
	photos []string
	big    string
}

func newSpeedGallery(b *testing.B, n int) *speedGallery {
	b.Helper()
	s := testkit.Start(b)
	g := &speedGallery{s: s, admin: s.Admin(b)}
	var p model.Project
	g.admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Speed"}, &p)
	var photos model.Asset
	g.admin.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "folder", Name: "Photos"}, &photos)
	for i := 0; i < n; i++ {
		img := image.NewRGBA(image.Rect(0, 0, 640, 480))
		for j := range img.Pix {
			img.Pix[j] = uint8(i*7 + j%251)
		}
		var buf bytes.Buffer
		jpeg.Encode(&buf, img, nil)
		g.photos = append(g.photos, g.admin.Upload(photos.ID, fmt.Sprintf("photo-%03d.jpg", i), buf.Bytes(), "filetype", "image/jpeg"))
	}
	var big model.Asset
	g.admin.Do("POST", "/api/v2/assets/"+p.RootAssetID+"/children", model.NewAsset{Type: "folder", Name: "Many"}, &big)
	g.big = big.ID
	testkit.Parallel(8, func(i int) int {
		for j := i; j < 1000; j += 8 {
			g.admin.Do("POST", "/api/v2/assets/"+g.big+"/children", model.NewAsset{Type: "file", Name: fmt.Sprintf("IMG_%04d.jpg", j), Filesize: model.Ptr[int64](0), Filetype: "image/jpeg"}, nil)
		}
		return 0
	})
	g.admin.WaitProxies(b, time.Minute, g.photos...)
	var link model.ShareLink
	if res := g.admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", FolderID: photos.ID}, &link); res.StatusCode != 201 {
		b.Fatalf("share link: %d", res.StatusCode)
	}
	g.key = link.Key
	return g
}

// hammer GETs the paths in turn from parallel clients.
func hammer(b *testing.B, base string, header http.Header, paths []string) {
	b.Helper()
	hammerEach(b, base, func(req *http.Request) {
		for k, v := range header {
			req.Header[k] = v
		}
	}, paths)
}

// hammerEach is hammer with each request's headers set by set.
func hammerEach(b *testing.B, base string, set func(*http.Request), paths []string) {
	b.Helper()
	var next atomic.Int64
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	b.ResetTimer()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", base+paths[int(next.Add(1))%len(paths)], nil)
			set(req)
			res, err := tr.RoundTrip(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("GET %s: %d", req.URL.Path, res.StatusCode)
				return
			}
		}
	})
}

func BenchmarkSpeedListing(b *testing.B) {
	g := newSpeedGallery(b, 0)
	var paths []string
	for _, page := range []int{1, 5, 10} {
		paths = append(paths, fmt.Sprintf("/api/v2/assets/%s/children?page=%d&page_size=100", g.big, page))
	}
	hammer(b, g.s.URL, http.Header{"Authorization": {"Bearer " + g.s.TokenClient(b, "assets.read").Token}}, paths)
}

func BenchmarkSpeedThumbs(b *testing.B) {
	g := newSpeedGallery(b, 100)
	var paths []string
	for _, id := range g.photos {
		paths = append(paths, "/api/v2/public/links/"+g.key+"/assets/"+id+"/thumb")
	}
	hammer(b, g.s.URL, nil, paths)
}

func BenchmarkSpeedSharePage(b *testing.B) {
	g := newSpeedGallery(b, 100)
	hammer(b, g.s.URL, http.Header{"Accept-Encoding": {"gzip"}}, []string{"/s/" + g.key})
}

// BenchmarkSpeedSharePageNewVisitors: each request from a new visitor (its
// own user agent), so each is an access-log entry; for heap profiles
// (-memprofile) of the share-page memory row.
func BenchmarkSpeedSharePageNewVisitors(b *testing.B) {
	g := newSpeedGallery(b, 100)
	var n atomic.Int64
	hammerEach(b, g.s.URL, func(req *http.Request) {
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("User-Agent", fmt.Sprintf("bench-visitor-%d", n.Add(1)))
	}, []string{"/s/" + g.key})
}

func BenchmarkSpeedShareJSON(b *testing.B) {
	g := newSpeedGallery(b, 100)
	hammer(b, g.s.URL, http.Header{"Accept-Encoding": {"gzip"}}, []string{"/api/v2/public/links/" + g.key})
}

// BenchmarkSpeedSmallUploads creates and sends 1 MiB files, 4 at a time,
// as the small-uploads row of `make bench` does.
func BenchmarkSpeedSmallUploads(b *testing.B) {
	g := newSpeedGallery(b, 0)
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	var root model.Asset
	g.admin.Do("POST", "/api/v2/assets/"+g.big+"/children", model.NewAsset{Type: "folder", Name: "Small"}, &root)
	var n atomic.Int64
	b.ResetTimer()
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var a model.Asset
			g.admin.Do("POST", "/api/v2/assets/"+root.ID+"/children", model.NewAsset{Type: "file", Name: fmt.Sprintf("s-%d.bin", n.Add(1)), Filesize: model.Ptr(int64(len(body))), Filetype: "application/octet-stream"}, &a)
			req, _ := http.NewRequest("PATCH", a.UploadURL, bytes.NewReader(body))
			req.Header.Set("Tus-Resumable", "1.0.0")
			req.Header.Set("Upload-Offset", "0")
			req.Header.Set("Content-Type", "application/offset+octet-stream")
			if res := g.admin.Send(req, nil); res.StatusCode != 204 {
				b.Errorf("PATCH: %d", res.StatusCode)
				return
			}
		}
	})
}
