package store

import (
	"context"
	"os"
)

// DiskSizes tells how much room the database takes, for the metrics: on
// SQLite the file ("db") and its write-ahead log ("wal"), as found; on
// PostgreSQL ("postgres") the tables of the store's schema with their
// indexes and TOAST, which is what this server's data takes on the
// server, where pg_database_size would count every schema and database
// beside it (the PostgreSQL server's own monitoring shows those).
func (db *DB) DiskSizes(ctx context.Context) (map[string]int64, error) {
	sizes := map[string]int64{}
	if db.engine == postgresEngine {
		var n int64
		err := db.read.QueryRowContext(ctx, `SELECT CAST(coalesce(sum(pg_total_relation_size(c.oid)), 0) AS BIGINT)
			FROM pg_class c WHERE c.relnamespace = CAST(current_schema() AS regnamespace) AND c.relkind = 'r'`).Scan(&n)
		if err != nil {
			return nil, err
		}
		sizes["postgres"] = n
		return sizes, nil
	}
	for name, suffix := range map[string]string{"db": "", "wal": "-wal"} {
		if info, err := os.Stat(db.path + suffix); err == nil {
			sizes[name] = info.Size()
		}
	}
	return sizes, nil
}
