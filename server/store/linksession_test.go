package store

import (
	"testing"
	"time"
)

func TestLinkSessionTTL(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	for _, tc := range []struct {
		name    string
		expires *time.Time
		want    time.Duration
	}{
		{"no expiry", nil, 30 * 24 * time.Hour},
		{"expires after 30 days", at(60 * 24 * time.Hour), 30 * 24 * time.Hour},
		{"expires at 30 days", at(30 * 24 * time.Hour), 30 * 24 * time.Hour},
		{"expires in 2 days", at(48 * time.Hour), 49 * time.Hour},
		{"expires in a minute", at(time.Minute), time.Hour + time.Minute},
	} {
		if got := linkSessionTTL(tc.expires, now); got != tc.want {
			t.Errorf("%s: ttl = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestLinkSession(t *testing.T) {
	s := open(t, t.TempDir())
	now := time.Now()
	expires := now.Add(48 * time.Hour)
	if err := s.Update(func(tx *Tx) error { return tx.PutLinkSession("s3cret", record{Name: "visitor"}, &expires, now) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(func(tx *Tx) error {
		for _, secret := range []string{"", "other"} {
			var r record
			if tx.GetLinkSession(secret, &r) {
				t.Errorf("GetLinkSession(%q) found %+v", secret, r)
			}
		}
		var r record
		if !tx.GetLinkSession("s3cret", &r) || r.Name != "visitor" {
			t.Errorf("GetLinkSession = %+v, want the visitor's session", r)
		}
		// Stored under the secret's hash, never the secret, expiring an hour after the link.
		if ok, _ := tx.Has(PrefixLinkSession + "s3cret"); ok {
			t.Error("the session is stored under its secret")
		}
		n, err := tx.Count(PrefixLinkSession)
		if err != nil || n != 1 {
			t.Fatalf("%d sessions (%v), want 1", n, err)
		}
		return tx.ScanKeys(PrefixLinkSession, func(k string) error {
			item, err := tx.txn.Get([]byte(k))
			if err != nil {
				return err
			}
			if got, want := int64(item.ExpiresAt()), expires.Add(time.Hour).Unix(); got < want-5 || got > want+5 {
				t.Errorf("session expires at %d, want %d", got, want)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
