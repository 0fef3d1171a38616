package supply

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in one currency, counted in the currency's minor unit
// (tiyn for KZT, cents for USD, yen for JPY), so sums are exact. The
// service never converts between currencies: amounts in two currencies are
// two amounts.
type Money struct {
	// Currency is the ISO 4217 code, e.g. "KZT".
	Currency string
	// Minor is the amount in minor units: KZT 12,000.50 is 1200050.
	Minor int64
}

// maxMoneyUnits bounds an amount in whole units (a trillion), far above any
// gift or purchase, so sums of many stay well inside int64 minor units.
const maxMoneyUnits = 1_000_000_000_000

// MinorDigits returns how many decimal places the currency's minor unit
// has: 2 for KZT and USD, 0 for JPY, 3 for KWD.
func MinorDigits(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// CheckCurrency reports whether code is an ISO 4217 currency a ledger can
// hold: three capital letters, known to the standard, and not one of its
// codes for "no currency" or tests.
func CheckCurrency(code string) error {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return fmt.Errorf("must be an ISO 4217 code of three capital letters such as KZT or USD (got %q)", truncate(code, 20))
	}
	if _, err := currency.ParseISO(code); err != nil || code == "XXX" || code == "XTS" {
		return fmt.Errorf("must be an ISO 4217 currency code such as KZT or USD (got %q)", code)
	}
	return nil
}

// pow10 returns 10^n for small n.
func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// MoneyFromParts reads an amount as google.type.Money carries it: whole
// units and nanos (billionths), both of one sign. It fails when the
// currency is unknown, the signs differ, or the nanos are finer than the
// currency's minor unit, so nothing is ever rounded.
func MoneyFromParts(code string, units int64, nanos int32) (Money, error) {
	if err := CheckCurrency(code); err != nil {
		return Money{}, fmt.Errorf("currency_code %w", err)
	}
	if nanos <= -1_000_000_000 || nanos >= 1_000_000_000 {
		return Money{}, fmt.Errorf("nanos must be between -999,999,999 and +999,999,999")
	}
	if (units > 0 && nanos < 0) || (units < 0 && nanos > 0) {
		return Money{}, fmt.Errorf("units and nanos must have the same sign")
	}
	if units > maxMoneyUnits || units < -maxMoneyUnits {
		return Money{}, fmt.Errorf("must be at most %s %s", code, groupDigits(strconv.FormatInt(maxMoneyUnits, 10)))
	}
	digits := MinorDigits(code)
	step := pow10(9 - digits)
	if int64(nanos)%step != 0 {
		return Money{}, fmt.Errorf("has more decimal places than %s has (%d)", code, digits)
	}
	return Money{Currency: code, Minor: units*pow10(digits) + int64(nanos)/step}, nil
}

// Parts returns the amount as google.type.Money carries it.
func (m Money) Parts() (units int64, nanos int32) {
	scale := pow10(MinorDigits(m.Currency))
	return m.Minor / scale, int32(m.Minor % scale * pow10(9-MinorDigits(m.Currency)))
}

// String formats the amount for people, e.g. "KZT 12,000.00".
func (m Money) String() string {
	digits := MinorDigits(m.Currency)
	minor := m.Minor
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	scale := pow10(digits)
	s := m.Currency + " " + sign + groupDigits(strconv.FormatInt(minor/scale, 10))
	if digits > 0 {
		s += fmt.Sprintf(".%0*d", digits, minor%scale)
	}
	return s
}

// groupDigits puts a comma between each group of three digits.
func groupDigits(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
