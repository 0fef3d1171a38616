package auth

import (
	"net"
	"time"

	"golang.org/x/time/rate"
)

// maxFailing is how many client addresses the failure limits (and the
// limits of calls without a token) remember before forgetting those whose
// allowance has filled up again.
const maxFailing = 10_000

// Refusing returns the error to refuse a call from the client address
// with while it has no failed authentications left, or nil. The REST
// side asks it before a call reaches the gateway, so a flood costs no
// more than its refusal.
func (a *Authenticator) Refusing(address string) error {
	from := clientKey(address)
	if wait := a.failingFor(from); wait > 0 {
		return retryIn(wait, "too many failed authentications from %s; retry in %s", from, wait.Round(time.Millisecond))
	}
	return nil
}

// failingFor returns how long calls from the address must wait before their
// token is checked again: zero while it has failed authentications left.
func (a *Authenticator) failingFor(from string) time.Duration {
	a.mu.Lock()
	lim := a.failures[from]
	a.mu.Unlock()
	if lim == nil {
		return 0
	}
	now := a.wallClock()
	if tokens := lim.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
	}
	return 0
}

// failed takes one failed authentication from the address's allowance.
func (a *Authenticator) failed(from string) {
	now := a.wallClock()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failures = allowance(a.failures, &a.swept, from, now, a.failureRate(), a.failureBurst())
	a.failures[from].AllowN(now, 1)
}

// allowance makes sure byAddress holds an allowance for the address,
// making a new one of rate and burst, and returns the map. It remembers
// at most maxFailing addresses: past that it forgets those whose
// allowance has filled up again, and when all are still in use, one gives
// way. The caller holds a.mu.
func allowance(byAddress map[string]*rate.Limiter, swept *time.Time, from string, now time.Time, r float64, burst int) map[string]*rate.Limiter {
	if _, ok := byAddress[from]; ok {
		return byAddress
	}
	if byAddress == nil {
		byAddress = map[string]*rate.Limiter{}
	}
	if len(byAddress) >= maxFailing {
		// Sweep at most once a second, so calls from ever new addresses
		// do not each pay for a sweep.
		if now.Sub(*swept) >= time.Second {
			*swept = now
			for addr, l := range byAddress {
				if l.TokensAt(now) >= float64(l.Burst()) {
					delete(byAddress, addr)
				}
			}
		}
		for addr := range byAddress {
			if len(byAddress) < maxFailing {
				break
			}
			delete(byAddress, addr)
		}
	}
	byAddress[from] = rate.NewLimiter(rate.Limit(r), burst)
	return byAddress
}

// anonymous takes a call without a token from the address's allowance, or
// returns the error to refuse it with when there is none left: an open
// method that reads the store costs the store, whoever calls it.
func (a *Authenticator) anonymous(address string) error {
	from := clientKey(address)
	now := a.wallClock()
	a.mu.Lock()
	a.anonymousCalls = allowance(a.anonymousCalls, &a.anonymousSwept, from, now, a.Rate, a.Burst)
	lim := a.anonymousCalls[from]
	a.mu.Unlock()
	if wait := take(lim, now); wait > 0 {
		return retryIn(wait, "too many calls without a token from %s; retry in %s", from, wait.Round(time.Millisecond))
	}
	return nil
}

func (a *Authenticator) failureRate() float64 {
	if a.FailureRate > 0 {
		return a.FailureRate
	}
	return 1
}

func (a *Authenticator) failureBurst() int {
	if a.FailureBurst > 0 {
		return a.FailureBurst
	}
	return 20
}

// clientKey is the part of a client address that failures are counted
// by: the IP without the port, and for IPv6 its /64 network, which one
// client usually holds whole.
func clientKey(address string) string {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}
