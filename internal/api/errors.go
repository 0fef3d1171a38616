// Package api implements the aqjurek.v1 gRPC services on top of the domain:
// it converts between protos and domain types, checks the input a proto can
// carry but the domain cannot see, and maps domain errors to status codes.
package api

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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
}

// toStatus turns an error from a handler into the status the client sees.
// Domain errors keep their message, with field violations as BadRequest
// details (AIP-193); anything unexpected is logged in full and the client
// sees only "internal error".
func toStatus(ctx context.Context, log *slog.Logger, method string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	var de *supply.Error
	if errors.As(err, &de) {
		st := status.New(codeOf[de.Code], de.Message)
		if len(de.Violations) > 0 {
			br := &errdetails.BadRequest{}
			for _, v := range de.Violations {
				br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description})
			}
			if withDetails, derr := st.WithDetails(br); derr == nil {
				st = withDetails
			}
		}
		return st.Err()
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

// Authenticate says who a call comes from, or refuses it with a status.
type Authenticate func(ctx context.Context, method string) (supply.Actor, error)

// UnaryInterceptor authenticates each call, maps its errors to statuses,
// turns a panic into Internal without killing the server, and logs one line
// per call.
func UnaryInterceptor(log *slog.Logger, authenticate Authenticate) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		start := time.Now()
		var actor supply.Actor
		defer func() {
			if p := recover(); p != nil {
				log.ErrorContext(ctx, "panic in handler", "method", info.FullMethod, "panic", p, "stack", string(debug.Stack()))
				resp, err = nil, status.Error(codes.Internal, "internal error")
			}
			logCall(ctx, log, info.FullMethod, start, actor, err)
		}()
		if actor, err = authenticate(ctx, info.FullMethod); err != nil {
			return nil, toStatus(ctx, log, info.FullMethod, err)
		}
		resp, err = handler(supply.WithActor(ctx, actor), req)
		return resp, toStatus(ctx, log, info.FullMethod, err)
	}
}

// StreamInterceptor is UnaryInterceptor for streaming calls.
func StreamInterceptor(log *slog.Logger, authenticate Authenticate) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		ctx := ss.Context()
		start := time.Now()
		var actor supply.Actor
		defer func() {
			if p := recover(); p != nil {
				log.ErrorContext(ctx, "panic in handler", "method", info.FullMethod, "panic", p, "stack", string(debug.Stack()))
				err = status.Error(codes.Internal, "internal error")
			}
			logCall(ctx, log, info.FullMethod, start, actor, err)
		}()
		if actor, err = authenticate(ctx, info.FullMethod); err != nil {
			return toStatus(ctx, log, info.FullMethod, err)
		}
		return toStatus(ctx, log, info.FullMethod, handler(srv, &actorStream{ServerStream: ss, ctx: supply.WithActor(ctx, actor)}))
	}
}

// actorStream is a server stream whose context carries the caller.
type actorStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *actorStream) Context() context.Context { return s.ctx }

func logCall(ctx context.Context, log *slog.Logger, method string, start time.Time, actor supply.Actor, err error) {
	code := status.Code(err)
	level := slog.LevelInfo
	if code == codes.Internal || code == codes.Unknown {
		level = slog.LevelError
	}
	log.Log(ctx, level, "call", "method", method, "code", code.String(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "actor", actor.Name, "role", actor.Role)
}
