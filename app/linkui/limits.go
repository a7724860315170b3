package linkui

import (
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
