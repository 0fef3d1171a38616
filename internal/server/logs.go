package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc/grpclog"
)

// grpcLog is where gRPC's and the gateway's own log lines go: the log of
// the server last run, so they are JSON like every other line.
var (
	grpcLog     atomic.Pointer[slog.Logger]
	grpcLogOnce sync.Once
)

// logGRPC sends gRPC's own log lines to log. gRPC reads its logger
// without a lock, so it is set once, before any gRPC function runs;
// what changes afterwards is only where it writes.
func logGRPC(log *slog.Logger) {
	grpcLog.Store(log)
	grpcLogOnce.Do(func() { grpclog.SetLoggerV2(grpcLogger{}) })
}

// grpcLogger is gRPC's LoggerV2 over slog. gRPC's info and warnings are
// about its connections' life (hidden by its own default logger), so they
// show at debug; its errors are errors.
type grpcLogger struct{}

func (grpcLogger) log(level slog.Level, msg string) {
	if log := grpcLog.Load(); log != nil {
		log.Log(context.Background(), level, msg, "from", "grpc")
	}
}

func (l grpcLogger) Info(args ...any)   { l.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (l grpcLogger) Infoln(args ...any) { l.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (l grpcLogger) Infof(format string, args ...any) {
	l.log(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (l grpcLogger) Warning(args ...any)   { l.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (l grpcLogger) Warningln(args ...any) { l.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (l grpcLogger) Warningf(format string, args ...any) {
	l.log(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (l grpcLogger) Error(args ...any)   { l.log(slog.LevelError, fmt.Sprint(args...)) }
func (l grpcLogger) Errorln(args ...any) { l.log(slog.LevelError, fmt.Sprint(args...)) }
func (l grpcLogger) Errorf(format string, args ...any) {
	l.log(slog.LevelError, fmt.Sprintf(format, args...))
}
func (l grpcLogger) Fatal(args ...any)   { l.log(slog.LevelError, fmt.Sprint(args...)); os.Exit(1) }
func (l grpcLogger) Fatalln(args ...any) { l.log(slog.LevelError, fmt.Sprint(args...)); os.Exit(1) }
func (l grpcLogger) Fatalf(format string, args ...any) {
	l.log(slog.LevelError, fmt.Sprintf(format, args...))
	os.Exit(1)
}

// V reports whether verbose logs of level v are wanted: as in gRPC's
// default logger, none past 0.
func (grpcLogger) V(v int) bool { return v <= 0 }
