package linkui

import (
	"crypto/rand"
	"math/big"
	"strconv"
	"strings"
)

// OptionalLimit reads an optional whole number of the advanced options: blank is
// unlimited (nil).
func OptionalLimit(s, what string) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return nil, what + " must be a whole number above 0, or blank for no limit."
	}
	return &n, ""
}

// RandomPassword is 16 letters and digits, without look-alikes.
func RandomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail in the browser
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
