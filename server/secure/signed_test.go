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
