package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Helpers shared by the rows: tus uploads through the v2 API, the
// interleaved dd rounds and the lists of runs printed next to medians.

// newFile creates a file asset of size bytes under parent and returns its
// id and tus upload URL.
func (c *client) newFile(parent, name string, size int64, filetype string) (id, uploadURL string) {
	var a struct {
		ID        string `json:"id"`
		UploadURL string `json:"upload_url"`
	}
	c.json("POST", "/api/v2/assets/"+parent+"/children", map[string]any{"type": "file", "name": name, "filesize": size, "filetype": filetype}, &a)
	return a.ID, a.UploadURL
}

// tusPatch sends body, size bytes, as the one PATCH of a tus upload.
func (c *client) tusPatch(url string, body io.Reader, size int64) {
	req, _ := http.NewRequest("PATCH", url, body)
	req.ContentLength = size
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Origin", c.base)
	res, err := c.http.Do(req)
	must(err)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 204 {
		log.Fatalf("PATCH %s: %d", url, res.StatusCode)
	}
}

// patch sends body as the one PATCH of a tus upload.
func (c *client) patch(url string, body []byte) {
	c.tusPatch(url, bytes.NewReader(body), int64(len(body)))
}

// upload uploads size bytes of filler as a new file and returns its id.
func (c *client) upload(parent, name string, size int64) string {
	id, url := c.newFile(parent, name, size, "application/octet-stream")
	c.tusPatch(url, &repeat{n: size}, size)
	return id
}

// uploadBytes uploads body as a new file and returns its id.
func (c *client) uploadBytes(parent, name, mime string, body []byte) string {
	id, url := c.newFile(parent, name, int64(len(body)), mime)
	c.patch(url, body)
	return id
}

// uploadFile uploads the file at path through tus and returns its id.
func (c *client) uploadFile(parent, name, path, filetype string) string {
	st, err := os.Stat(path)
	must(err)
	id, url := c.newFile(parent, name, st.Size(), filetype)
	body, err := os.Open(path)
	must(err)
	defer body.Close()
	c.tusPatch(url, body, st.Size())
	return id
}

// ddRounds runs three rounds of dd then upload, interleaved, because dd's
// rate on this VM's disk swings by 2–3× between runs. Each round deletes
// the previous upload; pause, if not zero, comes before dd and before the
// upload to let the disk flush the previous write (STYLE.md). It returns
// the MB/s of dd, of the upload with the `sync` after it, and of the upload
// alone.
func (c *client) ddRounds(size int64, pause time.Duration, upload func(round int) string) (ddRates, upRates, aloneRates []float64) {
	var id string
	for round := 0; round < 3; round++ {
		time.Sleep(pause)
		ddRates = append(ddRates, dd(filepath.Join(*tmp, "dd.bin"), size))
		if id != "" {
			c.json("DELETE", "/api/v2/assets/"+id, nil, nil)
			exec.Command("sync").Run()
		}
		time.Sleep(pause)
		start := time.Now()
		id = upload(round)
		took := time.Since(start)
		syncStart := time.Now()
		exec.Command("sync").Run()
		upRates = append(upRates, mbps(size, took+time.Since(syncStart)))
		aloneRates = append(aloneRates, mbps(size, took))
	}
	return ddRates, upRates, aloneRates
}

// list prints runs with format, comma separated: "61.2, 63.0".
func list(format string, xs []float64) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, fmt.Sprintf(format, x))
	}
	return strings.Join(parts, ", ")
}

// rates lists rates in MB/s.
func rates(xs []float64) string { return list("%.0f", xs) }

// secs lists runs in seconds.
func secs(xs []float64) string { return list("%.2f", xs) }

// durs lists durations in seconds.
func durs(d []time.Duration) string { return secs(seconds(d)) }

// medianDur is the median of d.
func medianDur(d []time.Duration) time.Duration {
	var xs []float64
	for _, x := range d {
		xs = append(xs, float64(x))
	}
	return time.Duration(median(xs))
}

func seconds(d []time.Duration) []float64 {
	var xs []float64
	for _, x := range d {
		xs = append(xs, x.Seconds())
	}
	return xs
}

// statTicks sums two fields of Ferry's /proc/PID/stat, counted from 0
// after the command name (which may hold spaces), that are clock ticks of
// 1/100 s: 11 and 12 are its user and system time, 13 and 14 those of its
// children that have ended.
func (f *ferry) statTicks(a, b int) time.Duration { return statTicks(f.cmd.Process.Pid, a, b) }

// statTicks is ferry.statTicks of any process (MinIO's, say).
func statTicks(pid, a, b int) time.Duration {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	must(err)
	fields := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+2:]))
	x, _ := strconv.ParseInt(fields[a], 10, 64)
	y, _ := strconv.ParseInt(fields[b], 10, 64)
	return time.Duration(x+y) * 10 * time.Millisecond
}

// cpu is the CPU time nginx's workers (the master's children) used so far.
func (n *nginx) cpu() time.Duration {
	master := n.cmd.Process.Pid
	var sum time.Duration
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		if fields := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+2:])); len(fields) > 12 && fields[1] == strconv.Itoa(master) {
			x, _ := strconv.ParseInt(fields[11], 10, 64)
			y, _ := strconv.ParseInt(fields[12], 10, 64)
			sum += time.Duration(x+y) * 10 * time.Millisecond
		}
	}
	return sum
}
