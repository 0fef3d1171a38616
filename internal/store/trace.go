package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

// TraceDonation implements supply.TraceStore. Its reads share one read
// transaction, so the trace is of one moment.
func (db *DB) TraceDonation(ctx context.Context, id string) (*supply.Trace, error) {
	rtx, err := db.readSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	r := readTx{ctx: ctx, tx: rtx}
	d, err := donations.get(r, supply.Name(supply.DonationPattern, id), id)
	if err != nil {
		return nil, err
	}
	trace := &supply.Trace{Donation: d}
	rows, err := r.query(`SELECT a.purchase_id, a.amount_minor, p.currency, p.amount_minor
		FROM allocations a JOIN purchases p ON p.id = a.purchase_id
		WHERE a.donation_id = ? ORDER BY p.purchase_time, p.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p supply.TracedPurchase
		if err := rows.Scan(&p.PurchaseID, &p.Paid.Minor, &p.Amount.Currency, &p.Amount.Minor); err != nil {
			return nil, err
		}
		p.Paid.Currency = p.Amount.Currency
		trace.Purchases = append(trace.Purchases, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	const fromDonation = `(source_donation_id = ? OR source_purchase_id IN (SELECT purchase_id FROM allocations WHERE donation_id = ?))`
	if trace.Lots, _, err = lots.list(r, []string{fromDonation}, []any{id, id}, lotOrder, supply.Page{Size: math.MaxInt32}); err != nil {
		return nil, err
	}
	rows, err = r.query(`SELECT d.run_id, d.stop_id, d.delivery_request_id, d.line, d.depot_id, d.lot_id, d.quantity,
		s.hospital_id, s.ward_id, s.deliver_time, l.category, l.description, l.unit, COALESCE(l.source_purchase_id, '')
		FROM lot_drops d
		JOIN lots l ON l.depot_id = d.depot_id AND l.id = d.lot_id
		JOIN stops s ON s.run_id = d.run_id AND s.id = d.stop_id
		WHERE l.`+fromDonation[1:len(fromDonation)-1]+`
		ORDER BY s.deliver_time, d.run_id, d.stop_id, d.position`, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t supply.TracedDrop
		var delivered sql.NullString
		if err := rows.Scan(&t.RunID, &t.StopID, &t.RequestID, &t.Line, &t.DepotID, &t.LotID, &t.Quantity,
			&t.HospitalID, &t.WardID, &delivered, &t.Category, &t.Description, &t.Unit, &t.PurchaseID); err != nil {
			return nil, err
		}
		if delivered.Valid {
			if t.DeliverTime, err = parseTime(delivered.String); err != nil {
				return nil, err
			}
		}
		trace.Drops = append(trace.Drops, t)
	}
	return trace, rows.Err()
}

// readTx is a read transaction under a caller's context, for reads that
// must see one moment.
type readTx struct {
	ctx context.Context
	tx  *sql.Tx
}

func (r readTx) query(query string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(r.ctx, query, args...)
}

// reach is everything: a trace is read for the ledger's keepers.
func (r readTx) reach() supply.Scope { return supply.Scope{} }

func (r readTx) queryRow(query string, args ...any) *sql.Row {
	return r.tx.QueryRowContext(r.ctx, query, args...)
}

// stopDonorsQuery finds, for every drop of the runs, the donation its lot
// came from: the goods donation itself, or each donation that paid for the
// purchase that bought it. Every join reads a primary key or an index, so
// the donors of a page of runs cost one query whatever its stops.
const stopDonorsQuery = `SELECT d.run_id, d.stop_id, g.id, g.donor_name, g.donor_contact, g.donor_public
	FROM lot_drops d
	JOIN lots l ON l.depot_id = d.depot_id AND l.id = d.lot_id
	LEFT JOIN allocations a ON a.purchase_id = l.source_purchase_id
	JOIN donations g ON g.id = COALESCE(l.source_donation_id, a.donation_id)
	WHERE d.run_id IN (%s)
	GROUP BY d.run_id, d.stop_id, g.id
	ORDER BY d.run_id, d.stop_id, MIN(d.position), MIN(COALESCE(a.position, 0)), g.id`

// StopDonors implements supply.StopDonorStore.
func (db *DB) StopDonors(ctx context.Context, runIDs []string) ([]supply.StopDonor, error) {
	if len(runIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(runIDs))
	for i, id := range runIDs {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(runIDs)), ", ")
	var out []supply.StopDonor
	err := each(ctx, db.read, fmt.Sprintf(stopDonorsQuery, marks), args, func(rows *sql.Rows) error {
		var d supply.StopDonor
		err := rows.Scan(&d.RunID, &d.StopID, &d.DonationID, &d.Donor.DisplayName, &d.Donor.Contact, &d.Donor.PublicNaming)
		out = append(out, d)
		return err
	})
	return out, err
}
