package secure

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h := HashPassword("correct horse battery")
	ok, err := CheckPassword(h, "correct horse battery")
	if err != nil || !ok {
		t.Fatalf("right password: ok=%v err=%v", ok, err)
	}
	for _, wrong := range []string{"correct horse batterY", "", "correct horse battery "} {
		ok, err := CheckPassword(h, wrong)
		if err != nil || ok {
			t.Errorf("wrong password %q: ok=%v err=%v", wrong, ok, err)
		}
	}
	if h2 := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: no random salt")
	}
}

func TestPasswordHashFormat(t *testing.T) {
	h := HashPassword("pw")
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)
	m := re.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("hash %q is not PHC argon2id with m=19456,t=2,p=1", h)
	}
	salt, _ := base64.RawStdEncoding.DecodeString(m[1])
	key, _ := base64.RawStdEncoding.DecodeString(m[2])
	if len(salt) < 16 || len(key) < 32 {
		t.Fatalf("salt %d bytes, key %d bytes; want at least 16 and 32", len(salt), len(key))
	}
}

// CheckPassword reads the cost parameters from the hash (so hashes made with
// other costs keep working after the defaults change): the same salt and key
// under another cost must not match.
func TestCheckPasswordOtherParams(t *testing.T) {
	h := HashPassword("password")
	parts := strings.Split(h, "$")
	if len(parts) != 6 {
		t.Fatal(h)
	}
	parts[3] = "m=19456,t=3,p=1" // same salt and key, other cost: must not match
	ok, err := CheckPassword(strings.Join(parts, "$"), "password")
	if err != nil || ok {
		t.Fatalf("hash with altered parameters matched: ok=%v err=%v", ok, err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good := HashPassword("pw")
	parts := strings.Split(good, "$")
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"bad params", strings.Join([]string{"", parts[1], parts[2], "m=x,t=2,p=1", parts[4], parts[5]}, "$")},
		{"bad salt", strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$")},
		{"bad key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "!!!"}, "$")},
	}
	for _, tt := range tests {
		ok, err := CheckPassword(tt.hash, "pw")
		if err == nil || ok {
			t.Errorf("%s: ok=%v err=%v, want an error", tt.name, ok, err)
		}
	}
}

func TestLinkKey(t *testing.T) {
	re := regexp.MustCompile(`^[0-9A-Za-z]{22}$`)
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		k := LinkKey()
		if !re.MatchString(k) {
			t.Fatalf("LinkKey %q is not 22 base62 characters", k)
		}
		if seen[k] {
			t.Fatalf("LinkKey repeated %q", k)
		}
		seen[k] = true
	}
	// All 62 characters appear over enough keys (no bias to a subset).
	all := strings.Join(func() []string {
		var s []string
		for k := range seen {
			s = append(s, k)
		}
		return s
	}(), "")
	for _, c := range base62 {
		if !strings.ContainsRune(all, c) {
			t.Errorf("character %q never drawn in 2200", c)
		}
	}
}

func TestDigits(t *testing.T) {
	re := regexp.MustCompile(`^[0-9]{6}$`)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		d := Digits(6)
		if !re.MatchString(d) {
			t.Fatalf("Digits(6) = %q", d)
		}
		seen[d] = true
	}
	if len(seen) < 45 {
		t.Fatalf("only %d distinct passcodes in 50", len(seen))
	}
}

func TestTokenAndBytes(t *testing.T) {
	a, b := Token(), Token()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 {
		t.Fatalf("Token %q: %d bytes, err %v; want 256 bits URL-safe", a, len(raw), err)
	}
	if bytes.Equal(Bytes(32), Bytes(32)) {
		t.Fatal("Bytes repeated")
	}
}

func TestHMAC(t *testing.T) {
	// RFC 4231 test case 1.
	key := bytes.Repeat([]byte{0x0b}, 20)
	const want = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
	if got := HMAC(key, "Hi There"); got != want {
		t.Fatalf("HMAC = %s, want %s", got, want)
	}
	if HMAC(key, "123456") != HMAC(key, "123456") {
		t.Fatal("HMAC is not stable")
	}
	if HMAC(key, "123456") == HMAC([]byte("other key"), "123456") {
		t.Fatal("HMAC ignores the key")
	}
	if HMAC(key, "123456") == HMAC(key, "123457") {
		t.Fatal("HMAC ignores the message")
	}
}

func TestHashToken(t *testing.T) {
	// sha256("abc").
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("HashToken(abc) = %s", got)
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
		{"", "", true},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
