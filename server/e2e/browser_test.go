// Package e2e drives the real web app in headless Chromium against a real
// server: the wasm must load, take over from the prerendered page, log in,
// and upload files through the page.
package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	runFor(t, ctx, 60*time.Second, what, actions...)
}

// runFor is run with a longer budget, for steps that move many bytes on a
// machine that may be busy with other test packages.
func runFor(t *testing.T, ctx context.Context, d time.Duration, what string, actions ...chromedp.Action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := chromedp.Run(c, actions...)
	if err != nil && strings.Contains(err.Error(), "Could not find node with given id") {
		// The app re-rendered the element between chromedp finding it and
		// acting on it (a load finishing on a busy machine): try the step
		// once more on the page as it is now.
		t.Logf("%s: %v; retrying once", what, err)
		time.Sleep(500 * time.Millisecond)
		err = chromedp.Run(c, actions...)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func login(t *testing.T, ctx context.Context, srv *testkit.Server, shot string) {
	t.Helper()
	run(t, ctx, "open login",
		chromedp.Navigate(srv.URL+"/login"),
		// #app-ready is rendered only by the wasm: the app took over.
		chromedp.WaitReady("#app-ready", chromedp.ByQuery),
	)
	if shot != "" {
		testkit.Screenshot(t, ctx, shot)
	}
	run(t, ctx, "log in",
		chromedp.SendKeys("#email", testkit.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys("#password", testkit.AdminPassword, chromedp.ByQuery),
		chromedp.Click("#login-submit", chromedp.ByQuery),
		chromedp.WaitVisible("#new-project", chromedp.ByQuery),
	)
}

func TestLoginAndShell(t *testing.T) {
	srv := testkit.Start(t)
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			// The prerendered page already carries the form before any wasm runs.
			var html string
			run(t, ctx, "prerender", chromedp.Navigate(srv.URL+"/login"), chromedp.OuterHTML("html", &html, chromedp.ByQuery))
			if !strings.Contains(html, `id="login-form"`) {
				t.Fatal("login page is not prerendered")
			}
			login(t, ctx, srv, "login-"+size.name)
			var text string
			run(t, ctx, "shell", chromedp.Text(".nav", &text, chromedp.ByQuery))
			for _, want := range []string{"Projects", "Share", "Review", "Upload", "Sharing", "Users", "Settings"} {
				if !strings.Contains(text, want) {
					t.Errorf("navigation lacks %q: %q", want, text)
				}
			}
			testkit.Screenshot(t, ctx, "projects-"+size.name)
			// The account menu has API tokens and log out.
			run(t, ctx, "account menu", chromedp.Click("#account-menu", chromedp.ByQuery), chromedp.WaitVisible("#logout", chromedp.ByQuery))
			run(t, ctx, "users page", chromedp.Navigate(srv.URL+"/users"), chromedp.WaitVisible("#add-user", chromedp.ByQuery),
				chromedp.WaitVisible(".table td", chromedp.ByQuery))
			testkit.Screenshot(t, ctx, "users-"+size.name)
			run(t, ctx, "log out", chromedp.Click("#account-menu", chromedp.ByQuery), chromedp.Click("#logout", chromedp.ByQuery),
				chromedp.WaitVisible("#login-form", chromedp.ByQuery))
		})
	}
}

