package server_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

func TestShutdownLetsInFlightCallsFinishThenClosesTheDatabase(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")

	// Another process holds the write lock, so the next create waits in flight.
	release := s.holdWriteLock()
	created := make(chan int, 1)
	go func() {
		code, _ := s.rest("POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
		created <- code
	}()
	time.Sleep(time.Second) // the create is now waiting for the lock, even on a busy machine

	stopped := make(chan error, 1)
	go func() { stopped <- s.Shutdown(context.Background()) }()
	time.Sleep(200 * time.Millisecond)
	if _, err := http.Get(s.base + "/healthz"); err == nil {
		t.Error("a new call was accepted during shutdown")
	}
	release()

	if code := <-created; code != 200 {
		t.Errorf("in-flight create answered %d, want 200", code)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	// The last connection closed checkpoints and removes the write-ahead log.
	if info, err := os.Stat(s.dbPath + "-wal"); !store.IsPostgres(s.dbPath) && err == nil && info.Size() > 0 {
		t.Errorf("write-ahead log left with %d bytes: the database was not closed", info.Size())
	}
	db, err := store.Open(context.Background(), s.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	requests, _, err := db.ListDeliveryRequests(context.Background(), supply.DeliveryRequestQuery{Page: supply.Page{Size: 10}})
	if n := len(requests); err != nil || n != 1 {
		t.Errorf("%d requests stored (%v), want the in-flight one", n, err)
	}
}
