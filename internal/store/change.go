package store

import (
	"context"
	"fmt"
	"math"

	"github.com/aqjurek/tracker/internal/supply"
)

// Update implements supply.Updater: fn runs as one change on the writer
// (see update), through a supply.Tx over the change's transaction.
func (db *DB) Update(ctx context.Context, op supply.Op, fn func(tx supply.Tx) error) error {
	return db.update(ctx, op, func(t *tx) error { return fn(change{t}) })
}

// change is a supply.Tx: the typed reads and writes of one change. It
// stores and finds; the rules that decide are the domain's. Every read
// keeps to the change's reach (table.get and table.list apply it), and
// every write to a resource the reach holds.
type change struct{ t *tx }

var _ supply.Tx = change{}

// Op is the change's call, with the change's time: the caller's, or the
// store's clock when the call gave none.
func (c change) Op() supply.Op {
	op := c.t.op.Op
	op.Time = c.t.now
	return op
}

func (c change) Unscoped() supply.Tx {
	u := *c.t
	u.unscoped = true
	return change{&u}
}

func (c change) Replay() (string, bool, error) { return c.t.replay() }

func (c change) Remember(resource string) error { return c.t.remember(resource) }

func (c change) Event(kind supply.EventKind, resource, summary string, about supply.Scope) error {
	return c.t.event(kind, resource, summary, scope{hospitalID: about.HospitalID, volunteerID: about.VolunteerID})
}

func (c change) Hospital(id string) (*supply.Hospital, error) {
	return hospitals.get(c.t, supply.Name(supply.HospitalPattern, id), id)
}

func (c change) Ward(hospitalID, id string) (*supply.Ward, error) {
	return wards.get(c.t, supply.Name(supply.WardPattern, hospitalID, id), hospitalID, id)
}

func (c change) Depot(id string) (*supply.Depot, error) {
	return depots.get(c.t, supply.Name(supply.DepotPattern, id), id)
}

func (c change) Volunteer(id string) (*supply.Volunteer, error) {
	return volunteers.get(c.t, supply.Name(supply.VolunteerPattern, id), id)
}

func (c change) DeliveryRequest(id string) (*supply.DeliveryRequest, error) {
	return deliveryRequests.get(c.t, supply.Name(supply.DeliveryRequestPattern, id), id)
}

func (c change) Run(id string) (*supply.Run, error) {
	return runs.get(c.t, supply.Name(supply.RunPattern, id), id)
}

func (c change) Lot(depotID, id string) (*supply.Lot, error) {
	return lots.get(c.t, supply.Name(supply.LotPattern, depotID, id), depotID, id)
}

func (c change) OnHand(depotID string) ([]*supply.Lot, bool, error) {
	var tracked bool
	if err := c.t.queryRow("SELECT EXISTS (SELECT 1 FROM lots WHERE depot_id = ?)", depotID).Scan(&tracked); err != nil {
		return nil, false, err
	}
	items, _, err := lots.list(c.t, []string{"depot_id = ?", "on_hand > 0"}, []any{depotID}, lotOrder, supply.Page{Size: math.MaxInt32})
	return items, tracked, err
}

