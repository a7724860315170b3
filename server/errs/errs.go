// Package errs holds the domain error kinds that every domain package
// returns and that server/api maps to HTTP statuses in one place.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a domain error.
type Kind int

// Kinds, each mapped to one HTTP status by server/api.
const (
	Internal Kind = iota
	Invalid
	Unauthorized
	Forbidden
	NotFound
	Conflict
	Gone
	TooLarge
	Locked
	Throttled
	Unsupported
	InsufficientStorage
	Unavailable   // not ready yet, or not possible now: try again (503)
	Unprocessable // well-formed but unusable, e.g. a selfie without a face (422)
)

// Error is a domain error with a stable code and a human detail.
type Error struct {
	Kind       Kind
	Code       string
	Detail     string
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Code + ": " + e.Detail }

// New makes an error of kind with code and a formatted detail.
func New(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Invalidf is a 400-class error naming what is wrong with the input.
func Invalidf(format string, args ...any) *Error {
	return New(Invalid, "invalid", format, args...)
}

// NotFoundf is a 404-class error.
func NotFoundf(format string, args ...any) *Error {
	return New(NotFound, "not_found", format, args...)
}

// Forbiddenf is a 403-class error.
func Forbiddenf(format string, args ...any) *Error {
	return New(Forbidden, "forbidden", format, args...)
}

// Conflictf is a 409-class error.
func Conflictf(format string, args ...any) *Error {
	return New(Conflict, "conflict", format, args...)
}

// As extracts an *Error from err.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is a domain error of kind.
func Is(err error, kind Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == kind
}
