// Package scratch makes throwaway PostgreSQL schemas: the tests and the
// bench each work in a database of their own on a shared server, selected
// by search_path in the URL the store opens.
package scratch

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Schema creates an empty schema, named prefix and a random suffix, on the
// PostgreSQL server the URL names. It returns the URL that selects it, the
// schema's name, and a function that drops it with everything in it.
func Schema(ctx context.Context, server, prefix string) (dsn, name string, drop func(context.Context) error, err error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", "", nil, errors.New("the PostgreSQL URL does not parse")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name = prefix + hex.EncodeToString(b)
	if err := run(ctx, server, "CREATE SCHEMA "+name); err != nil {
		return "", "", nil, fmt.Errorf("create schema %s on %s: %w", name, u.Redacted(), err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	drop = func(ctx context.Context) error {
		if err := run(ctx, server, "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", name, err)
		}
		return nil
	}
	return u.String(), name, drop, nil
}

// run runs one statement on its own connection to the server.
func run(ctx context.Context, server, statement string) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, statement)
	return err
}
