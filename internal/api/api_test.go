package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"go.einride.tech/aip/pagination"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

func FuzzPageToken(f *testing.F) {
	req := &aqjurekv1.ListDeliveryRequestsRequest{Hospital: "hospitals/gkb-7"}
	valid, _ := nextPageToken(req, supply.Cursor{int64(3), "2026-04-03T10:00:00.000000Z", "abc"})
	for _, seed := range []string{valid, "", "garbage", "Ln8DAQEJcGFnZVRva2Vu", strings.Repeat("A", 10000), valid[:len(valid)/2],
		pagination.EncodePageTokenStruct(struct{ X []float64 }{[]float64{1}})} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		r := &aqjurekv1.ListDeliveryRequestsRequest{Hospital: "hospitals/gkb-7", PageToken: token}
		page, err := pageOf(r)
		if err != nil {
			var de *supply.Error
			if !errors.As(err, &de) || de.Code != supply.Invalid || de.Violations[0].Field != "page_token" {
				t.Fatalf("pageOf(%q) = %v, want an Invalid error naming page_token", token, err)
			}
			return
		}
		if token != "" && len(page.After) == 0 {
			t.Fatalf("token %q accepted without a cursor", token)
		}
	})
}

func TestAPanicInAHandlerBecomesInternalAndIsLogged(t *testing.T) {
	var logs bytes.Buffer
	i := &Interceptors{
		Log:          slog.New(slog.NewJSONHandler(&logs, nil)),
		Authenticate: func(context.Context, string) (supply.Actor, error) { return supply.Actor{Name: "t"}, nil },
		InFlight:     1, Writes: 1,
	}
	info := &grpc.UnaryServerInfo{FullMethod: "/aqjurek.v1.HospitalService/GetHospital"}
	_, err := i.Unary()(context.Background(), nil, info, func(context.Context, any) (any, error) {
		var m map[string]int
		m["boom"]++ // a nil map write: a handler bug
		return nil, nil
	})
	if status.Code(err) != codes.Internal || status.Convert(err).Message() != "internal error" {
		t.Errorf("a panicking handler answered %v", err)
	}
	if !strings.Contains(logs.String(), "panic in handler") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic was not logged with its stack:\n%s", logs.String())
	}
	// The place it held is given back: the next call is served.
	if _, err := i.Unary()(context.Background(), nil, info, func(context.Context, any) (any, error) { return "ok", nil }); err != nil {
		t.Errorf("after the panic: %v", err)
	}
}
