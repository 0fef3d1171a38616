package auth

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/aqjurek/tracker/internal/supply"
)

// touchEvery is how often a token's last-used time is written: often
// enough to tell a token in use from a forgotten one, rarely enough that
// reads do not turn into writes.
const touchEvery = time.Minute

// Authenticator turns a call's bearer token into the actor it acts as and
// refuses what the actor's role may not call or has called too often.
type Authenticator struct {
	Store Store
	// Now is the time a token's use is recorded at.
	Now supply.Clock
	Log *slog.Logger
	// Rate is how many calls a second one token may make on average;
	// Burst how many it may make at once.
	Rate  float64
	Burst int
	// FailureRate is how many failed authentications a second one client
	// address may make on average, after FailureBurst at once (0: 1 a
	// second after 20). Past that its calls are refused before their
	// token is looked at, so a flood of bad tokens costs the store nothing
	// and other addresses are served as before.
	FailureRate  float64
	FailureBurst int

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	failures map[string]*rate.Limiter // by client address
	swept    time.Time                // when failures last forgot the addresses that stopped
	// anonymousCalls are the allowances of calls to open methods that
	// read the store, by client address, at the tokens' rate.
	anonymousCalls map[string]*rate.Limiter
	anonymousSwept time.Time
	touched        map[string]time.Time
	// clock is the wall clock the failure allowances fill up by; nil:
	// time.Now. (Now may be a test's fixed clock; allowances need one that
	// moves.)
	clock func() time.Time
}

func (a *Authenticator) wallClock() time.Time {
	if a.clock != nil {
		return a.clock()
	}
	return time.Now()
}

// Authenticate says who calls method (its full name, e.g.
// "/aqjurek.v1.RunService/GetRun") with the bearer token ("" for none) from
// the client address, or refuses the call with a domain error:
// Unauthenticated, PermissionDenied, or ResourceExhausted with the wait
// before a retry. Open methods get a zero actor, those that read the
// store within their client address's rate; every other call needs a
// valid token whose role the policy allows, within its rate. The transport
// reads the token and the address from the call.
func (a *Authenticator) Authenticate(ctx context.Context, method, bearer, clientAddress string) (supply.Actor, error) {
	if Open(method) {
		if readsStore(method) {
			return supply.Actor{}, a.anonymous(clientAddress)
		}
		return supply.Actor{}, nil
	}
	if err := a.Refusing(clientAddress); err != nil {
		return supply.Actor{}, err
	}
	token, err := Verify(ctx, a.Store, bearer)
	if errors.Is(err, errInvalid) {
		a.failed(clientKey(clientAddress))
		return supply.Actor{}, err
	}
	if err != nil {
		return supply.Actor{}, err
	}
	if !Allowed(method, token.Role) {
		return supply.Actor{}, supply.Errorf(supply.PermissionDenied, "a %s may not call %s", token.Role, method[strings.LastIndex(method, "/")+1:])
	}
	if wait := a.reserve(token.ID); wait > 0 {
		return supply.Actor{}, retryIn(wait, "too many calls with this token; retry in %s", wait.Round(time.Millisecond))
	}
	a.touch(token.ID)
	return token.Actor(), nil
}

// retryIn is ResourceExhausted with the delay to retry after.
func retryIn(wait time.Duration, format string, args ...any) error {
	err := supply.Errorf(supply.ResourceExhausted, format, args...)
	err.RetryAfter = wait
	return err
}

// reserve takes a call from the token's allowance and returns how long to
// wait when there is none left (without taking it).
func (a *Authenticator) reserve(id string) time.Duration {
	a.mu.Lock()
	lim, ok := a.limiters[id]
	if !ok {
		if a.limiters == nil {
			a.limiters = map[string]*rate.Limiter{}
		}
		lim = rate.NewLimiter(rate.Limit(a.Rate), a.Burst)
		a.limiters[id] = lim
	}
	a.mu.Unlock()
	// Rates are about wall time, whatever clock the service's rules use.
	return take(lim, a.wallClock())
}

// take takes one call from a limiter at now, or returns how long to wait
// for one (taking nothing).
func take(lim *rate.Limiter, now time.Time) time.Duration {
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return time.Second
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait
	}
	return 0
}

// touch records the token's use, at most once a minute, off the call's path.
func (a *Authenticator) touch(id string) {
	now := a.Now()
	a.mu.Lock()
	if a.touched == nil {
		a.touched = map[string]time.Time{}
	}
	due := now.Sub(a.touched[id]) >= touchEvery
	if due {
		a.touched[id] = now
	}
	a.mu.Unlock()
	if !due {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.Store.TouchToken(ctx, id, now); err != nil {
			a.Log.Warn("could not record a token's use", "token", id, "error", err)
		}
	}()
}
