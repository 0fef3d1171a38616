package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/store/storetest"
)

func TestBackupAndRestoreOfPostgreSQLAreRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dump := filepath.Join(dir, "almaty.dump")
	// A server that does not exist: the commands refuse before they
	// connect to anything.
	url := "postgres://aqjurek:s3cret@db.example.org:5432/aqjurek?search_path=almaty&sslmode=require"
	shown := "postgres://aqjurek@db.example.org:5432/aqjurek?search_path=almaty&sslmode=require"
	// PostgreSQL's tools take the URL's options but search_path.
	tool := "'postgres://aqjurek@db.example.org:5432/aqjurek?sslmode=require'"
	for _, tc := range []struct {
		args []string
		says []string
	}{
		{[]string{"backup", "--db", url, "--out", dump}, []string{
			"backup copies SQLite files only; " + shown + " is PostgreSQL",
			"pg_dump --format=custom --schema=almaty --file=" + dump + " --dbname=" + tool,
			"pg_restore --clean --if-exists --single-transaction --schema=almaty --dbname=" + tool + " " + dump}},
		{[]string{"restore", "--db", url, "--from", dump}, []string{
			"restore puts back SQLite files only",
			"pg_restore --clean --if-exists --single-transaction --schema=almaty --dbname=" + tool + " " + dump}},
		// Without --db the database is AQJUREK_DB's (set below); without
		// --out the commands name a file of their own.
		{[]string{"backup"}, []string{"pg_dump --format=custom --schema=almaty --file=aqjurek.dump --dbname=" + tool}},
	} {
		t.Setenv("AQJUREK_DB", url)
		var out, errOut bytes.Buffer
		err := realMain(ctx, tc.args, &out, &errOut)
		if err == nil || exitStatus(err) != 2 {
			t.Fatalf("aqjurek %v = %v (exit %d), want a refusal with exit status 2", tc.args, err, exitStatus(err))
		}
		for _, says := range tc.says {
			if !strings.Contains(err.Error(), says) {
				t.Errorf("aqjurek %v says\n%v\nwant it to say\n%s", tc.args, err, says)
			}
		}
		if strings.Contains(err.Error()+out.String()+errOut.String(), "s3cret") {
			t.Errorf("aqjurek %v shows the password:\n%v", tc.args, err)
		}
		if out.Len() != 0 {
			t.Errorf("aqjurek %v printed %q", tc.args, out.String())
		}
		if _, err := os.Stat(dump); !os.IsNotExist(err) {
			t.Errorf("aqjurek %v made %s (%v)", tc.args, dump, err)
		}
	}
	// Other failures stay 1.
	if err := realMain(ctx, []string{"frobnicate"}, &bytes.Buffer{}, &bytes.Buffer{}); exitStatus(err) != 1 {
		t.Errorf("an unknown command exits %d, want 1", exitStatus(err))
	}
}

func TestPostgreSQLPasswordNeverShows(t *testing.T) {
	ctx := context.Background()
	url := withPassword(t, storetest.DSN(t, storetest.Postgres), "s3cret")
	// The database from AQJUREK_DB, as an operator would set it once.
	t.Setenv("AQJUREK_DB", url)
	var out, errOut bytes.Buffer
	for _, args := range [][]string{
		{"migrate"},
		{"check"},
		{"token", "create", "--role", "admin", "--name", "Ops"},
		{"token", "list"},
	} {
		if err := realMain(ctx, args, &out, &errOut); err != nil {
			t.Fatalf("aqjurek %v: %v\n%s", args, err, errOut.String())
		}
	}
	for _, says := range []string{"database postgres://postgres@127.0.0.1:", "ok\n", "Ops"} {
		if !strings.Contains(out.String(), says) {
			t.Errorf("the commands printed\n%s\nwant %q", out.String(), says)
		}
	}
	// A server that does not answer, named with a password.
	unreachable := "postgres://aqjurek:s3cret@127.0.0.1:1/aqjurek?connect_timeout=5"
	for _, args := range [][]string{{"migrate", "--db", unreachable}, {"check", "--db", unreachable}, {"token", "list", "--db", unreachable}} {
		err := realMain(ctx, args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "postgres://aqjurek@127.0.0.1:1/aqjurek") {
			t.Errorf("aqjurek %v = %v, want an error naming the server", args, err)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("aqjurek %v shows the password: %v", args, err)
		}
	}
	if strings.Contains(out.String()+errOut.String(), "s3cret") {
		t.Errorf("the password shows in what the commands printed:\n%s\n%s", out.String(), errOut.String())
	}
}
