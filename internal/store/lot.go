package store

import (
	"context"
	"database/sql"

	"github.com/aqjurek/tracker/internal/supply"
)

var lots = &table[*supply.Lot]{
	name:  "lots",
	label: "lot",
	keys:  []string{"depot_id", "id"},
	columns: []string{"category", "description", "unit", "received", "taken", "written_off", "reversed", "best_before",
		"source_donation_id", "source_purchase_id", "source_line", "receive_time"},
	keyValues: func(l *supply.Lot) []any { return []any{l.DepotID, l.ID} },
	values: func(l *supply.Lot) []any {
		return []any{string(l.Category), l.Description, string(l.Unit), int64(l.Received), int64(l.Taken), int64(l.WrittenOff),
			int64(l.Reversed), formatOptionalDate(l.BestBefore), nullString(l.DonationID), nullString(l.PurchaseID), l.SourceLine,
			formatTime(l.ReceiveTime)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Lot, error) {
		l := &supply.Lot{}
		var best, donation, purchase sql.NullString
		var received string
		if err := scan(&l.DepotID, &l.ID, &l.Category, &l.Description, &l.Unit, &l.Received, &l.Taken, &l.WrittenOff, &l.Reversed,
			&best, &donation, &purchase, &l.SourceLine, &received); err != nil {
			return l, err
		}
		l.DonationID, l.PurchaseID = donation.String, purchase.String
		var err error
		if l.BestBefore, err = parseOptionalDate(best); err != nil {
			return l, err
		}
		l.ReceiveTime, err = parseTime(received)
		return l, err
	},
	instead:  "write it off instead",
	describe: (*supply.Lot).Describe,
}

// lotOrder puts the lots to use first first: earliest best-before, lots
// that keep last, then the oldest received.
var lotOrder = []column{{expr: "COALESCE(best_before, '9999-12-31')"}, {expr: "receive_time"}, {expr: "id"}}

// GetLot implements supply.LotStore.
func (db *DB) GetLot(ctx context.Context, depotID, id string) (*supply.Lot, error) {
	return lots.get(db.reads(ctx), supply.Name(supply.LotPattern, depotID, id), depotID, id)
}

// ListLots implements supply.LotStore.
func (db *DB) ListLots(ctx context.Context, q supply.LotQuery) ([]*supply.Lot, supply.Cursor, error) {
	r := db.reads(ctx)
	if _, err := depots.get(r, supply.Name(supply.DepotPattern, q.DepotID), q.DepotID); err != nil {
		return nil, nil, err
	}
	where, args := []string{"depot_id = ?"}, []any{q.DepotID}
	if q.OnHandOnly {
		where = append(where, "on_hand > 0")
	}
	if !q.ExpireBefore.IsZero() {
		where, args = append(where, "best_before < ?"), append(args, formatOptionalDate(q.ExpireBefore))
	}
	return lots.list(r, where, args, lotOrder, q.Page)
}
