package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// uploadURLsParts is how many parts the upload_urls row cuts its file into.
const uploadURLsParts = 8

// uploadURLsRow measures a Frame.io v2 upload_urls upload: a file of size
// bytes in 8 parts, 4 PUT at a time without a token, as the Frame.io SDK's
// uploader does; against dd in interleaved rounds, like the tus row. Ferry
// is started with limits.upload_part_bytes = size / 8.
func uploadURLsRow(r *report, size int64) {
	f := startFerry(filepath.Join(*tmp, "data-parts"), fmt.Sprintf("FERRY_LIMITS_UPLOAD_PART_BYTES=%d", size/uploadURLsParts))
	defer f.stop()
	c := f.login()
	root := c.project("Parts")
	r.line("## Upload (Frame.io v2 upload_urls over loopback)")
	r.line("")
	baseRSS := f.hwm()
	ddRates, upRates, aloneRates := c.ddRounds(size, 5*time.Second, func(round int) string {
		return c.uploadParts(root, fmt.Sprintf("parts-%d.bin", round), size, 4)
	})
	peak := f.hwm()
	ddRate, upRate, alone := median(ddRates), median(upRates), median(aloneRates)
	r.line("| what | MB/s (median of 3, interleaved) | ratio to dd |")
	r.line("|---|---|---|")
	r.line("| `dd if=/dev/zero bs=1M count=%d conv=fsync` (reference) | %.0f (runs: %s) | 1.00 |", size>>20, ddRate, rates(ddRates))
	r.line("| one %d MiB upload_urls upload, %d parts, 4 in parallel, then `sync` | %.0f (runs: %s) | %s |", size>>20, uploadURLsParts, upRate, rates(upRates), goal(upRate/ddRate, 0.8))
	r.line("| same, upload alone (no sync) | %.0f (runs: %s) | %.2f |", alone, rates(aloneRates), alone/ddRate)
	r.line("")
	r.line("Server peak RSS (VmHWM): %d MiB before the uploads, %d MiB after (parts are streamed to their offsets, never buffered).", baseRSS>>20, peak>>20)
	r.line("")
	r.line("Ferry fsyncs each part before it counts, so the upload's own time includes its flush; dd writes one stream, the parts arrive as 4.")
	r.line("")
}

// uploadParts creates a file of size bytes with the v2 API and PUTs its
// upload_urls, parallel at a time, with the SDK's headers and no token.
func (c *client) uploadParts(parent, name string, size int64, parallel int) string {
	var a struct {
		ID         string   `json:"id"`
		UploadURLs []string `json:"upload_urls"`
	}
	c.json("POST", "/api/v2/assets/"+parent+"/children", map[string]any{"type": "file", "name": name, "filesize": size, "filetype": "application/octet-stream"}, &a)
	if len(a.UploadURLs) != uploadURLsParts {
		log.Fatalf("upload_urls: %d parts, want %d", len(a.UploadURLs), uploadURLsParts)
	}
	per := (size + int64(len(a.UploadURLs)) - 1) / int64(len(a.UploadURLs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallel)
	for i, u := range a.UploadURLs {
		n := min(per, size-int64(i)*per)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			req, _ := http.NewRequest("PUT", u, &repeat{n: n, off: int64(i) * per})
			req.ContentLength = n
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("X-Amz-Acl", "private")
			res, err := http.DefaultClient.Do(req)
			must(err)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				log.Fatalf("PUT part %d: %d %s", i, res.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	return a.ID
}

// spliceSection puts text, a section of results.md starting with its "## "
// heading, into the file at path: in place of the section with the same
// heading, else at the end. Rows run alone (-only) update their section.
func spliceSection(path, text string) {
	heading, _, _ := strings.Cut(text, "\n")
	old, _ := os.ReadFile(path)
	s := string(old)
	if i := strings.Index(s, heading+"\n"); i >= 0 {
		end := len(s)
		if j := strings.Index(s[i+len(heading):], "\n## "); j >= 0 {
			end = i + len(heading) + j + 1
		}
		s = s[:i] + text + s[end:]
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n" + text
	}
	must(os.WriteFile(path, []byte(s), 0o644))
}
