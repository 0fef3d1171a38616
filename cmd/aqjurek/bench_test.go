package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/store/storetest"
)

// TestBenchRunsEveryFigure runs the whole bench small: it checks that every
// figure is measured and that no call failed or acknowledged write went
// missing, not how fast anything is.
func TestBenchRunsEveryFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("the bench starts the server as a process")
	}
	report := runSmallBench(t)
	checkBenchReport(t, report, "sqlite", "limit_sqlite_insert")
}

// TestBenchRunsEveryFigureOnPostgres is the same small bench with --db
// naming a PostgreSQL server: every figure measured there too, the raw
// limit PostgreSQL's own, and the schema the bench worked in gone after it.
func TestBenchRunsEveryFigureOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("the bench starts the server as a process")
	}
	// A fresh test schema only for the server's URL (and the skip without
	// one): the bench makes its own schema beside it.
	server := storetest.DSN(t, storetest.Postgres)
	report := runSmallBench(t, "--db", server)
	checkBenchReport(t, report, "postgres", "limit_postgres_insert")

	schema := report.Database[strings.LastIndex(report.Database, " ")+1:]
	if !strings.HasPrefix(schema, "bench_") {
		t.Fatalf("the report names database %q, want the bench's own schema", report.Database)
	}
	if !strings.HasPrefix(report.Durability, "synchronous_commit=") {
		t.Errorf("durability %q, want the server's synchronous_commit", report.Durability)
	}
	db, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left int
	if err := db.QueryRow("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("schema %s is still there after the bench", schema)
	}
}

// TestBenchRefusesAnSQLiteFile keeps the bench off a database that holds
// data: it makes its own SQLite file, and --db takes only a server.
func TestBenchRefusesAnSQLiteFile(t *testing.T) {
	var out, progress bytes.Buffer
	err := realMain(context.Background(), []string{"bench", "--db", "aqjurek.db"}, &out, &progress)
	if err == nil || !strings.Contains(err.Error(), "--db") {
		t.Errorf("bench --db aqjurek.db: %v, want it refused naming --db", err)
	}
}

type benchReport struct {
	Engine, Database, Durability string
	Figures                      []struct {
		Name  string
		Value float64
	}
	Ratios          []struct{ Name string }
	Errors, Missing int
}

func runSmallBench(t *testing.T, args ...string) benchReport {
	t.Helper()
	var out, progress bytes.Buffer
	args = append([]string{"bench", "--duration", "300ms", "--concurrency", "4", "--rows", "3000", "--watchers", "40", "--json"}, args...)
	if err := realMain(context.Background(), args, &out, &progress); err != nil {
		t.Fatalf("bench: %v\n%s", err, progress.String())
	}
	var report benchReport
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	return report
}

func checkBenchReport(t *testing.T, report benchReport, engine, limit string) {
	t.Helper()
	if report.Engine != engine {
		t.Errorf("engine %q, want %q", report.Engine, engine)
	}
	got := map[string]float64{}
	for _, f := range report.Figures {
		got[f.Name] = f.Value
	}
	for _, name := range []string{limit, "seed_rows", "file_request_grpc", "file_request_rest", "list_open_requests",
		"list_open_requests_one_client", "dashboard_summary", "deliver_stop", "acknowledged_creates", "rss_after_start",
		"peak_rss", "startup", "watch_file_before_watchers", "watch_file_with_watchers", "watch_file_after_watchers",
		"watch_delivery_count", "watch_rss"} {
		if got[name] <= 0 {
			t.Errorf("%s = %v, want a measured value", name, got[name])
		}
	}
	for _, name := range []string{"file_request_grpc_p99", "list_open_requests_p50", "dashboard_summary_p99", "deliver_stop_p99",
		"watch_delivery_p50", "watch_delivery_p99", "watch_delivery_at_100_per_second_p99", "watch_cut_off", "watch_gaps"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	var ratios []string
	for _, r := range report.Ratios {
		ratios = append(ratios, r.Name)
	}
	if report.Errors != 0 || report.Missing != 0 || len(ratios) != 3 || !slices.Contains(ratios, "file_request_grpc/"+limit) {
		t.Errorf("errors %d, missing %d, ratios %v", report.Errors, report.Missing, ratios)
	}
}
