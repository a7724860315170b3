//go:build !js

package testkit_test

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	xslog "golang.org/x/exp/slog"

	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

func TestToolPathSkipsMissingTool(t *testing.T) {
	t.Setenv("FERRY_REQUIRE_TOOLS", "")
	var sub *testing.T
	t.Run("missing", func(t *testing.T) {
		sub = t
		testkit.ToolPath(t, "no-such-tool")
		t.Error("ToolPath returned for a tool that is not installed")
	})
	if !sub.Skipped() {
		t.Error("a test needing a missing tool was not skipped")
	}
}

func TestMailpit(t *testing.T) {
	mp := testkit.Mailpit(t)

	// Ferry's mailer may be configured with credentials: they must be accepted.
	auth := smtp.PlainAuth("", "ferry", "secret", "127.0.0.1")
	body := "From: Ferry <ferry@example.com>\r\n" +
		"To: Ann <ann@example.com>\r\n" +
		"Subject: Your upload link\r\n" +
		"X-Ferry-Test: yes\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Open https://ferry.example/u/abc to upload.\r\n"
	if err := smtp.SendMail(mp.SMTPAddr, auth, "ferry@example.com", []string{"ann@example.com"}, []byte(body)); err != nil {
		t.Fatalf("sending mail: %v", err)
	}

	msgs := mp.WaitMessages(t, 1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	sum := msgs[0]
	if sum.Subject != "Your upload link" || sum.From.Address != "ferry@example.com" ||
		len(sum.To) != 1 || sum.To[0].Address != "ann@example.com" || sum.To[0].Name != "Ann" {
		t.Errorf("summary = %+v", sum)
	}
	msg := mp.Message(t, sum.ID)
	if !strings.Contains(msg.Text, "https://ferry.example/u/abc") {
		t.Errorf("text = %q", msg.Text)
	}
	if got := msg.Headers["X-Ferry-Test"]; !slices.Equal(got, []string{"yes"}) {
		t.Errorf("X-Ferry-Test header = %q, headers %v", got, msg.Headers)
	}

	mp.DeleteAll(t)
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("%d messages after DeleteAll", n)
	}
}

func TestPebble(t *testing.T) {
	pb := testkit.Pebble(t)

	pemBytes, err := os.ReadFile(pb.RootCAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("no certificate in %s", pb.RootCAFile)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get(pb.DirectoryURL)
	if err != nil {
		t.Fatalf("GET %s trusting %s: %v", pb.DirectoryURL, pb.RootCAFile, err)
	}
	defer res.Body.Close()
	var dir map[string]any
	if err := json.NewDecoder(res.Body).Decode(&dir); err != nil {
		t.Fatalf("directory: %v", err)
	}
	for _, key := range []string{"newAccount", "newNonce", "newOrder"} {
		if u, _ := dir[key].(string); !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Errorf("directory %s = %v", key, dir[key])
		}
	}

	// The bad case: without the minica root the listener is not trusted.
	if _, err := (&http.Client{Timeout: 10 * time.Second}).Get(pb.DirectoryURL); err == nil {
		t.Error("Pebble's directory was trusted without its root")
	}

	block, _ := pem.Decode(pb.IssuerRootPEM(t))
	if block == nil {
		t.Fatal("IssuerRootPEM is not PEM")
	}
	root, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !root.IsCA {
		t.Errorf("issuer root %s is not a CA", root.Subject)
	}
}

// page is a tall page with a button, a console error and an uncaught exception.
const page = `<!doctype html>
<meta name="viewport" content="width=device-width">
<title>testkit</title>
<button id="go" onclick="document.getElementById('out').textContent = 'clicked ' + innerWidth">Go</button>
<p id="out">waiting</p>
<div style="height:2000px;background:linear-gradient(#fff,#36c)"></div>
<script>
console.error("boom-console");
setTimeout(() => { throw new Error("boom-exception") }, 0);
</script>`

func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer srv.Close()

	for _, size := range []struct {
		name string
		w, h int
	}{
		{"desktop", 1280, 800},
		{"phone", 390, 844},
	} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			var out string
			err := chromedp.Run(ctx,
				chromedp.Navigate(srv.URL),
				chromedp.WaitVisible("#go", chromedp.ByQuery),
				chromedp.Click("#go", chromedp.ByQuery),
				chromedp.Text("#out", &out, chromedp.ByQuery),
			)
			if err != nil {
				t.Fatal(err)
			}
			if want := "clicked " + strconv.Itoa(size.w); out != want {
				t.Errorf("text after click = %q, want %q", out, want)
			}

			name := "testkit-browser-" + size.name
			testkit.Screenshot(t, ctx, name)
			f, err := os.Open(filepath.Join(testkit.RepoRoot(t), "test-artifacts", name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.DecodeConfig(f)
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			if img.Width != size.w || img.Height < 2000 {
				t.Errorf("screenshot is %dx%d, want %d wide and the whole 2000+ px page", img.Width, img.Height, size.w)
			}

			poll.Until(t, 5*time.Second, func() error {
				errs := strings.Join(testkit.ConsoleErrors(ctx), "\n")
				if strings.Contains(errs, "boom-console") && strings.Contains(errs, "boom-exception") {
					return nil
				}
				return fmt.Errorf("console errors = %q, want boom-console and boom-exception", errs)
			})
		})
	}
}

