package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func TestHealthFollowsTheDatabase(t *testing.T) {
	var down atomic.Bool
	s := &Server{
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), health: health.NewServer(), stopping: make(chan struct{}),
		ping: func(context.Context) error {
			if down.Load() {
				return errors.New("disk I/O error")
			}
			return nil
		},
	}
	// Start from NOT_SERVING, so SERVING can only come from a ping that
	// answered (a new health server says SERVING by itself).
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	go s.watchHealth(5 * time.Millisecond)
	defer close(s.stopping)
	wait := func(want healthpb.HealthCheckResponse_ServingStatus) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			got, err := s.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
			if err == nil && got.GetStatus() == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("health is %v (%v), want %v", got.GetStatus(), err, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	wait(healthpb.HealthCheckResponse_SERVING)
	down.Store(true)
	wait(healthpb.HealthCheckResponse_NOT_SERVING)
	down.Store(false)
	wait(healthpb.HealthCheckResponse_SERVING)
}
