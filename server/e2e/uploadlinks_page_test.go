package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// ulProject creates a project over the API.
func ulProject(t *testing.T, c *testkit.Client, name string) (id, root string) {
	t.Helper()
	var pr model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: name}, &pr); res.StatusCode != 201 {
		t.Fatalf("creating project %s: status %d", name, res.StatusCode)
	}
	return pr.ID, pr.RootAssetID
}

// ulCreate creates an upload link over the API.
func ulCreate(t *testing.T, c *testkit.Client, body model.NewUploadLink) model.UploadLink {
	t.Helper()
	l, err := c.API().CreateUploadLink(body)
	if err != nil {
		t.Fatalf("creating upload link %v: %v (%d)", body.Name, err, client.StatusOf(err))
	}
	return l
}

// ulCards waits until the page shows n link cards.
func ulCards(n int) chromedp.Action {
	return waitFor(fmt.Sprintf(`document.querySelectorAll('.ul-card').length === %d && !document.querySelector('.content .spinner')`, n))
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

// ulWaitStats waits until the stat cards show want (by key).
func ulWaitStats(t *testing.T, ctx context.Context, want map[string]string) {
	t.Helper()
	var m map[string]string
	run(t, ctx, fmt.Sprintf("stat cards %v", want), evalUntil("the stat cards",
		`Object.fromEntries([...document.querySelectorAll('.stat-card')].map(e => [e.dataset.stat, e.querySelector('.stat-value').textContent]))`, &m,
		func(m map[string]string) bool {
			for k, v := range want {
				if m[k] != v {
					return false
				}
			}
			return true
		}))
}

// ulSeeded is what ulSeed made.
type ulSeeded struct {
	harbour, harbourRoot, spring string
	soon, agency, revoked        model.UploadLink
}

// ulSeed makes two projects with six upload links between them, one of
// each status but Pending, and waits until the invitations are delivered.
// One link expires by the server's clock clk: made an hour before now, it
// expires now, so the browser (on the real time) shows it expired just now.
func ulSeed(t *testing.T, admin *testkit.Client, clk *clock.Clock, suffix string) ulSeeded {
	t.Helper()
	expiresAt := time.Now()
	clk.Set(expiresAt.Add(-time.Hour))
	harbour, harbourRoot := ulProject(t, admin, "Harbour shoot "+suffix)
	spring, _ := ulProject(t, admin, "Spring campaign "+suffix)
	ulCreate(t, admin, model.NewUploadLink{ProjectID: harbour, Name: "Launch party", RecipientEmail: "sam@example.com", RecipientName: "Sam Reyes", ExpiresAt: model.Ptr(expiresAt)})
	clk.Set(expiresAt)

	soon := ulCreate(t, admin, model.NewUploadLink{ProjectID: harbour, Name: "Mia – harbour day 1", RecipientEmail: "mia@agency.example", RecipientName: "Mia Chen", ExpiresInDays: model.Ptr[int](3), Message: "Raw files please."})
	agency := ulCreate(t, admin, model.NewUploadLink{ProjectID: harbour, Name: "Agency selects", RecipientEmail: "desk@northwire.example", RecipientName: "Northwire desk", ExpiresInDays: model.Ptr[int](30), MaxFiles: model.Ptr[int](200), MaxFileMB: model.Ptr[int64](500), MaxTotalMB: model.Ptr[int64](20000)})
	// No ExpiresInDays nor ExpiresAt: the link never expires.
	ulCreate(t, admin, model.NewUploadLink{ProjectID: harbour, Name: "Drone team (ongoing)", RecipientEmail: "ops@skyline.example"})
	revoked := ulCreate(t, admin, model.NewUploadLink{ProjectID: harbour, Name: "Old retoucher link", RecipientEmail: "retouch@example.com", RecipientName: "Lea Park", ExpiresInDays: model.Ptr[int](14)})
	if res := admin.Do("DELETE", "/api/v2/upload_links/"+revoked.ID, nil, nil); res.StatusCode != 204 {
		t.Fatalf("revoke: status %d", res.StatusCode)
	}
	ulCreate(t, admin, model.NewUploadLink{ProjectID: spring, Name: "Spring lookbook", RecipientEmail: "ana@example.com", RecipientName: "Ana Silva", ExpiresInDays: model.Ptr[int](90)})

	// Wait for the invitations to be delivered, so the page shows each
	// status but Pending.
	poll.Until(t, 20*time.Second, func() error {
		var ls []model.UploadLink
		admin.Do("GET", "/api/v2/upload_links?status=pending", nil, &ls)
		if len(ls) > 0 {
			return fmt.Errorf("%d links still pending", len(ls))
		}
		return nil
	})

	return ulSeeded{harbour: harbour, harbourRoot: harbourRoot, spring: spring, soon: soon, agency: agency, revoked: revoked}
}

func TestUploadLinksPage(t *testing.T) {
	mp := testkit.Mailpit(t)
	clk := clock.New(time.Now())
	srv := testkit.StartAt(t, clk, func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From = "smtp://"+mp.SMTPAddr, "Studio <studio@example.com>"
	})
	atSizes(t, tallDesktopAndPhone, func(t *testing.T, size viewport) {
		admin := srv.Admin(t)
		seed := ulSeed(t, admin, clk, size.name)
		harbour, harbourRoot, soon, agency, revoked := seed.harbour, seed.harbourRoot, seed.soon, seed.agency, seed.revoked
		ctx := testkit.Browser(t, size.w, size.h)
		login(t, ctx, srv, "")

		// The project page links to its upload links.
		run(t, ctx, "project page",
			chromedp.Navigate(srv.URL+"/projects/"+harbour),
			waitPageReady(),
			click("#project-upload-links"),
			waitPageReady(),
			visible("#create-upload-link"),
			ulCards(5),
		)
		run(t, ctx, "crumbs and nav",
			waitText(".crumbs", nil, "Harbour shoot "+size.name),
			waitFor(`document.querySelector('.nav-item.active').innerText.trim() === 'Upload'`),
		)
		ulWaitStats(t, ctx, map[string]string{"total": "5", "files": "0", "bytes": "0 B", "expiring": "1"})
		run(t, ctx, "Expiring Soon highlighted with one link expiring in 3 days",
			waitFor(`!!document.querySelector('.stat-card[data-stat=expiring] .stat-hl')`))

		// Each card says what it is.
		card := func(id string) string { return `.ul-card[data-id="` + id + `"]` }
		run(t, ctx, "cards",
			waitText(card(soon.ID), nil, "Mia – harbour day 1", "Active", "Setup complete", "Mia Chen", "mia@agency.example", "Expires in 3 days", "0 B"),
			waitText(card(agency.ID), nil, "Up to 200 files · 500 MiB per file · 19.5 GiB in total"),
			waitFor(`/Revoked (just now|\d+ minutes? ago)/.test(document.querySelector('`+card(revoked.ID)+`').innerText)`),
			// Faded: the expired and the revoked one.
			waitFor(`[...document.querySelectorAll('.ul-card.is-faded')].map(e => e.dataset.status).sort().join() === 'expired,revoked'`),
			waitFor(`(s => s.includes('Never expires') && /Expired (just now|\d+ minutes? ago)/.test(s))([...document.querySelectorAll('.ul-expiry')].map(e => e.textContent).join('|'))`),
		)
		testkit.Screenshot(t, ctx, "upload-links-"+size.name)

		// Tabs filter the cards and the stats alike.
		run(t, ctx, "revoked tab", click(`.ul-tab[data-status=revoked]`), ulCards(1))
		ulWaitStats(t, ctx, map[string]string{"total": "1", "expiring": "0"})
		run(t, ctx, "active tab", click(`.ul-tab[data-status=active]`), ulCards(3))
		ulWaitStats(t, ctx, map[string]string{"total": "3", "expiring": "1"})
		run(t, ctx, "pending tab", click(`.ul-tab[data-status=pending]`), ulCards(0),
			visible("#ul-empty"))
		run(t, ctx, "all tab", click(`.ul-tab[data-status=all]`), ulCards(5))
		// Search goes by name or recipient email.
		run(t, ctx, "search", setValue("#ul-search", "northwire"), ulCards(1))
		ulWaitStats(t, ctx, map[string]string{"total": "1"})
		run(t, ctx, "clear search", setValue("#ul-search", ""), ulCards(5))

		// The menu of a revoked link offers no resend or revoke.
		run(t, ctx, "revoked menu",
			click(`.ul-card[data-id="`+revoked.ID+`"] .ul-more`),
			visible(".ul-menu"),
			// No resend or revoke.
			waitFor(`document.querySelectorAll('.ul-menu .ul-menu-resend, .ul-menu .ul-menu-revoke').length === 0`),
		)
		run(t, ctx, "close menu", chromedp.Evaluate(`document.querySelector('.ul-menu-shield').click()`, nil), gone(".ul-menu"))

		if size.name == "desktop" {
			// Copy and resend from the menu of a live link.
			run(t, ctx, "copy from menu",
				click(`.ul-card[data-id="`+soon.ID+`"] .ul-more`),
				visible(".ul-menu-resend"),
			)
			testkit.Screenshot(t, ctx, "upload-links-menu-desktop")
			run(t, ctx, "copy",
				click(".ul-menu-copy"),
				waitFor(`document.querySelector('.toast').innerText === 'Link copied'`),
			)
			run(t, ctx, "resend",
				click(`.ul-card[data-id="`+soon.ID+`"] .ul-more`),
				click(".ul-menu-resend"),
				visible("#ul-resend-confirm"),
				click("#ul-resend-confirm"),
				visible("#ul-passcode"),
				// A new six-digit passcode.
				waitFor(`/^\d{6}$/.test(document.querySelector('#ul-passcode').innerText)`),
			)
			run(t, ctx, "close resend", click("#ul-resent-close"), gone("#ul-passcode"))

			// Revoke asks first, then the card turns revoked.
			run(t, ctx, "revoke",
				click(`.ul-card[data-id="`+agency.ID+`"] .ul-more`),
				click(".ul-menu-revoke"),
				visible("#ul-revoke-confirm"),
				waitText(".modal", nil, "permanent", "cannot be reactivated", "Files already uploaded stay in Harbour shoot desktop"),
			)
			ulViewShot(t, ctx, "upload-links-revoke-desktop")
			run(t, ctx, "confirm revoke",
				click("#ul-revoke-confirm"),
				gone("#ul-revoke-confirm"),
				waitFor(`document.querySelector('.ul-card[data-id="`+agency.ID+`"]').dataset.status === 'revoked'`),
			)
		}

		// Create a link through the dialog: the server's error shows,
		// then the passcode and URL once.
		name := "Harbour night shots " + size.name
		run(t, ctx, "open create",
			click("#create-upload-link"),
			visible("#ul-form"),
			setValue("#ul-name", name),
			setValue("#ul-email", "night@agency.example"),
			setValue("#ul-recipient", "Noor Haddad"),
			setValue("#ul-expires", "14"),
			setValue("#ul-message", "Night harbour, RAW + JPEG."),
			click("#ul-advanced"),
			visible("#ul-max-files"),
			setValue("#ul-max-files", "50"),
			setValue("#ul-max-file-mb", "2000"),
			setValue("#ul-max-total-mb", "1000"),
			waitFor(`document.querySelectorAll('#ul-folder option').length > 1`),
			setValue("#ul-folder", harbourRoot),
		)
		ulViewShot(t, ctx, "upload-links-create-"+size.name)
		run(t, ctx, "server refuses",
			click("#ul-submit"),
			waitText("#ul-form .alert-error", nil, "larger than max_total_mb"),
		)
		run(t, ctx, "fix and submit: the passcode and URL",
			setValue("#ul-max-file-mb", "200"),
			click("#ul-submit"),
			visible("#ul-passcode"),
			waitFor(`/^\d{6}$/.test(document.querySelector('#ul-passcode').innerText)`),
			waitText("#ul-url", nil, "/u/"),
		)
		ulViewShot(t, ctx, "upload-links-created-"+size.name)
		run(t, ctx, "close", click("#ul-done"), gone("#ul-passcode"))
		var ls []model.UploadLink
		admin.Do("GET", "/api/v2/upload_links?project_id="+harbour+"&q="+strings.ReplaceAll(name, " ", "+"), nil, &ls)
		if len(ls) != 1 {
			t.Fatalf("%d links named %q", len(ls), name)
		}
		l := ls[0]
		if l.FolderID != harbourRoot || l.MaxFiles == nil || *l.MaxFiles != 50 || l.MaxFileMB == nil || *l.MaxFileMB != 200 ||
			l.MaxTotalMB == nil || *l.MaxTotalMB != 1000 {
			t.Errorf("created link = %+v", l)
		}
		run(t, ctx, "new card", visible(`.ul-card[data-id="`+l.ID+`"]`))

		// Every project's links, each labelled with its project.
		run(t, ctx, "all projects",
			click(".nav-item.active"),
			visible(".ul-project"),
			waitFor(`document.querySelectorAll('.ul-card').length === document.querySelectorAll('.ul-card .ul-project').length && document.querySelectorAll('.ul-card').length >= 7`),
			// The other project's link is there.
			waitText(".content", nil, "Spring lookbook", "Spring campaign "+size.name),
		)
		// Here the dialog asks for the project; a custom date expires
		// at the end of that day.
		day := time.Now().AddDate(0, 0, 10)
		name = "Spring extras " + size.name
		run(t, ctx, "project picker",
			click("#create-upload-link"),
			visible("#ul-project"),
			waitFor(`document.querySelector('#ul-project option[value="`+seed.spring+`"]') !== null`),
		)
		ulViewShot(t, ctx, "upload-links-all-create-"+size.name)
		run(t, ctx, "create with a custom date",
			setValue("#ul-project", seed.spring),
			setValue("#ul-name", name),
			setValue("#ul-email", "ana@example.com"),
			setValue("#ul-expires", "custom"),
			visible("#ul-expires-date"),
			setValue("#ul-expires-date", day.Format("2006-01-02")),
			click("#ul-submit"),
			visible("#ul-passcode"),
			click("#ul-done"),
			gone("#ul-form"),
		)
		var spring []model.UploadLink
		admin.Do("GET", "/api/v2/upload_links?q="+strings.ReplaceAll(name, " ", "+"), nil, &spring)
		if len(spring) != 1 || spring[0].ExpiresAt == nil {
			t.Fatalf("%d links named %q", len(spring), name)
		}
		// The browser runs in this machine's time zone.
		if got := spring[0].ExpiresAt.Local(); spring[0].ProjectID != seed.spring || got.Format("2006-01-02 15:04") != day.Format("2006-01-02")+" 23:59" {
			t.Errorf("link made with a custom date: project %s, expires %s", spring[0].ProjectID, got)
		}
		testkit.Screenshot(t, ctx, "upload-links-all-"+size.name)

		run(t, ctx, "no sideways scroll", waitFor(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`))
		if errs := testkit.ConsoleErrors(ctx); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	})
}
