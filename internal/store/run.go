package store

import (
	"context"
	"database/sql"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

var runs = &table[*supply.Run]{
	name:  "runs",
	label: "run",
	keys:  []string{"id"},
	columns: []string{"volunteer_id", "depot_id", "planned_start_time", "state", "notes", "load_kg", "cancel_reason",
		"dispatch_time", "start_time", "complete_time", "capacity_override", "stock_override"},
	keyValues: func(r *supply.Run) []any {
		return []any{r.ID}
	},
	values: func(r *supply.Run) []any {
		return []any{r.VolunteerID, r.DepotID, formatTime(r.PlannedStartTime), string(r.State), r.Notes, r.LoadKG, r.CancelReason,
			formatOptionalTime(r.DispatchTime), formatOptionalTime(r.StartTime), formatOptionalTime(r.CompleteTime), boolInt(r.CapacityOverride), boolInt(r.StockOverride)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Run, error) {
		r := &supply.Run{}
		var start string
		var dispatched, started, completed sql.NullString
		if err := scan(&r.ID, &r.VolunteerID, &r.DepotID, &start, &r.State, &r.Notes, &r.LoadKG, &r.CancelReason,
			&dispatched, &started, &completed, &r.CapacityOverride, &r.StockOverride); err != nil {
			return r, err
		}
		var err error
		if r.PlannedStartTime, err = parseTime(start); err != nil {
			return r, err
		}
		for _, t := range []struct {
			from sql.NullString
			to   *time.Time
		}{{dispatched, &r.DispatchTime}, {started, &r.StartTime}, {completed, &r.CompleteTime}} {
			if t.from.Valid {
				if *t.to, err = parseTime(t.from.String); err != nil {
					return r, err
				}
			}
		}
		return r, nil
	},
	instead:   "cancel it instead",
	describe:  (*supply.Run).Describe,
	volunteer: func(r *supply.Run) string { return r.VolunteerID },
	scoped:    volunteerScoped("volunteer_id"),
	children:  "stops",
	load:      loadStops,
	write:     writeStops,
	same: func(a, b *supply.Run) bool {
		return reflect.DeepEqual(a.Stops, b.Stops)
	},
}

func loadStops(q reader, items []*supply.Run) error {
	byID := make(map[string]*supply.Run, len(items))
	args := make([]any, len(items))
	for i, r := range items {
		byID[r.ID] = r
		r.Stops = nil
		args[i] = r.ID
	}
	in := "(?" + strings.Repeat(", ?", len(items)-1) + ")"
	rows, err := q.query(`SELECT run_id, id, hospital_id, ward_id, state, received_by, deliver_time, failure_reason, note,
		estimated_arrival_time, deadline_at_risk
		FROM stops WHERE run_id IN `+in+` ORDER BY run_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var runID string
		var s supply.Stop
		var delivered, estimated sql.NullString
		if err := rows.Scan(&runID, &s.ID, &s.HospitalID, &s.WardID, &s.State, &s.ReceivedBy, &delivered, &s.FailureReason, &s.Note,
			&estimated, &s.DeadlineAtRisk); err != nil {
			return err
		}
		if delivered.Valid {
			if s.DeliverTime, err = parseTime(delivered.String); err != nil {
				return err
			}
		}
		if estimated.Valid {
			if s.EstimatedArrival, err = parseTime(estimated.String); err != nil {
				return err
			}
		}
		byID[runID].Stops = append(byID[runID].Stops, s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	stopOf := func(runID, stopID string) *supply.Stop {
		r := byID[runID]
		i := slices.IndexFunc(r.Stops, func(s supply.Stop) bool { return s.ID == stopID })
		return &r.Stops[i]
	}
	rows, err = q.query(`SELECT run_id, stop_id, delivery_request_id FROM stop_requests
		WHERE run_id IN `+in+` ORDER BY run_id, stop_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var runID, stopID, requestID string
		if err := rows.Scan(&runID, &stopID, &requestID); err != nil {
			return err
		}
		s := stopOf(runID, stopID)
		s.RequestIDs = append(s.RequestIDs, requestID)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	rows, err = q.query(`SELECT run_id, stop_id, delivery_request_id, line, quantity FROM stop_deliveries
		WHERE run_id IN `+in+` ORDER BY run_id, stop_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var runID, stopID string
		var d supply.DeliveredLine
		if err := rows.Scan(&runID, &stopID, &d.RequestID, &d.Line, &d.Quantity); err != nil {
			return err
		}
		s := stopOf(runID, stopID)
		s.Delivered = append(s.Delivered, d)
	}
	return rows.Err()
}

// writeStops stores a run's stops in place of prev's. Only the stops that
// differ from prev's (or moved) are written again, with their requests and
// drops, and those gone are removed: a drop rewrites its own stop, not
// every stop of the run.
func writeStops(t *tx, r, prev *supply.Run) error {
	var before []supply.Stop
	if prev != nil {
		before = prev.Stops
	}
	for i, s := range r.Stops {
		j := slices.IndexFunc(before, func(b supply.Stop) bool { return b.ID == s.ID })
		if j == i && reflect.DeepEqual(before[j], s) {
			continue
		}
		if j >= 0 {
			// Its requests and drops go with it (ON DELETE CASCADE).
			if _, err := t.exec("DELETE FROM stops WHERE run_id = ? AND id = ?", r.ID, s.ID); err != nil {
				return err
			}
		}
		if err := insertStop(t, r.ID, i, s); err != nil {
			return err
		}
	}
	for _, b := range before {
		if !slices.ContainsFunc(r.Stops, func(s supply.Stop) bool { return s.ID == b.ID }) {
			if _, err := t.exec("DELETE FROM stops WHERE run_id = ? AND id = ?", r.ID, b.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertStop writes one stop at position, with its requests and drops.
func insertStop(t *tx, runID string, position int, s supply.Stop) error {
	if _, err := t.exec(`INSERT INTO stops
		(run_id, id, position, hospital_id, ward_id, state, received_by, deliver_time, failure_reason, note,
		estimated_arrival_time, deadline_at_risk)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, s.ID, position, s.HospitalID, s.WardID, string(s.State), s.ReceivedBy, formatOptionalTime(s.DeliverTime), s.FailureReason, s.Note,
		formatOptionalTime(s.EstimatedArrival), boolInt(s.DeadlineAtRisk)); err != nil {
		return err
	}
	for j, id := range s.RequestIDs {
		if _, err := t.exec("INSERT INTO stop_requests (run_id, stop_id, position, delivery_request_id) VALUES (?, ?, ?, ?)",
			runID, s.ID, j, id); err != nil {
			return err
		}
	}
	for j, d := range s.Delivered {
		if _, err := t.exec(`INSERT INTO stop_deliveries (run_id, stop_id, position, delivery_request_id, line, quantity)
			VALUES (?, ?, ?, ?, ?, ?)`, runID, s.ID, j, d.RequestID, d.Line, int64(d.Quantity)); err != nil {
			return err
		}
	}
	return nil
}

// GetRun implements supply.RunStore.
func (db *DB) GetRun(ctx context.Context, id string) (*supply.Run, error) {
	return runs.get(db.reads(ctx), supply.Name(supply.RunPattern, id), id)
}

// ListRuns implements supply.RunStore.
func (db *DB) ListRuns(ctx context.Context, q supply.RunQuery) ([]*supply.Run, supply.Cursor, error) {
	var where []string
	var args []any
	if len(q.States) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(q.States)-1)+")")
		for _, s := range q.States {
			args = append(args, string(s))
		}
	}
	if q.VolunteerID != "" {
		where, args = append(where, "volunteer_id = ?"), append(args, q.VolunteerID)
	}
	if !q.From.IsZero() {
		where, args = append(where, "planned_start_time >= ?"), append(args, formatTime(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "planned_start_time < ?"), append(args, formatTime(q.To))
	}
	if q.RequestID != "" {
		// A request rides on a few runs at most: stop_requests_by_request
		// finds them, and sorting those few costs nothing.
		where = append(where, "id IN (SELECT run_id FROM stop_requests WHERE delivery_request_id = ?)")
		args = append(args, q.RequestID)
	}
	return runs.list(db.reads(ctx), where, args, []column{{expr: "planned_start_time"}, {expr: "id"}}, q.Page)
}