func TestUsersAndTokensPages(t *testing.T) {
	srv := testkit.Start(t)
	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	run(t, ctx, "add a member",
		chromedp.Navigate(srv.URL+"/users"),
		chromedp.WaitVisible("#add-user", chromedp.ByQuery),
		chromedp.Click("#add-user", chromedp.ByQuery),
		chromedp.WaitVisible("#add-user-form", chromedp.ByQuery),
		chromedp.SendKeys("#new-name", "Mia Member", chromedp.ByQuery),
		chromedp.SendKeys("#new-email", "mia@example.com", chromedp.ByQuery),
		chromedp.SendKeys("#new-password", "a good long password", chromedp.ByQuery),
		chromedp.Click("#add-user-submit", chromedp.ByQuery),
		chromedp.WaitNotPresent("#add-user-form", chromedp.ByQuery),
	)
	run(t, ctx, "new user listed", chromedp.Poll(`[...document.querySelectorAll('td')].some(td => td.textContent.includes('mia@example.com'))`, nil))
	// The member can log in over the API.
	srv.Login(t, "mia@example.com", "a good long password")

	run(t, ctx, "create a token",
		chromedp.Navigate(srv.URL+"/account/tokens"),
		chromedp.WaitVisible("#create-token", chromedp.ByQuery),
		chromedp.Click("#create-token", chromedp.ByQuery),
		chromedp.WaitVisible("#token-form", chromedp.ByQuery),
		chromedp.SendKeys("#token-name", "CI script", chromedp.ByQuery),
		chromedp.Click("#token-submit", chromedp.ByQuery),
		chromedp.WaitVisible("#token-secret", chromedp.ByQuery),
	)
	var secret string
	run(t, ctx, "read token", chromedp.Text("#token-secret", &secret, chromedp.ByQuery))
	testkit.Screenshot(t, ctx, "tokens-desktop")
	c := srv.Client(t)
	c.Token, c.Origin = strings.TrimSpace(secret), ""
	if res := c.Do("GET", "/api/v2/projects", nil, nil); res.StatusCode != 200 {
		t.Errorf("token from the page (projects.read) on /projects: %d", res.StatusCode)
	}
	if res := c.Do("GET", "/api/v2/users", nil, nil); res.StatusCode != 403 {
		t.Errorf("token without users.read on /users: %d", res.StatusCode)
	}
}

// jpegFile writes a w×h JPEG with a gradient to dir/name.
func jpegFile(t *testing.T, dir, name string, w, h int, tint color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(int(tint.R) * x / w), uint8(int(tint.G) * y / h), tint.B, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUploadThroughThePage(t *testing.T) {
	srv := testkit.Start(t)
	dir := t.TempDir()
	files := []string{
		jpegFile(t, dir, "harbour.jpg", 1600, 1067, color.RGBA{40, 120, 220, 255}),
		jpegFile(t, dir, "sunset.jpg", 1200, 1600, color.RGBA{240, 120, 40, 255}),
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			login(t, ctx, srv, "")
			run(t, ctx, "create project",
				chromedp.Click("#new-project", chromedp.ByQuery),
				chromedp.WaitVisible("#project-name", chromedp.ByQuery),
				chromedp.SendKeys("#project-name", "Harbour shoot "+size.name, chromedp.ByQuery),
				chromedp.Click("#project-create", chromedp.ByQuery),
				chromedp.WaitVisible("#folder-empty", chromedp.ByQuery),
			)
			run(t, ctx, "pick files",
				chromedp.SetUploadFiles("#file-input", files, chromedp.ByQuery),
				chromedp.WaitVisible("#ferry-uploads", chromedp.ByQuery),
			)
			testkit.Screenshot(t, ctx, "upload-progress-"+size.name)
			run(t, ctx, "thumbnails appear",
				chromedp.WaitVisible(`#asset-grid .tile:nth-child(2) img.thumb`, chromedp.ByQuery),
			)
			var n int
			run(t, ctx, "count", chromedp.Evaluate(`document.querySelectorAll('#asset-grid img.thumb').length`, &n))
			if n != 2 {
				t.Fatalf("%d thumbnails, want 2", n)
			}
			var states string
			run(t, ctx, "uploader state", chromedp.Evaluate(`JSON.stringify(window.ferryUploads.state().map(s => s.status))`, &states))
			if strings.Count(states, "done") != 2 {
				t.Errorf("uploader states = %s", states)
			}
			run(t, ctx, "let the panel settle", chromedp.Sleep(500*time.Millisecond))
			testkit.Screenshot(t, ctx, "grid-"+size.name)
			run(t, ctx, "open an asset",
				chromedp.Click(`#asset-grid .tile:nth-child(1)`, chromedp.ByQuery),
				chromedp.WaitVisible("#preview-img", chromedp.ByQuery),
				chromedp.WaitVisible("#download-original", chromedp.ByQuery),
			)
			var meta string
			run(t, ctx, "metadata", chromedp.Text(".meta", &meta, chromedp.ByQuery))
			if !strings.Contains(meta, "1600 × 1067") && !strings.Contains(meta, "1200 × 1600") {
				t.Errorf("metadata lacks dimensions: %q", meta)
			}
			testkit.Screenshot(t, ctx, "asset-"+size.name)
		})
	}
}
