package auth

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

const (
	maxFailures = 3
	lockWindow  = time.Minute
	sessionTTL  = time.Hour
)

func newService(t *testing.T) (*Service, *clock.Clock) {
	t.Helper()
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	th := NewThrottle(maxFailures, lockWindow)
	th.Now = clk.Now
	return &Service{Store: st, Now: clk.Now, SessionTTL: sessionTTL, Throttle: th}, clk
}

func mustCreate(t *testing.T, s *Service, email, role, pw string) User {
	t.Helper()
	u, err := s.CreateUser(NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: pw})
	if err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	return u
}

// wantErr checks err is a domain error of kind (and code, if given).
func wantErr(t *testing.T, what string, err error, kind errs.Kind, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("%s: err = %v, want a domain error of kind %d", what, err, kind)
	}
	if e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("%s: err = kind %d code %q (%v), want kind %d code %q", what, e.Kind, e.Code, e, kind, code)
	}
}

func TestCreateUser(t *testing.T) {
	s, clk := newService(t)
	u, err := s.CreateUser(NewUser{Email: "  Alice@Example.COM ", Name: " Alice Liddell ", Password: "long enough"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "alice@example.com" {
		t.Errorf("email = %q, want trimmed and lower-cased", u.Email)
	}
	if u.Name != "Alice Liddell" {
		t.Errorf("name = %q, want trimmed", u.Name)
	}
	if u.Role != RoleMember {
		t.Errorf("role = %q, want member by default", u.Role)
	}
	if u.ID == "" || !u.InsertedAt.Equal(clk.Now()) || !u.UpdatedAt.Equal(clk.Now()) {
		t.Errorf("id=%q inserted_at=%v updated_at=%v", u.ID, u.InsertedAt, u.UpdatedAt)
	}
	got, err := s.UserByEmail("ALICE@example.com")
	if err != nil || got.ID != u.ID {
		t.Fatalf("UserByEmail: %+v, %v", got, err)
	}
	if got, err := s.GetUser(u.ID); err != nil || got.Email != u.Email {
		t.Fatalf("GetUser: %+v, %v", got, err)
	}
	_, err = s.GetUser("no-such-id")
	wantErr(t, "GetUser of unknown id", err, errs.NotFound, "")
	_, err = s.UserByEmail("nobody@example.com")
	wantErr(t, "UserByEmail of unknown email", err, errs.NotFound, "")

	bad := []struct {
		name string
		in   NewUser
		kind errs.Kind
		code string
	}{
		{"duplicate email", NewUser{Email: "alice@example.com", Name: "A2", Password: "long enough"}, errs.Conflict, "email_taken"},
		{"duplicate email other case", NewUser{Email: "ALICE@EXAMPLE.COM", Name: "A3", Password: "long enough"}, errs.Conflict, "email_taken"},
		{"no at sign", NewUser{Email: "alice.example.com", Name: "A", Password: "long enough"}, errs.Invalid, ""},
		{"display-name form", NewUser{Email: "Bob <bob@example.com>", Name: "B", Password: "long enough"}, errs.Invalid, ""},
		{"empty email", NewUser{Email: "", Name: "B", Password: "long enough"}, errs.Invalid, ""},
		{"short password", NewUser{Email: "bob@example.com", Name: "B", Password: "7 chars"}, errs.Invalid, ""},
		{"huge password", NewUser{Email: "bob@example.com", Name: "B", Password: strings.Repeat("p", 1025)}, errs.Invalid, ""},
		{"bad role", NewUser{Email: "bob@example.com", Name: "B", Role: "owner", Password: "long enough"}, errs.Invalid, ""},
		{"empty name", NewUser{Email: "bob@example.com", Name: "   ", Password: "long enough"}, errs.Invalid, ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateUser(tt.in)
			wantErr(t, tt.name, err, tt.kind, tt.code)
		})
	}
	if n, err := s.CountUsers(); err != nil || n != 1 {
		t.Fatalf("CountUsers = %d, %v; refused users must not be stored", n, err)
	}
	if _, err := s.UserByEmail("bob@example.com"); err == nil {
		t.Fatal("a refused user is findable by email")
	}
}

func TestListUsersSortedByName(t *testing.T) {
	s, _ := newService(t)
	for _, e := range []string{"carol@example.com", "alice@example.com", "Bob@example.com"} {
		mustCreate(t, s, e, RoleMember, "long enough")
	}
	us, err := s.ListUsers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	if got := strings.Join(names, ","); got != "alice,Bob,carol" {
		t.Fatalf("ListUsers names = %s, want alice,Bob,carol", got)
	}
}

func TestLogin(t *testing.T) {
	s, clk := newService(t)
	u := mustCreate(t, s, "alice@example.com", RoleMember, "long enough")

	got, secret, err := s.Login(" ALICE@example.com ", "long enough", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || secret == "" {
		t.Fatalf("Login = %+v, %q", got, secret)
	}
	if got.LastLoginAt == nil || !got.LastLoginAt.Equal(clk.Now()) {
		t.Errorf("last_login_at = %v, want %v", got.LastLoginAt, clk.Now())
	}
	if stored, _ := s.GetUser(u.ID); stored.LastLoginAt == nil {
		t.Error("last_login_at not stored")
	}
	if su, err := s.SessionUser(secret); err != nil || su.ID != u.ID {
		t.Fatalf("SessionUser of the new session: %+v, %v", su, err)
	}

	bad := []struct{ name, email, pw string }{
		{"wrong password", "alice@example.com", "long enougH"},
		{"unknown email", "nobody@example.com", "long enough"},
	}
	for _, tt := range bad {
		_, secret, err := s.Login(tt.email, tt.pw, "10.0.0.2")
		wantErr(t, tt.name, err, errs.Unauthorized, "invalid_credentials")
		if secret != "" {
			t.Errorf("%s: got a session", tt.name)
		}
	}
}

func TestLoginThrottledPerAccount(t *testing.T) {
	s, clk := newService(t)
	mustCreate(t, s, "alice@example.com", RoleMember, "long enough")
	// Alice logged in from home before.
	if _, _, err := s.Login("alice@example.com", "long enough", "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	// From one address, maxFailures wrong passwords lock that address out
	// of this account, and only that.
	for i := 0; i < maxFailures; i++ {
		_, _, err := s.Login("alice@example.com", "wrong password", "10.0.0.1")
		wantErr(t, "wrong password", err, errs.Unauthorized, "invalid_credentials")
	}
	_, _, err := s.Login("alice@example.com", "long enough", "10.0.0.1")
	wantErr(t, "right password from the guessing address", err, errs.Throttled, "too_many_attempts")
	e, _ := errs.As(err)
	if e.RetryAfter <= 0 || e.RetryAfter > lockWindow {
		t.Fatalf("RetryAfter = %v, want in (0, %v]", e.RetryAfter, lockWindow)
	}
	// Guesses spread over many addresses (with those above, 4 × the limit)
	// lock the account for addresses that never logged into it ...
	for i := 0; i < 3*maxFailures; i++ {
		_, _, err := s.Login("alice@example.com", "wrong password", fmt.Sprintf("10.1.0.%d", i+1))
		wantErr(t, "wrong password", err, errs.Unauthorized, "invalid_credentials")
	}
	_, _, err = s.Login("Alice@example.com", "long enough", "10.0.1.1")
	wantErr(t, "right password from a new address on a locked account", err, errs.Throttled, "too_many_attempts")
	// ... but not for Alice at home, who proved herself there before.
	if _, _, err := s.Login("alice@example.com", "long enough", "192.0.2.7"); err != nil {
		t.Fatalf("known address during an account-wide lock: %v", err)
	}
	// Another account from the same addresses is not locked.
	mustCreate(t, s, "bob@example.com", RoleMember, "long enough")
	if _, _, err := s.Login("bob@example.com", "long enough", "10.0.1.1"); err != nil {
		t.Fatalf("other account: %v", err)
	}
	clk.Advance(lockWindow + time.Second)
	if _, _, err := s.Login("alice@example.com", "long enough", "10.0.1.1"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	s, clk := newService(t)
	mustCreate(t, s, "alice@example.com", RoleMember, "long enough")
	// A spray over many accounts from one address locks the address.
	for i := 0; i < 4*maxFailures; i++ {
		_, _, err := s.Login(fmt.Sprintf("guess%d@example.com", i), "password1", "203.0.113.9")
		wantErr(t, "unknown account", err, errs.Unauthorized, "invalid_credentials")
	}
	_, _, err := s.Login("alice@example.com", "long enough", "203.0.113.9")
	wantErr(t, "locked address", err, errs.Throttled, "too_many_attempts")
	if e, _ := errs.As(err); e.RetryAfter <= 0 {
		t.Fatalf("RetryAfter = %v", e.RetryAfter)
	}
	if _, _, err := s.Login("alice@example.com", "long enough", "198.51.100.1"); err != nil {
		t.Fatalf("same account from another address: %v", err)
	}
	clk.Advance(lockWindow + time.Second)
	if _, _, err := s.Login("alice@example.com", "long enough", "203.0.113.9"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

// Parallel wrong passwords from one address: the throttle is decided
// before the hash, so only maxFailures are ever checked.
func TestLoginThrottleIsAtomic(t *testing.T) {
	s, _ := newService(t)
	mustCreate(t, s, "alice@example.com", RoleMember, "long enough")
	var wg sync.WaitGroup
	var checked, throttled atomic.Int32
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.Login("alice@example.com", "wrong password", "10.9.9.9")
			switch e, _ := errs.As(err); e.Code {
			case "invalid_credentials":
				checked.Add(1)
			case "too_many_attempts":
				throttled.Add(1)
			default:
				t.Errorf("unexpected answer %v", err)
			}
		}()
	}
	wg.Wait()
	if checked.Load() != maxFailures || throttled.Load() != 40-maxFailures {
		t.Fatalf("40 parallel wrong passwords: %d checked, %d throttled; want %d checked", checked.Load(), throttled.Load(), maxFailures)
	}
}

func TestThrottle(t *testing.T) {
	clk := clock.New(time.Unix(1_000_000, 0))
	th := NewThrottle(2, time.Minute)
	th.Now = clk.Now
	if w := th.Wait("k"); w != 0 {
		t.Fatalf("fresh Wait = %v", w)
	}
	th.Fail("k")
	if w := th.Wait("k"); w != 0 {
		t.Fatalf("Wait after 1 of 2 failures = %v", w)
	}
	th.Fail("k")
	if w := th.Wait("k"); w != time.Minute {
		t.Fatalf("Wait after 2 failures = %v, want 1m", w)
	}
	if w := th.Wait("other", "k"); w != time.Minute {
		t.Fatalf("Wait over several keys = %v, want the longest", w)
	}
	if w := th.Wait("other"); w != 0 {
		t.Fatalf("other key Wait = %v", w)
	}
	clk.Advance(20 * time.Second)
	if w := th.Wait("k"); w != 40*time.Second {
		t.Fatalf("Wait 20s later = %v, want 40s", w)
	}
	th.Reset("k")
	if w := th.Wait("k"); w != 0 {
		t.Fatalf("Wait after Reset = %v", w)
	}

	// Failures spread wider than the window do not add up.
	th.Fail("slow")
	clk.Advance(2 * time.Minute)
	th.Fail("slow")
	if w := th.Wait("slow"); w != 0 {
		t.Fatalf("failures outside the window locked: %v", w)
	}
}

func TestSessionExpiry(t *testing.T) {
	s, clk := newService(t)
	u := mustCreate(t, s, "alice@example.com", RoleMember, "long enough")
	secret, err := s.CreateSession(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, u.ID+".") || len(secret) < len(u.ID)+1+43 {
		t.Fatalf("session secret %q: want user id, '.', 256-bit secret", secret)
	}
	clk.Advance(sessionTTL - time.Second)
	if _, err := s.SessionUser(secret); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	clk.Advance(time.Second)
	_, err = s.SessionUser(secret)
	wantErr(t, "at expiry", err, errs.Unauthorized, "session_expired")
}

func TestSessionSecretsChecked(t *testing.T) {
	s, _ := newService(t)
	alice := mustCreate(t, s, "alice@example.com", RoleMember, "long enough")
	bob := mustCreate(t, s, "bob@example.com", RoleMember, "long enough")
	secret, err := s.CreateSession(alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, raw, _ := strings.Cut(secret, ".")
	bad := []string{
		"",
		"garbage",
		alice.ID + ".",
		alice.ID + "." + raw + "x",
		bob.ID + "." + raw,     // alice's secret under bob's id
		alice.ID + "/x." + raw, // no key injection
		"../" + alice.ID + "." + raw,
	}
	for _, b := range bad {
		_, err := s.SessionUser(b)
		wantErr(t, "session "+b, err, errs.Unauthorized, "")
	}
	// The stored key holds only the hash of the secret.
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.ScanKeys(store.PrefixSession, func(k string) error {
			if strings.Contains(k, raw) {
				t.Errorf("session key %q holds the raw secret", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := s.DeleteSession(secret); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionUser(secret)
	wantErr(t, "after logout", err, errs.Unauthorized, "unauthorized")
}

func TestDisabledUser(t *testing.T) {
	s, _ := newService(t)
	mustCreate(t, s, "admin@example.com", RoleAdmin, "long enough")
	m := mustCreate(t, s, "member@example.com", RoleMember, "member password")
	_, session, err := s.Login("member@example.com", "member password", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := s.CreateToken(m.ID, "cli", []string{"projects.read"})
	if err != nil {
		t.Fatal(err)
	}

	yes := true
	u, err := s.UpdateUser(m.ID, UserPatch{Disabled: &yes})
	if err != nil || !u.Disabled {
		t.Fatalf("disabling: %+v, %v", u, err)
	}
	if _, err := s.SessionUser(session); err == nil {
		t.Fatal("a disabled user's session still works")
	}
	_, _, err = s.TokenUser(token)
	wantErr(t, "token of a disabled user", err, errs.Unauthorized, "user_disabled")
	_, _, err = s.Login("member@example.com", "member password", "10.0.0.1")
	wantErr(t, "disabled login", err, errs.Forbidden, "user_disabled")

	// A session created some other way (e.g. one that raced the disable) is refused too.
	raced, err := s.CreateSession(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionUser(raced)
	wantErr(t, "raced session", err, errs.Unauthorized, "user_disabled")

	no := false
	if _, err := s.UpdateUser(m.ID, UserPatch{Disabled: &no}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login("member@example.com", "member password", "10.0.0.1"); err != nil {
		t.Fatalf("re-enabled login: %v", err)
	}
	if _, _, err := s.TokenUser(token); err != nil {
		t.Fatalf("re-enabled token: %v", err)
	}
}

func TestPasswordResetEndsSessions(t *testing.T) {
	s, _ := newService(t)
	u := mustCreate(t, s, "alice@example.com", RoleMember, "old password")
	one, _ := s.CreateSession(u.ID)
	two, _ := s.CreateSession(u.ID)

	short := "short"
	_, err := s.UpdateUser(u.ID, UserPatch{Password: &short})
	wantErr(t, "short new password", err, errs.Invalid, "")
	if _, err := s.SessionUser(one); err != nil {
		t.Fatalf("a refused reset ended sessions: %v", err)
	}

	pw := "new password"
	if _, err := s.UpdateUser(u.ID, UserPatch{Password: &pw}); err != nil {
		t.Fatal(err)
	}
	for _, sess := range []string{one, two} {
		if _, err := s.SessionUser(sess); err == nil {
			t.Fatal("a session survived the password reset")
		}
	}
	_, _, err = s.Login("alice@example.com", "old password", "10.0.0.1")
	wantErr(t, "old password", err, errs.Unauthorized, "invalid_credentials")
	if _, _, err := s.Login("alice@example.com", "new password", "10.0.0.1"); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestUpdateUser(t *testing.T) {
	s, clk := newService(t)
	mustCreate(t, s, "admin@example.com", RoleAdmin, "long enough")
	m := mustCreate(t, s, "member@example.com", RoleMember, "long enough")
	clk.Advance(time.Minute)
	name, role := " New Name ", RoleAdmin
	u, err := s.UpdateUser(m.ID, UserPatch{Name: &name, Role: &role})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "New Name" || u.Role != RoleAdmin || !u.UpdatedAt.Equal(clk.Now()) || u.Email != "member@example.com" {
		t.Fatalf("updated user = %+v", u)
	}
	bad := []struct {
		name string
		p    UserPatch
	}{
		{"bad role", UserPatch{Role: ptr("root")}},
		{"empty name", UserPatch{Name: ptr("")}},
	}
	for _, tt := range bad {
		_, err := s.UpdateUser(m.ID, tt.p)
		wantErr(t, tt.name, err, errs.Invalid, "")
	}
	_, err = s.UpdateUser("no-such-id", UserPatch{Name: &name})
	wantErr(t, "unknown user", err, errs.NotFound, "")
}

func ptr[T any](v T) *T { return &v }

func TestLastActiveAdminStays(t *testing.T) {
	s, _ := newService(t)
	a := mustCreate(t, s, "a@example.com", RoleAdmin, "long enough")
	member := RoleMember
	yes := true

	_, err := s.UpdateUser(a.ID, UserPatch{Role: &member})
	wantErr(t, "demote the only admin", err, errs.Conflict, "")
	_, err = s.UpdateUser(a.ID, UserPatch{Disabled: &yes})
	wantErr(t, "disable the only admin", err, errs.Conflict, "")
	if u, _ := s.GetUser(a.ID); u.Role != RoleAdmin || u.Disabled {
		t.Fatalf("refused change was stored: %+v", u)
	}

	// A disabled second admin does not count.
	b := mustCreate(t, s, "b@example.com", RoleAdmin, "long enough")
	if _, err := s.UpdateUser(b.ID, UserPatch{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateUser(a.ID, UserPatch{Role: &member})
	wantErr(t, "demote with only a disabled other admin", err, errs.Conflict, "")

	// With another active admin, demoting works; then that one is the last.
	no := false
	if _, err := s.UpdateUser(b.ID, UserPatch{Disabled: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(a.ID, UserPatch{Role: &member}); err != nil {
		t.Fatalf("demote with another admin: %v", err)
	}
	_, err = s.UpdateUser(b.ID, UserPatch{Disabled: &yes})
	wantErr(t, "disable the new last admin", err, errs.Conflict, "")
}

// The last-admin rule guards admins only: members stay editable even when
// no active admin exists (e.g. members added with the CLI before any admin).
func TestMembersEditableWithoutAdmin(t *testing.T) {
	s, _ := newService(t)
	m := mustCreate(t, s, "member@example.com", RoleMember, "long enough")
	yes := true
	if _, err := s.UpdateUser(m.ID, UserPatch{Name: ptr("Renamed")}); err != nil {
		t.Fatalf("rename a member with no admin around: %v", err)
	}
	if _, err := s.UpdateUser(m.ID, UserPatch{Disabled: &yes}); err != nil {
		t.Fatalf("disable a member with no admin around: %v", err)
	}
	// Promoting the member is how such a site gets its admin back.
	if u, err := s.UpdateUser(m.ID, UserPatch{Role: ptr(RoleAdmin), Disabled: ptr(false)}); err != nil || !u.IsAdmin() {
		t.Fatalf("promote: %+v, %v", u, err)
	}
}

func TestTokens(t *testing.T) {
	s, _ := newService(t)
	alice := mustCreate(t, s, "alice@example.com", RoleAdmin, "long enough")
	bob := mustCreate(t, s, "bob@example.com", RoleMember, "long enough")

	tok, secret, err := s.CreateToken(alice.ID, " ci ", []string{"users.read", "projects.read", " projects.read"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "fy_") || len(secret) < 3+43 {
		t.Fatalf("secret %q: want fy_ and 256 random bits", secret)
	}
	if tok.Name != "ci" || strings.Join(tok.Scopes, ",") != "projects.read,users.read" || tok.UserID != alice.ID {
		t.Fatalf("token = %+v, want name trimmed and scopes sorted, deduplicated", tok)
	}
	if tok.Prefix != secret[:7] {
		t.Fatalf("prefix = %q, want the first 7 characters of the secret", tok.Prefix)
	}
	// Only a hash of the secret is stored.
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan("", func(k string, v []byte) error {
			if strings.Contains(k, secret[3:]) || strings.Contains(string(v), secret[3:]) {
				t.Errorf("the raw secret is stored at %s", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}

	u, got, err := s.TokenUser(secret)
	if err != nil || u.ID != alice.ID || got.ID != tok.ID {
		t.Fatalf("TokenUser = %+v %+v %v", u, got, err)
	}
	for _, bad := range []string{"", "fy_", "fy_nope", secret + "x", strings.TrimPrefix(secret, "fy_")} {
		_, _, err := s.TokenUser(bad)
		wantErr(t, "TokenUser("+bad+")", err, errs.Unauthorized, "")
	}

	badCreates := []struct {
		name   string
		user   string
		tname  string
		scopes []string
		kind   errs.Kind
	}{
		{"unknown scope", alice.ID, "x", []string{"projects.read", "projects.write"}, errs.Invalid},
		{"unknown resource", alice.ID, "x", []string{"billing.read"}, errs.Invalid},
		{"no scopes", alice.ID, "x", nil, errs.Invalid},
		{"empty name", alice.ID, " ", []string{"projects.read"}, errs.Invalid},
		{"long name", alice.ID, strings.Repeat("n", 101), []string{"projects.read"}, errs.Invalid},
		{"unknown user", "no-such-user", "x", []string{"projects.read"}, errs.NotFound},
	}
	for _, tt := range badCreates {
		_, _, err := s.CreateToken(tt.user, tt.tname, tt.scopes)
		wantErr(t, tt.name, err, tt.kind, "")
	}

	bobTok, bobSecret, err := s.CreateToken(bob.ID, "bob's", []string{"assets.read"})
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := s.CreateToken(alice.ID, "second", []string{"settings.update"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListTokens(alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, l := range list {
		ids[l.ID] = true
		if l.UserID != alice.ID {
			t.Errorf("alice's list holds %s of user %s", l.ID, l.UserID)
		}
	}
	if len(list) != 2 || !ids[tok.ID] || !ids[second.ID] {
		t.Fatalf("alice's tokens = %+v, want %s and %s", list, tok.ID, second.ID)
	}
	if list, _ := s.ListTokens(bob.ID); len(list) != 1 || list[0].ID != bobTok.ID {
		t.Fatalf("bob's tokens = %+v", list)
	}

	// One user cannot revoke another's token.
	err = s.DeleteToken(alice.ID, bobTok.ID)
	wantErr(t, "revoke someone else's token", err, errs.NotFound, "")
	if _, _, err := s.TokenUser(bobSecret); err != nil {
		t.Fatalf("bob's token after alice's refused revoke: %v", err)
	}

	if err := s.DeleteToken(alice.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.TokenUser(secret)
	wantErr(t, "revoked token", err, errs.Unauthorized, "")
	err = s.DeleteToken(alice.ID, tok.ID)
	wantErr(t, "revoke twice", err, errs.NotFound, "")
	if list, _ := s.ListTokens(alice.ID); len(list) != 1 || list[0].ID != second.ID {
		t.Fatalf("alice's tokens after revoke = %+v", list)
	}
	// No index entry is left behind.
	err = s.Store.View(func(tx *store.Tx) error {
		n, err := tx.Count(store.PrefixTokenHash)
		if err == nil && n != 2 {
			return fmt.Errorf("token hash index has %d entries, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestScopes(t *testing.T) {
	all := AllScopes()
	if len(all) != len(Resources)*len(Actions) {
		t.Fatalf("%d scopes", len(all))
	}
	tests := []struct {
		scope string
		want  bool
	}{
		{"projects.read", true},
		{"users.read", true},
		{"upload_links.delete", true},
		{"settings.update", true},
		{"projects.write", false},
		{"projects", false},
		{"Projects.read", false},
		{"", false},
		{"projects.read.extra", false},
	}
	for _, tt := range tests {
		if got := ValidScope(tt.scope); got != tt.want {
			t.Errorf("ValidScope(%q) = %v", tt.scope, got)
		}
	}
}
