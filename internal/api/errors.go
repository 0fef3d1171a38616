// Package api implements the aqjurek.v1 gRPC services on top of the domain:
// it converts between protos and domain types, checks the input a proto can
// carry but the domain cannot see, and maps domain errors to status codes.
package api

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/aqjurek/tracker/internal/supply"
)

// codeOf maps each kind of domain error to its gRPC code, in one place.
var codeOf = map[supply.Code]codes.Code{
	supply.Invalid:            codes.InvalidArgument,
	supply.NotFound:           codes.NotFound,
	supply.AlreadyExists:      codes.AlreadyExists,
	supply.Aborted:            codes.Aborted,
	supply.FailedPrecondition: codes.FailedPrecondition,
	supply.PermissionDenied:   codes.PermissionDenied,
	supply.Unavailable:        codes.Unavailable,
	supply.Unauthenticated:    codes.Unauthenticated,
	supply.ResourceExhausted:  codes.ResourceExhausted,
}

// toStatus turns an error from a handler into the status the client sees.
// Domain errors keep their message (see DomainStatus); anything unexpected
// is logged in full and the client sees only "internal error".
func toStatus(ctx context.Context, log *slog.Logger, method string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	var de *supply.Error
	if errors.As(err, &de) {
		return DomainStatus(de).Err()
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "the call was cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "the call's deadline passed before it finished")
	}
	log.ErrorContext(ctx, "internal error", "method", method, "error", err.Error())
	return status.Error(codes.Internal, "internal error")
}

// DomainStatus is the status a domain error is told with: its code and
// message, field violations as BadRequest details (AIP-193), and a wait
// before retrying as RetryInfo, which REST answers as Retry-After. It
// serves the interceptors and the REST side's answers made before a call
// reaches them alike.
func DomainStatus(de *supply.Error) *status.Status {
	st := status.New(codeOf[de.Code], de.Message)
	if len(de.Violations) > 0 {
		br := &errdetails.BadRequest{}
		for _, v := range de.Violations {
			br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description})
		}
		if withDetails, err := st.WithDetails(br); err == nil {
			st = withDetails
		}
	}
	if de.RetryAfter > 0 {
		if withRetry, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(de.RetryAfter)}); err == nil {
			st = withRetry
		}
	}
	return st
}

// Authenticate says who a call comes from, or refuses it with a domain
// error (or a status).
type Authenticate func(ctx context.Context, method string) (supply.Actor, error)

// Interceptors run around every call: they authenticate it, shed load the
// server cannot take, map errors to statuses told also in the caller's
// language, turn a panic into Internal without killing the server, and log
// and count each call.
type Interceptors struct {
	Log          *slog.Logger
	Authenticate Authenticate
	// Observe, when set, is told of every finished call.
	Observe func(method string, code codes.Code, took time.Duration)
	// InFlight bounds the calls being served at once, and Writes the
	// changes among them (they all wait for the one database writer).
	// Past either bound a call is refused at once with ResourceExhausted.
	InFlight, Writes int

	once            sync.Once
	inFlight, write chan struct{}
}

// begin takes a place for a call, or refuses it when the server is full.
// Streams hold no place: they mostly wait.
func (i *Interceptors) begin(method string, stream bool) (release func(), err error) {
	i.once.Do(func() {
		i.inFlight = make(chan struct{}, max(1, i.InFlight))
		i.write = make(chan struct{}, max(1, i.Writes))
	})
	if stream {
		return func() {}, nil
	}
	name := method[strings.LastIndex(method, "/")+1:]
	slots := []chan struct{}{i.inFlight}
	if !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List") && !strings.HasPrefix(method, "/grpc.") {
		slots = append(slots, i.write)
	}
	var taken []chan struct{}
	release = func() {
		for _, c := range taken {
			<-c
		}
	}
	for _, c := range slots {
		select {
		case c <- struct{}{}:
			taken = append(taken, c)
		default:
			release()
			return nil, busy()
		}
	}
	return release, nil
}

// busy is the answer to a call the server cannot take now.
func busy() error {
	st := status.New(codes.ResourceExhausted, "the server is busy; retry in a moment")
	if withRetry, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(time.Second)}); err == nil {
		st = withRetry
	}
	return st.Err()
}

// Unary is the interceptor for unary calls.
func (i *Interceptors) Unary() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		start := time.Now()
		var actor supply.Actor
		requestID := ""
		if r, ok := req.(interface{ GetRequestId() string }); ok {
			requestID = r.GetRequestId()
		}
		defer func() {
			if p := recover(); p != nil {
				i.Log.ErrorContext(ctx, "panic in handler", "method", info.FullMethod, "panic", p, "stack", string(debug.Stack()))
				resp, err = nil, status.Error(codes.Internal, "internal error")
			}
			err = localized(ctx, err)
			i.finish(ctx, info.FullMethod, start, actor, requestID, err)
		}()
		if actor, err = i.Authenticate(ctx, info.FullMethod); err != nil {
			return nil, toStatus(ctx, i.Log, info.FullMethod, err)
		}
		release, err := i.begin(info.FullMethod, false)
		if err != nil {
			return nil, err
		}
		defer release()
		resp, err = handler(supply.WithActor(ctx, actor), req)
		return resp, toStatus(ctx, i.Log, info.FullMethod, err)
	}
}

// Stream is the interceptor for streaming calls.
func (i *Interceptors) Stream() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		ctx := ss.Context()
		start := time.Now()
		var actor supply.Actor
		defer func() {
			if p := recover(); p != nil {
				i.Log.ErrorContext(ctx, "panic in handler", "method", info.FullMethod, "panic", p, "stack", string(debug.Stack()))
				err = status.Error(codes.Internal, "internal error")
			}
			err = localized(ctx, err)
			i.finish(ctx, info.FullMethod, start, actor, "", err)
		}()
		if actor, err = i.Authenticate(ctx, info.FullMethod); err != nil {
			return toStatus(ctx, i.Log, info.FullMethod, err)
		}
		return toStatus(ctx, i.Log, info.FullMethod, handler(srv, &actorStream{ServerStream: ss, ctx: supply.WithActor(ctx, actor)}))
	}
}

// actorStream is a server stream whose context carries the caller.
type actorStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *actorStream) Context() context.Context { return s.ctx }

// finish logs and counts a call.
func (i *Interceptors) finish(ctx context.Context, method string, start time.Time, actor supply.Actor, requestID string, err error) {
	took := time.Since(start)
	logCall(ctx, i.Log, method, took, actor, requestID, err)
	if i.Observe != nil {
		i.Observe(method, status.Code(err), took)
	}
}

func logCall(ctx context.Context, log *slog.Logger, method string, took time.Duration, actor supply.Actor, requestID string, err error) {
	code := status.Code(err)
	level := slog.LevelInfo
	if code == codes.Internal || code == codes.Unknown {
		level = slog.LevelError
	}
	log.Log(ctx, level, "call", "method", method, "code", code.String(),
		"duration_ms", float64(took.Microseconds())/1000, "actor", actor.Name, "role", actor.Role, "request_id", requestID)
}
