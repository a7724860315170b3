package api_test

import (
	"encoding/csv"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

type gateLink struct {
	shareLink
	Note                string     `json:"note"`
	ExpiresAt           *time.Time `json:"expires_at"`
	AllowedActions      string     `json:"allowed_actions"`
	RequireRegistration bool       `json:"require_registration"`
	FormID              string     `json:"form_id"`
	ClickwrapID         string     `json:"clickwrap_id"`
	AccessControl       string     `json:"access_control"`
	Registrations       int        `json:"registrations"`
	Recipients          int        `json:"recipients"`
}

type gatePublic struct {
	publicShare
	Needs        []string `json:"needs"`
	Session      string   `json:"session"`
	Registration *struct {
		Fields []struct {
			ID       string   `json:"id"`
			Type     string   `json:"type"`
			Options  []string `json:"options"`
			Required bool     `json:"required"`
		} `json:"fields"`
	} `json:"registration"`
	Clickwrap *struct {
		Name string `json:"name"`
		Body string `json:"body"`
	} `json:"clickwrap"`
}

func (f *shareFixture) gateLink(t *testing.T, req map[string]any) gateLink {
	t.Helper()
	var l gateLink
	if _, ok := req["asset_ids"]; !ok {
		req["asset_ids"] = f.images
	}
	if res := f.admin.Do("POST", "/api/v2/share_links", req, &l); res.StatusCode != 201 {
		t.Fatalf("create %v: %d %s", req, res.StatusCode, body(res))
	}
	return l
}

// The site's Sharing settings: require a password, default expiry, custom URLs.
func TestSharingSettings(t *testing.T) {
	f := newShareFixture(t)
	member := newMember(t, f)
	wantStatus(t, "a member sets sharing settings", member.Do("PUT", "/api/v2/settings/sharing", map[string]any{"require_password": true}, nil), 403, "")
	wantStatus(t, "expiry of 0 days", f.admin.Do("PUT", "/api/v2/settings/sharing", map[string]any{"default_expiration_days": 0}, nil), 400, "")
	wantStatus(t, "settings", f.admin.Do("PUT", "/api/v2/settings/sharing", map[string]any{"require_password": true, "default_expiration_days": 7}, nil), 200, "")
	var set struct {
		RequirePassword bool `json:"require_password"`
		Days            *int `json:"default_expiration_days"`
	}
	member.Do("GET", "/api/v2/settings/sharing", nil, &set)
	if !set.RequirePassword || set.Days == nil || *set.Days != 7 {
		t.Fatalf("settings read back: %+v", set)
	}

	before := countLinks(t, f)
	wantStatus(t, "no password", f.admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images}, nil), 400, "password_required")
	wantStatus(t, "direct link", f.admin.Do("POST", "/api/v2/share_links", map[string]any{"kind": "download", "asset_ids": f.images[:1]}, nil), 400, "password_required")
	if n := countLinks(t, f); n != before {
		t.Fatalf("refused links were stored: %d → %d", before, n)
	}
	l := f.gateLink(t, map[string]any{"password": "long enough pw"})
	if l.ExpiresAt == nil || l.ExpiresAt.Sub(time.Now().AddDate(0, 0, 7)).Abs() > time.Minute {
		t.Fatalf("default expiry: %v", l.ExpiresAt)
	}
	never := f.gateLink(t, map[string]any{"password": "long enough pw", "expires_at": nil})
	if never.ExpiresAt != nil {
		t.Fatalf("explicit null expiry became %v", never.ExpiresAt)
	}
	own := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	if got := f.gateLink(t, map[string]any{"password": "long enough pw", "expires_at": own}); got.ExpiresAt == nil || !got.ExpiresAt.Equal(own) {
		t.Fatalf("own expiry: %v", got.ExpiresAt)
	}
}

func countLinks(t *testing.T, f *shareFixture) int {
	var list []gateLink
	f.admin.Do("GET", "/api/v2/share_links", nil, &list)
	return len(list)
}

// newMember makes a member of the fixture's project and logs them in.
func newMember(t *testing.T, f *shareFixture) *testkit.Client {
	t.Helper()
	var u struct {
		ID string `json:"id"`
	}
	res := f.admin.Do("POST", "/api/v2/users", map[string]string{"email": "mia@studio.example", "name": "Mia", "role": "member", "password": "mia's long password"}, &u)
	if res.StatusCode != 201 {
		t.Fatalf("member: %d %s", res.StatusCode, body(res))
	}
	wantStatus(t, "add member", f.admin.Do("PUT", "/api/v2/projects/"+f.project, map[string]any{"member_ids": []string{u.ID}}, nil), 200, "")
	return f.s.Login(t, "mia@studio.example", "mia's long password")
}

