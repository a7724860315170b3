package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const (
	minioUser   = "benchaccess"
	minioSecret = "bench-secret-key-0123"
	minioBucket = "bench"
)

// startMinIO runs .tools/bin/minio (scripts/install-minio.sh) in dir on a
// loopback port; nil when it is not installed.
func startMinIO(dir string) (*exec.Cmd, string) {
	bin := filepath.Join(".tools", "bin", "minio")
	if _, err := os.Stat(bin); err != nil {
		return nil, ""
	}
	addr := "127.0.0.1:" + strconv.Itoa(freePort())
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", "127.0.0.1:"+strconv.Itoa(freePort()), dir)
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+minioUser, "MINIO_ROOT_PASSWORD="+minioSecret, "MINIO_BROWSER=off")
	cmd.Stderr = os.Stderr
	must(cmd.Start())
	for i := 0; i < 600; i++ {
		if res, err := http.Get("http://" + addr + "/minio/health/live"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			return cmd, addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	return nil, ""
}

// benchS3 measures Ferry with storage.backend s3 against a plain S3 client
// on the same MinIO, interleaved: a tus upload against a direct multipart
// upload, a download through Ferry against a direct GET, and the latency
// of a presigned-download redirect against /healthz.
func benchS3(r *report, size int64) {
	r.line("## S3 object storage (MinIO on loopback)")
	r.line("")
	mcmd, addr := startMinIO(filepath.Join(*tmp, "minio"))
	if mcmd == nil {
		r.line("Skipped: MinIO is not installed (scripts/install-minio.sh).")
		r.line("")
		return
	}
	defer func() { mcmd.Process.Kill(); mcmd.Wait() }()
	mc, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(minioUser, minioSecret, ""), Region: "us-east-1"})
	must(err)
	ctx := context.Background()
	must(mc.MakeBucket(ctx, minioBucket, minio.MakeBucketOptions{Region: "us-east-1"}))
	env := []string{"FERRY_STORAGE_BACKEND=s3", "FERRY_S3_ENDPOINT=http://" + addr, "FERRY_S3_BUCKET=" + minioBucket,
		"FERRY_S3_PREFIX=ferry", "FERRY_S3_PATH_STYLE=true", "FERRY_S3_ACCESS_KEY=" + minioUser, "FERRY_S3_SECRET_KEY=" + minioSecret}
	data := filepath.Join(*tmp, "s3data")
	f := startFerry(data, env...)
	c := f.login()
	root := c.project("S3")
	base := f.hwm()

	direct := func(name string) time.Duration {
		start := time.Now()
		_, err := mc.PutObject(ctx, minioBucket, name, &repeat{n: size}, size, minio.PutObjectOptions{PartSize: 16 << 20})
		must(err)
		return time.Since(start)
	}
	var ups, directs []float64
	var id string
	for round := 0; round < 3; round++ {
		if id != "" {
			c.json("DELETE", "/api/v2/assets/"+id, nil, nil)
			mc.RemoveObject(ctx, minioBucket, "direct.bin", minio.RemoveObjectOptions{})
		}
		time.Sleep(5 * time.Second) // let the disk finish the last round's writes
		if round%2 == 0 {
			directs = append(directs, mbps(size, direct("direct.bin")))
		}
		start := time.Now()
		id = c.upload(root, fmt.Sprintf("s3-%d.bin", round), size)
		ups = append(ups, mbps(size, time.Since(start)))
		if round%2 == 1 {
			directs = append(directs, mbps(size, direct("direct.bin")))
		}
	}
	peak := f.hwm()
	up, dir := median(ups), median(directs)
	r.line("| what | MB/s | reference, same run | ratio |")
	r.line("|---|---|---|---|")
	r.line("| %d MiB tus upload through Ferry into MinIO (median of 3, interleaved) | %.0f (runs: %s) | direct multipart upload with minio-go, 16 MiB parts: %.0f (runs: %s) | %s |",
		size>>20, up, rates(ups), dir, rates(directs), goal(up/dir, 0.8))

	// Downloads: five rounds, Ferry first in every other one; the CPU
	// seconds of each process in its part (steadier than MB/s on a busy
	// machine).
	loadBefore := loadAverage()
	// The same GET relayed by nginx, unbuffered (the cost of a relay hop
	// itself): the presigned URL is signed for MinIO's host, which nginx
	// passes on.
	ng := startNginxServer(fmt.Sprintf(`location / { proxy_pass http://%[1]s; proxy_set_header Host %[1]s; proxy_http_version 1.1;
		proxy_buffering off; proxy_buffer_size 512k; proxy_buffers 4 512k; proxy_busy_buffers_size 1m; }`, addr))
	defer ng.stop()
	signed, err := mc.PresignedGetObject(ctx, minioBucket, "direct.bin", time.Hour, nil)
	must(err)
	var viaFerry, directGets, directHTTP, viaNginx, ferryCPU, minioViaFerry, minioDirect []float64
	for round := 0; round < 5; round++ {
		throughFerry := func() {
			f0, m0 := f.cpu(), statTicks(mcmd.Process.Pid, 11, 12)
			d := c.get("/api/v2/assets/"+id+"/original", "")
			viaFerry = append(viaFerry, mbps(size, d))
			ferryCPU = append(ferryCPU, (f.cpu() - f0).Seconds())
			minioViaFerry = append(minioViaFerry, (statTicks(mcmd.Process.Pid, 11, 12) - m0).Seconds())
		}
		direct := func() {
			m0 := statTicks(mcmd.Process.Pid, 11, 12)
			start := time.Now()
			obj, err := mc.GetObject(ctx, minioBucket, "direct.bin", minio.GetObjectOptions{})
			must(err)
			n, _ := io.CopyBuffer(discard{}, struct{ io.Reader }{obj}, make([]byte, 1<<20))
			obj.Close()
			if n != size {
				panic(fmt.Sprintf("direct GET read %d bytes", n))
			}
			directGets = append(directGets, mbps(size, time.Since(start)))
			minioDirect = append(minioDirect, (statTicks(mcmd.Process.Pid, 11, 12) - m0).Seconds())
		}
		throughNginx := func() {
			viaNginx = append(viaNginx, mbps(size, timeGet(ng.url+signed.RequestURI(), "")))
		}
		// The same direct GET timed by the code that times Ferry's (net/http,
		// 1 MiB reads): is the reference client what differs?
		directSameClient := func() {
			directHTTP = append(directHTTP, mbps(size, timeGet(signed.String(), "")))
		}
		if round%2 == 0 {
			throughFerry()
			direct()
			throughNginx()
			directSameClient()
		} else {
			directSameClient()
			throughNginx()
			direct()
			throughFerry()
		}
	}
	fm, dm := median(viaFerry), median(directGets)
	r.line("| %d MiB download through Ferry from MinIO (median of 5, interleaved) | %.0f (runs: %s) | direct GET from MinIO with minio-go: %.0f (runs: %s) | %s |",
		size>>20, fm, rates(viaFerry), dm, rates(directGets), goal(fm/dm, 0.9))
	hm := median(directHTTP)
	r.line("| %d MiB direct GET from MinIO timed like Ferry's (net/http, 1 MiB reads; median of 5, interleaved) | %.0f (runs: %s) | the minio-go GET above | %.2f (Ferry/this: **%.2f**) |",
		size>>20, hm, rates(directHTTP), hm/dm, fm/hm)
	nm := median(viaNginx)
	r.line("| %d MiB download through %s (`proxy_pass`, unbuffered) from the same MinIO (median of 5, interleaved) | %.0f (runs: %s) | the same direct GET | %.2f (Ferry/nginx: **%.2f**) |",
		size>>20, nginxVersion(), nm, rates(viaNginx), nm/dm, fm/nm)
	gib := float64(size) / (1 << 30)
	r.line("| CPU seconds per GiB of that download (median of 5) | Ferry %.2f, MinIO %.2f | MinIO serving the direct GET: %.2f | the path through Ferry costs %.2f× the direct one |",
		median(ferryCPU)/gib, median(minioViaFerry)/gib, median(minioDirect)/gib, (median(ferryCPU)+median(minioViaFerry))/median(minioDirect))
	f.stop()

	// Presigned downloads: the time to the 302, against /healthz.
	f = startFerry(data, append(env, "FERRY_S3_PRESIGN_DOWNLOADS=true")...)
	c = f.login()
	noFollow := &http.Client{Jar: c.http.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var redirects, health []float64
	for i := 0; i < 41; i++ {
		start := time.Now()
		res, err := noFollow.Get(c.base + "/api/v2/assets/" + id + "/original")
		must(err)
		res.Body.Close()
		if res.StatusCode != 302 {
			panic(fmt.Sprintf("presigned download: %d", res.StatusCode))
		}
		redirects = append(redirects, float64(time.Since(start).Microseconds())/1000)
		start = time.Now()
		res, err = http.Get(c.base + "/healthz")
		must(err)
		res.Body.Close()
		health = append(health, float64(time.Since(start).Microseconds())/1000)
	}
	sort.Float64s(redirects)
	sort.Float64s(health)
	r.line("| presigned download: time to the 302 (median of 41, ms) | %.2f ms | `/healthz` %.2f ms | overhead %.2f ms (goal < 5 ms) |",
		median(redirects), median(health), median(redirects)-median(health))
	f.stop()
	r.line("")
	r.line("Ferry's peak RSS (VmHWM) during the S3 uploads: %d MiB (%d MiB before; goal < 100 MiB). Parts go up from memory (8 MiB each), nothing is staged on the local disk.", peak>>20, base>>20)
	r.line("")
	r.line("Downloads of 8 MiB and more from a plain-http endpoint are spliced socket to socket (splice(2)), so their bytes never enter Ferry's memory. "+
		"Load average (1 min) %s before the downloads and %s at the end, on %d CPUs shared with other work: on a machine this busy every hop costs CPU that the others want, so read the CPU row and the nginx relay (the cost of a hop itself) beside the MB/s. "+
		"Reproduce with `make build && go run ./scripts/bench -only s3` (this run: %s).", loadBefore, loadAverage(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	r.line("")
}
