package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// Report implements supply.ReportStore. Every figure comes from one read
// transaction, so they agree with each other.
func (db *DB) Report(ctx context.Context, from, to time.Time) (*supply.ReportData, error) {
	t, err := db.readSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	r := &supply.ReportData{}
	if r.Lines, err = handedOver(ctx, t, from, to); err != nil {
		return nil, err
	}
	if r.Money, err = moneyFigures(ctx, t, from, to); err != nil {
		return nil, err
	}
	if r.Stock, err = stockFigures(ctx, t, from, to); err != nil {
		return nil, err
	}
	err = each(ctx, t, `SELECT w.write_time, w.depot_id, w.lot_id, l.category, l.description, w.quantity, l.unit, w.reason
		FROM write_offs w JOIN lots l ON l.depot_id = w.depot_id AND l.id = w.lot_id
		WHERE w.write_time >= ? AND w.write_time < ? ORDER BY w.write_time, w.position`,
		[]any{formatTime(from), formatTime(to)}, func(s *sql.Rows) error {
			var w supply.WriteOff
			var at string
			if err := s.Scan(&at, &w.DepotID, &w.LotID, &w.Category, &w.Description, &w.Quantity, &w.Unit, &w.Reason); err != nil {
				return err
			}
			var err error
			w.Time, err = parseTime(at)
			r.WrittenOff = append(r.WrittenOff, w)
			return err
		})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// handedOver reads every line of the stops delivered from from until to,
// in time order.
func handedOver(ctx context.Context, q querier, from, to time.Time) ([]supply.HandedOver, error) {
	var out []supply.HandedOver
	err := each(ctx, q, `SELECT s.deliver_time, s.run_id, s.id, s.hospital_id, h.display_name, d.delivery_request_id, r.headcount,
			l.category, l.unit, d.quantity
		FROM stops s
		JOIN hospitals h ON h.id = s.hospital_id
		JOIN stop_deliveries d ON d.run_id = s.run_id AND d.stop_id = s.id
		JOIN delivery_requests r ON r.id = d.delivery_request_id
		JOIN delivery_request_lines l ON l.delivery_request_id = d.delivery_request_id AND l.position = d.line
		WHERE s.state = 'DELIVERED' AND s.deliver_time >= ? AND s.deliver_time < ?
		ORDER BY s.deliver_time, s.run_id, s.id, d.position`, []any{formatTime(from), formatTime(to)}, func(s *sql.Rows) error {
		var h supply.HandedOver
		var at string
		if err := s.Scan(&at, &h.RunID, &h.StopID, &h.HospitalID, &h.HospitalName, &h.RequestID, &h.Headcount,
			&h.Category, &h.Unit, &h.Quantity); err != nil {
			return err
		}
		var err error
		h.Time, err = parseTime(at)
		out = append(out, h)
		return err
	})
	return out, err
}

// moneyFigures sums the money of each currency: received and spent from
// from until to, and left at to. A reversing entry carries the receive
// time of the gift it reverses, so a reversed gift nets out in its own
// period.
func moneyFigures(ctx context.Context, q querier, from, to time.Time) ([]supply.MoneyFigures, error) {
	byCurrency := map[string]*supply.MoneyFigures{}
	figures := func(currency string) *supply.MoneyFigures {
		if byCurrency[currency] == nil {
			byCurrency[currency] = &supply.MoneyFigures{Currency: currency}
		}
		return byCurrency[currency]
	}
	fromText, toText := formatTime(from), formatTime(to)
	err := each(ctx, q, `SELECT currency,
			COALESCE(sum(amount_minor) FILTER (WHERE receive_time >= ?), 0),
			count(*) FILTER (WHERE receive_time >= ? AND reverses_id IS NULL AND reversed_by_id IS NULL),
			sum(amount_minor)
		FROM donations WHERE kind = 'MONEY' AND receive_time < ? GROUP BY currency`, []any{fromText, fromText, toText},
		func(s *sql.Rows) error {
			var currency string
			var received, count, all int64
			if err := s.Scan(&currency, &received, &count, &all); err != nil {
				return err
			}
			f := figures(currency)
			f.Received, f.Donations, f.Left = received, int(count), f.Left+all
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT currency,
			COALESCE(sum(amount_minor) FILTER (WHERE purchase_time >= ?), 0), count(*) FILTER (WHERE purchase_time >= ?),
			sum(amount_minor)
		FROM purchases WHERE purchase_time < ? GROUP BY currency`, []any{fromText, fromText, toText},
		func(s *sql.Rows) error {
			var currency string
			var spent, count, all int64
			if err := s.Scan(&currency, &spent, &count, &all); err != nil {
				return err
			}
			f := figures(currency)
			f.Spent, f.Purchases, f.Left = spent, int(count), f.Left-all
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := make([]supply.MoneyFigures, 0, len(byCurrency))
	for _, f := range byCurrency {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b supply.MoneyFigures) int { return cmp.Compare(a.Currency, b.Currency) })
	return out, nil
}

// stockFigures sums each depot's goods by category and unit: received,
// taken and written off from from until to, and on hand now. A reversed
// goods donation takes back exactly what its lots still held, so it nets
// out at the lots' receive time, as a reversed money gift does.
func stockFigures(ctx context.Context, q querier, from, to time.Time) ([]supply.StockFigures, error) {
	type key struct {
		depot    string
		category supply.Category
		unit     supply.Unit
	}
	byKey := map[key]*supply.StockFigures{}
	fromText, toText := formatTime(from), formatTime(to)
	for _, part := range []struct {
		query string
		args  []any
		into  func(*supply.StockFigures, supply.Quantity)
	}{
		{`SELECT depot_id, category, unit, sum(received - reversed) FROM lots
			WHERE receive_time >= ? AND receive_time < ? GROUP BY depot_id, category, unit`,
			[]any{fromText, toText}, func(f *supply.StockFigures, q supply.Quantity) { f.Received = q }},
		{`SELECT m.depot_id, l.category, l.unit, sum(m.quantity) FROM lot_moves m
			JOIN lots l ON l.depot_id = m.depot_id AND l.id = m.lot_id
			WHERE m.move_time >= ? AND m.move_time < ? GROUP BY m.depot_id, l.category, l.unit`,
			[]any{fromText, toText}, func(f *supply.StockFigures, q supply.Quantity) { f.Taken = q }},
		{`SELECT w.depot_id, l.category, l.unit, sum(w.quantity) FROM write_offs w
			JOIN lots l ON l.depot_id = w.depot_id AND l.id = w.lot_id
			WHERE w.write_time >= ? AND w.write_time < ? GROUP BY w.depot_id, l.category, l.unit`,
			[]any{fromText, toText}, func(f *supply.StockFigures, q supply.Quantity) { f.WrittenOff = q }},
		{`SELECT depot_id, category, unit, sum(on_hand) FROM lots GROUP BY depot_id, category, unit`,
			nil, func(f *supply.StockFigures, q supply.Quantity) { f.OnHand = q }},
	} {
		err := each(ctx, q, part.query, part.args, func(s *sql.Rows) error {
			var k key
			var n supply.Quantity
			if err := s.Scan(&k.depot, &k.category, &k.unit, &n); err != nil {
				return err
			}
			f := byKey[k]
			if f == nil {
				f = &supply.StockFigures{DepotID: k.depot, Category: k.category, Unit: k.unit}
				byKey[k] = f
			}
			part.into(f, n)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	names := map[string]string{}
	err := each(ctx, q, "SELECT id, display_name FROM depots", nil, func(s *sql.Rows) error {
		var id, name string
		err := s.Scan(&id, &name)
		names[id] = name
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []supply.StockFigures
	for _, f := range byKey {
		if f.Received == 0 && f.Taken == 0 && f.WrittenOff == 0 && f.OnHand == 0 {
			continue
		}
		f.DepotName = names[f.DepotID]
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b supply.StockFigures) int {
		return cmp.Or(cmp.Compare(a.DepotName, b.DepotName), cmp.Compare(a.DepotID, b.DepotID),
			supply.CompareGoods(a.Category, a.Unit, b.Category, b.Unit))
	})
	return out, nil
}

// endOfTime is after anything the store holds.
var endOfTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Public implements supply.ReportStore.
func (db *DB) Public(ctx context.Context, since time.Time) (*supply.PublicData, error) {
	t, err := db.readSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	p := &supply.PublicData{}
	// The goods handed over: lines of delivered stops with something in them.
	const delivered = `FROM stops s JOIN stop_deliveries d ON d.run_id = s.run_id AND d.stop_id = s.id
		JOIN delivery_request_lines l ON l.delivery_request_id = d.delivery_request_id AND l.position = d.line
		WHERE s.state = 'DELIVERED' AND d.quantity > 0`
	err = each(ctx, t, `SELECT l.category, l.unit, sum(d.quantity) `+delivered+` GROUP BY l.category, l.unit`, nil, func(s *sql.Rows) error {
		var c supply.CategoryQuantity
		err := s.Scan(&c.Category, &c.Unit, &c.Quantity)
		p.Delivered = append(p.Delivered, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(p.Delivered, func(a, b supply.CategoryQuantity) int {
		return supply.CompareGoods(a.Category, a.Unit, b.Category, b.Unit)
	})
	if err := t.QueryRowContext(ctx, "SELECT count(*) FROM stops WHERE state = 'DELIVERED'").Scan(&p.Drops); err != nil {
		return nil, err
	}
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(sum(headcount), 0) FROM delivery_requests WHERE id IN
		(SELECT d.delivery_request_id `+delivered+`)`).Scan(&p.Headcount); err != nil {
		return nil, err
	}
	err = each(ctx, t, `SELECT display_name FROM hospitals WHERE id IN (SELECT s.hospital_id `+delivered+`)
		ORDER BY display_name, id`, nil, func(s *sql.Rows) error {
		var name string
		err := s.Scan(&name)
		p.Hospitals = append(p.Hospitals, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Lines, err = handedOver(ctx, t, since, endOfTime); err != nil {
		return nil, err
	}
	if p.Money, err = moneyFigures(ctx, t, time.Time{}, endOfTime); err != nil {
		return nil, err
	}
	// Only the donors of standing gifts: who gave a gift that was reversed
	// gave nothing, and a reversing entry is no gift. Who of them is named
	// is supply.PublicDonors's to decide.
	err = each(ctx, t, `SELECT donor_name, donor_contact, donor_public, receive_time FROM donations
		WHERE reverses_id IS NULL AND reversed_by_id IS NULL ORDER BY receive_time, id`, nil, func(s *sql.Rows) error {
		var g supply.DonorGift
		var received string
		if err := s.Scan(&g.Donor.DisplayName, &g.Donor.Contact, &g.Donor.PublicNaming, &received); err != nil {
			return err
		}
		var err error
		g.ReceiveTime, err = parseTime(received)
		p.Donors = append(p.Donors, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
