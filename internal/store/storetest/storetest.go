// Package storetest gives tests a fresh database on each engine the store
// supports: an SQLite file always, and PostgreSQL when AQJUREK_TEST_POSTGRES
// names a server (postgres://user@host:port/db), where each test works in a
// schema of its own, dropped when it ends. Under CI=true the PostgreSQL
// server is required: its tests fail rather than skip without it.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aqjurek/tracker/internal/store/scratch"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ServerVariable names the environment variable with the PostgreSQL
// server's URL.
const ServerVariable = "AQJUREK_TEST_POSTGRES"

// EngineVariable, when set to "postgres", makes DefaultDSN a PostgreSQL
// schema: the server tests then run whole against PostgreSQL.
const EngineVariable = "AQJUREK_TEST_ENGINE"

// Engines lists the engines a test runs against: SQLite, and PostgreSQL
// when a server is given (always under CI).
func Engines(t testing.TB) []string {
	if server(t) == "" {
		return []string{SQLite}
	}
	return []string{SQLite, Postgres}
}

// Each runs test once per engine, as a subtest named after it, with a fresh
// database's --db value.
func Each(t *testing.T, test func(t *testing.T, dsn string)) {
	for _, engine := range Engines(t) {
		t.Run(engine, func(t *testing.T) { test(t, DSN(t, engine)) })
	}
}

// DefaultDSN is a fresh database on the engine EngineVariable chooses
// (SQLite unless it says postgres).
func DefaultDSN(t testing.TB) string {
	if os.Getenv(EngineVariable) == Postgres {
		return DSN(t, Postgres)
	}
	return DSN(t, SQLite)
}

// DSN returns the --db value of a fresh, empty database on engine: a file
// in the test's temporary directory, or a new schema on the PostgreSQL
// server (skipping the test when there is none, outside CI).
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == SQLite {
		return filepath.Join(t.TempDir(), "aqjurek.db")
	}
	base := server(t)
	if base == "" {
		t.Skipf("no PostgreSQL server: set %s to run this test against PostgreSQL", ServerVariable)
	}
	dsn, name, drop, err := scratch.Schema(context.Background(), base, "test_")
	if err != nil {
		t.Fatalf("%s: %v", ServerVariable, err)
	}
	t.Cleanup(func() {
		if err := drop(context.Background()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	})
	return dsn
}

// server returns the PostgreSQL server's URL, or "" when there is none;
// under CI=true there must be one.
func server(t testing.TB) string {
	s := os.Getenv(ServerVariable)
	if s == "" && os.Getenv("CI") == "true" {
		t.Fatalf("CI runs every store test against PostgreSQL too: set %s (scripts/postgres starts a server)", ServerVariable)
	}
	return s
}
