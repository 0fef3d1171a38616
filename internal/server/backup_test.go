package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
)

func TestBackupUnderLoadRestoresEveryAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.sqliteOnly("a PostgreSQL database is backed up with pg_dump")
	s.seed("gkb-7", "icu")
	var mu sync.Mutex
	var acknowledged []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				code, out := s.rest("POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
				if code != 200 {
					t.Errorf("create under load: %d %v", code, out)
					return
				}
				mu.Lock()
				acknowledged = append(acknowledged, out["name"].(string))
				mu.Unlock()
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	before := append([]string(nil), acknowledged...)
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := store.Backup(context.Background(), s.dbPath, backup); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the load goes on after the backup
	close(stop)
	wg.Wait()
	if len(before) < 10 {
		t.Fatalf("only %d creates before the backup", len(before))
	}
	if err := store.Backup(context.Background(), s.dbPath, backup); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an existing file: %v", err)
	}

	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := store.Restore(context.Background(), backup, restored); err != nil {
		t.Fatal(err)
	}
	r := startServer(t, func(c *server.Config) { c.DBPath = restored })
	got := map[string]bool{}
	for _, req := range r.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
		got[req["name"].(string)] = true
	}
	for _, name := range before {
		if !got[name] {
			t.Errorf("%s, acknowledged before the backup, is missing from it", name)
		}
	}
	if len(got) > len(acknowledged) {
		t.Errorf("the backup holds %d requests, more than the %d ever acknowledged", len(got), len(acknowledged))
	}

	garbage := filepath.Join(t.TempDir(), "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("x", 4096)), 0o600)
	if err := store.Restore(context.Background(), garbage, filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Error("restored a file that is not a database")
	}
}
