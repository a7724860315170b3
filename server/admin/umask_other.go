//go:build !unix

package admin

// umask has no counterpart off unix: there the socket's access follows the
// data directory's ACL, and the Chmod after Listen is the only narrowing.
func umask(int) int { return 0 }
