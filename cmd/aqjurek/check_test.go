package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckSaysOkOrWhatIsWrong(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "aqjurek.db")
	var out, errOut bytes.Buffer
	if err := realMain(ctx, []string{"migrate", "--db", dbPath}, &out, &errOut); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := realMain(ctx, []string{"check", "--db", dbPath}, &out, &errOut); err != nil {
		t.Fatalf("check of a new database: %v\n%s", err, errOut.String())
	}
	if out.String() != "ok\n" {
		t.Errorf("check of a new database printed %q, want ok", out.String())
	}

	// A total for requests that do not exist.
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO request_totals (hospital_id, state, priority, requests) VALUES ('gkb-7', 'OPEN', 2, 4)"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = realMain(ctx, []string{"check", "--db", dbPath}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "1 problem found") {
		t.Errorf("check of a tampered database: %v, want it to fail", err)
	}
	want := "total: request_totals (hospital_id gkb-7, state OPEN, priority 2) requests is 4, the rows count 0\n"
	if out.String() != want {
		t.Errorf("check printed\n%s\nwant\n%s", out.String(), want)
	}

	if err := realMain(ctx, []string{"check", "--db", filepath.Join(t.TempDir(), "missing.db")}, &out, &errOut); err == nil ||
		!strings.Contains(err.Error(), "no such file") {
		t.Errorf("check of a missing file: %v", err)
	}
}