// Custom URL keys: only when the site allows them, letters and digits, unique.
func TestCustomURLKeys(t *testing.T) {
	f := newShareFixture(t)
	wantStatus(t, "custom key while disabled", f.admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images, "key": "Harbour2026"}, nil), 403, "custom_keys_disabled")
	f.admin.Do("PUT", "/api/v2/settings/sharing", map[string]any{"allow_custom_urls": true}, nil)
	for _, bad := range []string{"my-key", "ab", "spaces here", "../etc", "ключ", strings.Repeat("a", 65)} {
		wantStatus(t, "key "+bad, f.admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images, "key": bad}, nil), 400, "invalid_key")
	}
	l := f.gateLink(t, map[string]any{"key": "Harbour2026", "note": "for the press kit"})
	if l.Key != "Harbour2026" || !strings.HasSuffix(l.URL, "/s/Harbour2026") || l.Note != "for the press kit" {
		t.Fatalf("custom key link: %+v", l)
	}
	var p gatePublic
	wantStatus(t, "visit by custom key", f.s.Client(t).Do("GET", "/api/v2/public/links/Harbour2026", nil, &p), 200, "")
	if len(p.Items) != 3 || strings.Contains(body(f.s.Client(t).Do("GET", "/api/v2/public/links/Harbour2026", nil, nil)), "press kit") {
		t.Fatalf("public answer: %d items, or the internal note leaked", len(p.Items))
	}
	wantStatus(t, "the same key again", f.admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images, "key": "Harbour2026"}, nil), 409, "key_taken")
	other := f.gateLink(t, map[string]any{})
	wantStatus(t, "rename onto a taken key", f.admin.Do("PUT", "/api/v2/share_links/"+other.ID, map[string]any{"key": "Harbour2026"}, nil), 409, "key_taken")
	wantStatus(t, "rename onto a random key of another link", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, map[string]any{"key": other.Key}, nil), 409, "key_taken")
	wantStatus(t, "rename", f.admin.Do("PUT", "/api/v2/share_links/"+l.ID, map[string]any{"key": "Harbour2027"}, nil), 200, "")
	wantStatus(t, "old key", f.s.Client(t).Do("GET", "/api/v2/public/links/Harbour2026", nil, nil), 404, "")
	wantStatus(t, "new key", f.s.Client(t).Do("GET", "/api/v2/public/links/Harbour2027", nil, nil), 200, "")
}

