package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

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
	instead: "write it off instead",
	describe: func(l *supply.Lot) string {
		return fmt.Sprintf("of %s at %s from %s", supply.Amount(l.Received, l.Unit, l.Description), supply.Name(supply.DepotPattern, l.DepotID), l.Source())
	},
}

// lotOrder puts the lots to use first first: earliest best-before, lots
// that keep last, then the oldest received.
var lotOrder = []column{{expr: "COALESCE(best_before, '9999-12-31')"}, {expr: "receive_time"}, {expr: "id"}}

// receiveLots stocks the goods a donation or purchase received at a depot,
// each lot with its event.
func receiveLots(t *tx, depotID string, lines []supply.GoodsLine, donationID, purchaseID string, received time.Time) error {
	depot, err := depots.get(t, supply.Name(supply.DepotPattern, depotID), depotID)
	if err != nil {
		return err
	}
	for _, l := range supply.ReceiveLots(depot, lines, donationID, purchaseID, received) {
		if err := lots.insert(t, l); err != nil {
			return err
		}
	}
	return nil
}

// lotsOf reads the lots a donation stocked.
func lotsOf(t *tx, donationID string) ([]*supply.Lot, error) {
	items, _, err := lots.list(t, []string{"source_donation_id = ?"}, []any{donationID},
		[]column{{expr: "depot_id"}, {expr: "id"}}, supply.Page{Size: supply.MaxLines})
	return items, err
}

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

// WriteOffLot implements supply.LotStore.
func (db *DB) WriteOffLot(ctx context.Context, depotID, id, etag string, quantity supply.Quantity, reason string, op supply.Op) (*supply.Lot, error) {
	return lots.mutate(ctx, db, op, mutation[*supply.Lot]{
		name: supply.Name(supply.LotPattern, depotID, id), keys: []any{depotID, id}, etag: etag, kind: supply.EventUpdated,
		apply: func(t *tx, l *supply.Lot) error {
			if err := l.WriteOff(quantity, reason); err != nil {
				return err
			}
			_, err := t.exec(`INSERT INTO write_offs (depot_id, lot_id, write_time, quantity, reason, position)
				VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM write_offs))`,
				depotID, id, formatTime(t.now), int64(quantity), reason)
			return err
		},
		summarize: func(l *supply.Lot, _ []string) string {
			return fmt.Sprintf("lot %s: %s written off (%s); %s on hand", l.Name(), supply.Amount(quantity, l.Unit, l.Description), reason,
				supply.Amount(l.OnHand(), l.Unit, ""))
		},
	})
}

// txStock gives a run's work its depot's lots inside the write
// transaction, and writes back what the work took, brought back and handed
// over. Each lot is read once, so every check and take of a step sees the
// same quantities.
type txStock struct {
	t       *tx
	depotID string
	tracked bool
	onHand  []*supply.Lot
	// loaded holds every lot handed to the work, by name, in order, with
	// its state when read.
	order  []string
	loaded map[string]*supply.Lot
	before map[string]*supply.Lot
}

// keep registers a lot read from the database and returns the one the
// work already holds under its name, if any.
func (s *txStock) keep(l *supply.Lot) *supply.Lot {
	if held, ok := s.loaded[l.Name()]; ok {
		return held
	}
	if s.loaded == nil {
		s.loaded, s.before = map[string]*supply.Lot{}, map[string]*supply.Lot{}
	}
	s.loaded[l.Name()], s.before[l.Name()] = l, l.Clone()
	s.order = append(s.order, l.Name())
	return l
}

// Lots implements supply.Stock.
func (s *txStock) Lots(depotID string) ([]*supply.Lot, bool, error) {
	if s.depotID == depotID {
		return s.onHand, s.tracked, nil
	}
	if s.depotID != "" {
		return nil, false, fmt.Errorf("a run's work reads the lots of %s after those of %s", depotID, s.depotID)
	}
	if err := s.t.queryRow("SELECT EXISTS (SELECT 1 FROM lots WHERE depot_id = ?)", depotID).Scan(&s.tracked); err != nil {
		return nil, false, err
	}
	items, _, err := lots.list(s.t, []string{"depot_id = ?", "on_hand > 0"}, []any{depotID}, lotOrder, supply.Page{Size: math.MaxInt32})
	if err != nil {
		return nil, false, err
	}
	for i, l := range items {
		items[i] = s.keep(l)
	}
	s.depotID, s.onHand = depotID, items
	return s.onHand, s.tracked, nil
}