func (c change) Loads(runID string) ([]supply.Load, error) {
	rows, err := c.t.query(`SELECT delivery_request_id, line, depot_id, lot_id, quantity FROM run_loads
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

func (c change) Drops(runID string) ([]supply.Drop, error) {
	rows, err := c.t.query(`SELECT stop_id, delivery_request_id, line, depot_id, lot_id, quantity FROM lot_drops
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

func (c change) Donation(id string) (*supply.Donation, error) {
	return donations.get(c.t, supply.Name(supply.DonationPattern, id), id)
}

func (c change) Purchase(id string) (*supply.Purchase, error) {
	return purchases.get(c.t, supply.Name(supply.PurchasePattern, id), id)
}

func (c change) MoneyLeft(currency string) ([]*supply.Donation, error) {
	items, _, err := donations.list(c.t, append([]string{"currency = ?"}, moneyLeft...),
		[]any{currency}, []column{{expr: "receive_time"}, {expr: "id"}}, supply.Page{Size: math.MaxInt32})
	return items, err
}

func (c change) DonationLots(donationID string) ([]*supply.Lot, error) {
	items, _, err := lots.list(c.t, []string{"source_donation_id = ?"}, []any{donationID},
		[]column{{expr: "depot_id"}, {expr: "id"}}, supply.Page{Size: supply.MaxLines})
	return items, err
}

func (c change) CountDeliveryRequests(hospitalID, wardID string) (int, error) {
	query, args := "SELECT count(*) FROM delivery_requests WHERE hospital_id = ?", []any{hospitalID}
	if wardID != "" {
		query, args = query+" AND ward_id = ?", append(args, wardID)
	}
	var n int
	err := c.t.queryRow(query, args...).Scan(&n)
	return n, err
}

func (c change) CreateDeliveryRequest(r *supply.DeliveryRequest) error {
	return create(c.t, deliveryRequests, r)
}

func (c change) CreateRun(r *supply.Run) error { return create(c.t, runs, r) }

func (c change) CreateWard(w *supply.Ward) error { return create(c.t, wards, w) }

func (c change) CreatePurchase(p *supply.Purchase) error { return create(c.t, purchases, p) }

func (c change) CreateLot(l *supply.Lot) error { return create(c.t, lots, l) }

func (c change) CreateDonation(d *supply.Donation) error { return create(c.t, donations, d) }

func (c change) PutDonation(next, prev *supply.Donation) ([]string, error) {
	return put(c.t, donations, next, prev)
}

func (c change) AddWriteOff(depotID, lotID string, quantity supply.Quantity, reason string) error {
	_, err := c.t.exec(`INSERT INTO write_offs (depot_id, lot_id, write_time, quantity, reason, position)
		VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM write_offs))`,
		depotID, lotID, formatTime(c.t.now), int64(quantity), reason)
	return err
}

func (c change) PutHospital(next, prev *supply.Hospital) ([]string, error) {
	return put(c.t, hospitals, next, prev)
}

func (c change) PutWard(next, prev *supply.Ward) ([]string, error) {
	return put(c.t, wards, next, prev)
}

func (c change) PutDepot(next, prev *supply.Depot) ([]string, error) {
	return put(c.t, depots, next, prev)
}

func (c change) PutVolunteer(next, prev *supply.Volunteer) ([]string, error) {
	return put(c.t, volunteers, next, prev)
}

func (c change) PutDeliveryRequest(next, prev *supply.DeliveryRequest) ([]string, error) {
	return put(c.t, deliveryRequests, next, prev)
}

func (c change) PutRun(next, prev *supply.Run) ([]string, error) { return put(c.t, runs, next, prev) }

func (c change) PutLot(next, prev *supply.Lot) ([]string, error) { return put(c.t, lots, next, prev) }

func (c change) MoveLot(depotID, lotID, runID string, quantity supply.Quantity) error {
	_, err := c.t.exec("INSERT INTO lot_moves (depot_id, lot_id, run_id, move_time, quantity) VALUES (?, ?, ?, ?, ?)",
		depotID, lotID, runID, formatTime(c.t.now), int64(quantity))
	return err
}

func (c change) AddLoad(runID string, l supply.Load) error {
	_, err := c.t.exec(`INSERT INTO run_loads (run_id, position, delivery_request_id, line, depot_id, lot_id, quantity)
		VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM run_loads WHERE run_id = ?), ?, ?, ?, ?, ?)`,
		runID, runID, l.RequestID, l.Line, l.DepotID, l.LotID, int64(l.Quantity))
	return err
}

func (c change) AddDrop(runID string, d supply.Drop) error {
	_, err := c.t.exec(`INSERT INTO lot_drops (run_id, stop_id, position, delivery_request_id, line, depot_id, lot_id, quantity)
		VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM lot_drops WHERE run_id = ? AND stop_id = ?), ?, ?, ?, ?, ?)`,
		runID, d.StopID, runID, d.StopID, d.RequestID, d.Line, d.DepotID, d.LotID, int64(d.Quantity))
	return err
}

func (c change) DeleteHospital(h *supply.Hospital) error { return hospitals.remove(c.t, h) }

func (c change) DeleteWard(w *supply.Ward) error { return wards.remove(c.t, w) }

func (c change) DeleteDepot(d *supply.Depot) error { return depots.remove(c.t, d) }

func (c change) DeleteVolunteer(v *supply.Volunteer) error { return volunteers.remove(c.t, v) }

func (c change) CountRuns(depotID, volunteerID string) (int, error) {
	query, arg := "SELECT count(*) FROM runs WHERE volunteer_id = ?", volunteerID
	if depotID != "" {
		query, arg = "SELECT count(*) FROM runs WHERE depot_id = ?", depotID
	}
	var n int
	err := c.t.queryRow(query, arg).Scan(&n)
	return n, err
}

func (c change) CountLots(depotID string) (int, error) {
	var n int
	err := c.t.queryRow("SELECT count(*) FROM lots WHERE depot_id = ?", depotID).Scan(&n)
	return n, err
}

// create stores a new resource the change's reach holds.
func create[T record[T]](t *tx, tb *table[T], item T) error {
	if err := reaches(t, tb, item); err != nil {
		return err
	}
	return tb.insertRow(t, item)
}

// put stores next in place of prev when they differ, and says what differs.
func put[T record[T]](t *tx, tb *table[T], next, prev T) ([]string, error) {
	if !sameKeys(tb.keyValues(next), tb.keyValues(prev)) {
		return nil, fmt.Errorf("%s: a change may not move a resource to other keys (%s)", tb.label, next.Name())
	}
	changed := tb.changed(prev, next)
	if len(changed) == 0 {
		return nil, nil
	}
	// Both versions: what was read, and what it becomes.
	if err := reaches(t, tb, prev); err != nil {
		return nil, err
	}
	if err := reaches(t, tb, next); err != nil {
		return nil, err
	}
	return changed, tb.put(t, next, prev)
}

// reaches refuses, as NotFound, a write of a resource outside the change's
// reach, as reading it would have.
func reaches[T record[T]](t *tx, tb *table[T], item T) error {
	s := t.reach()
	if tb.hospital != nil && !s.ReachesHospital(tb.hospital(item)) ||
		tb.volunteer != nil && !s.ReachesVolunteer(tb.volunteer(item)) {
		return supply.NotFoundf(item.Name())
	}
	return nil
}

func sameKeys(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
