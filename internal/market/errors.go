package market

import (
	"errors"
	"fmt"
)

// Code is the machine-readable class of an error, exposed to API clients as
// extensions.code.
type Code string

// The error codes of the API (SPEC "API conventions").
const (
	CodeUnauthenticated      Code = "UNAUTHENTICATED"
	CodeForbidden            Code = "FORBIDDEN"
	CodeNotFound             Code = "NOT_FOUND"
	CodeValidationFailed     Code = "VALIDATION_FAILED"
	CodeInvalidState         Code = "INVALID_STATE"
	CodeEditWindowClosed     Code = "EDIT_WINDOW_CLOSED"
	CodeInsufficientConnects Code = "INSUFFICIENT_CONNECTS"
	CodeContactInfo          Code = "CONTACT_INFO_NOT_ALLOWED"
	CodeConflict             Code = "CONFLICT"
	CodeRateLimited          Code = "RATE_LIMITED"
	CodeUnavailable          Code = "UNAVAILABLE"
	CodeInternal             Code = "INTERNAL"
)

// ErrUnavailable marks an error of a dependency that is down (the
// database does not answer): the store wraps such errors with it, and the
// API answers UNAVAILABLE with Retry-After rather than INTERNAL.
var ErrUnavailable = errors.New("the database is unavailable")

// Error is the one error type of the application. Everything a client may
// see is in it: a code, a human message, and for validation errors the input
// field at fault. Any other error reaching the API is reported as INTERNAL.
type Error struct {
	Code    Code
	Message string
	// Field names the offending input field (dotted path, e.g. "input.terms.hourlyRate").
	Field string
	// Details carries extra machine-readable facts (e.g. what contact info was found).
	Details map[string]any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a VALIDATION_FAILED error for an input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeValidationFailed, Message: fmt.Sprintf(format, args...), Field: field}
}

// NotFound returns a NOT_FOUND error for a kind of thing ("invitation").
// It is also what a user gets for something that exists but is not theirs to
// see, so that ids cannot be probed.
func NotFound(what string) *Error {
	return Errorf(CodeNotFound, "%s not found", what)
}

// ErrorCode returns the code of err, or INTERNAL for errors not of this package.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsCode reports whether err is an *Error with the given code.
func IsCode(err error, code Code) bool { return err != nil && ErrorCode(err) == code }
