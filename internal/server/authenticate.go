package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/aqjurek/tracker/internal/api"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/supply"
)

// authenticate is the interceptors' hook into auth: it reads what auth
// needs of a gRPC call (its bearer token, the address it comes from) and
// hands it on. The interceptors tell auth's domain errors as statuses.
func authenticate(a *auth.Authenticator, gatewaySecret string) api.Authenticate {
	from := clientAddress(gatewaySecret)
	return func(ctx context.Context, method string) (supply.Actor, error) {
		return a.Authenticate(ctx, method, bearer(ctx), from(ctx))
	}
}

// refusing is what the REST side asks before a call reaches the gateway:
// the status to refuse a call from the address with while it has no failed
// authentications left, or nil.
func refusing(a *auth.Authenticator) func(address string) error {
	return func(address string) error {
		err := a.Refusing(address)
		var de *supply.Error
		if errors.As(err, &de) {
			return api.DomainStatus(de).Err()
		}
		return err
	}
}

// bearer is the token of the call's "authorization: Bearer …" metadata,
// or "" when it has none or more than one.
func bearer(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("authorization")
	if len(values) != 1 {
		return ""
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// clientAddress is where a call comes from, for limiting failed
// authentications: for a REST call, the address the gateway was called
// from (every REST call reaches gRPC from the gateway's own address); for
// any other, the connection's peer.
func clientAddress(gatewaySecret string) func(ctx context.Context) string {
	return func(ctx context.Context) string {
		md, _ := metadata.FromIncomingContext(ctx)
		if via := md.Get(gatewayKey); len(via) == 1 && subtle.ConstantTimeCompare([]byte(via[0]), []byte(gatewaySecret)) == 1 {
			if from := md.Get(clientAddressKey); len(from) == 1 {
				return from[0]
			}
		}
		return peerAddress(ctx)
	}
}

// peerAddress is the address of the call's connection.
func peerAddress(ctx context.Context) string {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}
