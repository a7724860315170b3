package e2e

import (
	"image/color"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/model"
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
	var p model.Project
	admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Press"}, &p)
	dir := t.TempDir()
	jpg, err := os.ReadFile(jpegFile(t, dir, "harbour.jpg", 1200, 800, color.RGBA{40, 120, 220, 255}))
	if err != nil {
		t.Fatal(err)
	}
	photo := admin.Upload(p.RootAssetID, "harbour.jpg", jpg)
	var l model.ShareLink
	if res := admin.Do("POST", "/api/v2/share_links", model.NewShareLink{AssetIDs: []string{photo}, Name: "Press kit", AccessControl: "emailed"}, &l); res.StatusCode != 201 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	if res := admin.Do("POST", "/api/v2/share_links/"+l.ID+"/emails", model.ShareEmail{To: "ana@paper.example", Message: "Embargo until Monday"}, nil); res.StatusCode != 201 {
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
	run(t, ana, "the recipient opens her link",
		chromedp.Navigate(url),
		visible(".gallery-tile"),
		// The invitation's session is kept in local storage, and the
		// address bar drops the invitation code.
		waitFor(`!!localStorage.getItem('ferry-share-session-`+l.Key+`')`),
		waitFor(`!location.href.includes('invite=')`),
	)

	other := testkit.Browser(t, 390, 844)
	run(t, other, "someone else opens the same link",
		chromedp.Navigate(url),
		waitFor(`document.body.innerText.includes('already been used')`),
		// The refused browser does not show the files.
		waitFor(`!document.body.innerText.includes('harbour.jpg')`),
	)
	testkit.Screenshot(t, other, "share-invitation-used-phone")
	fresh := mp.Message(t, mp.WaitMessages(t, 1, 20*time.Second)[0].ID)
	f := inviteLink.FindStringSubmatch(fresh.Text)
	if fresh.To[0].Address != "ana@paper.example" || f == nil || f[2] == m[2] {
		t.Fatalf("fresh invitation to %v:\n%s", fresh.To, fresh.Text)
	}

	run(t, ana, "the recipient's browser still opens it",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		visible(".gallery-tile"),
	)
}
