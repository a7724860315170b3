package api_test

import (
	"encoding/csv"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// gateLink makes a share link of the fixture's images (unless req names
// its assets) as the admin.
func (f *shareFixture) gateLink(t *testing.T, req model.NewShareLink) model.ShareLink {
	t.Helper()
	if req.AssetIDs == nil {
		req.AssetIDs = f.images
	}
	l, err := f.admin.API().CreateShareLink(req)
	if err != nil {
		t.Fatalf("create %+v: %v", req, err)
	}
	return l
}

// The site's Sharing settings: require a password, default expiry, custom URLs.
func TestSharingSettings(t *testing.T) {
	f := newShareFixture(t)
	admin, member := f.admin.API(), newMember(t, f).API()
	_, err := member.SetSharingSettings(model.SharingSettings{RequirePassword: true})
	wantErr(t, "a member sets sharing settings", err, 403, "")
	_, err = admin.SetSharingSettings(model.SharingSettings{DefaultExpirationDays: model.Ptr(0)})
	wantErr(t, "expiry of 0 days", err, 400, "")
	_, err = admin.SetSharingSettings(model.SharingSettings{RequirePassword: true, DefaultExpirationDays: model.Ptr(7)})
	wantErr(t, "settings", err, 0, "")
	set, err := member.SharingSettings()
	if err != nil || !set.RequirePassword || set.DefaultExpirationDays == nil || *set.DefaultExpirationDays != 7 {
		t.Fatalf("settings read back: %+v %v", set, err)
	}

	before := countLinks(t, f)
	_, err = admin.CreateShareLink(model.NewShareLink{AssetIDs: f.images})
	wantErr(t, "no password", err, 400, "password_required")
	_, err = admin.CreateShareLink(model.NewShareLink{Kind: "download", AssetIDs: f.images[:1]})
	wantErr(t, "direct link", err, 400, "password_required")
	if n := countLinks(t, f); n != before {
		t.Fatalf("refused links were stored: %d → %d", before, n)
	}
	l := f.gateLink(t, model.NewShareLink{Password: "long enough pw"})
	if l.ExpiresAt == nil || l.ExpiresAt.Sub(time.Now().AddDate(0, 0, 7)).Abs() > time.Minute {
		t.Fatalf("default expiry: %v", l.ExpiresAt)
	}
	never := f.gateLink(t, model.NewShareLink{Password: "long enough pw", ExpiresAt: model.Null[time.Time]()})
	if never.ExpiresAt != nil {
		t.Fatalf("explicit null expiry became %v", never.ExpiresAt)
	}
	own := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	if got := f.gateLink(t, model.NewShareLink{Password: "long enough pw", ExpiresAt: model.Set(own)}); got.ExpiresAt == nil || !got.ExpiresAt.Equal(own) {
		t.Fatalf("own expiry: %v", got.ExpiresAt)
	}
}

func countLinks(t *testing.T, f *shareFixture) int {
	t.Helper()
	list, err := f.admin.API().ShareLinks(nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// newMember makes a member of the fixture's project and logs them in.
func newMember(t *testing.T, f *shareFixture) *testkit.Client {
	t.Helper()
	admin := f.admin.API()
	u, err := admin.CreateUser(model.NewUser{Email: "mia@studio.example", Name: "Mia", Role: "member", Password: "mia's long password"})
	wantErr(t, "member", err, 0, "")
	_, err = admin.UpdateProject(f.project, model.ProjectPatch{MemberIDs: &[]string{u.ID}})
	wantErr(t, "add member", err, 0, "")
	return f.s.Login(t, "mia@studio.example", "mia's long password")
}

// Custom URL keys: only when the site allows them, letters and digits, unique.
func TestCustomURLKeys(t *testing.T) {
	f := newShareFixture(t)
	admin := f.admin.API()
	_, err := admin.CreateShareLink(model.NewShareLink{AssetIDs: f.images, Key: "Harbour2026"})
	wantErr(t, "custom key while disabled", err, 403, "custom_keys_disabled")
	_, err = admin.SetSharingSettings(model.SharingSettings{AllowCustomURLs: true})
	wantErr(t, "allow custom URLs", err, 0, "")
	for _, bad := range []string{"my-key", "ab", "spaces here", "../etc", "ключ", strings.Repeat("a", 65)} {
		_, err = admin.CreateShareLink(model.NewShareLink{AssetIDs: f.images, Key: bad})
		wantErr(t, "key "+bad, err, 400, "invalid_key")
	}
	l := f.gateLink(t, model.NewShareLink{Key: "Harbour2026", Note: "for the press kit"})
	if l.Key != "Harbour2026" || !strings.HasSuffix(l.URL, "/s/Harbour2026") || l.Note != "for the press kit" {
		t.Fatalf("custom key link: %+v", l)
	}
	visitor := f.s.Client(t).API()
	p, err := visitor.PublicShare("Harbour2026", nil)
	wantErr(t, "visit by custom key", err, 0, "")
	var raw []byte
	wantErr(t, "visit again", visitor.Do("GET", "/api/v2/public/links/Harbour2026", nil, &raw), 0, "")
	if len(p.Items) != 3 || strings.Contains(string(raw), "press kit") {
		t.Fatalf("public answer: %d items, or the internal note leaked", len(p.Items))
	}
	_, err = admin.CreateShareLink(model.NewShareLink{AssetIDs: f.images, Key: "Harbour2026"})
	wantErr(t, "the same key again", err, 409, "key_taken")
	other := f.gateLink(t, model.NewShareLink{})
	_, err = admin.UpdateShareLink(other.ID, model.ShareLinkPatch{Key: model.Ptr("Harbour2026")})
	wantErr(t, "rename onto a taken key", err, 409, "key_taken")
	_, err = admin.UpdateShareLink(l.ID, model.ShareLinkPatch{Key: &other.Key})
	wantErr(t, "rename onto a random key of another link", err, 409, "key_taken")
	_, err = admin.UpdateShareLink(l.ID, model.ShareLinkPatch{Key: model.Ptr("Harbour2027")})
	wantErr(t, "rename", err, 0, "")
	_, err = f.s.Client(t).API().PublicShare("Harbour2026", nil)
	wantErr(t, "old key", err, 404, "")
	_, err = f.s.Client(t).API().PublicShare("Harbour2027", nil)
	wantErr(t, "new key", err, 0, "")
}

// Registration with a custom form and a clickwrap guards a link; bad answers change nothing.
func TestRegistrationFormsAndClickwrap(t *testing.T) {
	f := newShareFixture(t)
	admin, member := f.admin.API(), newMember(t, f).API()
	form := model.ShareFormInput{Title: "Press", StandardFields: &[]string{"name", "email", "company"}, Fields: []model.FormField{
		{Label: "Outlet size", Description: "Readers per month", Type: "dropdown", Options: []string{"Small", "Large"}, Required: true},
		{Label: "Why", Type: "paragraph"},
	}}
	_, err := member.SaveShareForm("", form)
	wantErr(t, "a member makes a form", err, 403, "")
	for what, bad := range map[string]model.ShareFormInput{
		"no title":          {Fields: []model.FormField{{Label: "A", Type: "short"}}},
		"unknown type":      {Title: "T", Fields: []model.FormField{{Label: "A", Type: "checkbox"}}},
		"choice no options": {Title: "T", Fields: []model.FormField{{Label: "A", Type: "choice"}}},
		"unknown standard":  {Title: "T", StandardFields: &[]string{"phone"}},
	} {
		_, err = admin.SaveShareForm("", bad)
		wantErr(t, what, err, 400, "")
	}
	fm, err := admin.SaveShareForm("", form)
	wantErr(t, "form", err, 0, "")
	cw, err := admin.SaveClickwrap("", model.ClickwrapInput{Name: "Embargo", Body: "No publication before 1 December."})
	wantErr(t, "clickwrap", err, 0, "")
	_, err = admin.CreateShareLink(model.NewShareLink{AssetIDs: f.images, FormID: "00000000-0000-0000-0000-000000000000"})
	wantErr(t, "unknown form", err, 400, "")
	l := f.gateLink(t, model.NewShareLink{FormID: fm.ID, ClickwrapID: cw.ID, AllowOriginal: model.Ptr(true)})
	if !l.RequireRegistration || l.FormID != fm.ID || l.ClickwrapID != cw.ID {
		t.Fatalf("gate fields: %+v", l)
	}
	wantErr(t, "delete a form in use", admin.DeleteShareForm(fm.ID), 409, "form_in_use")
	wantErr(t, "delete a clickwrap in use", admin.DeleteClickwrap(cw.ID), 409, "clickwrap_in_use")

	vc := f.s.Client(t) // for the files; v is the same browser's API client
	v := vc.API()
	p, err := v.PublicShare(l.Key, nil)
	wantErr(t, "visit", err, 0, "")
	if strings.Join(p.Needs, ",") != "registration,clickwrap" || len(p.Items) != 0 || p.ZipURL != "" || p.Registration == nil || p.Clickwrap == nil ||
		len(p.Registration.Fields) != 5 || p.Registration.Fields[3].Type != "dropdown" || p.Clickwrap.Body != "No publication before 1 December." {
		t.Fatalf("gated answer: %+v", p)
	}
	file := "/api/v2/public/links/" + l.Key + "/assets/" + f.images[0] + "/preview"
	wantStatus(t, "file before registering", vc.Do("GET", file, nil, nil), 401, "registration_required")
	wantStatus(t, "zip before registering", vc.Do("GET", "/api/v2/public/links/"+l.Key+"/zip", nil, nil), 401, "registration_required")
	size, why := fm.Fields[0].ID, fm.Fields[1].ID
	good := map[string]string{"name": "Tom Reed", "email": "tom@daily.example", "company": "The Daily", size: "Large", why: "A feature\non the harbour"}
	with := func(k, val string) model.RegisterRequest {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = val
		return model.RegisterRequest{Answers: m, AcceptClickwrap: true}
	}
	for _, c := range []struct {
		what, code string
		in         model.RegisterRequest
	}{
		{"no name", "missing_field", with("name", " ")},
		{"bad email", "invalid_email", with("email", "tom@")},
		{"not a choice", "invalid_choice", with(size, "Huge")},
		{"required dropdown", "missing_field", with(size, "")},
		{"unknown field", "unknown_field", with("phone", "123")},
		{"terms not accepted", "clickwrap_required", model.RegisterRequest{Answers: good}},
	} {
		_, err = v.Register(l.Key, c.in)
		wantErr(t, c.what, err, 400, c.code)
	}
	if regs, err := admin.ShareLinkRegistrations(l.ID); err != nil || len(regs) != 0 {
		t.Fatalf("refused registrations were stored: %v %v", regs, err)
	}
	wantStatus(t, "still gated", vc.Do("GET", file, nil, nil), 401, "registration_required")

	p, err = v.Register(l.Key, model.RegisterRequest{Answers: good, AcceptClickwrap: true})
	wantErr(t, "register", err, 0, "")
	if len(p.Needs) != 0 || len(p.Items) != 3 || p.ZipURL == "" {
		t.Fatalf("after registering: needs %v, %d items", p.Needs, len(p.Items))
	}
	wantStatus(t, "file after registering", vc.Do("GET", file, nil, nil), 200, "")
	wantStatus(t, "another visitor", f.s.Client(t).Do("GET", file, nil, nil), 401, "registration_required")

	got, err := admin.ShareLinkRegistrations(l.ID)
	if err != nil || len(got) != 1 || got[0].Name != "Tom Reed" || got[0].Company != "The Daily" || !got[0].ClickwrapAccepted ||
		len(got[0].Answers) != 2 || got[0].Answers[0].Label != "Outlet size" || got[0].Answers[0].Value != "Large" {
		t.Fatalf("registrations: %+v %v", got, err)
	}
	res := f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations?format=csv", nil, nil)
	rows, err := csv.NewReader(strings.NewReader(body(res))).ReadAll()
	if err != nil || len(rows) != 2 || strings.Join(rows[0], "|") != "time|name|company|email|Outlet size|Why|clickwrap|address" ||
		rows[1][1] != "Tom Reed" || rows[1][4] != "Large" || rows[1][5] != "A feature\non the harbour" {
		t.Fatalf("csv (%v): %q", err, rows)
	}
	// Visitors' personal data is for the link's managers only (issue 17).
	_, err = member.ShareLinkRegistrations(l.ID)
	wantErr(t, "a member reads registrations of another's link in their project", err, 403, "not_link_manager")

	// A clickwrap alone: accept and in.
	c := f.gateLink(t, model.NewShareLink{ClickwrapID: cw.ID})
	v2 := f.s.Client(t).API()
	_, err = v2.Register(c.Key, model.RegisterRequest{Answers: good, AcceptClickwrap: true})
	wantErr(t, "answers on a clickwrap-only link", err, 400, "unknown_field")
	p, err = v2.Register(c.Key, model.RegisterRequest{AcceptClickwrap: true})
	wantErr(t, "accept", err, 0, "")
	if len(p.Items) != 3 {
		t.Fatalf("after accepting: %+v", p)
	}
}

var inviteURL = regexp.MustCompile(`/s/([0-9A-Za-z]+)\?invite=([0-9A-Za-z]+)`)

// A link sent by email with access control "emailed": the first browser is
// bound to each invitation; another browser is refused and the recipient
// gets a fresh link.
func TestEmailBoundInvitations(t *testing.T) {
	mp := testkit.Mailpit(t)
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk, withSMTP("smtp://"+mp.SMTPAddr, "Studio <desk@nordlicht.example>"))
	l := f.gateLink(t, model.NewShareLink{AccessControl: "emailed", Name: "Press kit"})
	admin := f.admin.API()
	_, err := admin.EmailShareLink(l.ID, model.ShareEmail{To: "ana@paper.example, not-an-address"})
	wantErr(t, "a bad address", err, 400, "invalid_email")
	_, err = admin.EmailShareLink(l.ID, model.ShareEmail{To: "ana@paper.example, ben@radio.example", Message: "Embargo until Monday", Company: "Paper", Note: "met at the fair"})
	wantErr(t, "send", err, 0, "")
	msgs := mp.WaitMessages(t, 2, 15*time.Second)
	codes := map[string]string{}
	for _, m := range msgs {
		full := mp.Message(t, m.ID)
		mm := inviteURL.FindStringSubmatch(full.Text)
		if mm == nil || mm[1] != l.Key || !strings.Contains(full.Text, "Embargo until Monday") {
			t.Fatalf("invitation:\n%s", full.Text)
		}
		codes[full.To[0].Address] = mm[2]
	}
	if len(codes) != 2 || codes["ana@paper.example"] == codes["ben@radio.example"] {
		t.Fatalf("codes per recipient: %v", codes)
	}
	mp.DeleteAll(t)
	pub := "/api/v2/public/links/" + l.Key
	invite := func(code string) url.Values { return url.Values{"invite": {code}} }
	_, err = f.s.Client(t).API().PublicShare(l.Key, nil)
	wantErr(t, "no invitation", err, 403, "invitation_required")
	_, err = f.s.Client(t).API().PublicShare(l.Key, invite("abcdefghijklmnopqrstuv"))
	wantErr(t, "a made-up invitation", err, 403, "invitation_invalid")

	ana := f.s.Client(t)
	p, err := ana.API().PublicShare(l.Key, invite(codes["ana@paper.example"]))
	wantErr(t, "ana opens her invitation", err, 0, "")
	if len(p.Items) != 3 || p.Session == "" {
		t.Fatalf("bound answer: %d items, session %q", len(p.Items), p.Session)
	}
	_, err = ana.API().PublicShare(l.Key, invite(codes["ana@paper.example"]))
	wantErr(t, "ana again, same browser", err, 0, "")
	wantStatus(t, "ana's file", ana.Do("GET", pub+"/assets/"+f.images[0]+"/preview", nil, nil), 200, "")
	// Local storage without the cookie: the session header alone.
	_, err = f.s.Client(t).API().With("Ferry-Session", p.Session).PublicShare(l.Key, nil)
	wantErr(t, "session from local storage", err, 0, "")

	other := f.s.Client(t)
	_, err = other.API().PublicShare(l.Key, invite(codes["ana@paper.example"]))
	wantErr(t, "ana's link in another browser", err, 403, "invitation_used")
	wantStatus(t, "its files", other.Do("GET", pub+"/assets/"+f.images[0]+"/preview", nil, nil), 403, "invitation_required")
	msgs = mp.WaitMessages(t, 1, 15*time.Second)
	fresh := mp.Message(t, msgs[0].ID)
	mm := inviteURL.FindStringSubmatch(fresh.Text)
	if fresh.To[0].Address != "ana@paper.example" || mm == nil || mm[2] == codes["ana@paper.example"] || !strings.Contains(fresh.Text, "another browser") {
		t.Fatalf("fresh invitation to %v:\n%s", fresh.To, fresh.Text)
	}
	_, err = f.s.Client(t).API().PublicShare(l.Key, invite(codes["ana@paper.example"]))
	wantErr(t, "reused again", err, 403, "invitation_used")
	// A fresh link is queued in the refusing request's transaction, so the
	// recipient's sends tell at once whether a second one went out.
	rec, err := admin.ShareLinkRecipients(l.ID)
	wantErr(t, "recipients", err, 0, "")
	for _, r := range rec {
		if r.Email == "ana@paper.example" && r.Sends != 2 {
			t.Fatalf("%d sends to ana after two reuses within %s, want 2 (the invitation, one fresh link)", r.Sends, share.ReissueEvery)
		}
	}
	_, err = f.s.Client(t).API().PublicShare(l.Key, invite(mm[2]))
	wantErr(t, "the fresh link in a new browser", err, 0, "")
	_, err = ana.API().PublicShare(l.Key, nil)
	wantErr(t, "ana's first browser still works", err, 0, "")

	rec, err = admin.ShareLinkRecipients(l.ID)
	wantErr(t, "recipients", err, 0, "")
	byMail := map[string]int{}
	for i, r := range rec {
		byMail[r.Email] = i
	}
	if len(rec) != 2 || !rec[byMail["ana@paper.example"]].Bound || rec[byMail["ana@paper.example"]].Sends != 2 ||
		rec[byMail["ben@radio.example"]].Bound || rec[byMail["ben@radio.example"]].OpenedAt != nil || rec[0].Company != "Paper" || rec[0].Note != "met at the fair" {
		t.Fatalf("recipients: %+v", rec)
	}

	// Once share.ReissueEvery has passed on the server's clock, a reuse
	// sends the recipient another fresh link.
	clk.Advance(share.ReissueEvery)
	wantStatus(t, "reused after the reissue period", f.s.Client(t).Do("GET", pub+"?invite="+codes["ana@paper.example"], nil, nil), 403, "invitation_used")
	msgs = mp.WaitMessages(t, 2, 15*time.Second)
	if len(msgs) != 2 {
		t.Fatalf("%d mails after a reuse past the reissue period, want 2", len(msgs))
	}
}

// The Sharing page: members see their links, admins all; Revoke all
// removes the links with their registrations and access logs.
func TestSharingListAndRevokeAll(t *testing.T) {
	f := newShareFixture(t)
	admin, member := f.admin.API(), newMember(t, f).API()
	mine, err := member.CreateShareLink(model.NewShareLink{AssetIDs: f.images[:1], RequireRegistration: true})
	wantErr(t, "member's link", err, 0, "")
	theirs := f.gateLink(t, model.NewShareLink{RequireRegistration: true})
	sharing := url.Values{"view": {"sharing"}}
	if list, err := member.ShareLinks(sharing); err != nil || len(list) != 1 || list[0].ID != mine.ID {
		t.Fatalf("member's sharing view: %+v %v", list, err)
	}
	if list, err := admin.ShareLinks(sharing); err != nil || len(list) != 2 {
		t.Fatalf("admin's sharing view: %d links %v", len(list), err)
	}
	wantErr(t, "a member revokes the admin's link", member.DeleteShareLink(theirs.ID), 403, "")
	out, err := member.RevokeShareLinks([]string{theirs.ID})
	wantErr(t, "a member revokes all they asked for", err, 0, "")
	if out.Revoked != 0 || out.Skipped != 1 {
		t.Fatalf("member revoked another's link: %+v", out)
	}
	for _, l := range []model.ShareLink{mine, theirs} {
		v := f.s.Client(t).API()
		_, err := v.Register(l.Key, model.RegisterRequest{Answers: map[string]string{"name": "Ann", "email": "ann@x.example"}})
		wantErr(t, "register", err, 0, "")
		_, err = v.PublicShare(l.Key, nil)
		wantErr(t, "view after registering", err, 0, "")
	}
	got, err := admin.ShareLink(theirs.ID)
	if err != nil || got.Registrations != 1 || got.Views == 0 {
		t.Fatalf("before revoking: %+v %v", got, err)
	}
	_, err = admin.RevokeShareLinks([]string{})
	wantErr(t, "empty revoke", err, 400, "")
	out, err = admin.RevokeShareLinks([]string{mine.ID, theirs.ID})
	wantErr(t, "revoke all", err, 0, "")
	if out.Revoked != 2 {
		t.Fatalf("revoke all: %+v", out)
	}
	for _, l := range []model.ShareLink{mine, theirs} {
		_, err := f.s.Client(t).API().PublicShare(l.Key, nil)
		if client.StatusOf(err) != 404 || !strings.Contains(err.Error(), "Share not found") {
			t.Fatalf("revoked link: %v", err)
		}
		_, err = admin.ShareLinkRegistrations(l.ID)
		wantErr(t, "registrations of a revoked link", err, 404, "")
	}
	f.s.Stop()
	st := teststore.OpenData(t, f.s.DataDir)
	st.View(func(tx *store.Tx) error {
		for _, l := range []model.ShareLink{mine, theirs} {
			for _, prefix := range []string{store.PrefixShareReg, store.PrefixShareLog, store.PrefixShareInvite, store.PrefixShareLink} {
				tx.ScanKeys(prefix+l.ID, func(k string) error { t.Errorf("left behind: %s", k); return nil })
			}
		}
		return nil
	})
}
