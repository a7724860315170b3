// Package secure is the one place Ferry draws randomness and hashes secrets:
// link keys, tokens, passcodes, argon2id passwords and HMACs.
package secure

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Bytes returns n random bytes.
func Bytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // the OS RNG failing is not recoverable
	}
	return b
}

// Token returns a 256-bit random secret, URL-safe.
func Token() string { return base64.RawURLEncoding.EncodeToString(Bytes(32)) }

// Base62 returns n random base62 characters (link keys use 22).
func Base62(n int) string {
	var sb strings.Builder
	max := big.NewInt(int64(len(base62)))
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("crypto/rand: " + err.Error())
		}
		sb.WriteByte(base62[v.Int64()])
	}
	return sb.String()
}

// LinkKey returns a 22-character base62 link key.
func LinkKey() string { return Base62(22) }

// Digits returns n random decimal digits (upload passcodes use 6).
func Digits(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic("crypto/rand: " + err.Error())
		}
		sb.WriteByte(byte('0' + v.Int64()))
	}
	return sb.String()
}

// HashToken hashes a high-entropy secret for storage (sha256, hex).
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// HMAC returns hex HMAC-SHA256 of msg under key.
func HMAC(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Equal compares two strings in constant time.
func Equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// argon2id parameters: OWASP minimum (19 MiB, t=2, p=1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Each argon2id computation takes argonMemory (19 MiB) for its duration;
// hashSlots bounds how many run at once, so a crowd of logins queues
// instead of taking the server's memory (100 parallel logins once took it
// past 1.3 GB). This is a bound on one process-wide resource, hence a
// package variable.
var hashSlots = make(chan struct{}, min(max(runtime.GOMAXPROCS(0), 2), 4))

// hashWaiters counts callers of CheckPasswordLimited waiting for a slot.
var hashWaiters atomic.Int64

// Limits of CheckPasswordLimited's queue.
const (
	maxHashWaiters = 32
	maxHashWait    = 10 * time.Second
)

// ErrBusy says too many password checks are queued; try again shortly.
var ErrBusy = errors.New("too many password checks at once; try again in a few seconds")

// HashPassword returns a PHC-format argon2id hash.
func HashPassword(pw string) string {
	salt := Bytes(16)
	hashSlots <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashSlots
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether pw matches a hash from HashPassword,
// waiting as long as it takes for a hashing slot.
func CheckPassword(hash, pw string) (bool, error) {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return checkPassword(hash, pw)
}

// CheckPasswordLimited is CheckPassword for requests from the network: it
// answers ErrBusy at once when maxHashWaiters callers already wait for a
// slot, or when none comes free within maxHashWait.
func CheckPasswordLimited(hash, pw string) (bool, error) {
	select {
	case hashSlots <- struct{}{}:
	default:
		if hashWaiters.Add(1) > maxHashWaiters {
			hashWaiters.Add(-1)
			return false, ErrBusy
		}
		t := time.NewTimer(maxHashWait)
		select {
		case hashSlots <- struct{}{}:
			t.Stop()
			hashWaiters.Add(-1)
		case <-t.C:
			hashWaiters.Add(-1)
			return false, ErrBusy
		}
	}
	defer func() { <-hashSlots }()
	return checkPassword(hash, pw)
}

func checkPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, err
	}
	if m > 256*1024 || t > 16 || p > 16 {
		return false, errors.New("password hash parameters out of range")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
