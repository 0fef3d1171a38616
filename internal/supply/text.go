package supply

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on free text, in characters. They keep one request readable on a
// phone and keep a hostile client from storing megabytes in a name.
const (
	maxNameLength  = 200
	maxShortText   = 500
	maxLongText    = 2000
	maxPhoneLength = 32
)

// checkText records a violation when value is not valid UTF-8, holds control
// characters (newlines and tabs are allowed where multiline), is longer than
// max characters, or is blank while required.
func checkText(v *Violations, field, label, value string, max int, required, multiline bool) {
	if !utf8.ValidString(value) {
		v.Add(field, "%s must be valid UTF-8 text", label)
		return
	}
	if required && strings.TrimSpace(value) == "" {
		v.Add(field, "%s is required", label)
		return
	}
	if n := utf8.RuneCountInString(value); n > max {
		v.Add(field, "%s must be at most %d characters (got %d)", label, max, n)
		return
	}
	for i, r := range []rune(value) {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			v.Add(field, "%s must not contain control characters", label)
			return
		}
		if invisible(r) {
			v.Add(field, "%s must not contain invisible or direction-changing characters (U+%04X at character %d)", label, r, i+1)
			return
		}
	}
}

// invisible reports whether r shows as nothing or turns the text around it
// (bidirectional overrides and isolates, zero-width spaces and joiners,
// byte order marks, soft hyphens, line and paragraph separators, Hangul
// fillers): such characters let one name pose as another on a board.
func invisible(r rune) bool {
	switch r {
	case '\u2028', '\u2029', '\u115f', '\u1160', '\u3164', '\uffa0':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// CheckName records a violation unless value is a name fit to show to
// others: given, at most 200 characters, without control, invisible or
// direction-changing characters. It serves names kept outside the domain,
// such as a token's.
func CheckName(v *Violations, field, value string) {
	checkText(v, field, field, value, maxNameLength, true, false)
}

// checkPhone records a violation unless value is empty or looks like a phone
// number: digits with optional +, spaces, dashes and parentheses.
func checkPhone(v *Violations, field, label, value string) {
	if value == "" {
		return
	}
	if len(value) > maxPhoneLength {
		v.Add(field, "%s must be at most %d characters", label, maxPhoneLength)
		return
	}
	digits := 0
	for i, r := range value {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			v.Add(field, "%s may hold only digits, spaces, dashes, parentheses and a leading +", label)
			return
		}
	}
	if digits < 5 {
		v.Add(field, "%s must have at least 5 digits", label)
	}
}

// LatLng is a point on the map in degrees (WGS84).
type LatLng struct {
	Latitude  float64
	Longitude float64
}

func checkLocation(v *Violations, field string, l *LatLng) {
	if l == nil {
		return
	}
	if math.IsNaN(l.Latitude) || l.Latitude < -90 || l.Latitude > 90 {
		v.Add(field+".latitude", "latitude must be between -90 and 90")
	}
	if math.IsNaN(l.Longitude) || l.Longitude < -180 || l.Longitude > 180 {
		v.Add(field+".longitude", "longitude must be between -180 and 180")
	}
}
