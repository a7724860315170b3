package uploads_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit"
)

func jpegBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombPNG is a few bytes whose header claims 50000×50000 pixels.
func bombPNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 50000)
	binary.BigEndian.PutUint32(ihdr[4:], 50000)
	ihdr[8], ihdr[9] = 8, 2
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// TestProxyStates uploads a good JPEG, a truncated one and a decompression
// bomb: the first gets thumb/preview/large, the others a clear failed state
// while the server keeps serving.
func TestProxyStates(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	p := newProject(t, c, "Proxies")
	good := jpegBytes(t, 900, 600)
	cases := []struct {
		name, filetype string
		data           []byte
		want           string
	}{
		{"good.jpg", "image/jpeg", good, "ready"},
		{"truncated.jpg", "image/jpeg", good[:len(good)/2], "failed"},
		{"bomb.png", "image/png", bombPNG(), "too_large"},
		{"notes.txt", "text/plain", []byte("not an image"), "none"},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		ids[tc.name] = c.Upload(p.RootAssetID, tc.name, tc.data, "filetype", tc.filetype)
	}
	for _, tc := range cases {
		a := c.WaitAsset(t, ids[tc.name], 20*time.Second, testkit.ProxiesSettled)
		if a.ProxyStatus != tc.want {
			t.Errorf("%s: proxy_status %q (%s), want %q", tc.name, a.ProxyStatus, a.ProxyError, tc.want)
		}
		if tc.want == "failed" || tc.want == "too_large" {
			if a.ProxyError == "" {
				t.Errorf("%s: no reason given", tc.name)
			}
			if res := c.Do("GET", "/api/v2/assets/"+ids[tc.name]+"/proxies/thumb", nil, nil); res.StatusCode != 404 {
				t.Errorf("%s: thumb answered %d", tc.name, res.StatusCode)
			}
		}
		if tc.want == "ready" {
			if a.Properties == nil || a.Properties.Width != 900 || a.Properties.Height != 600 {
				t.Errorf("%s: properties %+v", tc.name, a.Properties)
			}
			for name, edge := range map[string]int{"thumb": 320, "preview": 900, "large": 900} {
				res := c.Do("GET", "/api/v2/assets/"+ids[tc.name]+"/proxies/"+name, nil, nil)
				if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
					t.Fatalf("%s %s: %d", tc.name, name, res.StatusCode)
				}
				cfg, err := jpeg.DecodeConfig(res.Body)
				if err != nil || cfg.Width != edge {
					t.Errorf("%s %s: width %d (%v), want %d", tc.name, name, cfg.Width, err, edge)
				}
			}
		}
	}
	// The originals of broken images still download intact.
	if got := body(download(t, c, ids["truncated.jpg"])); !bytes.Equal(got, good[:len(good)/2]) {
		t.Error("the truncated JPEG's original changed")
	}
	if res := c.Do("GET", "/api/v2/assets/"+ids["good.jpg"]+"/proxies/huge", nil, nil); res.StatusCode != 404 {
		t.Errorf("unknown rendition: %d", res.StatusCode)
	}
}
