package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// seedRun fills a database with what every table holds in use: requests,
// and a dispatched run with stops, stop requests and a drop.
func seedRun(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	seedWard(t, db, "gkb-7", "icu")
	seedWard(t, db, "gkb-1", "er")
	seedDepotAndDriver(t, db)
	var ids []string
	for i := range 4 {
		r := newRequest([]string{"gkb-7", "gkb-1"}[i%2], []string{"icu", "er"}[i%2], supply.Urgent, time.Hour)
		if _, err := createRequest(ctx, db, r, testOp); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	createRun(t, db)
	for _, step := range []struct {
		kind supply.EventKind
		do   func(w *supply.RunWork) error
	}{
		{supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids[:3], false) }},
		{supply.EventDispatched, (*supply.RunWork).Dispatch},
		{supply.EventStarted, (*supply.RunWork).Start},
		{supply.EventDelivered, func(w *supply.RunWork) error {
			// The drop at gkb-7, wherever the route puts it.
			s := w.Run.Stops[slices.IndexFunc(w.Run.Stops, func(s supply.Stop) bool { return s.HospitalID == "gkb-7" })]
			return w.Deliver(s.ID, "Nurse", []supply.DeliveredLine{{RequestID: s.RequestIDs[0], Line: 0, Quantity: 5000}}, "")
		}},
	} {
		if _, err := changeRun(ctx, db, "r1", testOp, step.kind, step.do); err != nil {
			t.Fatal(err)
		}
	}
}

// openDSN opens the database dsn names, closed when the test ends.
func openDSN(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() { db.Close() })
	return db
}

// tamper changes the database behind the store's back, as an operator
// with the sqlite3 shell (foreign keys unchecked) or psql might.
func tamper(t *testing.T, dsn string, statements ...string) {
	t.Helper()
	driver, source := "sqlite3", dsn+"?_foreign_keys=0&_busy_timeout=10000"
	if IsPostgres(dsn) {
		driver, source = "pgx", dsn
	}
	raw, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range statements {
		res, err := raw.Exec(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			t.Fatalf("%s changed no row (%v)", s, err)
		}
	}
}

func TestCheckFindsASoundDatabaseSound(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDSN(t, dsn)
		seedRun(t, db)
		// The store stays open: the check runs beside the server.
		findings, err := Check(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if len(findings) != 0 {
			t.Errorf("a sound database: %q", findings)
		}
	})
}

func TestCheckNamesATamperedTotal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDSN(t, dsn)
		seedRun(t, db)
		tamper(t, dsn,
			"UPDATE request_totals SET requests = requests + 2 WHERE hospital_id = 'gkb-1' AND state = 'OPEN'",
			"DELETE FROM outstanding_totals WHERE hospital_id = 'gkb-7' AND category = 'FRUIT'")
		findings, err := Check(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		// gkb-1 has one of its two requests open; gkb-7 has two on the run,
		// one of them 5 kg short of its 12.5 kg.
		want := []string{
			"total: request_totals (hospital_id gkb-1, state OPEN, priority 2) requests is 3, the rows count 1",
			"total: outstanding_totals (hospital_id gkb-7, category FRUIT, unit KILOGRAM) quantity is no row, the rows count 20000",
		}
		if !reflect.DeepEqual(findings, want) {
			t.Errorf("findings\n%s\nwant\n%s", strings.Join(findings, "\n"), strings.Join(want, "\n"))
		}
	})
}

// A broken foreign key is SQLite's alone: PostgreSQL refuses the tampering
// that would make one.
func TestCheckNamesABrokenForeignKey(t *testing.T) {
	t.Parallel()
	db := openDSN(t, storetest.DSN(t, storetest.SQLite))
	seedRun(t, db)
	tamper(t, db.Path(), "DELETE FROM volunteers WHERE id = 'd'", "DELETE FROM wards WHERE hospital_id = 'gkb-1' AND id = 'er'")
	findings, err := Check(context.Background(), db.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"foreign key: rows of delivery_requests (hospital_id, ward_id) refer to wards (hospital_id, id) that do not exist: hospital_id gkb-1, ward_id er",
		"foreign key: rows of runs (volunteer_id) refer to volunteers (id) that do not exist: volunteer_id d",
		"foreign key: rows of stops (hospital_id, ward_id) refer to wards (hospital_id, id) that do not exist: hospital_id gkb-1, ward_id er",
	}
	if !reflect.DeepEqual(findings, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(findings, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckRefusesWhatItCannotCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	raw, err := sql.Open("sqlite3", empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.db"): "no such file",
		dir:                              "is a directory",
		notDB:                            "file is not a database",
		empty:                            "not an Aq Júrek database",
	} {
		if _, err := Check(context.Background(), path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check %s: %v, want an error saying %q", path, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("checking a missing file created it (%v)", err)
	}
}

func TestCheckRefusesAPostgreSQLDatabaseItCannotCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A schema nothing was migrated into: refused, and left as it was.
	dsn := storetest.DSN(t, storetest.Postgres)
	if _, err := Check(ctx, dsn); err == nil || !strings.Contains(err.Error(), "not an Aq Júrek database") {
		t.Errorf("check of an empty schema: %v, want it refused", err)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var tables int
	if err := raw.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the check left %d tables in the empty schema (%v)", tables, err)
	}
	// A server that does not answer: the error never shows the password.
	if _, err := Check(ctx, "postgres://aqjurek:s3cret@127.0.0.1:1/aqjurek?connect_timeout=5"); err == nil || strings.Contains(err.Error(), "s3cret") ||
		!strings.Contains(err.Error(), "postgres://aqjurek@127.0.0.1:1/aqjurek") {
		t.Errorf("check of an unreachable server: %v, want an error naming it without its password", err)
	}
}
