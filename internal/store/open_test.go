package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestMigrationsAreRecordedAndNotRerun opens a database twice: the second
// open finds every migration of its engine recorded and runs none again.
func TestMigrationsAreRecordedAndNotRerun(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, testOp); err != nil {
			t.Fatal(err)
		}
		var applied string
		if err := db.writeDB.QueryRow("SELECT apply_time FROM schema_migrations WHERE version = 1").Scan(&applied); err != nil {
			t.Fatal(err)
		}
		db.Close()

		db, err = Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		files, err := db.engine.migrationFiles()
		if err != nil || len(files) == 0 {
			t.Fatalf("migrations of %s: %v, %v", db.engine.name, files, err)
		}
		if n := count(t, db, "SELECT count(*) FROM schema_migrations"); n != len(files) {
			t.Errorf("%d migrations recorded, want %d", n, len(files))
		}
		var again string
		if err := db.writeDB.QueryRow("SELECT apply_time FROM schema_migrations WHERE version = 1").Scan(&again); err != nil {
			t.Fatal(err)
		}
		if again != applied || applied == "" {
			t.Errorf("migration 1 applied at %q, then %q: it ran again", applied, again)
		}
		if _, err := db.GetHospital(ctx, "gkb-7"); err != nil {
			t.Errorf("data lost on reopen: %v", err)
		}
	})
}

// TestSQLiteJournalIsDurable is SQLite's alone: PostgreSQL's durability is
// its server's configuration, not the store's. A change the server
// acknowledged must survive a power cut (synchronous FULL), and readers must
// not wait for the writer (WAL).
func TestSQLiteJournalIsDurable(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.DSN(t, storetest.SQLite))
	var mode, sync string
	if err := db.writeDB.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := db.writeDB.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != "2" {
		t.Errorf("journal_mode %s, synchronous %s; want wal and 2 (FULL)", mode, sync)
	}
}

// TestOpenRefusesWhatIsNotADatabase is about SQLite's files: a file that
// is not a database, a directory, a path that cannot be created.
func TestOpenRefusesWhatIsNotADatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.txt")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 100)), 0o600)
	for _, path := range []string{garbage, dir, filepath.Join(dir, "missing", "x.db")} {
		if db, err := Open(context.Background(), path); err == nil {
			db.Close()
			t.Errorf("Open(%s) succeeded", path)
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want the path in the message", path, err)
		}
	}
}

// TestOpenRefusesNewerSchema: a binary older than its database must not
// write to it.
func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.writeDB.Exec("INSERT INTO schema_migrations VALUES (999, '0999_future.sql', '')"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if db, err := Open(context.Background(), dsn); err == nil || !strings.Contains(err.Error(), "newer") {
			if err == nil {
				db.Close()
			}
			t.Errorf("Open = %v, want a refusal of the newer schema", err)
		}
	})
}
