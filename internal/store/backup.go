package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/mattn/go-sqlite3"
)

// Backup copies the database at src to a new file dst with SQLite's online
// backup API. It copies one consistent snapshot in a single step, so it
// finishes however busy the server is (a step-by-step copy would start over
// at every write) and the server keeps serving meanwhile.
func Backup(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", dst)
	}
	if err := copyDatabase(ctx, src+"?_query_only=1&_busy_timeout=10000", dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("backup %s to %s: %w", src, dst, err)
	}
	return soundCopy(ctx, dst)
}

// Restore puts a backup back as the database at dst, replacing what is
// there. The server must be stopped.
func Restore(ctx context.Context, backup, dst string) error {
	if err := soundCopy(ctx, backup); err != nil {
		return fmt.Errorf("restore: %s: %w", backup, err)
	}
	if err := copyDatabase(ctx, backup+"?_query_only=1", dst+"?_busy_timeout=1000"); err != nil {
		return fmt.Errorf("restore %s to %s (is the server still running?): %w", backup, dst, err)
	}
	return nil
}

func copyDatabase(ctx context.Context, srcDSN, dstDSN string) error {
	srcDB, err := sql.Open("sqlite3", srcDSN)
	if err != nil {
		return err
	}
	defer srcDB.Close()
	dstDB, err := sql.Open("sqlite3", dstDSN)
	if err != nil {
		return err
	}
	defer dstDB.Close()
	srcConn, err := srcDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer srcConn.Close()
	dstConn, err := dstDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer dstConn.Close()
	return dstConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			b, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			done, err := b.Step(-1)
			if err == nil && !done {
				err = errors.New("the copy did not finish")
			}
			return errors.Join(err, b.Finish())
		})
	})
}

// soundCopy confirms a backup is a sound Aq Júrek database: SQLite finds
// its structure whole and it has a schema. (Check goes further, for a
// database of this binary's schema.)
func soundCopy(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", path+"?_query_only=1")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("not a database: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("integrity check failed: %s", result)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return errors.New("not an Aq Júrek database (no schema_migrations)")
	}
	return nil
}
