package secure

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Signed is what a signed URL grants: one action on one asset until one
// expiry. Part is the part index of an upload part (0 otherwise); Signer
// is the user whose rights the URL carries (checked again when used).
type Signed struct {
	Action  string
	AssetID string
	Part    int
	Signer  string
	Expires time.Time
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("the URL's signature is missing or wrong")
	ErrExpired      = errors.New("the URL has expired")
)

// signingKey derives the key of signed URLs from the server secret, so a
// signature never doubles as another HMAC made with the secret.
func signingKey(secret []byte) []byte {
	if k, ok := signingKeys.Load(string(secret)); ok {
		return k.([]byte)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("ferry signed URLs v1"))
	k := m.Sum(nil)
	signingKeys.Store(string(secret), k)
	return k
}

// signingKeys remembers the key derived from each server secret (a
// process has one): a listing signs a URL per file.
var signingKeys sync.Map

func (s Signed) message() string {
	return strings.Join([]string{s.Action, s.AssetID, strconv.Itoa(s.Part), s.Signer,
		strconv.FormatInt(s.Expires.Unix(), 10)}, "\n")
}

func (s Signed) mac(secret []byte) string {
	m := hmac.New(sha256.New, signingKey(secret))
	m.Write([]byte(s.message()))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Query is the query string that carries s: expiry, signer and signature.
// The action, asset and part are in the URL's path.
func (s Signed) Query(secret []byte) string {
	// As url.Values.Encode would write it (keys in order), without its map
	// and sort: a listing signs a URL per file.
	q := "expires=" + strconv.FormatInt(s.Expires.Unix(), 10) + "&signature=" + url.QueryEscape(s.mac(secret))
	if s.Signer != "" {
		q += "&signer=" + url.QueryEscape(s.Signer)
	}
	return q
}

// Verify checks the query q of a URL whose path named action, asset and
// part, and returns what it grants. A wrong signature (another asset,
// part, action, signer or expiry) is ErrBadSignature; a right one past its
// expiry at now is ErrExpired.
func Verify(secret []byte, action, assetID string, part int, q url.Values, now time.Time) (Signed, error) {
	exp, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if err != nil {
		return Signed{}, ErrBadSignature
	}
	s := Signed{Action: action, AssetID: assetID, Part: part, Signer: q.Get("signer"), Expires: time.Unix(exp, 0)}
	if !hmac.Equal([]byte(s.mac(secret)), []byte(q.Get("signature"))) {
		return Signed{}, ErrBadSignature
	}
	if !now.Before(s.Expires) {
		return Signed{}, ErrExpired
	}
	return s, nil
}