// Lot implements supply.Stock.
func (s *txStock) Lot(depotID, id string) (*supply.Lot, error) {
	if l, ok := s.loaded[supply.Name(supply.LotPattern, depotID, id)]; ok {
		return l, nil
	}
	l, err := lots.get(s.t, supply.Name(supply.LotPattern, depotID, id), depotID, id)
	if err != nil {
		return nil, err
	}
	return s.keep(l), nil
}

// Loads implements supply.Stock.
func (s *txStock) Loads(runID string) ([]supply.Load, error) {
	rows, err := s.t.query(`SELECT delivery_request_id, line, depot_id, lot_id, quantity FROM run_loads
		WHERE run_id = ? ORDER BY position`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []supply.Load
	for rows.Next() {
		var l supply.Load
		if err := rows.Scan(&l.RequestID, &l.Line, &l.DepotID, &l.LotID, &l.Quantity); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Drops implements supply.Stock.
func (s *txStock) Drops(runID string) ([]supply.Drop, error) {
	rows, err := s.t.query(`SELECT stop_id, delivery_request_id, line, depot_id, lot_id, quantity FROM lot_drops
		WHERE run_id = ? ORDER BY stop_id, position`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []supply.Drop
	for rows.Next() {
		var d supply.Drop
		if err := rows.Scan(&d.StopID, &d.RequestID, &d.Line, &d.DepotID, &d.LotID, &d.Quantity); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// flush writes the lots the work took from or brought back to, each with
// its event and its move (for reports of a period), and the loads and
// drops it recorded.
func (s *txStock) flush(w *supply.RunWork) error {
	for _, name := range s.order {
		l, before := s.loaded[name], s.before[name]
		taken := l.Taken - before.Taken
		if taken == 0 {
			continue
		}
		if err := lots.put(s.t, l, before); err != nil {
			return err
		}
		if _, err := s.t.exec("INSERT INTO lot_moves (depot_id, lot_id, run_id, move_time, quantity) VALUES (?, ?, ?, ?, ?)",
			l.DepotID, l.ID, w.Run.ID, formatTime(s.t.now), int64(taken)); err != nil {
			return err
		}
		what := fmt.Sprintf("%s taken by %s", supply.Amount(taken, l.Unit, l.Description), w.Run.Name())
		if taken < 0 {
			what = fmt.Sprintf("%s brought back by %s", supply.Amount(-taken, l.Unit, l.Description), w.Run.Name())
		}
		if err := s.t.event(supply.EventUpdated, l.Name(), fmt.Sprintf("lot %s: %s; %s on hand", l.Name(), what,
			supply.Amount(l.OnHand(), l.Unit, "")), scope{}); err != nil {
			return err
		}
	}
	for _, l := range w.Loads {
		if _, err := s.t.exec(`INSERT INTO run_loads (run_id, position, delivery_request_id, line, depot_id, lot_id, quantity)
			VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM run_loads WHERE run_id = ?), ?, ?, ?, ?, ?)`,
			w.Run.ID, w.Run.ID, l.RequestID, l.Line, l.DepotID, l.LotID, int64(l.Quantity)); err != nil {
			return err
		}
	}
	for _, d := range w.Drops {
		if _, err := s.t.exec(`INSERT INTO lot_drops (run_id, stop_id, position, delivery_request_id, line, depot_id, lot_id, quantity)
			VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM lot_drops WHERE run_id = ? AND stop_id = ?), ?, ?, ?, ?, ?)`,
			w.Run.ID, d.StopID, w.Run.ID, d.StopID, d.RequestID, d.Line, d.DepotID, d.LotID, int64(d.Quantity)); err != nil {
			return err
		}
	}
	return nil
}