// Registration with a custom form and a clickwrap guards a link; bad answers change nothing.
func TestRegistrationFormsAndClickwrap(t *testing.T) {
	f := newShareFixture(t)
	member := newMember(t, f)
	form := map[string]any{"title": "Press", "standard_fields": []string{"name", "email", "company"}, "fields": []map[string]any{
		{"label": "Outlet size", "description": "Readers per month", "type": "dropdown", "options": []string{"Small", "Large"}, "required": true},
		{"label": "Why", "type": "paragraph"},
	}}
	wantStatus(t, "a member makes a form", member.Do("POST", "/api/v2/share_forms", form, nil), 403, "")
	for what, bad := range map[string]map[string]any{
		"no title":          {"title": "", "fields": []map[string]any{{"label": "A", "type": "short"}}},
		"unknown type":      {"title": "T", "fields": []map[string]any{{"label": "A", "type": "checkbox"}}},
		"choice no options": {"title": "T", "fields": []map[string]any{{"label": "A", "type": "choice"}}},
		"unknown standard":  {"title": "T", "standard_fields": []string{"phone"}},
	} {
		wantStatus(t, what, f.admin.Do("POST", "/api/v2/share_forms", bad, nil), 400, "")
	}
	var fm struct {
		ID     string `json:"id"`
		Fields []struct {
			ID string `json:"id"`
		} `json:"fields"`
	}
	wantStatus(t, "form", f.admin.Do("POST", "/api/v2/share_forms", form, &fm), 201, "")
	var cw struct {
		ID string `json:"id"`
	}
	wantStatus(t, "clickwrap", f.admin.Do("POST", "/api/v2/clickwraps", map[string]any{"name": "Embargo", "body": "No publication before 1 December."}, &cw), 201, "")
	wantStatus(t, "unknown form", f.admin.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images, "form_id": "00000000-0000-0000-0000-000000000000"}, nil), 400, "")
	l := f.gateLink(t, map[string]any{"form_id": fm.ID, "clickwrap_id": cw.ID, "allow_original": true})
	if !l.RequireRegistration || l.FormID != fm.ID || l.ClickwrapID != cw.ID {
		t.Fatalf("gate fields: %+v", l)
	}
	wantStatus(t, "delete a form in use", f.admin.Do("DELETE", "/api/v2/share_forms/"+fm.ID, nil, nil), 409, "form_in_use")
	wantStatus(t, "delete a clickwrap in use", f.admin.Do("DELETE", "/api/v2/clickwraps/"+cw.ID, nil, nil), 409, "clickwrap_in_use")

	v := f.s.Client(t)
	var p gatePublic
	wantStatus(t, "visit", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, &p), 200, "")
	if strings.Join(p.Needs, ",") != "registration,clickwrap" || len(p.Items) != 0 || p.ZipURL != "" || p.Registration == nil || p.Clickwrap == nil ||
		len(p.Registration.Fields) != 5 || p.Registration.Fields[3].Type != "dropdown" || p.Clickwrap.Body != "No publication before 1 December." {
		t.Fatalf("gated answer: %+v", p)
	}
	file := "/api/v2/public/links/" + l.Key + "/assets/" + f.images[0] + "/preview"
	wantStatus(t, "file before registering", v.Do("GET", file, nil, nil), 401, "registration_required")
	wantStatus(t, "zip before registering", v.Do("GET", "/api/v2/public/links/"+l.Key+"/zip", nil, nil), 401, "registration_required")
	size, why := fm.Fields[0].ID, fm.Fields[1].ID
	good := map[string]string{"name": "Tom Reed", "email": "tom@daily.example", "company": "The Daily", size: "Large", why: "A feature\non the harbour"}
	with := func(k, val string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = val
		return m
	}
	reg := "/api/v2/public/links/" + l.Key + "/register"
	wantStatus(t, "no name", v.Do("POST", reg, map[string]any{"answers": with("name", " "), "accept_clickwrap": true}, nil), 400, "missing_field")
	wantStatus(t, "bad email", v.Do("POST", reg, map[string]any{"answers": with("email", "tom@"), "accept_clickwrap": true}, nil), 400, "invalid_email")
	wantStatus(t, "not a choice", v.Do("POST", reg, map[string]any{"answers": with(size, "Huge"), "accept_clickwrap": true}, nil), 400, "invalid_choice")
	wantStatus(t, "required dropdown", v.Do("POST", reg, map[string]any{"answers": with(size, ""), "accept_clickwrap": true}, nil), 400, "missing_field")
	wantStatus(t, "unknown field", v.Do("POST", reg, map[string]any{"answers": with("phone", "123"), "accept_clickwrap": true}, nil), 400, "unknown_field")
	wantStatus(t, "terms not accepted", v.Do("POST", reg, map[string]any{"answers": good}, nil), 400, "clickwrap_required")
	var regs []map[string]any
	f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations", nil, &regs)
	if len(regs) != 0 {
		t.Fatalf("refused registrations were stored: %v", regs)
	}
	wantStatus(t, "still gated", v.Do("GET", file, nil, nil), 401, "registration_required")

	wantStatus(t, "register", v.Do("POST", reg, map[string]any{"answers": good, "accept_clickwrap": true}, &p), 200, "")
	if len(p.Needs) != 0 || len(p.Items) != 3 || p.ZipURL == "" {
		t.Fatalf("after registering: needs %v, %d items", p.Needs, len(p.Items))
	}
	wantStatus(t, "file after registering", v.Do("GET", file, nil, nil), 200, "")
	wantStatus(t, "another visitor", f.s.Client(t).Do("GET", file, nil, nil), 401, "registration_required")

	var got []struct {
		Name              string `json:"name"`
		Email             string `json:"email"`
		Company           string `json:"company"`
		ClickwrapAccepted bool   `json:"clickwrap_accepted"`
		Answers           []struct {
			Label string `json:"label"`
			Value string `json:"value"`
		} `json:"answers"`
	}
	f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations", nil, &got)
	if len(got) != 1 || got[0].Name != "Tom Reed" || got[0].Company != "The Daily" || !got[0].ClickwrapAccepted ||
		len(got[0].Answers) != 2 || got[0].Answers[0].Label != "Outlet size" || got[0].Answers[0].Value != "Large" {
		t.Fatalf("registrations: %+v", got)
	}
	res := f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations?format=csv", nil, nil)
	rows, err := csv.NewReader(strings.NewReader(body(res))).ReadAll()
	if err != nil || len(rows) != 2 || strings.Join(rows[0], "|") != "time|name|company|email|Outlet size|Why|clickwrap|address" ||
		rows[1][1] != "Tom Reed" || rows[1][4] != "Large" || rows[1][5] != "A feature\non the harbour" {
		t.Fatalf("csv (%v): %q", err, rows)
	}
	// Visitors' personal data is for the link's managers only (issue 17).
	wantStatus(t, "a member reads registrations of another's link in their project", member.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations", nil, nil), 403, "not_link_manager")

	// A clickwrap alone: accept and in.
	c := f.gateLink(t, map[string]any{"clickwrap_id": cw.ID})
	v2 := f.s.Client(t)
	wantStatus(t, "answers on a clickwrap-only link", v2.Do("POST", "/api/v2/public/links/"+c.Key+"/register", map[string]any{"answers": good, "accept_clickwrap": true}, nil), 400, "unknown_field")
	wantStatus(t, "accept", v2.Do("POST", "/api/v2/public/links/"+c.Key+"/register", map[string]any{"accept_clickwrap": true}, &p), 200, "")
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
	l := f.gateLink(t, map[string]any{"access_control": "emailed", "name": "Press kit"})
	emails := "/api/v2/share_links/" + l.ID + "/emails"
	wantStatus(t, "a bad address", f.admin.Do("POST", emails, map[string]any{"to": "ana@paper.example, not-an-address"}, nil), 400, "invalid_email")
	wantStatus(t, "send", f.admin.Do("POST", emails, map[string]any{"to": "ana@paper.example, ben@radio.example", "message": "Embargo until Monday", "company": "Paper", "note": "met at the fair"}, nil), 201, "")
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
	wantStatus(t, "no invitation", f.s.Client(t).Do("GET", pub, nil, nil), 403, "invitation_required")
	wantStatus(t, "a made-up invitation", f.s.Client(t).Do("GET", pub+"?invite=abcdefghijklmnopqrstuv", nil, nil), 403, "invitation_invalid")

	ana := f.s.Client(t)
	var p gatePublic
	wantStatus(t, "ana opens her invitation", ana.Do("GET", pub+"?invite="+codes["ana@paper.example"], nil, &p), 200, "")
	if len(p.Items) != 3 || p.Session == "" {
		t.Fatalf("bound answer: %d items, session %q", len(p.Items), p.Session)
	}
	wantStatus(t, "ana again, same browser", ana.Do("GET", pub+"?invite="+codes["ana@paper.example"], nil, nil), 200, "")
	wantStatus(t, "ana's file", ana.Do("GET", pub+"/assets/"+f.images[0]+"/preview", nil, nil), 200, "")
	// Local storage without the cookie: the session header alone.
	stored := f.s.Client(t)
	stored.Header = http.Header{"Ferry-Session": {p.Session}}
	wantStatus(t, "session from local storage", stored.Do("GET", pub, nil, nil), 200, "")

	other := f.s.Client(t)
	wantStatus(t, "ana's link in another browser", other.Do("GET", pub+"?invite="+codes["ana@paper.example"], nil, nil), 403, "invitation_used")
	wantStatus(t, "its files", other.Do("GET", pub+"/assets/"+f.images[0]+"/preview", nil, nil), 403, "invitation_required")
	msgs = mp.WaitMessages(t, 1, 15*time.Second)
	fresh := mp.Message(t, msgs[0].ID)
	mm := inviteURL.FindStringSubmatch(fresh.Text)
	if fresh.To[0].Address != "ana@paper.example" || mm == nil || mm[2] == codes["ana@paper.example"] || !strings.Contains(fresh.Text, "another browser") {
		t.Fatalf("fresh invitation to %v:\n%s", fresh.To, fresh.Text)
	}
	wantStatus(t, "reused again", f.s.Client(t).Do("GET", pub+"?invite="+codes["ana@paper.example"], nil, nil), 403, "invitation_used")
	time.Sleep(500 * time.Millisecond)
	if n := len(mp.Messages(t)); n != 1 {
		t.Fatalf("%d mails after two reuses within %s, want 1", n, "5 minutes")
	}
	wantStatus(t, "the fresh link in a new browser", f.s.Client(t).Do("GET", pub+"?invite="+mm[2], nil, nil), 200, "")
	wantStatus(t, "ana's first browser still works", ana.Do("GET", pub, nil, nil), 200, "")

	var rec []struct {
		Email    string     `json:"email"`
		Company  string     `json:"company"`
		Note     string     `json:"note"`
		Bound    bool       `json:"bound"`
		Sends    int        `json:"sends"`
		OpenedAt *time.Time `json:"opened_at"`
	}
	f.admin.Do("GET", emails, nil, &rec)
	byMail := map[string]int{}
	for i, r := range rec {
		byMail[r.Email] = i
	}
	if len(rec) != 2 || !rec[byMail["ana@paper.example"]].Bound || rec[byMail["ana@paper.example"]].Sends != 2 ||
		rec[byMail["ben@radio.example"]].Bound || rec[byMail["ben@radio.example"]].OpenedAt != nil || rec[0].Company != "Paper" || rec[0].Note != "met at the fair" {
		t.Fatalf("recipients: %+v", rec)
	}

	// Once links.ReissueEvery has passed on the server's clock, a reuse
	// sends the recipient another fresh link.
	clk.Advance(links.ReissueEvery)
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
	member := newMember(t, f)
	var mine gateLink
	wantStatus(t, "member's link", member.Do("POST", "/api/v2/share_links", map[string]any{"asset_ids": f.images[:1], "require_registration": true}, &mine), 201, "")
	theirs := f.gateLink(t, map[string]any{"require_registration": true})
	var list []gateLink
	member.Do("GET", "/api/v2/share_links?view=sharing", nil, &list)
	if len(list) != 1 || list[0].ID != mine.ID {
		t.Fatalf("member's sharing view: %+v", list)
	}
	f.admin.Do("GET", "/api/v2/share_links?view=sharing", nil, &list)
	if len(list) != 2 {
		t.Fatalf("admin's sharing view: %d links", len(list))
	}
	wantStatus(t, "a member revokes the admin's link", member.Do("DELETE", "/api/v2/share_links/"+theirs.ID, nil, nil), 403, "")
	var out struct{ Revoked, Skipped int }
	wantStatus(t, "a member revokes all they asked for", member.Do("POST", "/api/v2/share_links/revoke", map[string]any{"ids": []string{theirs.ID}}, &out), 200, "")
	if out.Revoked != 0 || out.Skipped != 1 {
		t.Fatalf("member revoked another's link: %+v", out)
	}
	for _, l := range []gateLink{mine, theirs} {
		v := f.s.Client(t)
		v.Do("POST", "/api/v2/public/links/"+l.Key+"/register", map[string]any{"answers": map[string]string{"name": "Ann", "email": "ann@x.example"}}, nil)
		wantStatus(t, "view after registering", v.Do("GET", "/api/v2/public/links/"+l.Key, nil, nil), 200, "")
	}
	var got gateLink
	f.admin.Do("GET", "/api/v2/share_links/"+theirs.ID, nil, &got)
	if got.Registrations != 1 || got.Views == 0 {
		t.Fatalf("before revoking: %+v", got)
	}
	wantStatus(t, "empty revoke", f.admin.Do("POST", "/api/v2/share_links/revoke", map[string]any{"ids": []string{}}, nil), 400, "")
	wantStatus(t, "revoke all", f.admin.Do("POST", "/api/v2/share_links/revoke", map[string]any{"ids": []string{mine.ID, theirs.ID}}, &out), 200, "")
	if out.Revoked != 2 {
		t.Fatalf("revoke all: %+v", out)
	}
	for _, l := range []gateLink{mine, theirs} {
		res := f.s.Client(t).Do("GET", "/api/v2/public/links/"+l.Key, nil, nil)
		if res.StatusCode != 404 || !strings.Contains(body(res), "Share not found") {
			t.Fatalf("revoked link: %d %s", res.StatusCode, body(res))
		}
		wantStatus(t, "registrations of a revoked link", f.admin.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations", nil, nil), 404, "")
	}
	f.s.Stop()
	st, err := store.Open(filepath.Join(f.s.DataDir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(func(tx *store.Tx) error {
		for _, l := range []gateLink{mine, theirs} {
			for _, prefix := range []string{store.PrefixShareReg, store.PrefixShareLog, store.PrefixShareInvite, store.PrefixShareLink} {
				tx.ScanKeys(prefix+l.ID, func(k string) error { t.Errorf("left behind: %s", k); return nil })
			}
		}
		return nil
	})
}
