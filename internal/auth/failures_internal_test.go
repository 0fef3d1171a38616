package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestFailuresCountByAddressWithoutPort(t *testing.T) {
	for address, want := range map[string]string{
		"127.0.0.2:51234":          "127.0.0.2",
		"[2001:db8:1:2:aa::1]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:bb::7]:9":   "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:443":    "2001:db8:1:3::/64",
		"[::ffff:10.0.0.1]:80":     "10.0.0.1",
		"not an address":           "not an address",
		"":                         "",
	} {
		if got := clientKey(address); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", address, got, want)
		}
	}
}

func TestFailuresForgetAddressesThatStoppedFailing(t *testing.T) {
	now := time.Now()
	a := &Authenticator{FailureRate: 10, FailureBurst: 1, clock: func() time.Time { return now }}
	address := func(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) }
	for i := range maxFailing {
		a.failed(address(i))
	}
	last := address(maxFailing-1) + ":1"
	if a.Refusing(last) == nil {
		t.Fatal("an address with its one failure spent is not refused")
	}
	now = now.Add(1500 * time.Millisecond) // every allowance fills up again, and a sweep is due
	a.failed("192.0.2.1")
	if n := len(a.failures); n != 1 {
		t.Errorf("%d addresses remembered, want only the one failing now", n)
	}
	if a.Refusing("192.0.2.1:5") == nil || a.Refusing(last) != nil {
		t.Errorf("after forgetting: the failing address refused %v, a forgotten one %v", a.Refusing("192.0.2.1:5"), a.Refusing(last))
	}
}

func TestFailuresRememberABoundedNumberOfAddresses(t *testing.T) {
	a := &Authenticator{FailureRate: 0.001, FailureBurst: 1} // none fills up during the test
	for i := range maxFailing + 100 {
		a.failed(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	if n := len(a.failures); n != maxFailing {
		t.Errorf("%d addresses remembered, want at most %d", n, maxFailing)
	}
	if a.Refusing("10.0.39.115:1") == nil { // the last one failed
		t.Error("the address that failed last is not refused")
	}
}
