// Package e2e drives the real web app in headless Chromium against a real
// server: the wasm must load, take over from the prerendered page, log in,
// and upload files through the page.
//
// Tests act on the page only through the helpers of page_test.go (click,
// setValue, waitText, waitFor, ...), which find their element again on each
// attempt until the step's deadline. They wait for the app to say its data
// is drawn (data-state="ready" on <main>, on a public page's root, and on
// the navigation once the user is known) and then for the very content they
// check: nothing is read once and asserted.
package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/testkit"
)

func login(t *testing.T, ctx context.Context, srv *testkit.Server, shot string) {
	t.Helper()
	run(t, ctx, "open login",
		chromedp.Navigate(srv.URL+"/login"),
		// #app-ready is rendered only by the wasm: the app took over.
		present("#app-ready"),
	)
	if shot != "" {
		testkit.Screenshot(t, ctx, shot)
	}
	logIn(t, ctx, testkit.AdminEmail, testkit.AdminPassword)
}

// logIn signs in on the open login page as email.
func logIn(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	run(t, ctx, "log in as "+email,
		setValue("#email", email),
		setValue("#password", password),
		click("#login-submit"),
		waitPageReady(),
		visible("#new-project"),
		waitNav(),
	)
}

// fetchPage GETs url without a browser: the page as the server sends it.
func fetchPage(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return string(b)
}

// waitNav waits until the navigation knows the signed-in user: only then
// are the admin links drawn or left out for good.
func waitNav() chromedp.Action {
	return waitUntil("the navigation ready", `!!document.querySelector('.nav[data-state="ready"]')`)
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
			if html := fetchPage(t, srv.URL+"/login"); !strings.Contains(html, `id="login-form"`) {
				t.Fatal("login page is not prerendered")
			}
			login(t, ctx, srv, "login-"+size.name)
			run(t, ctx, "shell: an admin's navigation",
				waitAttr(".nav", "data-role", "admin"),
				waitText(".nav", nil, "Projects", "Share", "Review", "Upload", "Sharing", "Users", "Settings"))
			testkit.Screenshot(t, ctx, "projects-"+size.name)
			// The account menu has API tokens and log out.
			run(t, ctx, "account menu", click("#account-menu"), visible("#logout"))
			run(t, ctx, "users page", chromedp.Navigate(srv.URL+"/users"), waitPageReady(), visible("#add-user"),
				// The email column is hidden on a phone: look for it in the markup.
				waitFor(`document.querySelector('.table').textContent.includes(`+jsString(testkit.AdminEmail)+`)`))
			testkit.Screenshot(t, ctx, "users-"+size.name)
			run(t, ctx, "log out", click("#account-menu"), click("#logout"),
				visible("#login-form"))
		})
	}
}

func TestUsersAndTokensPages(t *testing.T) {
	srv := testkit.Start(t)
	ctx := testkit.Browser(t, 1280, 800)
	login(t, ctx, srv, "")
	run(t, ctx, "add a member",
		chromedp.Navigate(srv.URL+"/users"),
		waitPageReady(),
		visible("#add-user"),
		click("#add-user"),
		visible("#add-user-form"),
		setValue("#new-name", "Mia Member"),
		setValue("#new-email", "mia@example.com"),
		setValue("#new-password", "a good long password"),
		click("#add-user-submit"),
		gone("#add-user-form"),
	)
	run(t, ctx, "new user listed", waitFor(`[...document.querySelectorAll('td')].some(td => td.textContent.includes('mia@example.com'))`))
	// The member can log in over the API.
	srv.Login(t, "mia@example.com", "a good long password")

	run(t, ctx, "create a token",
		chromedp.Navigate(srv.URL+"/account/tokens"),
		waitPageReady(),
		visible("#create-token"),
		click("#create-token"),
		visible("#token-form"),
		setValue("#token-name", "CI script"),
		click("#token-submit"),
		visible("#token-secret"),
	)
	var secret string
	run(t, ctx, "read token", readText("#token-secret", &secret))
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
				click("#new-project"),
				visible("#project-name"),
				setValue("#project-name", "Harbour shoot "+size.name),
				click("#project-create"),
				waitPageReady(),
				visible("#folder-empty"),
			)
			run(t, ctx, "pick files",
				pickFiles("#file-input", files...),
				visible("#ferry-uploads"),
			)
			testkit.Screenshot(t, ctx, "upload-progress-"+size.name)
			run(t, ctx, "thumbnails appear",
				visible(`#asset-grid .tile:nth-child(2) img.thumb`),
			)
			run(t, ctx, "two thumbnails", waitFor(`document.querySelectorAll('#asset-grid img.thumb').length === 2`))
			var states []string
			run(t, ctx, "uploader done", evalUntil("both uploads done", `window.ferryUploads.state().map(s => s.status)`, &states,
				func(s []string) bool { return len(s) == 2 && s[0] == "done" && s[1] == "done" }))
			// The panel draws at most 5 times a second: wait for it to show both done.
			run(t, ctx, "the panel shows both done", waitFor(`document.querySelectorAll('#ferry-uploads li[data-status="done"]').length === 2`))
			testkit.Screenshot(t, ctx, "grid-"+size.name)
			run(t, ctx, "open an asset",
				click(`#asset-grid .tile:nth-child(1)`),
				visible("#preview-img"),
				visible("#download-original"),
			)
			run(t, ctx, "metadata with the dimensions", waitFor(`(t => t.includes('1600 × 1067') || t.includes('1200 × 1600'))(document.querySelector('.meta').innerText)`))
			testkit.Screenshot(t, ctx, "asset-"+size.name)
		})
	}
}