func TestNode(t *testing.T) {
	out, err := exec.Command(testkit.Node(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if v := strings.TrimSpace(string(out)); !strings.HasPrefix(v, "v") {
		t.Errorf("node --version = %q", v)
	}
}

// tusServer is tusd over a filestore in a temp dir, recording a header.
func tusServer(t *testing.T) (endpoint, dir string, seen func() []string) {
	dir = t.TempDir()
	composer := tusd.NewStoreComposer()
	filestore.New(dir).UseIn(composer)
	memorylocker.New().UseIn(composer)
	h, err := tusd.NewHandler(tusd.Config{
		BasePath:      "/files/",
		StoreComposer: composer,
		Logger:        xslog.New(xslog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var headers []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers = append(headers, r.Method+" "+r.Header.Get("X-Test"))
		mu.Unlock()
		http.StripPrefix("/files/", h).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/files/", dir, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(headers)
	}
}

func TestTusUpload(t *testing.T) {
	endpoint, dir, seen := tusServer(t)
	data := make([]byte, 3<<20+123)
	rand.Read(data)
	file := filepath.Join(t.TempDir(), "photo.bin")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	stored := func(url string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, url[strings.LastIndex(url, "/")+1:]))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	t.Run("whole", func(t *testing.T) {
		out, err := testkit.TusUpload(t, "--endpoint", endpoint, "--file", file,
			"--header", "X-Test: whole", "--metadata", "filename=photo.bin")
		if err != nil {
			t.Fatal(err)
		}
		r := testkit.ParseTusResult(t, out)
		if r.Offset != int64(len(data)) || !bytes.Equal(stored(r.URL), data) {
			t.Fatalf("result %+v; stored data differs: %v", r, !bytes.Equal(stored(r.URL), data))
		}
		info, err := os.ReadFile(filepath.Join(dir, r.URL[strings.LastIndex(r.URL, "/")+1:]+".info"))
		if err != nil || !strings.Contains(string(info), `"filename":"photo.bin"`) {
			t.Errorf("upload info %s (%v) lacks the metadata", info, err)
		}
		if !slices.Contains(seen(), "POST whole") || !slices.Contains(seen(), "PATCH whole") {
			t.Errorf("requests seen %q lack the X-Test header", seen())
		}
	})

	t.Run("stop and resume", func(t *testing.T) {
		out, err := testkit.TusUpload(t, "--endpoint", endpoint, "--file", file,
			"--chunk-size", strconv.Itoa(1<<20), "--stop-after", strconv.Itoa(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		stopped := testkit.ParseTusResult(t, out)
		if stopped.Offset != 1<<20 {
			t.Fatalf("stopped at %d, want %d", stopped.Offset, 1<<20)
		}
		if got := stored(stopped.URL); !bytes.Equal(got, data[:len(got)]) || len(got) != 1<<20 {
			t.Fatalf("server holds %d bytes after the stop, want the first %d", len(got), 1<<20)
		}

		out, err = testkit.TusUpload(t, "--resume-url", stopped.URL, "--file", file)
		if err != nil {
			t.Fatal(err)
		}
		done := testkit.ParseTusResult(t, out)
		if done.URL != stopped.URL || done.Offset != int64(len(data)) {
			t.Fatalf("resumed %+v, want %s at %d", done, stopped.URL, len(data))
		}
		if !bytes.Equal(stored(done.URL), data) {
			t.Error("resumed upload differs from the file")
		}
	})

	t.Run("resume unknown upload", func(t *testing.T) {
		_, err := testkit.TusUpload(t, "--resume-url", endpoint+"nosuchupload", "--file", file)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || !strings.Contains(err.Error(), "404") {
			t.Errorf("err = %v, want exit status 1 reporting the 404", err)
		}
	})

	t.Run("bad flag", func(t *testing.T) {
		_, err := testkit.TusUpload(t, "--file", file)
		if err == nil || !strings.Contains(err.Error(), "--endpoint or --resume-url is required") {
			t.Errorf("err = %v", err)
		}
	})
}
