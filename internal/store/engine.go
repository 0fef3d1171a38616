package store

import (
	"context"
	"database/sql"
)

// engine is what differs between SQLite and PostgreSQL beyond the SQL the
// store speaks to both.
type engine struct {
	// name is the engine's directory of migrations.
	name string
	// schemaMigrations creates the table of applied migrations.
	schemaMigrations string
	// migrationLock and migrationUnlock, when set, keep servers starting
	// together on one database from migrating it at once.
	migrationLock, migrationUnlock string
	// lockWrites, when set, runs first in every write transaction. In
	// PostgreSQL it makes the writers of every server take turns, as
	// SQLite's single writer does: each change sees the one before it
	// (a request is on at most one run, stock never goes below zero, one
	// racer wins) and takes the next event sequence, so the log has no gaps
	// and no reader sees a later event before an earlier one commits.
	// Readers are not blocked.
	lockWrites string
	// snapshot is how a read that must see one state of the database (a
	// dashboard, a report) begins its transaction.
	snapshot *sql.TxOptions
	// announce, when set, tells other servers sharing the database that a
	// commit holds changes; it runs inside the transaction.
	announce func(ctx context.Context, t *sql.Tx, channel string) error
}

var sqliteEngine = &engine{
	name: "sqlite",
	schemaMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, apply_time TEXT NOT NULL) STRICT`,
	// A read transaction in SQLite reads one snapshot from its first read.
	snapshot: &sql.TxOptions{ReadOnly: true},
}

// migrationLockKey is the advisory lock servers take to migrate.
const migrationLockKey = "7425069103"

var postgresEngine = &engine{
	name: "postgres",
	schemaMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version bigint PRIMARY KEY, name text NOT NULL, apply_time text NOT NULL)`,
	migrationLock:   "SELECT pg_advisory_lock(" + migrationLockKey + ")",
	migrationUnlock: "SELECT pg_advisory_unlock(" + migrationLockKey + ")",
	// EXCLUSIVE conflicts with every write to the log and with itself, not
	// with reads.
	lockWrites: "LOCK TABLE events IN EXCLUSIVE MODE",
	snapshot:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	announce: func(ctx context.Context, t *sql.Tx, channel string) error {
		_, err := t.ExecContext(ctx, "SELECT pg_notify(?, '')", channel)
		return err
	},
}

// readSnapshot begins a read-only transaction that sees one state of the
// database throughout.
func (db *DB) readSnapshot(ctx context.Context) (*sql.Tx, error) {
	return db.read.BeginTx(ctx, db.engine.snapshot)
}
