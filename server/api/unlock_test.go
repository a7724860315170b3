package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// Share and review links unlock through one path (links.Unlock): the
// same refusals for both kinds, as each kind of visitor meets them. A
// wrong password, the other kind's secret, another link's session and an
// expired link are refused; the right password sets the link's cookie
// and opens its files. (The throttle and the lock after 20 wrong
// passwords: TestLinkPasswordThrottleAndLock, for both kinds too.)
func TestPasswordUnlockRefusalsForEveryKind(t *testing.T) {
	clk := clock.New(time.Now())
	f := newShareFixtureAt(t, clk)
	soon := clk.Now().Add(time.Hour)
	review := func(name, password string, expires *time.Time) (key, id string) {
		t.Helper()
		in := model.ReviewLinkInput{Name: model.Ptr(name), Password: model.Ptr(password)}
		if expires != nil {
			in.ExpiresAt = model.Set(*expires)
		}
		var rl model.ReviewLink
		wantStatus(t, "review link "+name, f.admin.Do("POST", "/api/v2/projects/"+f.project+"/review_links", in, &rl), 201, "")
		wantStatus(t, "review items", f.admin.Do("POST", "/api/v2/review_links/"+rl.ID+"/assets", model.ReviewLinkAssets{AssetIDs: []string{f.images[0]}}, nil), 200, "")
		return rl.Key, rl.ID
	}
	share := func(name, password string, expires *time.Time) (key, id string) {
		t.Helper()
		in := model.NewShareLink{Kind: "public", Name: name, AssetIDs: []string{f.images[0]}, Password: password}
		if expires != nil {
			in.ExpiresAt = model.Set(*expires)
		}
		l := f.create(t, in)
		return l.Key, l.ID
	}
	for _, kind := range []struct {
		name   string
		create func(name, password string, expires *time.Time) (key, id string)
	}{{"share link", share}, {"review link", review}} {
		t.Run(kind.name, func(t *testing.T) {
			key, _ := kind.create("Expiring", "first-secret-1", &soon)
			other, _ := kind.create("Other", "other-secret-1", nil)
			unlockPath := "/api/v2/public/links/" + key + "/unlock"
			thumb := "/api/v2/public/links/" + key + "/assets/" + f.images[0] + "/thumb"

			anon := f.s.Client(t)
			wantStatus(t, "a file before the password", anon.Do("GET", thumb, nil, nil), 401, "password_required")
			wantStatus(t, "no password", anon.Do("POST", unlockPath, model.Unlock{}, nil), 400, "")
			wantStatus(t, "a wrong password", anon.Do("POST", unlockPath, model.Unlock{Password: "wrong-secret-1"}, nil), 401, "wrong_password")
			wantStatus(t, "a passcode instead of a password", anon.Do("POST", unlockPath, model.Unlock{Passcode: "123456"}, nil), 400, "invalid_json")
			wantStatus(t, "the other link's password", anon.Do("POST", unlockPath, model.Unlock{Password: "other-secret-1"}, nil), 401, "wrong_password")
			wantStatus(t, "a file after wrong passwords", anon.Do("GET", thumb, nil, nil), 401, "password_required")

			// Another link's session, as its cookie's value in the session
			// header, opens nothing here.
			otherVisitor := f.s.Client(t)
			wantStatus(t, "unlock the other link", otherVisitor.Do("POST", "/api/v2/public/links/"+other+"/unlock", model.Unlock{Password: "other-secret-1"}, nil), 200, "")
			borrowed := f.s.SessionClient(t, otherVisitor.LinkSession(other))
			wantStatus(t, "a file with another link's session", borrowed.Do("GET", thumb, nil, nil), 401, "password_required")

			// The right password: the link's own cookie, no caching, files.
			v := f.s.Client(t)
			res := v.Do("POST", unlockPath, model.Unlock{Password: "first-secret-1"}, nil)
			wantStatus(t, "the right password", res, 200, "")
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("unlock answer Cache-Control %q, want no-store", cc)
			}
			ck := res.Header.Get("Set-Cookie")
			if !strings.HasPrefix(ck, api.LinkCookie(key)+"=") || !strings.Contains(strings.ToLower(ck), "httponly") || !strings.Contains(strings.ToLower(ck), "samesite=lax") {
				t.Errorf("unlock cookie %q, want %s=…; HttpOnly; SameSite=Lax", ck, api.LinkCookie(key))
			}
			wantStatus(t, "a file after the password", v.Do("GET", thumb, nil, nil), 200, "")

			// Expired: the right password is refused, and so is the
			// visitor who unlocked before.
			clk.Set(soon)
			wantStatus(t, "the right password after expiry", f.s.Client(t).Do("POST", unlockPath, model.Unlock{Password: "first-secret-1"}, nil), 410, "link_expired")
			wantStatus(t, "the unlocked visitor after expiry", v.Do("GET", thumb, nil, nil), 410, "link_expired")
			wantStatus(t, "the other link still opens", otherVisitor.Do("GET", "/api/v2/public/links/"+other+"/assets/"+f.images[0]+"/thumb", nil, nil), 200, "")
			soon = soon.Add(2 * time.Hour) // the next kind's link expires later
		})
	}
}
