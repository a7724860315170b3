//go:build !js

package testkit

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// TusEndpoint is Ferry's tus creation URL path.
const TusEndpoint = "/api/v2/tus/"

// TusMetadata encodes an Upload-Metadata header.
func TusMetadata(meta map[string]string) string {
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" "+base64.StdEncoding.EncodeToString([]byte(meta[k])))
	}
	return strings.Join(parts, ",")
}

// TusCreate POSTs a tus creation request; body (may be nil) is sent as
// creation-with-upload.
func (c *Client) TusCreate(meta map[string]string, size int64, body []byte) *http.Response {
	c.T.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, _ := http.NewRequest("POST", c.Base+TusEndpoint, r)
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Length", strconv.FormatInt(size, 10))
	req.Header.Set("Upload-Metadata", TusMetadata(meta))
	if body != nil {
		req.Header.Set("Content-Type", "application/offset+octet-stream")
	}
	return c.Send(req, nil)
}

// TusHead asks a tus upload for its offset.
func (c *Client) TusHead(url string) (int64, *http.Response) {
	c.T.Helper()
	req, _ := http.NewRequest("HEAD", c.abs(url), nil)
	req.Header.Set("Tus-Resumable", "1.0.0")
	res := c.Send(req, nil)
	off, _ := strconv.ParseInt(res.Header.Get("Upload-Offset"), 10, 64)
	return off, res
}

// TusPatch sends n bytes from body at offset.
func (c *Client) TusPatch(url string, offset int64, body io.Reader, n int64) *http.Response {
	c.T.Helper()
	req, _ := http.NewRequest("PATCH", c.abs(url), body)
	req.ContentLength = n
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Offset", strconv.FormatInt(offset, 10))
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	return c.Send(req, nil)
}

// TusDelete terminates an upload.
func (c *Client) TusDelete(url string) *http.Response {
	c.T.Helper()
	req, _ := http.NewRequest("DELETE", c.abs(url), nil)
	req.Header.Set("Tus-Resumable", "1.0.0")
	return c.Send(req, nil)
}

// Upload sends data as a file into parent with tus (create, then PATCH in
// two halves) and returns the asset ID. extra adds metadata.
func (c *Client) Upload(parentID, name string, data []byte, extra ...string) string {
	c.T.Helper()
	meta := map[string]string{"filename": name, "parent_id": parentID}
	for i := 0; i+1 < len(extra); i += 2 {
		meta[extra[i]] = extra[i+1]
	}
	if ft := meta["filetype"]; ft == "" {
		meta["filetype"] = http.DetectContentType(data)
	}
	res := c.TusCreate(meta, int64(len(data)), nil)
	if res.StatusCode != 201 {
		b, _ := io.ReadAll(res.Body)
		c.T.Fatalf("tus create %s: %d %s", name, res.StatusCode, b)
	}
	loc := res.Header.Get("Location")
	if len(data) == 0 { // complete at creation
		return loc[strings.LastIndex(loc, "/")+1:]
	}
	half := int64(len(data) / 2)
	for _, part := range [][2]int64{{0, half}, {half, int64(len(data))}} {
		if part[1] == part[0] {
			continue
		}
		res = c.TusPatch(loc, part[0], bytes.NewReader(data[part[0]:part[1]]), part[1]-part[0])
		if res.StatusCode != 204 {
			b, _ := io.ReadAll(res.Body)
			c.T.Fatalf("tus patch %s: %d %s", name, res.StatusCode, b)
		}
	}
	return loc[strings.LastIndex(loc, "/")+1:]
}

func (c *Client) abs(url string) string {
	if strings.HasPrefix(url, "http") {
		return url
	}
	return c.Base + url
}
