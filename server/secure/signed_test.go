package secure

import (
	"errors"
	"net/url"
	"testing"
	"time"
)

// A signed URL grants exactly what it was made for: any other action,
// asset, part, signer, expiry or key fails, and the right one fails once
// it expires.
func TestSignedURL(t *testing.T) {
	key := Bytes(32)
	now := time.Unix(1_800_000_000, 0)
	s := Signed{Action: "download_original", AssetID: "a1", Part: 0, Signer: "u1", Expires: now.Add(time.Hour)}
	q, _ := url.ParseQuery(s.Query(key))
	if got, err := Verify(key, "download_original", "a1", 0, q, now); err != nil || got.Signer != "u1" {
		t.Fatalf("right URL: %+v %v", got, err)
	}
	with := func(k, v string) url.Values {
		c := url.Values{}
		for kk, vv := range q {
			c[kk] = append([]string{}, vv...)
		}
		c.Set(k, v)
		return c
	}
	for _, tt := range []struct {
		name          string
		key           []byte
		action, asset string
		part          int
		q             url.Values
		at            time.Time
		want          error
	}{
		{"other action", key, "upload_part", "a1", 0, q, now, ErrBadSignature},
		{"other asset", key, "download_original", "a2", 0, q, now, ErrBadSignature},
		{"other part", key, "download_original", "a1", 1, q, now, ErrBadSignature},
		{"other signer", key, "download_original", "a1", 0, with("signer", "u2"), now, ErrBadSignature},
		{"later expiry", key, "download_original", "a1", 0, with("expires", "1900000000"), now, ErrBadSignature},
		{"no signature", key, "download_original", "a1", 0, with("signature", ""), now, ErrBadSignature},
		{"bad expiry", key, "download_original", "a1", 0, with("expires", "soon"), now, ErrBadSignature},
		{"other key", Bytes(32), "download_original", "a1", 0, q, now, ErrBadSignature},
		{"expired", key, "download_original", "a1", 0, q, now.Add(time.Hour), ErrExpired},
	} {
		if _, err := Verify(tt.key, tt.action, tt.asset, tt.part, tt.q, tt.at); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestQueryIsURLEncoded: Query writes what url.Values.Encode writes, for
// signers with and without characters to escape, and verifies.
func TestQueryIsURLEncoded(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	for _, signer := range []string{"", "4b0c5a3e-8d8e-4c59-9f1e-2a6f1d7c9b10", "a b&c=d/é"} {
		sg := Signed{Action: "download_original", AssetID: "x", Signer: signer, Expires: time.Unix(1_900_000_000, 0)}
		q := url.Values{}
		q.Set("expires", "1900000000")
		if signer != "" {
			q.Set("signer", signer)
		}
		q.Set("signature", sg.mac(secret))
		if got := sg.Query(secret); got != q.Encode() {
			t.Errorf("signer %q: Query %q, url.Values %q", signer, got, q.Encode())
		}
		parsed, _ := url.ParseQuery(sg.Query(secret))
		if _, err := Verify(secret, sg.Action, sg.AssetID, 0, parsed, time.Unix(1_800_000_000, 0)); err != nil {
			t.Errorf("signer %q: %v", signer, err)
		}
	}
}
