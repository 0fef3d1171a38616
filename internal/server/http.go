package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/gen/openapi"
	"github.com/aqjurek/tracker/internal/api"
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

// pinger is what /healthz asks.
type pinger interface {
	Ping(ctx context.Context) error
}

// newHTTPHandler builds the REST side: the gateway under /v1/, which calls
// the gRPC server through a real client connection so every interceptor
// runs for REST too, plus /openapi.json and /healthz.
func newHTTPHandler(ctx context.Context, grpcAddr string, db pinger) (http.Handler, *grpc.ClientConn, error) {
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, fmt.Errorf("connect gateway to %s: %w", grpcAddr, err)
	}
	gateway := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
		runtime.WithForwardResponseOption(startStream),
	)
	for _, register := range []func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error{
		aqjurekv1.RegisterHospitalServiceHandler,
		aqjurekv1.RegisterDepotServiceHandler,
		aqjurekv1.RegisterVolunteerServiceHandler,
		aqjurekv1.RegisterDeliveryRequestServiceHandler,
		aqjurekv1.RegisterRunServiceHandler,
		aqjurekv1.RegisterEventServiceHandler,
		aqjurekv1.RegisterDashboardServiceHandler,
	} {
		if err := register(ctx, gateway, conn); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}

	mux := http.NewServeMux()
	mux.Handle("/v1/", http.MaxBytesHandler(gateway, maxBodyBytes))
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
	return mux, conn, nil
}
