package server_test

import (
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/server"
)

func TestRateLimitMustBeAFiniteNumberOfAtLeastOne(t *testing.T) {
	t.Parallel()
	valid := server.Config{
		DBPath: "aqjurek.db", GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", ShutdownTimeout: time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, rate := range []float64{0.4, 0, -1, math.NaN(), math.Inf(1), math.Inf(-1), 0.999} {
		cfg := valid
		cfg.RateLimit = rate
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--rate-limit") {
			t.Errorf("--rate-limit %v: Validate() = %v, want it refused naming --rate-limit", rate, err)
		}
	}
	for _, rate := range []float64{1, 50, 1e9} {
		cfg := valid
		cfg.RateLimit = rate
		if err := cfg.Validate(); err != nil {
			t.Errorf("--rate-limit %v: Validate() = %v, want it accepted", rate, err)
		}
	}
}

func TestAHugeRateLimitStillServes(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.RateLimit = 1e300 })
	s.mustREST(200, "GET", "/v1/hospitals", nil)
}
