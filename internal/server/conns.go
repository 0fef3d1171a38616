package server

import (
	"cmp"
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/peer"

	"github.com/aqjurek/tracker/internal/api"
	"github.com/aqjurek/tracker/internal/supply"
)

// Timeouts bound what a slow or idle client may hold on to. A zero field
// takes its default.
type Timeouts struct {
	// ReadHeader bounds reading a REST request's headers (10s), Read the
	// whole request with its body (30s), Write the answer (60s), and Idle
	// how long a connection may wait for its next request (2m). An event
	// stream has no Read or Write bound as a whole, only Write on each of
	// its writes: it is meant to stay open.
	ReadHeader, Read, Write, Idle time.Duration
	// Authenticate bounds how long a connection, REST or gRPC, may stay
	// open with no call on it authenticated (60s).
	Authenticate time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	return Timeouts{
		ReadHeader:   cmp.Or(t.ReadHeader, 10*time.Second),
		Read:         cmp.Or(t.Read, 30*time.Second),
		Write:        cmp.Or(t.Write, 60*time.Second),
		Idle:         cmp.Or(t.Idle, 2*time.Minute),
		Authenticate: cmp.Or(t.Authenticate, 60*time.Second),
	}
}

// deadlines bounds a REST call by write: a call gets a deadline a little
// shorter, so its answer (504 when it passes) is still written in time.
// An event stream (a path ending in ":watch") is meant to outlive it: the
// whole-answer write deadline is lifted and each of its writes bounded by
// write instead, so a client that stops reading still lets its stream go.
func deadlines(h http.Handler, write time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ":watch") {
			ctx, cancel := context.WithTimeout(r.Context(), write-write/10)
			defer cancel()
			h.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		rc := http.NewResponseController(w)
		rc.SetWriteDeadline(time.Time{})
		h.ServeHTTP(&streamWriter{ResponseWriter: w, rc: rc, write: write}, r)
	})
}

// streamWriter sets a write deadline when a stream's message starts and
// lifts it once the message is flushed, so waiting for the next event is
// not bounded, but sending one is.
type streamWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	write   time.Duration
	pending bool
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if !w.pending {
		w.rc.SetWriteDeadline(time.Now().Add(w.write))
		w.pending = true
	}
	return w.ResponseWriter.Write(p)
}

func (w *streamWriter) FlushError() error {
	err := w.rc.Flush()
	if err == nil && w.pending {
		w.pending = false
		err = w.rc.SetWriteDeadline(time.Time{})
	}
	return err
}

func (w *streamWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// guard closes connections on which no call authenticated within a time,
// so a client cannot hold connections open without a valid token: one
// that only probes, only sends bad tokens, or sends nothing.
type guard struct {
	within time.Duration
	log    *slog.Logger

	mu    sync.Mutex
	conns map[string]*guardedConn // by remote address
}

func newGuard(within time.Duration, log *slog.Logger) *guard {
	return &guard{within: within, log: log, conns: map[string]*guardedConn{}}
}

// listener returns l with each accepted connection guarded.
func (g *guard) listener(l net.Listener) net.Listener { return guardedListener{Listener: l, g: g} }

type guardedListener struct {
	net.Listener
	g *guard
}

func (l guardedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	gc := &guardedConn{Conn: c, g: l.g, key: c.RemoteAddr().String()}
	l.g.mu.Lock()
	l.g.conns[gc.key] = gc
	gc.timer = time.AfterFunc(l.g.within, gc.expire) // under the lock Close reads it with
	l.g.mu.Unlock()
	return gc, nil
}

type guardedConn struct {
	net.Conn
	g             *guard
	key           string
	timer         *time.Timer
	authenticated atomic.Bool
	closeOnce     sync.Once
}

func (c *guardedConn) expire() {
	if c.authenticated.Load() {
		return
	}
	c.g.log.Debug("closed a connection on which no call authenticated", "remote", c.key, "within", c.g.within.String())
	c.Close()
}

func (c *guardedConn) Close() error {
	c.closeOnce.Do(func() {
		c.g.mu.Lock()
		c.timer.Stop()
		if c.g.conns[c.key] == c {
			delete(c.g.conns, c.key)
		}
		c.g.mu.Unlock()
	})
	return c.Conn.Close()
}

// authenticated marks the connection with this remote address as having
// carried an authenticated call.
func (g *guard) authenticated(remote string) {
	g.mu.Lock()
	c := g.conns[remote]
	g.mu.Unlock()
	if c != nil {
		c.authenticated.Store(true)
	}
}

// authenticate marks the gRPC connection of each call that authenticated
// with a token (calls to open methods have none).
func (g *guard) authenticate(next api.Authenticate) api.Authenticate {
	return func(ctx context.Context, method string) (supply.Actor, error) {
		actor, err := next(ctx, method)
		if p, ok := peer.FromContext(ctx); ok && p.Addr != nil && err == nil && actor.TokenID != "" {
			g.authenticated(p.Addr.String())
		}
		return actor, err
	}
}

// http marks a REST connection once a request on it with a token is
// answered with success: the gateway authenticates over its own gRPC
// connection, so the answer is what tells. A refusal does not tell, since
// some (a query that does not parse, a path that names no method) come
// before the token is looked at.
func (g *guard) http(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(&markingWriter{ResponseWriter: w, mark: func() { g.authenticated(r.RemoteAddr) }}, r)
	})
}

type markingWriter struct {
	http.ResponseWriter
	mark  func()
	wrote bool
}

func (w *markingWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if code >= 200 && code < 300 {
			w.mark()
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *markingWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

func (w *markingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
