package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// ulLink is the part of an upload link the page test checks over the API.
type ulLink struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	FolderID    string `json:"folder_id"`
	MaxFiles    *int   `json:"max_files"`
	MaxFileMB   *int   `json:"max_file_mb"`
	MaxTotalMB  *int   `json:"max_total_mb"`
	Passcode    string `json:"passcode"`
	ProjectName string `json:"project_name"`
}

// ulProject creates a project over the API.
func ulProject(t *testing.T, c *testkit.Client, name string) (id, root string) {
	t.Helper()
	var pr struct {
		ID          string `json:"id"`
		RootAssetID string `json:"root_asset_id"`
	}
	if res := c.Do("POST", "/api/v2/projects", map[string]string{"name": name}, &pr); res.StatusCode != 201 {
		t.Fatalf("creating project %s: status %d", name, res.StatusCode)
	}
	return pr.ID, pr.RootAssetID
}

// ulCreate creates an upload link over the API.
func ulCreate(t *testing.T, c *testkit.Client, body map[string]any) ulLink {
	t.Helper()
	var l ulLink
	if res := c.Do("POST", "/api/v2/upload_links", body, &l); res.StatusCode != 201 {
		t.Fatalf("creating upload link %v: status %d (%s)", body["name"], res.StatusCode, testkit.ErrorCode(res))
	}
	return l
}

// ulSet sets a form control's value the way typing or picking would, so
// the app's input and change handlers run.
func ulSet(sel, value string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true}));
		e.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, sel, value), nil)
}

// ulCards waits until the page shows n link cards.
func ulCards(n int) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`document.querySelectorAll('.ul-card').length === %d && !document.querySelector('.content .spinner')`, n), nil,
		chromedp.WithPollingTimeout(15*time.Second))
}

// ulViewShot saves what the viewport shows as test-artifacts/<name>.png:
// a dialog as the user sees it, where testkit.Screenshot's whole page
// leaves the backdrop at the first screenful.
func ulViewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	run(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot(&buf))
	dir := filepath.Join(testkit.RepoRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ulStats reads the stat cards by key.
func ulStats(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	var m map[string]string
	run(t, ctx, "read stat cards", chromedp.Evaluate(`Object.fromEntries([...document.querySelectorAll('.stat-card')].map(e => [e.dataset.stat, e.querySelector('.stat-value').textContent]))`, &m))
	return m
}

// ulSeeded is what ulSeed made.
type ulSeeded struct {
	harbour, harbourRoot, spring string
	soon, agency, revoked        ulLink
}

// ulSeed makes two projects with six upload links between them, one of
// each status but Pending, and waits until the invitations are delivered.
func ulSeed(t *testing.T, admin *testkit.Client, suffix string) ulSeeded {
	t.Helper()
	harbour, harbourRoot := ulProject(t, admin, "Harbour shoot "+suffix)
	spring, _ := ulProject(t, admin, "Spring campaign "+suffix)

	soon := ulCreate(t, admin, map[string]any{"project_id": harbour, "name": "Mia – harbour day 1", "recipient_email": "mia@agency.example",
		"recipient_name": "Mia Chen", "expires_in_days": 3, "message": "Raw files please."})
	agency := ulCreate(t, admin, map[string]any{"project_id": harbour, "name": "Agency selects", "recipient_email": "desk@northwire.example",
		"recipient_name": "Northwire desk", "expires_in_days": 30, "max_files": 200, "max_file_mb": 500, "max_total_mb": 20000})
	ulCreate(t, admin, map[string]any{"project_id": harbour, "name": "Drone team (ongoing)", "recipient_email": "ops@skyline.example",
		"expires_in_days": nil})
	revoked := ulCreate(t, admin, map[string]any{"project_id": harbour, "name": "Old retoucher link", "recipient_email": "retouch@example.com",
		"recipient_name": "Lea Park", "expires_in_days": 14})
	if res := admin.Do("DELETE", "/api/v2/upload_links/"+revoked.ID, nil, nil); res.StatusCode != 204 {
		t.Fatalf("revoke: status %d", res.StatusCode)
	}
	expiresAt := time.Now().Add(2 * time.Second)
	ulCreate(t, admin, map[string]any{"project_id": harbour, "name": "Launch party", "recipient_email": "sam@example.com",
		"recipient_name": "Sam Reyes", "expires_at": expiresAt.Format(time.RFC3339Nano)})
	ulCreate(t, admin, map[string]any{"project_id": spring, "name": "Spring lookbook", "recipient_email": "ana@example.com",
		"recipient_name": "Ana Silva", "expires_in_days": 90})

	// Wait for the expiry and for the invitations to be delivered, so the
	// page shows each status but Pending.
	time.Sleep(time.Until(expiresAt))
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ls []ulLink
		admin.Do("GET", "/api/v2/upload_links?status=pending", nil, &ls)
		if len(ls) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d links still pending after 20 s", len(ls))
		}
		time.Sleep(200 * time.Millisecond)
	}

	return ulSeeded{harbour: harbour, harbourRoot: harbourRoot, spring: spring, soon: soon, agency: agency, revoked: revoked}
}

