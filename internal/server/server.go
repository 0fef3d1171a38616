// Package server runs Aq Júrek: the gRPC server, the REST gateway in front
// of it, and the store behind it.
package server

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"

	"github.com/aqjurek/tracker/internal/api"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/demo"
	"github.com/aqjurek/tracker/internal/feed"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// Config is how the server is run.
type Config struct {
	// DBPath is the database, as store.Open takes it: an SQLite file
	// (created when missing; "sqlite:path" too) or a postgres:// URL.
	// Messages and logs show it as store.DB.Path does, without a password.
	DBPath string
	// GRPCAddr and HTTPAddr are where to listen; port 0 picks a free port.
	GRPCAddr string
	HTTPAddr string
	// MetricsAddr is where /metrics is served, apart from the API; empty:
	// nowhere.
	MetricsAddr string
	// Demo loads the demo data set into an empty database.
	Demo bool
	// ShutdownTimeout bounds how long in-flight calls may take to finish.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// Now is the clock; nil means time.Now.
	Now supply.Clock
	// RateLimit is how many calls a second one token may make on average;
	// it may make twice as many at once.
	RateLimit float64
	// FailedAuthRate is how many failed authentications a second one client
	// address may make on average, FailedAuthBurst how many at once (0: 1
	// and 20); past them its calls are refused.
	FailedAuthRate  float64
	FailedAuthBurst int
	// TLSCert and TLSKey, when both set, serve gRPC and REST over TLS.
	TLSCert, TLSKey string
	// Out is where `--demo` prints its tokens; nil means nowhere.
	Out io.Writer
	// MaxInFlight bounds the calls served at once and MaxWrites the changes
	// among them; past them calls are refused at once (0: 256 and 64).
	MaxInFlight, MaxWrites int
	// Timeouts bound slow and idle connections.
	Timeouts Timeouts
	// HealthInterval is how often the database is checked for the health
	// service (0: every 5 seconds).
	HealthInterval time.Duration
	// MaxWatchersPerToken and MaxWatchers bound the event streams open at
	// once with one token and in all (0: 20 and 5000).
	MaxWatchersPerToken, MaxWatchers int
	// WatchBacklog is how many events a stream may have waiting before it
	// is cut off as too slow, told where to resume (0: 1024).
	WatchBacklog int
	// WatchHeartbeat is how long a quiet event stream waits before it
	// sends an empty message to show it is alive (5 s).
	WatchHeartbeat time.Duration
}

// Validate reports every problem with the configuration at once.
func (c Config) Validate() error {
	var errs []error
	if c.DBPath == "" {
		errs = append(errs, errors.New("--db must name a database: a file or a postgres:// URL"))
	}
	for flag, addr := range map[string]string{"--grpc-addr": c.GRPCAddr, "--http-addr": c.HTTPAddr, "--metrics-addr": c.MetricsAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil && (addr != "" || flag != "--metrics-addr") {
			errs = append(errs, fmt.Errorf("%s %q must be host:port", flag, addr))
		}
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("--shutdown-timeout must be positive"))
	}
	// A rate below 1 gives a burst of 0, which refuses every call.
	if !(c.RateLimit >= 1) || math.IsInf(c.RateLimit, 1) {
		errs = append(errs, fmt.Errorf("--rate-limit %v must be a finite number of at least 1 (calls a second)", c.RateLimit))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.MaxWatchersPerToken < 0 || c.MaxWatchers < 0 || c.WatchBacklog < 0 || c.WatchHeartbeat < 0 {
		errs = append(errs, errors.New("--max-watchers-per-token and --max-watchers must not be negative"))
	}
	return errors.Join(errs...)
}

// Server is a running Aq Júrek server.
type Server struct {
	cfg      Config
	log      *slog.Logger
	db       *store.DB
	grpc     *grpc.Server
	health   *health.Server
	http     *http.Server
	gateway  *grpc.ClientConn
	grpcAddr net.Addr
	httpAddr net.Addr
	done     chan error
	stopping chan struct{}
	metrics  *metrics
	feed     *feed.Feed
	// metricsLis and metricsHTTP serve /metrics when --metrics-addr is set.
	metricsLis  net.Listener
	metricsHTTP *http.Server
	// ping checks the database for the health service.
	ping func(context.Context) error

	shutdownOnce sync.Once
	shutdownErr  error
}

