package linkui

import (
	"testing"
	"time"
)

func TestProtectionExpiresAt(t *testing.T) {
	tomorrow := time.Now().AddDate(0, 0, 1)
	for _, tc := range []struct {
		name    string
		p       Protection
		set     bool   // an expiry goes to the API
		endDay  string // the day it ends on, when set
		problem bool
	}{
		{"off is null", Protection{ExpiresOn: "2000-01-01"}, false, "", false},
		{"a day ahead ends that night", Protection{Expires: true, ExpiresOn: tomorrow.Format("2006-01-02")}, true, tomorrow.Format("2006-01-02"), false},
		{"today still works", Protection{Expires: true, ExpiresOn: time.Now().Format("2006-01-02")}, true, time.Now().Format("2006-01-02"), false},
		{"no day picked", Protection{Expires: true}, false, "", true},
		{"not a day", Protection{Expires: true, ExpiresOn: "soon"}, false, "", true},
		{"a day gone by", Protection{Expires: true, ExpiresOn: "2000-01-01"}, false, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, msg := tc.p.ExpiresAt()
			if (msg != "") != tc.problem {
				t.Fatalf("message %q, want a problem: %v", msg, tc.problem)
			}
			if !at.Set {
				t.Fatalf("the expiry is always sent (null or a time), got unset")
			}
			if (at.Value != nil) != tc.set {
				t.Fatalf("expiry %v, want one: %v", at.Value, tc.set)
			}
			if tc.set {
				end := at.Value.Local()
				if end.Format("2006-01-02") != tc.endDay || end.Format("15:04:05") != "23:59:59" {
					t.Errorf("ends %v, want the last second of %s", end, tc.endDay)
				}
			}
		})
	}
}

func TestProtectionPasswordChange(t *testing.T) {
	for _, tc := range []struct {
		name            string
		p               Protection
		set             string // "" when none is sent
		remove, missing bool
	}{
		{"new link without a password", Protection{}, "", false, false},
		{"new link with a password", Protection{Password: true, NewPassword: "tide-pool-42"}, "tide-pool-42", false, false},
		{"new link, password on but blank", Protection{Password: true}, "", false, true},
		{"kept when left blank", Protection{Password: true, HasPassword: true}, "", false, false},
		{"replaced", Protection{Password: true, HasPassword: true, NewPassword: "new"}, "new", false, false},
		{"turned off removes it", Protection{HasPassword: true, NewPassword: "typed before"}, "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, remove, missing := tc.p.PasswordChange()
			got := ""
			if set != nil {
				got = *set
			}
			if got != tc.set || remove != tc.remove || missing != tc.missing {
				t.Errorf("got (%q, remove %v, missing %v), want (%q, %v, %v)", got, remove, missing, tc.set, tc.remove, tc.missing)
			}
		})
	}
}

func TestProtectionOf(t *testing.T) {
	at := time.Date(2030, 5, 17, 23, 59, 59, 0, time.Local)
	p := ProtectionOf("rl", &at, true)
	if !p.Expires || p.ExpiresOn != "2030-05-17" || !p.Password || !p.HasPassword || p.NewPassword != "" || p.Prefix != "rl" {
		t.Errorf("ProtectionOf = %+v", p)
	}
	if p := ProtectionOf("sl", nil, false); p.Expires || p.Password || p.HasPassword {
		t.Errorf("a link without expiry or password: %+v", p)
	}
}

func TestProjectOfAndScope(t *testing.T) {
	for path, want := range map[string]string{
		"/projects/p1/review-links": "p1",
		"/projects/p1/upload-links": "p1",
		"/links/review":             "",
		"/projects/p1":              "",
		"/projects":                 "",
	} {
		if got := ProjectOf(path); got != want {
			t.Errorf("ProjectOf(%q) = %q, want %q", path, got, want)
		}
	}
	var s Scope
	for _, step := range []struct {
		path    string
		fresh   bool
		project string
	}{
		{"/links/upload", true, ""}, // a new page starts
		{"/links/upload", false, ""},
		{"/projects/p1/upload-links", true, "p1"},
		{"/projects/p1/upload-links", false, "p1"},
		{"/projects/p2/upload-links", true, "p2"},
	} {
		if fresh := s.Nav(step.path); fresh != step.fresh || s.Project() != step.project {
			t.Errorf("Nav(%q) = %v with project %q, want %v and %q", step.path, fresh, s.Project(), step.fresh, step.project)
		}
	}
}

func TestExpiryLines(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	in3 := now.Add(3 * 24 * time.Hour)
	ago := now.Add(-2 * time.Hour)
	for _, tc := range []struct {
		at   *time.Time
		want string
	}{
		{nil, "Never expires"},
		{&in3, "Expires in 3 days"},
		{&ago, "Expired 2 hours ago"},
	} {
		if got := Expiry(tc.at, now); got != tc.want {
			t.Errorf("Expiry(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
	if got := ExpiryDate(nil, "No expiration date"); got != "No expiration date" {
		t.Errorf("ExpiryDate(nil) = %q", got)
	}
	if got := ExpiryDate(&in3, ""); got != in3.Local().Format("Mon 2 Jan 2006, 15:04") {
		t.Errorf("ExpiryDate = %q", got)
	}
}

func TestShortURLAndMatches(t *testing.T) {
	for in, want := range map[string]string{
		"https://ferry.example/s/Launch2025": "ferry.example/s/Launch2025",
		"http://127.0.0.1:8080/r/abc":        "127.0.0.1:8080/r/abc",
		"not a url":                          "not a url",
	} {
		if got := ShortURL(in); got != want {
			t.Errorf("ShortURL(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		q, text string
		want    bool
	}{
		{"", "anything", true},
		{"  ", "anything", true},
		{"harbour", "Harbour selects", true},
		{" SELECTS ", "Harbour selects", true},
		{"drone", "Harbour selects", false},
	} {
		if got := Matches(tc.q, tc.text); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.q, tc.text, got, tc.want)
		}
	}
}

func TestCreatedNote(t *testing.T) {
	at := time.Date(2026, 12, 21, 23, 59, 59, 0, time.Local)
	for _, tc := range []struct {
		pw   bool
		at   *time.Time
		want string
	}{
		{false, nil, "Anyone can see it."},
		{true, nil, "Anyone can see it. They need the password you set."},
		{true, &at, "Anyone can see it. They need the password you set. It works until 21 Dec 2026."},
	} {
		if got := CreatedNote("Anyone can see it.", tc.pw, tc.at); got != tc.want {
			t.Errorf("CreatedNote = %q, want %q", got, tc.want)
		}
	}
}
