package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/supply"
)

var _ auth.Store = (*DB)(nil)

// tokenOp is the operation token changes are made in: tokens are managed
// from the command line, not through the API, so they write no events.
var tokenOp = supply.Op{Actor: supply.Anonymous, Method: "Token"}

// CreateToken implements auth.Store. A token bound to a hospital or a
// volunteer that does not exist is refused.
func (db *DB) CreateToken(ctx context.Context, t *auth.Token) error {
	return db.update(ctx, tokenOp, func(tx *tx) error {
		for _, ref := range []struct{ table, id, field, pattern string }{
			{"hospitals", t.HospitalID, "hospital", supply.HospitalPattern},
			{"volunteers", t.VolunteerID, "volunteer", supply.VolunteerPattern},
		} {
			if ref.id == "" {
				continue
			}
			var n int
			if err := tx.queryRow("SELECT count(*) FROM "+ref.table+" WHERE id = ?", ref.id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return supply.InvalidField(ref.field, "%s %s does not exist", ref.field, supply.Name(ref.pattern, ref.id))
			}
		}
		_, err := tx.exec(`INSERT INTO tokens (id, name, role, hospital_id, volunteer_id, demo, secret_hash, create_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Name, t.Role, nullString(t.HospitalID), nullString(t.VolunteerID),
			boolInt(t.Demo), t.SecretHash, formatTime(t.CreateTime))
		return err
	})
}

const tokenColumns = "id, name, role, hospital_id, volunteer_id, demo, secret_hash, create_time, last_used_time, revoke_time"

func scanToken(scan func(dest ...any) error) (*auth.Token, error) {
	t := &auth.Token{}
	var hospital, volunteer, used, revoked sql.NullString
	var created string
	if err := scan(&t.ID, &t.Name, &t.Role, &hospital, &volunteer, &t.Demo, &t.SecretHash, &created, &used, &revoked); err != nil {
		return nil, err
	}
	t.HospitalID, t.VolunteerID = hospital.String, volunteer.String
	var err error
	if t.CreateTime, err = parseTime(created); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		from sql.NullString
		to   *time.Time
	}{{used, &t.LastUsed}, {revoked, &t.RevokeTime}} {
		if f.from.Valid {
			if *f.to, err = parseTime(f.from.String); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// GetToken implements auth.Store.
func (db *DB) GetToken(ctx context.Context, id string) (*auth.Token, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE id = ?", id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, supply.NotFoundf("token " + id)
	}
	return t, err
}

// RevokedTokens returns those of ids that are revoked or do not exist, in
// one read however many there are: open event streams ask it often.
func (db *DB) RevokedTokens(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	live := map[string]bool{}
	err := each(ctx, db.read, `SELECT id FROM tokens WHERE revoke_time IS NULL AND id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`,
		args, func(rows *sql.Rows) error {
			var id string
			err := rows.Scan(&id)
			live[id] = true
			return err
		})
	var revoked []string
	for _, id := range ids {
		if !live[id] {
			revoked = append(revoked, id)
		}
	}
	return revoked, err
}

// ListTokens implements auth.Store.
func (db *DB) ListTokens(ctx context.Context) ([]*auth.Token, error) {
	var tokens []*auth.Token
	err := each(ctx, db.read, "SELECT "+tokenColumns+" FROM tokens ORDER BY create_time, id", nil, func(rows *sql.Rows) error {
		t, err := scanToken(rows.Scan)
		tokens = append(tokens, t)
		return err
	})
	return tokens, err
}

// RevokeToken implements auth.Store.
func (db *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return db.update(ctx, tokenOp, func(tx *tx) error {
		res, err := tx.exec("UPDATE tokens SET revoke_time = coalesce(revoke_time, ?) WHERE id = ?", formatTime(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return supply.NotFoundf("token " + id)
		}
		return nil
	})
}

// TouchToken implements auth.Store.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	return db.update(ctx, tokenOp, func(tx *tx) error {
		_, err := tx.exec("UPDATE tokens SET last_used_time = ? WHERE id = ?", formatTime(at), id)
		return err
	})
}

// RevokeDemoTokens implements auth.Store.
func (db *DB) RevokeDemoTokens(ctx context.Context, at time.Time) error {
	return db.update(ctx, tokenOp, func(tx *tx) error {
		_, err := tx.exec("UPDATE tokens SET revoke_time = ? WHERE demo = 1 AND revoke_time IS NULL", formatTime(at))
		return err
	})
}