// Start opens the listeners and the database and begins serving. Listeners
// open first, so a port clash fails before anything else happens.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, log: cfg.Logger, done: make(chan error, 2), stopping: make(chan struct{})}
	var tlsConfig *tls.Config
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", cfg.TLSCert, cfg.TLSKey, err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	}
	grpcLis, err := net.Listen("tcp", cfg.GRPCAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on --grpc-addr %s: %w", cfg.GRPCAddr, err)
	}
	httpLis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		grpcLis.Close()
		return nil, fmt.Errorf("listen on --http-addr %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.MetricsAddr != "" {
		if s.metricsLis, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			grpcLis.Close()
			httpLis.Close()
			return nil, fmt.Errorf("listen on --metrics-addr %s: %w", cfg.MetricsAddr, err)
		}
	}
	s.grpcAddr, s.httpAddr = grpcLis.Addr(), httpLis.Addr()

	if s.db, err = store.Open(ctx, cfg.DBPath); err != nil {
		s.closeAll(grpcLis, httpLis)
		return nil, err
	}
	s.db.Now = cfg.Now
	if cfg.Demo {
		loaded, err := demo.Load(ctx, s.db, cfg.Now())
		if err != nil {
			s.closeAll(grpcLis, httpLis)
			return nil, fmt.Errorf("load demo data: %w", err)
		}
		if loaded {
			s.log.Info("demo data loaded", "db", s.db.Path())
		} else {
			s.log.Info("database already has data; demo data not loaded", "db", s.db.Path())
		}
		if err := demo.IssueTokens(ctx, s.db, s.db, cfg.Now(), cfg.Out); err != nil {
			s.closeAll(grpcLis, httpLis)
			return nil, fmt.Errorf("issue demo tokens: %w", err)
		}
	}

	timeouts := cfg.Timeouts.withDefaults()
	grpcGuard, httpGuard := newGuard(timeouts.Authenticate, s.log), newGuard(timeouts.Authenticate, s.log)
	gatewaySecret := rand.Text()
	authenticator := &auth.Authenticator{Store: s.db, Now: cfg.Now, Log: s.log, Rate: cfg.RateLimit,
		Burst: int(min(2*cfg.RateLimit, math.MaxInt32)), FailureRate: cfg.FailedAuthRate, FailureBurst: cfg.FailedAuthBurst}
	s.metrics = newMetrics(s.db)
	interceptors := &api.Interceptors{Log: s.log, Authenticate: grpcGuard.authenticate(authenticate(authenticator, gatewaySecret)), Observe: s.metrics.observe,
		InFlight: cmp.Or(cfg.MaxInFlight, 256), Writes: cmp.Or(cfg.MaxWrites, 64)}
	options := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(interceptors.Unary()),
		grpc.ChainStreamInterceptor(interceptors.Stream()),
		grpc.MaxRecvMsgSize(maxBodyBytes),
		// A connection gets as long for its handshake as a REST request
		// for its headers; one idle past Idle is closed (clients reconnect
		// on their next call), and one whose peer stopped answering pings
		// is found within a minute and a half.
		grpc.ConnectionTimeout(timeouts.ReadHeader),
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionIdle: timeouts.Idle, Time: time.Minute, Timeout: 20 * time.Second}),
	}
	if tlsConfig != nil {
		options = append(options, grpc.Creds(credentials.NewTLS(tlsConfig)))
	}
	s.grpc = grpc.NewServer(options...)
	if s.feed, err = feed.New(ctx, s.db, feed.Config{Backlog: cfg.WatchBacklog, Heartbeat: cfg.WatchHeartbeat, Log: s.log}); err != nil {
		s.closeAll(grpcLis, httpLis)
		return nil, err
	}
	watches := &api.Watches{PerToken: cfg.MaxWatchersPerToken, Total: cfg.MaxWatchers, Tokens: s.db, Log: s.log}
	(&api.Services{Store: s.db, Now: cfg.Now, Feed: s.feed, Watches: watches}).Register(s.grpc)
	s.health = health.NewServer()
	healthpb.RegisterHealthServer(s.grpc, s.health)
	reflection.Register(s.grpc)

	handler, conn, err := newHTTPHandler(ctx, s.grpcAddr.String(), tlsConfig, s.db, gatewaySecret, refusing(authenticator))
	if err != nil {
		s.closeAll(grpcLis, httpLis)
		return nil, err
	}
	s.gateway = conn
	s.http = &http.Server{Handler: deadlines(httpGuard.http(handler), timeouts.Write), TLSConfig: tlsConfig,
		ReadHeaderTimeout: timeouts.ReadHeader, ReadTimeout: timeouts.Read, WriteTimeout: timeouts.Write, IdleTimeout: timeouts.Idle,
		// Its complaints (a client's failed TLS handshake …) are JSON lines too.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	httpLis = httpGuard.listener(httpLis)
	if tlsConfig != nil {
		httpLis = tls.NewListener(httpLis, tlsConfig)
	}

	s.ping = s.db.Ping
	go s.watchHealth(cmp.Or(cfg.HealthInterval, 5*time.Second))
	go func() { s.done <- s.grpc.Serve(grpcGuard.listener(grpcLis)) }()
	go func() {
		if err := s.http.Serve(httpLis); !errors.Is(err, http.ErrServerClosed) {
			s.done <- err
		}
	}()
	if s.metricsLis != nil {
		s.metricsHTTP = s.metrics.server(tlsConfig, s.http.ErrorLog)
		metricsLis := s.metricsLis
		if tlsConfig != nil {
			metricsLis = tls.NewListener(metricsLis, tlsConfig)
		}
		go s.metricsHTTP.Serve(metricsLis) // a scrape that cannot be served is the scraper's to report
		s.log.Info("serving metrics", "metrics", s.MetricsAddr())
	}
	s.log.Info("serving", "grpc", s.grpcAddr.String(), "http", s.httpAddr.String(), "db", s.db.Path())
	return s, nil
}

