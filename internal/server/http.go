package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/gen/openapi"
	"github.com/aqjurek/tracker/internal/api"
	"github.com/aqjurek/tracker/internal/web"
)

// maxBodyBytes bounds a REST request body; the largest real request (50
// lines with notes) is a few tens of kilobytes.
const maxBodyBytes = 1 << 20

// startStream sends a stream's response headers as soon as the stream opens
// (the gateway calls it with no message then), so a REST client following
// events:watch is answered at once, not at the first event. A call refused
// before it opened has no open-stream header and keeps its error status.
func startStream(ctx context.Context, w http.ResponseWriter, m proto.Message) error {
	if m != nil {
		return nil
	}
	md, ok := runtime.ServerMetadataFromContext(ctx)
	if !ok || len(md.HeaderMD.Get(api.StreamOpenHeader)) == 0 {
		return nil
	}
	w.WriteHeader(http.StatusOK)
	return http.NewResponseController(w).Flush()
}

// answerError is the gateway's error handler with three additions: a body
// over the limit answers 413, a call refused for its rate gets a
// Retry-After header from the status's RetryInfo, and an error the gateway
// made itself (one from the gRPC server has it already) carries the
// message in the caller's language.
func answerError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	lang := api.Language(r.Header.Get("Accept-Language"))
	if bodyOverLimit(r.Context()) {
		err = &runtime.HTTPStatusError{HTTPStatus: http.StatusRequestEntityTooLarge,
			Err: api.Localize(status.Newf(codes.ResourceExhausted, "the request body is over the limit of %d bytes", maxBodyBytes), lang).Err()}
	} else if he, ok := err.(*runtime.HTTPStatusError); ok {
		err = &runtime.HTTPStatusError{HTTPStatus: he.HTTPStatus, Err: api.Localize(status.Convert(he.Err), lang).Err()}
	} else {
		err = api.Localize(status.Convert(err), lang).Err()
	}
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.RetryInfo); ok {
			seconds := int(math.Ceil(info.GetRetryDelay().AsDuration().Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(1, seconds)))
		}
	}
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}

// dialTLS is how the gateway reaches the gRPC server over TLS: trusting the
// server's own certificate besides the system's, under a name it holds.
func dialTLS(grpcAddr string, server *tls.Config) (*tls.Config, error) {
	leaf, err := x509.ParseCertificate(server.Certificates[0].Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("read --tls-cert: %w", err)
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	roots.AddCert(leaf)
	name, _, _ := net.SplitHostPort(grpcAddr)
	if leaf.VerifyHostname(name) != nil && len(leaf.DNSNames) > 0 {
		name = leaf.DNSNames[0]
	}
	return &tls.Config{RootCAs: roots, ServerName: name, MinVersion: tls.VersionTLS12}, nil
}

// The gateway tells the gRPC server which address a REST call came from,
// with a secret of the process's own beside it, so that a gRPC client
// sending the same metadata is not believed.
const (
	gatewayKey       = "aqjurek-gateway"
	clientAddressKey = "aqjurek-client-address"
)

// gatewayMetadata is what the gateway tells the gRPC server of a REST call
// besides the headers it passes on: that the call came through it, and
// from which address.
func gatewayMetadata(secret string, r *http.Request) metadata.MD {
	return metadata.Pairs(gatewayKey, secret, clientAddressKey, r.RemoteAddr)
}

// pinger is what /healthz asks.
type pinger interface {
	Ping(ctx context.Context) error
}

// newHTTPHandler builds the REST side: the gateway under /v1/, which calls
// the gRPC server through a real client connection so every interceptor
// runs for REST too, plus /openapi.json, /healthz and the web application
// at /. /metrics is not here: it is served on --metrics-addr.
func newHTTPHandler(ctx context.Context, grpcAddr string, serverTLS *tls.Config, db pinger, gatewaySecret string,
	refusing func(address string) error) (http.Handler, *grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if serverTLS != nil {
		clientTLS, err := dialTLS(grpcAddr, serverTLS)
		if err != nil {
			return nil, nil, err
		}
		creds = credentials.NewTLS(clientTLS)
	}
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, nil, fmt.Errorf("connect gateway to %s: %w", grpcAddr, err)
	}
	gateway := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, requestJSON{&runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}}),
		runtime.WithForwardResponseOption(startStream),
		// Only the bearer token (the gateway always passes Authorization
		// on) and the language errors are told in cross to gRPC: no other
		// client-sent header, Grpc-Metadata-* included, can pose as
		// metadata the server would trust.
		runtime.WithIncomingHeaderMatcher(func(key string) (string, bool) {
			if strings.EqualFold(key, "Accept-Language") {
				return "accept-language", true
			}
			return "", false
		}),
		runtime.WithErrorHandler(answerError),
		runtime.WithMetadata(func(_ context.Context, r *http.Request) metadata.MD {
			return gatewayMetadata(gatewaySecret, r)
		}),
	)
	for _, register := range []func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error{
		aqjurekv1.RegisterHospitalServiceHandler,
		aqjurekv1.RegisterDepotServiceHandler,
		aqjurekv1.RegisterVolunteerServiceHandler,
		aqjurekv1.RegisterDeliveryRequestServiceHandler,
		aqjurekv1.RegisterRunServiceHandler,
		aqjurekv1.RegisterEventServiceHandler,
		aqjurekv1.RegisterDashboardServiceHandler,
		aqjurekv1.RegisterAuthServiceHandler,
		aqjurekv1.RegisterDonationServiceHandler,
		aqjurekv1.RegisterPurchaseServiceHandler,
		aqjurekv1.RegisterLotServiceHandler,
		aqjurekv1.RegisterReportServiceHandler,
		aqjurekv1.RegisterPublicServiceHandler,
	} {
		if err := register(ctx, gateway, conn); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}

	mux := http.NewServeMux()
	// An address refused for its failed authentications is answered
	// here, before the call costs a trip through the gateway.
	unlessRefused := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := refusing(r.RemoteAddr); err != nil {
				_, out := runtime.MarshalerForRequest(gateway, r)
				answerError(r.Context(), gateway, out, w, r, err)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	mux.Handle("/v1/", unlessRefused(limitBody(gateway, maxBodyBytes)))
	mux.Handle("GET /v1/report/{file}", unlessRefused(reportCSV(gateway, conn, gatewaySecret)))
	mux.Handle("/", web.Handler())
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi.Document)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := db.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"status": "NOT_SERVING", "error": "database unreachable"})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"status": "SERVING"})
	})
	return answerHeaders(mux, serverTLS != nil), conn, nil
}

// answerHeaders sets the headers every answer carries: API answers hold
// phone numbers and names, so no cache or proxy keeps them (the web
// application's files keep their own caching), and a server on TLS tells
// browsers to reach it only over TLS from then on.
func answerHeaders(h http.Handler, overTLS bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if overTLS {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}