func TestUploadLinksPage(t *testing.T) {
	mp := testkit.Mailpit(t)
	srv := testkit.Start(t, func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From = "smtp://"+mp.SMTPAddr, "Studio <studio@example.com>"
	})
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			admin := srv.Admin(t)
			seed := ulSeed(t, admin, size.name)
			harbour, harbourRoot, soon, agency, revoked := seed.harbour, seed.harbourRoot, seed.soon, seed.agency, seed.revoked
			ctx := testkit.Browser(t, size.w, size.h)
			login(t, ctx, srv, "")

			// The project page links to its upload links.
			run(t, ctx, "project page",
				chromedp.Navigate(srv.URL+"/projects/"+harbour),
				chromedp.WaitVisible("#project-upload-links", chromedp.ByQuery),
				chromedp.Click("#project-upload-links", chromedp.ByQuery),
				chromedp.WaitVisible("#create-upload-link", chromedp.ByQuery),
				ulCards(5),
			)
			var text string
			run(t, ctx, "crumbs and nav",
				chromedp.Text(".crumbs", &text, chromedp.ByQuery),
			)
			if !strings.Contains(text, "Harbour shoot "+size.name) {
				t.Errorf("breadcrumbs lack the project: %q", text)
			}
			run(t, ctx, "nav", chromedp.Text(".nav-item.active", &text, chromedp.ByQuery))
			if text != "Upload" {
				t.Errorf("active navigation item = %q, want Upload", text)
			}
			st := ulStats(t, ctx)
			want := map[string]string{"total": "5", "files": "0", "bytes": "0 B", "expiring": "1"}
			for k, v := range want {
				if st[k] != v {
					t.Errorf("stat %s = %q, want %q (all: %v)", k, st[k], v, st)
				}
			}
			var hl bool
			run(t, ctx, "expiring highlight", chromedp.Evaluate(`!!document.querySelector('.stat-card[data-stat=expiring] .stat-hl')`, &hl))
			if !hl {
				t.Error("Expiring Soon is not highlighted with one link expiring in 3 days")
			}

			// Each card says what it is.
			card := func(id string) string {
				var s string
				run(t, ctx, "card "+id, chromedp.Text(`.ul-card[data-id="`+id+`"]`, &s, chromedp.ByQuery))
				return s
			}
			soonText := card(soon.ID)
			for _, w := range []string{"Mia – harbour day 1", "Active", "Setup complete", "Mia Chen", "mia@agency.example", "Expires in 3 days", "0 B"} {
				if !strings.Contains(soonText, w) {
					t.Errorf("card of %q lacks %q: %q", soon.Name, w, soonText)
				}
			}
			if s := card(agency.ID); !strings.Contains(s, "Up to 200 files · 500 MiB per file · 19.5 GiB in total") {
				t.Errorf("card of %q lacks its limits: %q", agency.Name, s)
			}
			if s := card(revoked.ID); !regexp.MustCompile(`Revoked (just now|\d+ minutes? ago)`).MatchString(s) {
				t.Errorf("revoked card: %q", s)
			}
			var faded []string
			run(t, ctx, "faded cards", chromedp.Evaluate(`[...document.querySelectorAll('.ul-card.is-faded')].map(e => e.dataset.status).sort()`, &faded))
			if strings.Join(faded, ",") != "expired,revoked" {
				t.Errorf("faded cards = %v, want the expired and the revoked one", faded)
			}
			var never string
			run(t, ctx, "never", chromedp.Evaluate(`[...document.querySelectorAll('.ul-expiry')].map(e => e.textContent).join('|')`, &never))
			if !strings.Contains(never, "Never expires") || !regexp.MustCompile(`Expired (just now|\d+ minutes? ago)`).MatchString(never) {
				t.Errorf("expiry texts = %q", never)
			}
			testkit.Screenshot(t, ctx, "upload-links-"+size.name)

			// Tabs filter the cards and the stats alike.
			run(t, ctx, "revoked tab", chromedp.Click(`.ul-tab[data-status=revoked]`, chromedp.ByQuery), ulCards(1))
			if st := ulStats(t, ctx); st["total"] != "1" || st["expiring"] != "0" {
				t.Errorf("stats on the revoked tab = %v", st)
			}
			run(t, ctx, "active tab", chromedp.Click(`.ul-tab[data-status=active]`, chromedp.ByQuery), ulCards(3))
			if st := ulStats(t, ctx); st["total"] != "3" || st["expiring"] != "1" {
				t.Errorf("stats on the active tab = %v", st)
			}
			run(t, ctx, "pending tab", chromedp.Click(`.ul-tab[data-status=pending]`, chromedp.ByQuery), ulCards(0),
				chromedp.WaitVisible("#ul-empty", chromedp.ByQuery))
			run(t, ctx, "all tab", chromedp.Click(`.ul-tab[data-status=all]`, chromedp.ByQuery), ulCards(5))
			// Search goes by name or recipient email.
			run(t, ctx, "search", chromedp.SendKeys("#ul-search", "northwire", chromedp.ByQuery), ulCards(1))
			if st := ulStats(t, ctx); st["total"] != "1" {
				t.Errorf("stats when searching = %v", st)
			}
			run(t, ctx, "clear search", ulSet("#ul-search", ""), ulCards(5))

			// The menu of a revoked link offers no resend or revoke.
			run(t, ctx, "revoked menu",
				chromedp.Click(`.ul-card[data-id="`+revoked.ID+`"] .ul-more`, chromedp.ByQuery),
				chromedp.WaitVisible(".ul-menu", chromedp.ByQuery),
			)
			var items int
			run(t, ctx, "revoked menu items", chromedp.Evaluate(`document.querySelectorAll('.ul-menu .ul-menu-resend, .ul-menu .ul-menu-revoke').length`, &items))
			if items != 0 {
				t.Errorf("revoked link's menu has %d resend/revoke items", items)
			}
			run(t, ctx, "close menu", chromedp.Evaluate(`document.querySelector('.ul-menu-shield').click()`, nil), chromedp.WaitNotPresent(".ul-menu", chromedp.ByQuery))

			if size.name == "desktop" {
				// Copy and resend from the menu of a live link.
				run(t, ctx, "copy from menu",
					chromedp.Click(`.ul-card[data-id="`+soon.ID+`"] .ul-more`, chromedp.ByQuery),
					chromedp.WaitVisible(".ul-menu-resend", chromedp.ByQuery),
				)
				testkit.Screenshot(t, ctx, "upload-links-menu-desktop")
				run(t, ctx, "copy",
					chromedp.Click(".ul-menu-copy", chromedp.ByQuery),
					chromedp.WaitVisible(".toast", chromedp.ByQuery),
					chromedp.Text(".toast", &text, chromedp.ByQuery),
				)
				if text != "Link copied" {
					t.Errorf("toast after copy = %q", text)
				}
				run(t, ctx, "resend",
					chromedp.Click(`.ul-card[data-id="`+soon.ID+`"] .ul-more`, chromedp.ByQuery),
					chromedp.Click(".ul-menu-resend", chromedp.ByQuery),
					chromedp.WaitVisible("#ul-resend-confirm", chromedp.ByQuery),
					chromedp.Click("#ul-resend-confirm", chromedp.ByQuery),
					chromedp.WaitVisible("#ul-passcode", chromedp.ByQuery),
					chromedp.Text("#ul-passcode", &text, chromedp.ByQuery),
				)
				if !regexp.MustCompile(`^\d{6}$`).MatchString(text) {
					t.Errorf("resent passcode = %q", text)
				}
				run(t, ctx, "close resend", chromedp.Click("#ul-resent-close", chromedp.ByQuery), chromedp.WaitNotPresent("#ul-passcode", chromedp.ByQuery))

				// Revoke asks first, then the card turns revoked.
				run(t, ctx, "revoke",
					chromedp.Click(`.ul-card[data-id="`+agency.ID+`"] .ul-more`, chromedp.ByQuery),
					chromedp.Click(".ul-menu-revoke", chromedp.ByQuery),
					chromedp.WaitVisible("#ul-revoke-confirm", chromedp.ByQuery),
				)
				run(t, ctx, "revoke text", chromedp.Text(".modal", &text, chromedp.ByQuery))
				for _, w := range []string{"permanent", "cannot be reactivated", "Files already uploaded stay in Harbour shoot desktop"} {
					if !strings.Contains(text, w) {
						t.Errorf("revoke dialog lacks %q: %q", w, text)
					}
				}
				ulViewShot(t, ctx, "upload-links-revoke-desktop")
				run(t, ctx, "confirm revoke",
					chromedp.Click("#ul-revoke-confirm", chromedp.ByQuery),
					chromedp.WaitNotPresent("#ul-revoke-confirm", chromedp.ByQuery),
					chromedp.Poll(`document.querySelector('.ul-card[data-id="`+agency.ID+`"]').dataset.status === 'revoked'`, nil,
						chromedp.WithPollingTimeout(10*time.Second)),
				)
			}

			// Create a link through the dialog: the server's error shows,
			// then the passcode and URL once.
			name := "Harbour night shots " + size.name
			run(t, ctx, "open create",
				chromedp.Click("#create-upload-link", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-form", chromedp.ByQuery),
				chromedp.SendKeys("#ul-name", name, chromedp.ByQuery),
				chromedp.SendKeys("#ul-email", "night@agency.example", chromedp.ByQuery),
				chromedp.SendKeys("#ul-recipient", "Noor Haddad", chromedp.ByQuery),
				ulSet("#ul-expires", "14"),
				chromedp.SendKeys("#ul-message", "Night harbour, RAW + JPEG.", chromedp.ByQuery),
				chromedp.Click("#ul-advanced", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-max-files", chromedp.ByQuery),
				chromedp.SendKeys("#ul-max-files", "50", chromedp.ByQuery),
				chromedp.SendKeys("#ul-max-file-mb", "2000", chromedp.ByQuery),
				chromedp.SendKeys("#ul-max-total-mb", "1000", chromedp.ByQuery),
				chromedp.Poll(`document.querySelectorAll('#ul-folder option').length > 1`, nil, chromedp.WithPollingTimeout(10*time.Second)),
				ulSet("#ul-folder", harbourRoot),
			)
			ulViewShot(t, ctx, "upload-links-create-"+size.name)
			run(t, ctx, "server refuses",
				chromedp.Click("#ul-submit", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-form .alert-error", chromedp.ByQuery),
				chromedp.Text("#ul-form .alert-error", &text, chromedp.ByQuery),
			)
			if !strings.Contains(text, "larger than max_total_mb") {
				t.Errorf("error shown = %q", text)
			}
			run(t, ctx, "fix and submit",
				ulSet("#ul-max-file-mb", "200"),
				chromedp.Click("#ul-submit", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-passcode", chromedp.ByQuery),
				chromedp.Text("#ul-passcode", &text, chromedp.ByQuery),
			)
			if !regexp.MustCompile(`^\d{6}$`).MatchString(text) {
				t.Errorf("passcode shown = %q", text)
			}
			var shownURL string
			run(t, ctx, "url", chromedp.Text("#ul-url", &shownURL, chromedp.ByQuery))
			if !strings.Contains(shownURL, "/u/") {
				t.Errorf("URL shown = %q", shownURL)
			}
			ulViewShot(t, ctx, "upload-links-created-"+size.name)
			run(t, ctx, "close", chromedp.Click("#ul-done", chromedp.ByQuery), chromedp.WaitNotPresent("#ul-passcode", chromedp.ByQuery))
			var ls []ulLink
			admin.Do("GET", "/api/v2/upload_links?project_id="+harbour+"&q="+strings.ReplaceAll(name, " ", "+"), nil, &ls)
			if len(ls) != 1 {
				t.Fatalf("%d links named %q", len(ls), name)
			}
			l := ls[0]
			if l.FolderID != harbourRoot || l.MaxFiles == nil || *l.MaxFiles != 50 || l.MaxFileMB == nil || *l.MaxFileMB != 200 ||
				l.MaxTotalMB == nil || *l.MaxTotalMB != 1000 {
				t.Errorf("created link = %+v", l)
			}
			run(t, ctx, "new card", chromedp.WaitVisible(`.ul-card[data-id="`+l.ID+`"]`, chromedp.ByQuery))

			// Every project's links, each labelled with its project.
			run(t, ctx, "all projects",
				chromedp.Click(".nav-item.active", chromedp.ByQuery),
				chromedp.WaitVisible(".ul-project", chromedp.ByQuery),
				chromedp.Poll(`document.querySelectorAll('.ul-card').length === document.querySelectorAll('.ul-card .ul-project').length && document.querySelectorAll('.ul-card').length >= 7`, nil,
					chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Text(".content", &text, chromedp.ByQuery),
			)
			if !strings.Contains(text, "Spring lookbook") || !strings.Contains(text, "Spring campaign "+size.name) {
				t.Errorf("all-projects page lacks the other project's link: %q", text)
			}
			// Here the dialog asks for the project; a custom date expires
			// at the end of that day.
			day := time.Now().AddDate(0, 0, 10)
			name = "Spring extras " + size.name
			run(t, ctx, "project picker",
				chromedp.Click("#create-upload-link", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-project", chromedp.ByQuery),
				chromedp.Poll(`document.querySelector('#ul-project option[value="`+seed.spring+`"]') !== null`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			)
			ulViewShot(t, ctx, "upload-links-all-create-"+size.name)
			run(t, ctx, "create with a custom date",
				ulSet("#ul-project", seed.spring),
				chromedp.SendKeys("#ul-name", name, chromedp.ByQuery),
				chromedp.SendKeys("#ul-email", "ana@example.com", chromedp.ByQuery),
				ulSet("#ul-expires", "custom"),
				chromedp.WaitVisible("#ul-expires-date", chromedp.ByQuery),
				ulSet("#ul-expires-date", day.Format("2006-01-02")),
				chromedp.Click("#ul-submit", chromedp.ByQuery),
				chromedp.WaitVisible("#ul-passcode", chromedp.ByQuery),
				chromedp.Click("#ul-done", chromedp.ByQuery),
				chromedp.WaitNotPresent("#ul-form", chromedp.ByQuery),
			)
			var spring []struct {
				ProjectID string    `json:"project_id"`
				ExpiresAt time.Time `json:"expires_at"`
			}
			admin.Do("GET", "/api/v2/upload_links?q="+strings.ReplaceAll(name, " ", "+"), nil, &spring)
			if len(spring) != 1 {
				t.Fatalf("%d links named %q", len(spring), name)
			}
			// The browser runs in this machine's time zone.
			if got := spring[0].ExpiresAt.Local(); spring[0].ProjectID != seed.spring || got.Format("2006-01-02 15:04") != day.Format("2006-01-02")+" 23:59" {
				t.Errorf("link made with a custom date: project %s, expires %s", spring[0].ProjectID, got)
			}
			testkit.Screenshot(t, ctx, "upload-links-all-"+size.name)

			var overflow int
			run(t, ctx, "no sideways scroll", chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow))
			if overflow > 0 {
				t.Errorf("page scrolls sideways by %d px", overflow)
			}
			if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
				t.Errorf("console errors: %q", errs)
			}
		})
	}
}
