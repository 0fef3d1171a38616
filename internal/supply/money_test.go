package supply

import "testing"

func TestMoneyIsExactToTheMinorUnit(t *testing.T) {
	for _, c := range []struct {
		code   string
		units  int64
		nanos  int32
		minor  int64
		format string
	}{
		{"KZT", 12000, 500000000, 1200050, "KZT 12,000.50"},
		{"USD", 0, 10000000, 1, "USD 0.01"},
		{"JPY", 1500, 0, 1500, "JPY 1,500"},
		{"KWD", 2, 5000000, 2005, "KWD 2.005"},
		{"KZT", -50000, -500000000, -5000050, "KZT -50,000.50"},
	} {
		m, err := MoneyFromParts(c.code, c.units, c.nanos)
		if err != nil || m.Minor != c.minor || m.String() != c.format {
			t.Errorf("%s %d %d = %v (%s), %v; want %d (%s)", c.code, c.units, c.nanos, m.Minor, m, err, c.minor, c.format)
			continue
		}
		if units, nanos := m.Parts(); units != c.units || nanos != c.nanos {
			t.Errorf("%s Parts = %d %d, want %d %d", m, units, nanos, c.units, c.nanos)
		}
	}
	for _, c := range []struct {
		code  string
		units int64
		nanos int32
	}{
		{"KZT", 1, 5}, {"JPY", 1, 500000000}, {"kzt", 1, 0}, {"XXX", 1, 0}, {"ABC", 1, 0}, {"USD", 1, -1}, {"USD", 2e12, 0},
	} {
		if m, err := MoneyFromParts(c.code, c.units, c.nanos); err == nil {
			t.Errorf("%s %d %d = %v, want refused", c.code, c.units, c.nanos, m)
		}
	}
}
