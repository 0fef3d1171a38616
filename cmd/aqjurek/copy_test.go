package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/demo"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
)

// withPassword puts a password into a PostgreSQL URL; the test server
// trusts its clients, so any password connects.
func withPassword(t *testing.T, dsn, password string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

// demoFile is an SQLite database with the demo data set, as "serve --demo"
// loads it, and a coordinator's token, whose bearer it returns.
func demoFile(t *testing.T) (path, bearer string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "almaty.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded, err := demo.Load(ctx, db, time.Now()); err != nil || !loaded {
		t.Fatalf("demo not loaded: %v", err)
	}
	db.Close()
	var out, errOut bytes.Buffer
	if err := realMain(ctx, []string{"token", "create", "--db", path, "--role", "coordinator", "--name", "Ops"}, &out, &errOut); err != nil {
		t.Fatalf("token create: %v\n%s", err, errOut.String())
	}
	return path, strings.TrimSpace(out.String())
}

// rowCounts counts the rows of every table of an SQLite file but the
// migrations'.
func rowCounts(t *testing.T, path string) map[string]int64 {
	t.Helper()
	raw, err := sql.Open("sqlite3", path+"?_query_only=1")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	counts := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := raw.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}

// whatACoordinatorSees is what a coordinator sees of a city through the REST API.
func whatACoordinatorSees(t *testing.T, dbArg, bearer string) (seen map[string]any, logs string) {
	t.Helper()
	httpAddr := freePort(t)
	logs = serveUntil(t, []string{"--db", dbArg, "--http-addr", httpAddr, "--grpc-addr", freePort(t)}, httpAddr, func(string) {
		base := "http://" + httpAddr + "/v1/"
		seen = map[string]any{}
		for _, path := range []string{"deliveryRequests?pageSize=1000", "runs?pageSize=1000", "hospitals?pageSize=100",
			"donations?pageSize=1000", "purchases?pageSize=1000", "donations/transfer-alatau-logistic:trace", "dashboard"} {
			seen[path] = getJSON(t, base+path, bearer)
		}
		// The moment it was computed is the one thing that differs.
		delete(seen["dashboard"].(map[string]any), "computeTime")
	})
	return seen, logs
}

func TestCopyMovesACityToPostgreSQL(t *testing.T) {
	ctx := context.Background()
	target := storetest.DSN(t, storetest.Postgres)
	from, bearer := demoFile(t)
	want := rowCounts(t, from)
	if want["delivery_requests"] < 100 || want["lot_drops"] == 0 || want["tokens"] == 0 || want["request_totals"] == 0 {
		t.Fatalf("the demo file holds too little to copy: %v", want)
	}
	to := withPassword(t, target, "s3cret")

	var out, errOut bytes.Buffer
	start := time.Now()
	if err := realMain(ctx, []string{"copy", "--from", from, "--to", to}, &out, &errOut); err != nil {
		t.Fatalf("copy: %v\n%s%s", err, out.String(), errOut.String())
	}
	t.Logf("copied the demo in %s:\n%s", time.Since(start).Round(time.Millisecond), out.String())
	// A line a table, its rows with thousands marked, and the total.
	printed := map[string]int64{}
	var total int64
	for _, m := range regexp.MustCompile(`(?m)^(\w+) +([\d,]+) rows$`).FindAllStringSubmatch(out.String(), -1) {
		n, _ := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64)
		printed[m[1]] = n
		if m[1] != "total" {
			total += n
		}
	}
	if printed["total"] != total || total == 0 {
		t.Errorf("printed total %d, the tables add up to %d", printed["total"], total)
	}
	delete(printed, "total")
	if !reflect.DeepEqual(printed, want) {
		t.Errorf("copy printed rows %v\nthe file holds %v", printed, want)
	}
	if !strings.Contains(out.String(), "events  ") || !strings.Contains(out.String(), "copied "+from+" to postgres://") {
		t.Errorf("copy printed:\n%s", out.String())
	}

	// The copy checks sound, and every table holds what the file's does.
	out.Reset()
	if err := realMain(ctx, []string{"check", "--db", to}, &out, &errOut); err != nil || out.String() != "ok\n" {
		t.Errorf("check of the copy: %v %q", err, out.String())
	}
	pg, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for table, n := range want {
		var got int64
		if err := pg.QueryRow(`SELECT count(*) FROM "` + table + `"`).Scan(&got); err != nil || got != n {
			t.Errorf("%s holds %d rows in PostgreSQL (%v), %d in the file", table, got, err, n)
		}
	}

	// A coordinator sees the same city on either database, with the same
	// token: needs, runs, the ledger, a gift traced to wards, the dashboard.
	onSQLite, _ := whatACoordinatorSees(t, from, bearer)
	onPostgres, logs := whatACoordinatorSees(t, to, bearer)
	for what, v := range onSQLite {
		if !reflect.DeepEqual(onPostgres[what], v) {
			t.Errorf("%s differs:\nSQLite     %v\nPostgreSQL %v", what, v, onPostgres[what])
		}
	}
	if n := len(onPostgres["deliveryRequests?pageSize=1000"].(map[string]any)["deliveryRequests"].([]any)); int64(n) != want["delivery_requests"] {
		t.Errorf("the server on the copy lists %d requests, want %d", n, want["delivery_requests"])
	}

	// A second copy into the database, no longer empty, is refused.
	out.Reset()
	errOut.Reset()
	err = realMain(ctx, []string{"copy", "--from", from, "--to", to}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "already holds rows in table") {
		t.Errorf("a second copy: %v, want it refused", err)
	}
	if strings.Contains(logs+out.String()+errOut.String()+err.Error(), "s3cret") {
		t.Errorf("the password shows in what was printed or logged:\n%s\n%s\n%v", logs, out.String(), err)
	}
	if !strings.Contains(logs, `"db":"postgres://postgres@`) {
		t.Errorf("serve did not log the database it serves:\n%s", logs)
	}
}

func TestCopyKeepsNothingOfACopyThatFails(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, tamper, says string
	}{
		// A total the rows do not count: the recount before the commit
		// finds it.
		{"total", "UPDATE request_totals SET requests = requests + 5 WHERE hospital_id = (SELECT min(hospital_id) FROM request_totals)", "total: request_totals"},
		// A run whose driver is gone: PostgreSQL refuses the key.
		{"key", "DELETE FROM volunteers WHERE id IN (SELECT volunteer_id FROM runs)", "foreign key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := storetest.DSN(t, storetest.Postgres)
			from, _ := demoFile(t)
			raw, err := sql.Open("sqlite3", from+"?_foreign_keys=0")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(tc.tamper); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			var out, errOut bytes.Buffer
			err = realMain(ctx, []string{"copy", "--from", from, "--to", target}, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.says) || exitStatus(err) == 0 {
				t.Fatalf("copy of a file with a broken %s: %v, want an error saying %q", tc.name, err, tc.says)
			}
			if out.Len() != 0 {
				t.Errorf("a failed copy printed:\n%s", out.String())
			}
			pg, err := sql.Open("pgx", target)
			if err != nil {
				t.Fatal(err)
			}
			defer pg.Close()
			for _, table := range []string{"hospitals", "delivery_requests", "request_totals", "events"} {
				var n int
				if err := pg.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
					t.Errorf("after a failed copy %s holds %d rows (%v), want none", table, n, err)
				}
			}
		})
	}
}
