package store

import (
	"context"
	"database/sql"
	"fmt"
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
	instead: "cancel it instead",
	describe: func(r *supply.Run) string {
		return fmt.Sprintf("of %s from %s at %s", supply.Name(supply.VolunteerPattern, r.VolunteerID),
			supply.Name(supply.DepotPattern, r.DepotID), r.PlannedStartTime.Format("2006-01-02 15:04 UTC"))
	},
	volunteer: func(r *supply.Run) string { return r.VolunteerID },
	check: func(t *tx, r, prev *supply.Run) error {
		v := supply.NewViolations("run")
		if prev == nil || prev.VolunteerID != r.VolunteerID {
			var active bool
			err := t.queryRow("SELECT active FROM volunteers WHERE id = ?", r.VolunteerID).Scan(&active)
			switch {
			case err == sql.ErrNoRows:
				v.Add("volunteer", "volunteer %s does not exist", supply.Name(supply.VolunteerPattern, r.VolunteerID))
			case err != nil:
				return err
			case !active:
				v.Add("volunteer", "volunteer %s is not active", supply.Name(supply.VolunteerPattern, r.VolunteerID))
			}
		}
		if prev == nil || prev.DepotID != r.DepotID {
			var archived bool
			err := t.queryRow("SELECT archived FROM depots WHERE id = ?", r.DepotID).Scan(&archived)
			switch {
			case err == sql.ErrNoRows:
				v.Add("depot", "depot %s does not exist", supply.Name(supply.DepotPattern, r.DepotID))
			case err != nil:
				return err
			case archived:
				v.Add("depot", "depot %s is archived", supply.Name(supply.DepotPattern, r.DepotID))
			}
		}
		return v.Err()
	},
	children: "stops",
	load:     loadStops,
	write:    writeStops,
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

// CreateRun implements supply.RunStore.
func (db *DB) CreateRun(ctx context.Context, r *supply.Run, op supply.Op) (*supply.Run, error) {
	return runs.create(ctx, db, r, op)
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

// ChangeRun implements supply.RunStore.
func (db *DB) ChangeRun(ctx context.Context, id, etag string, op supply.Op, kind supply.EventKind, step func(w *supply.RunWork) error) (*supply.Run, error) {
	var summary string
	return runs.mutate(ctx, db, op, mutation[*supply.Run]{
		name: supply.Name(supply.RunPattern, id), keys: []any{id}, etag: etag, kind: kind,
		apply: func(t *tx, r *supply.Run) (err error) {
			summary, err = work(t, r, kind, step)
			return err
		},
		summarize: func(r *supply.Run, changed []string) string {
			// An update says what changed, then what the work noted.
			if kind == supply.EventUpdated {
				if summary == "" {
					return runs.updated(r, changed)
				}
				return runs.updated(r, changed) + "; " + summary
			}
			return summary
		},
	})
}

// work runs one step of a run's work inside t: it hands the step the run,
// its volunteer and depot, and the requests it touches, then writes back
// every request the step changed, each with its event. It returns the
// run's event summary; the caller writes the run.
func work(t *tx, r *supply.Run, kind supply.EventKind, step func(w *supply.RunWork) error) (string, error) {
	vol, err := volunteers.get(t, supply.Name(supply.VolunteerPattern, r.VolunteerID), r.VolunteerID)
	if err != nil {
		return "", err
	}
	depot, err := depots.get(t, supply.Name(supply.DepotPattern, r.DepotID), r.DepotID)
	if err != nil {
		return "", err
	}
	requests := &txRequests{t: t, loaded: map[string]*supply.DeliveryRequest{}, before: map[string]*supply.DeliveryRequest{}}
	stock := &txStock{t: t}
	w := &supply.RunWork{Run: r, Volunteer: vol, Depot: depot, Requests: requests, Now: t.now, Stock: stock}
	if err := step(w); err != nil {
		return "", err
	}
	if err := requests.flush(kind, w.RequestNotes, r.VolunteerID); err != nil {
		return "", err
	}
	return w.Summary, stock.flush(w)
}

// txRequests loads the delivery requests a run's work touches inside the
// write transaction and writes back those that changed, each with its event.
type txRequests struct {
	t         *tx
	order     []string
	loaded    map[string]*supply.DeliveryRequest
	before    map[string]*supply.DeliveryRequest
	locations map[string]*supply.LatLng
}

func (q *txRequests) Request(id string) (*supply.DeliveryRequest, error) {
	if r, ok := q.loaded[id]; ok {
		return r, nil
	}
	name := supply.Name(supply.DeliveryRequestPattern, id)
	r, err := deliveryRequests.get(q.t, name, id)
	if err != nil {
		return nil, err
	}
	q.loaded[id], q.before[id] = r, r.Clone()
	q.order = append(q.order, id)
	return r, nil
}

func (q *txRequests) Location(hospitalID string) *supply.LatLng {
	if l, ok := q.locations[hospitalID]; ok {
		return l
	}
	var lat, lng sql.NullFloat64
	q.t.queryRow("SELECT latitude, longitude FROM hospitals WHERE id = ?", hospitalID).Scan(&lat, &lng)
	if q.locations == nil {
		q.locations = map[string]*supply.LatLng{}
	}
	q.locations[hospitalID] = latLng(lat, lng)
	return q.locations[hospitalID]
}

func (q *txRequests) Depot(id string) (*supply.Depot, error) {
	return depots.get(q.t, supply.Name(supply.DepotPattern, id), id)
}

func (q *txRequests) Volunteer(id string) (*supply.Volunteer, error) {
	return volunteers.get(q.t, supply.Name(supply.VolunteerPattern, id), id)
}

func (q *txRequests) flush(kind supply.EventKind, notes map[string]string, volunteerID string) error {
	for _, id := range q.order {
		r := q.loaded[id]
		changed := deliveryRequests.changed(q.before[id], r)
		if len(changed) == 0 {
			continue
		}
		if err := deliveryRequests.put(q.t, r, q.before[id]); err != nil {
			return err
		}
		note := notes[id]
		if note == "" {
			note = "delivery request changed: " + strings.Join(changed, ", ")
		}
		if err := q.t.event(kind, r.Name(), note, scope{hospitalID: r.HospitalID, volunteerID: volunteerID}); err != nil {
			return err
		}
	}
	return nil
}

// withdrawFromRun takes a request cancelled while SCHEDULED off its run.
func withdrawFromRun(t *tx, runID string, r *supply.DeliveryRequest, kg float64, reason string) error {
	name := supply.Name(supply.RunPattern, runID)
	run, err := runs.get(t, name, runID)
	if err != nil {
		return err
	}
	prev := run.Clone()
	if _, err := work(t, run, supply.EventUnassigned, func(w *supply.RunWork) error { return w.Withdraw(r.ID, kg) }); err != nil {
		return err
	}
	if err := runs.put(t, run, prev); err != nil {
		return err
	}
	return t.event(supply.EventUnassigned, name, fmt.Sprintf("%s cancelled by the hospital and taken off the run: %s", r.Name(), reason),
		runs.scope(run))
}
