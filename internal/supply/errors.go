// Package supply holds Aq Júrek's domain: hospitals, wards, depots,
// volunteers and the delivery requests hospital staff file, with the rules
// that keep them valid. It knows nothing of SQL or gRPC; storage adapters
// implement its Store interfaces and the API layer translates its errors.
package supply

import (
	"fmt"
	"strings"
	"time"
)

// Code classifies a domain error; the API layer maps each to a status code.
type Code int

// The kinds of domain errors.
const (
	// Invalid: the input breaks a rule; Violations say which fields.
	Invalid Code = iota + 1
	// NotFound: the named resource does not exist (or is not visible).
	NotFound
	// AlreadyExists: a resource with that id exists.
	AlreadyExists
	// Aborted: a concurrent change won; the etag no longer matches.
	Aborted
	// FailedPrecondition: the resource is in a state that forbids the call.
	FailedPrecondition
	// PermissionDenied: the caller's role may not do this.
	PermissionDenied
	// Unavailable: the server cannot do it now; a retry later may succeed.
	Unavailable
	// Unauthenticated: the call does not say, or not credibly, who makes it.
	Unauthenticated
	// ResourceExhausted: the caller has used up its allowance of calls;
	// RetryAfter says when it has one again.
	ResourceExhausted
)

// Error is the error every domain rule and store returns for a failure the
// caller can act on. Anything else is an internal error.
type Error struct {
	Code       Code
	Message    string
	Violations []FieldViolation
	// RetryAfter, when not zero, is how long the caller should wait
	// before trying again.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the given code with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a NotFound error for the resource name.
func NotFoundf(name string) *Error {
	return Errorf(NotFound, "%s not found", name)
}

// FieldViolation names one field of the input and what is wrong with it.
type FieldViolation struct {
	// Field is the field's path in the request, in proto names, e.g.
	// "delivery_request.lines[1].quantity".
	Field string
	// Description says what is wrong, e.g. "quantity must be greater than 0 (line 2)".
	Description string
}

// Violations collects every problem with an input, so a caller hears of all
// of them at once. A field keeps only its first violation.
type Violations struct {
	prefix string
	list   []FieldViolation
	fields map[string]bool
}

// NewViolations returns a collector whose field paths start with prefix, the
// path of the resource in its request (e.g. "delivery_request").
func NewViolations(prefix string) *Violations {
	return &Violations{prefix: prefix}
}

// Add records that field is wrong. The description should name the field as
// a person would read it.
func (v *Violations) Add(field, format string, args ...any) {
	path := field
	if v.prefix != "" {
		path = v.prefix + "." + field
	}
	if v.fields[path] {
		return
	}
	if v.fields == nil {
		v.fields = map[string]bool{}
	}
	v.fields[path] = true
	v.list = append(v.list, FieldViolation{Field: path, Description: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a violation.
func (v *Violations) Has(field string) bool {
	path := field
	if v.prefix != "" {
		path = v.prefix + "." + field
	}
	return v.fields[path]
}

// Err returns nil when nothing was recorded, else an Invalid *Error whose
// message lists every violation.
func (v *Violations) Err() error {
	if len(v.list) == 0 {
		return nil
	}
	descriptions := make([]string, len(v.list))
	for i, f := range v.list {
		descriptions[i] = f.Description
	}
	return &Error{Code: Invalid, Message: strings.Join(descriptions, "; "), Violations: v.list}
}

// InvalidField returns an Invalid error for a single field whose path is
// already complete.
func InvalidField(field, format string, args ...any) *Error {
	v := NewViolations("")
	v.Add(field, format, args...)
	return v.Err().(*Error)
}
