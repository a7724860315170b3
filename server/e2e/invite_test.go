package e2e

import (
	"image/color"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

var inviteLink = regexp.MustCompile(`https?://[^\s]+/s/([0-9A-Za-z]+)\?invite=([0-9A-Za-z]+)`)

// TestEmailBoundInvitationInBrowsers: a share link that opens only from
// emailed invitations. The recipient's browser is bound to the link in the
// mail; a second browser opening the same link is refused, and the
// recipient gets a fresh link by mail.
func TestEmailBoundInvitationInBrowsers(t *testing.T) {
	mp := testkit.Mailpit(t)
	srv := testkit.Start(t, func(c *config.Config) {
		c.SMTP.URL, c.SMTP.From = "smtp://"+mp.SMTPAddr, "Studio <desk@studio.example>"
	})
	admin := srv.Admin(t)
	var p struct {
		RootAssetID string `json:"root_asset_id"`
	}
	admin.Do("POST", "/api/v2/projects", map[string]string{"name": "Press"}, &p)
	dir := t.TempDir()
	jpg, err := os.ReadFile(jpegFile(t, dir, "harbour.jpg", 1200, 800, color.RGBA{40, 120, 220, 255}))
	if err != nil {
		t.Fatal(err)
	}
	photo := admin.Upload(p.RootAssetID, "harbour.jpg", jpg)
	var l struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	if res := admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": []string{photo}, "name": "Press kit", "access_control": "emailed"}, &l); res.StatusCode != 201 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	if res := admin.Do("POST", "/api/v2/share_links/"+l.ID+"/emails", map[string]any{"to": "ana@paper.example", "message": "Embargo until Monday"}, nil); res.StatusCode != 201 {
		t.Fatalf("send: %d", res.StatusCode)
	}
	first := mp.Message(t, mp.WaitMessages(t, 1, 20*time.Second)[0].ID)
	m := inviteLink.FindStringSubmatch(first.Text)
	if m == nil || m[1] != l.Key {
		t.Fatalf("invitation mail:\n%s", first.Text)
	}
	url := srv.URL + "/s/" + l.Key + "?invite=" + m[2]
	mp.DeleteAll(t)

	ana := testkit.Browser(t, 1280, 800)
	var stored, address string
	run(t, ana, "the recipient opens her link",
		chromedp.Navigate(url),
		chromedp.WaitVisible(".gallery-tile", chromedp.ByQuery),
		chromedp.Evaluate(`localStorage.getItem('ferry-share-session-`+l.Key+`') || ''`, &stored),
		chromedp.Evaluate(`location.href`, &address),
	)
	if stored == "" {
		t.Errorf("the invitation's session is not in local storage")
	}
	if strings.Contains(address, "invite=") {
		t.Errorf("the address bar keeps the invitation code: %s", address)
	}

	other := testkit.Browser(t, 390, 844)
	var text string
	run(t, other, "someone else opens the same link",
		chromedp.Navigate(url),
		chromedp.Poll(`document.body.innerText.includes('already been used')`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`document.body.innerText`, &text),
	)
	if n := strings.Count(text, "harbour.jpg"); n != 0 {
		t.Errorf("the refused browser shows the files:\n%s", text)
	}
	testkit.Screenshot(t, other, "share-invitation-used-phone")
	fresh := mp.Message(t, mp.WaitMessages(t, 1, 20*time.Second)[0].ID)
	f := inviteLink.FindStringSubmatch(fresh.Text)
	if fresh.To[0].Address != "ana@paper.example" || f == nil || f[2] == m[2] {
		t.Fatalf("fresh invitation to %v:\n%s", fresh.To, fresh.Text)
	}

	run(t, ana, "the recipient's browser still opens it",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		chromedp.WaitVisible(".gallery-tile", chromedp.ByQuery),
	)
}
