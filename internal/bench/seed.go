// Package bench measures what the service sustains on this machine: the
// real server as a separate process on loopback, driven over gRPC and REST,
// against the raw speed of its database engine (SQLite, or a PostgreSQL
// server) with the same durability.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// hospitals and wards of the bench's city.
const (
	benchHospitals = 8
	benchWards     = 4
)

// seed fills the fresh database t with the bench's city and rows delivery
// requests in mixed states, in large batches (this is setup, so it may
// skip waiting for the disk at each commit). The same statements load both
// engines.
func seed(ctx context.Context, t *target, rows int, now time.Time) error {
	db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return err
	}
	op := supply.Op{Actor: supply.Actor{Name: "bench", Role: "system"}, Time: now}
	for h := range benchHospitals {
		id := fmt.Sprintf("h%d", h)
		if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: id, DisplayName: "Hospital " + id,
			Location: &supply.LatLng{Latitude: 43.2 + float64(h)/100, Longitude: 76.85 + float64(h)/100}}, op); err != nil {
			db.Close()
			return err
		}
		for w := range benchWards {
			if _, err := db.CreateWard(ctx, &supply.Ward{HospitalID: id, ID: fmt.Sprintf("w%d", w), DisplayName: "Ward"}, op); err != nil {
				db.Close()
				return err
			}
		}
	}
	if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "depot", DisplayName: "Depot", Location: &supply.LatLng{Latitude: 43.26, Longitude: 76.95}}, op); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}

	raw, err := t.open(bulk)
	if err != nil {
		return err
	}
	defer raw.Close()
	// A bulk load is faster without the requests' indexes; they are built
	// again afterwards from the definitions the database keeps.
	indexes, err := raw.dropIndexes(ctx, "delivery_requests", "delivery_request_lines")
	if err != nil {
		return err
	}
	if err := raw.pauseTotals(ctx); err != nil {
		return err
	}
	insertRequests := `INSERT INTO delivery_requests (id, hospital_id, ward_id, priority, deliver_after, deliver_before,
		headcount, dietary_notes, notes, state, run_id, cancel_reason, create_time, update_time, revision) VALUES `
	insertLines := `INSERT INTO delivery_request_lines (delivery_request_id, position, category, description, unit,
		quantity, scheduled_quantity, delivered_quantity) VALUES `
	rng := rand.New(rand.NewPCG(6, 1))
	states := []string{"OPEN", "OPEN", "OPEN", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "CANCELLED", "CANCELLED"}
	created := formatTime(now)
	const batch = 500
	var tx *sql.Tx
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	for start := 0; start < rows; start += batch {
		n := min(batch, rows-start)
		if start%50000 == 0 {
			if tx != nil {
				if err := tx.Commit(); err != nil {
					return err
				}
			}
			if tx, err = raw.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
		requests := make([]string, 0, n)
		lines := make([]string, 0, 2*n)
		var args, lineArgs []any
		for i := range n {
			id := fmt.Sprintf("seed%07d", start+i)
			state := states[rng.IntN(len(states))]
			due := formatTime(now.Add(time.Duration(rng.IntN(96)-24) * time.Hour))
			requests = append(requests, "(?, ?, ?, ?, NULL, ?, 20, '', '', ?, NULL, '', ?, ?, 1)")
			args = append(args, id, fmt.Sprintf("h%d", rng.IntN(benchHospitals)), fmt.Sprintf("w%d", rng.IntN(benchWards)),
				1+rng.IntN(3), due, state, created, created)
			delivered := 0
			if state == "DELIVERED" {
				delivered = 10000
			}
			lines = append(lines, "(?, 0, 'FRUIT', 'apples', 'KILOGRAM', 10000, 0, ?)", "(?, 1, 'MEALS', 'plov', 'PORTION', 20000, 0, ?)")
			lineArgs = append(lineArgs, id, delivered, id, 2*delivered)
		}
		if _, err := tx.ExecContext(ctx, insertRequests+strings.Join(requests, ", "), args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertLines+strings.Join(lines, ", "), lineArgs...); err != nil {
			return err
		}
	}
	if tx != nil {
		err, tx = tx.Commit(), nil
		if err != nil {
			return err
		}
	}
	if err := raw.resumeTotals(ctx); err != nil {
		return err
	}
	for _, index := range indexes {
		if _, err := raw.ExecContext(ctx, index); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	return raw.settle(ctx)
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
