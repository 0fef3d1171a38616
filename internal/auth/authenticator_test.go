package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// domainError returns err as a domain error, failing the test when it is
// anything else.
func domainError(t *testing.T, what string, err error) *supply.Error {
	t.Helper()
	var de *supply.Error
	if !errors.As(err, &de) {
		t.Fatalf("%s: %v (%T), want a domain error", what, err, err)
	}
	return de
}

// TestAuthenticateTakesTheCallsTokenAndAddressAndAnswersInDomainErrors:
// the authenticator is told the method, the bearer token and the client
// address, with no transport in sight, and refuses with the domain's
// errors: Unauthenticated for a bad token, PermissionDenied for a method
// the role may not call, ResourceExhausted with the wait for a token over
// its rate and for an address over its failed authentications.
func TestAuthenticateTakesTheCallsTokenAndAddressAndAnswersInDomainErrors(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.DefaultDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	token, bearer, err := auth.Issue("Aigerim S.", supply.RoleCoordinator, "", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	a := &auth.Authenticator{Store: db, Now: time.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Rate: 0.001, Burst: 1, FailureRate: 0.001, FailureBurst: 1}
	const getRun = "/aqjurek.v1.RunService/GetRun"

	actor, err := a.Authenticate(ctx, "/grpc.health.v1.Health/Check", "", "192.0.2.1:1000")
	if err != nil || actor != (supply.Actor{}) {
		t.Errorf("health check without a token: %+v, %v; want no actor and no error", actor, err)
	}

	actor, err = a.Authenticate(ctx, getRun, bearer, "192.0.2.1:1000")
	if err != nil {
		t.Fatal(err)
	}
	if want := token.Actor(); actor != want {
		t.Errorf("actor %+v, want %+v", actor, want)
	}
	de := domainError(t, "a second call within the token's rate of one", func() error {
		_, err := a.Authenticate(ctx, getRun, bearer, "192.0.2.1:1000")
		return err
	}())
	if de.Code != supply.ResourceExhausted || de.RetryAfter <= 0 || !strings.HasPrefix(de.Message, "too many calls with this token; retry in ") {
		t.Errorf("over the token's rate: code %v, retry after %v, %q; want ResourceExhausted with a wait", de.Code, de.RetryAfter, de.Message)
	}

	other, otherBearer, err := auth.Issue("Daniyar Z.", supply.RoleCoordinator, "", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateToken(ctx, other); err != nil {
		t.Fatal(err)
	}
	_, err = a.Authenticate(ctx, "/aqjurek.v1.TokenService/CreateToken", otherBearer, "192.0.2.1:1000")
	if de := domainError(t, "a method outside the policy", err); de.Code != supply.PermissionDenied || de.Message != "a coordinator may not call CreateToken" {
		t.Errorf("a method outside the policy: code %v, %q; want PermissionDenied, a coordinator may not call CreateToken", de.Code, de.Message)
	}

	_, err = a.Authenticate(ctx, getRun, bearer+"x", "198.51.100.7:4000")
	if de := domainError(t, "a forged token", err); de.Code != supply.Unauthenticated || de.Message != "missing or invalid bearer token" {
		t.Errorf("a forged token: code %v, %q; want Unauthenticated, missing or invalid bearer token", de.Code, de.Message)
	}
	// Its one failed authentication spent, the address is refused before
	// its token is looked at, on any port; others are served.
	_, err = a.Authenticate(ctx, getRun, otherBearer, "198.51.100.7:4001")
	de = domainError(t, "a good token from an address out of failures", err)
	if de.Code != supply.ResourceExhausted || de.RetryAfter <= 0 || !strings.HasPrefix(de.Message, "too many failed authentications from 198.51.100.7; retry in ") {
		t.Errorf("from an address out of failures: code %v, retry after %v, %q; want ResourceExhausted naming 198.51.100.7 with a wait", de.Code, de.RetryAfter, de.Message)
	}
	if err := a.Refusing("198.51.100.7:9"); err == nil {
		t.Error("Refusing answers nil for an address out of failures")
	}
	if actor, err := a.Authenticate(ctx, getRun, otherBearer, "203.0.113.5:4000"); err != nil || actor.Name != "Daniyar Z." {
		t.Errorf("a good token from another address: %+v, %v; want Daniyar Z.", actor, err)
	}
}
