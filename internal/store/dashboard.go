package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

const waiting = "('OPEN', 'SCHEDULED', 'IN_TRANSIT')"

// Dashboard implements supply.DashboardStore. Every figure comes from one
// read transaction, so they agree with each other.
func (db *DB) Dashboard(ctx context.Context, now time.Time, days []time.Time, hospitalID string) (*supply.Dashboard, error) {
	t, err := db.readSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	d := &supply.Dashboard{
		RequestsByState: map[supply.RequestState]int64{},
		OpenByPriority:  map[supply.Priority]int64{},
		ComputeTime:     now,
	}
	nowText := formatTime(now)
	// scope narrows a query to one hospital when asked: requests by their
	// hospital, runs by the stops they make there.
	scope := func(condition string, args ...any) (string, []any) {
		if hospitalID == "" {
			return "", args
		}
		return " AND " + condition, append(args, hospitalID)
	}
	// Counts and quantities come from the running totals the triggers keep.
	where, args := scope("hospital_id = ?")
	err = each(ctx, t, "SELECT state, sum(requests) FROM request_totals WHERE 1 = 1"+where+" GROUP BY state", args, func(s *sql.Rows) error {
		var state supply.RequestState
		var n int64
		err := s.Scan(&state, &n)
		d.RequestsByState[state] = n
		return err
	})
	if err != nil {
		return nil, err
	}
	needs := map[string]*supply.HospitalNeeds{}
	need := func(id string) *supply.HospitalNeeds {
		if needs[id] == nil {
			needs[id] = &supply.HospitalNeeds{HospitalID: id}
		}
		return needs[id]
	}
	err = each(ctx, t, "SELECT hospital_id, priority, sum(requests) FROM request_totals WHERE state IN "+waiting+where+
		" GROUP BY hospital_id, priority HAVING sum(requests) > 0", args, func(s *sql.Rows) error {
		var hospital string
		var rank int
		var n int64
		err := s.Scan(&hospital, &rank, &n)
		d.OpenByPriority[supply.PriorityOfRank(rank)] += n
		h := need(hospital)
		h.Open += n
		if supply.PriorityOfRank(rank) == supply.Critical {
			h.Critical += n
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Overdue is a matter of the clock, so it is counted, from an index
	// that holds waiting requests by deadline.
	where, args = scope("hospital_id = ?", nowText)
	err = each(ctx, t, "SELECT hospital_id, count(*) FROM delivery_requests WHERE waiting = 1 AND deliver_before < ?"+where+
		" GROUP BY hospital_id", args, func(s *sql.Rows) error {
		var hospital string
		var n int64
		err := s.Scan(&hospital, &n)
		need(hospital).Overdue += n
		d.Overdue += n
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, t, "SELECT id, display_name FROM hospitals", nil, func(s *sql.Rows) error {
		var id, name string
		err := s.Scan(&id, &name)
		if h, ok := needs[id]; ok {
			h.DisplayName = name
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, h := range needs {
		d.Hospitals = append(d.Hospitals, *h)
	}
	slices.SortFunc(d.Hospitals, func(a, b supply.HospitalNeeds) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Critical, a.Critical), cmp.Compare(b.Open, a.Open),
			cmp.Compare(a.DisplayName, b.DisplayName))
	})
	categoryQuantities := func(into *[]supply.CategoryQuantity) func(*sql.Rows) error {
		return func(s *sql.Rows) error {
			var c supply.CategoryQuantity
			err := s.Scan(&c.Category, &c.Unit, &c.Quantity)
			*into = append(*into, c)
			return err
		}
	}
	where, args = scope("hospital_id = ?")
	err = each(ctx, t, `SELECT category, unit, sum(quantity) FROM outstanding_totals WHERE 1 = 1`+where+`
		GROUP BY category, unit HAVING sum(quantity) > 0 ORDER BY category, unit`, args, categoryQuantities(&d.Outstanding))
	if err != nil {
		return nil, err
	}
	// For one hospital, a run counts only its stops there: the runs coming
	// to it, and nothing of the other hospitals they visit.
	stops, args := "LEFT JOIN stops s ON s.run_id = r.id", nil
	if hospitalID != "" {
		stops, args = "JOIN stops s ON s.run_id = r.id AND s.hospital_id = ?", []any{hospitalID}
	}
	err = each(ctx, t, `SELECT r.id, r.volunteer_id, v.display_name, count(s.id) FILTER (WHERE s.state != 'PENDING'), count(s.id)
		FROM runs r JOIN volunteers v ON v.id = r.volunteer_id `+stops+`
		WHERE r.state = 'IN_PROGRESS' GROUP BY r.id, r.volunteer_id, v.display_name, r.planned_start_time ORDER BY r.planned_start_time, r.id`, args, func(s *sql.Rows) error {
		var p supply.RunProgress
		err := s.Scan(&p.RunID, &p.VolunteerID, &p.VolunteerName, &p.StopsDone, &p.StopsTotal)
		d.RunsInProgress = append(d.RunsInProgress, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Each delivered line falls into the day whose start it follows, by a
	// CASE over the day starts, so the days are grouped in SQL whatever the
	// time zone.
	d.DeliveredByDay = make([]supply.DayQuantities, len(days))
	bucket, args := "CASE", []any{}
	for i := len(days) - 1; i >= 0; i-- {
		d.DeliveredByDay[i].Day = days[i]
		bucket += fmt.Sprintf(" WHEN s.deliver_time >= ? THEN %d", i)
		args = append(args, formatTime(days[i]))
	}
	where, args = scope("s.hospital_id = ?", append(args, formatTime(days[0]))...)
	err = each(ctx, t, `SELECT `+bucket+` END AS day, l.category, l.unit, sum(d.quantity)
		FROM stops s
		JOIN stop_deliveries d ON d.run_id = s.run_id AND d.stop_id = s.id
		JOIN delivery_request_lines l ON l.delivery_request_id = d.delivery_request_id AND l.position = d.line
		WHERE s.state = 'DELIVERED' AND s.deliver_time >= ?`+where+`
		GROUP BY day, l.category, l.unit ORDER BY day, l.category, l.unit`, args, func(s *sql.Rows) error {
		var day int
		var c supply.CategoryQuantity
		err := s.Scan(&day, &c.Category, &c.Unit, &c.Quantity)
		if err == nil {
			d.DeliveredByDay[day].Quantities = append(d.DeliveredByDay[day].Quantities, c)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// each runs a query and calls row for every row.
func each(ctx context.Context, q querier, query string, args []any, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counts returns how many requests are in each state and how many runs are
// in each open state, for the metrics.
func (db *DB) Counts(ctx context.Context) (requests, runs map[string]int64, err error) {
	requests, runs = map[string]int64{}, map[string]int64{}
	for _, q := range []struct {
		query string
		into  map[string]int64
	}{
		{"SELECT state, count(*) FROM delivery_requests GROUP BY state", requests},
		{"SELECT state, count(*) FROM runs WHERE state IN ('PLANNED', 'DISPATCHED', 'IN_PROGRESS') GROUP BY state", runs},
	} {
		err := each(ctx, db.read, q.query, nil, func(rows *sql.Rows) error {
			var state string
			var n int64
			err := rows.Scan(&state, &n)
			q.into[state] = n
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return requests, runs, nil
}
