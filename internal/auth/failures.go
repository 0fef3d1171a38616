package auth

import (
	"context"
	"net"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/grpc/peer"
)

// maxFailing is how many client addresses the failure limits remember
// before forgetting those whose allowance has filled up again.
const maxFailing = 10_000

// ClientAddress is the address a call comes from, for limiting failed
// authentications. The default is the connection's peer.
type ClientAddress func(ctx context.Context) string

// PeerAddress is the address of the call's connection.
func PeerAddress(ctx context.Context) string {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}

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
	lim, ok := a.failures[from]
	if !ok {
		if a.failures == nil {
			a.failures = map[string]*rate.Limiter{}
		}
		if len(a.failures) >= maxFailing {
			// Sweep at most once a second, so failures from ever new
			// addresses do not each pay for a sweep; when all are still
			// failing, one gives way.
			if now.Sub(a.swept) >= time.Second {
				a.swept = now
				for addr, l := range a.failures {
					if l.TokensAt(now) >= float64(l.Burst()) {
						delete(a.failures, addr)
					}
				}
			}
			for addr := range a.failures {
				if len(a.failures) < maxFailing {
					break
				}
				delete(a.failures, addr)
			}
		}
		lim = rate.NewLimiter(rate.Limit(a.failureRate()), a.failureBurst())
		a.failures[from] = lim
	}
	lim.AllowN(now, 1)
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
