//go:build !js

package testkit

import "os"

// Soak reports whether the long variants of the reliability tests should
// run (FERRY_SOAK=1, as make soak sets); make test runs the bounded ones.
func Soak() bool { return os.Getenv("FERRY_SOAK") == "1" }

// SoakScale returns soak under make soak and normal otherwise.
func SoakScale(normal, soak int) int {
	if Soak() {
		return soak
	}
	return normal
}