func (s *Server) closeAll(listeners ...net.Listener) {
	for _, l := range listeners {
		l.Close()
	}
	if s.feed != nil {
		s.feed.Close()
	}
	if s.metricsLis != nil {
		s.metricsLis.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
}

// watchHealth tells the health service whether the database answers,
// until the server stops: NOT_SERVING while it does not. The first ping's
// answer is always told, whatever the health service said before.
func (s *Server) watchHealth(every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	serving, told := false, false
	for {
		ctx, cancel := context.WithTimeout(context.Background(), every)
		err := s.ping(ctx)
		cancel()
		if ok := err == nil; ok != serving || !told {
			if ok && told {
				s.log.Info("database reachable again")
			}
			serving, told = ok, true
			if ok {
				s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
			} else {
				s.log.Error("database unreachable", "error", err)
				s.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
			}
		}
		select {
		case <-ticker.C:
		case <-s.stopping:
			return
		}
	}
}

// GRPCAddr is the address the gRPC server listens on.
func (s *Server) GRPCAddr() string { return s.grpcAddr.String() }

// HTTPAddr is the address the REST gateway listens on.
func (s *Server) HTTPAddr() string { return s.httpAddr.String() }

// MetricsAddr is the address /metrics is served on, or "" when none.
func (s *Server) MetricsAddr() string {
	if s.metricsLis == nil {
		return ""
	}
	return s.metricsLis.Addr().String()
}

// Shutdown stops taking calls, lets in-flight ones finish within the
// shutdown timeout (or ctx), then closes the database. Later calls return
// the first call's result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdownOnce.Do(func() { s.shutdownErr = s.shutdown(ctx) })
	return s.shutdownErr
}

func (s *Server) shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
	defer cancel()
	s.health.Shutdown()
	close(s.stopping)
	s.feed.Close() // event streams end, so in-flight REST watches return
	if s.metricsHTTP != nil {
		s.metricsHTTP.Close() // a scrape needs no time to finish
	}
	httpErr := s.http.Shutdown(ctx)
	if httpErr != nil {
		// The deadline passed: cut what is left so the database still closes.
		s.log.Warn("REST calls still running at the shutdown deadline were cut off", "error", httpErr)
		s.http.Close()
	}
	stopped := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-ctx.Done():
		s.grpc.Stop()
		<-stopped
	}
	return errors.Join(httpErr, s.gateway.Close(), s.db.Close())
}

// Run serves until ctx is cancelled (SIGINT, SIGTERM) or a listener fails,
// then shuts down cleanly.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Logger != nil {
		logGRPC(cfg.Logger)
	}
	s, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	var serveErr error
	select {
	case <-ctx.Done():
		s.log.Info("shutting down")
	case serveErr = <-s.done:
		s.log.Error("server failed", "error", serveErr)
	}
	return errors.Join(serveErr, s.Shutdown(context.WithoutCancel(ctx)))
}
