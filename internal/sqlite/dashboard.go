package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

const waiting = "('OPEN', 'SCHEDULED', 'IN_TRANSIT')"

// Dashboard implements supply.DashboardStore. Every figure comes from one
// read transaction, so they agree with each other.
func (db *DB) Dashboard(ctx context.Context, now, dayStart time.Time, hospitalID string) (*supply.Dashboard, error) {
	t, err := db.read.BeginTx(ctx, nil)
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
	where, args := scope("r.hospital_id = ?")
	err = each(ctx, t, "SELECT r.state, count(*) FROM delivery_requests r WHERE 1 = 1"+where+" GROUP BY r.state", args, func(s *sql.Rows) error {
		var state supply.RequestState
		var n int64
		err := s.Scan(&state, &n)
		d.RequestsByState[state] = n
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, t, "SELECT r.priority, count(*) FROM delivery_requests r WHERE r.state IN "+waiting+where+" GROUP BY r.priority", args, func(s *sql.Rows) error {
		var rank int
		var n int64
		err := s.Scan(&rank, &n)
		d.OpenByPriority[supply.PriorityOfRank(rank)] = n
		return err
	})
	if err != nil {
		return nil, err
	}
	where, args = scope("r.hospital_id = ?", nowText)
	if err := t.QueryRowContext(ctx, "SELECT count(*) FROM delivery_requests r WHERE r.state IN "+waiting+" AND r.deliver_before < ?"+where,
		args...).Scan(&d.Overdue); err != nil {
		return nil, err
	}
	categoryQuantities := func(into *[]supply.CategoryQuantity) func(*sql.Rows) error {
		return func(s *sql.Rows) error {
			var c supply.CategoryQuantity
			err := s.Scan(&c.Category, &c.Unit, &c.Quantity)
			*into = append(*into, c)
			return err
		}
	}
	where, args = scope("r.hospital_id = ?")
	err = each(ctx, t, `SELECT l.category, l.unit, sum(max(0, l.quantity - l.delivered_quantity))
		FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
		WHERE r.state IN `+waiting+where+` GROUP BY l.category, l.unit ORDER BY l.category, l.unit`, args, categoryQuantities(&d.Outstanding))
	if err != nil {
		return nil, err
	}
	where, args = scope("r.hospital_id = ?", nowText)
	err = each(ctx, t, `SELECT r.hospital_id, h.display_name, count(*), sum(r.deliver_before < ?), sum(r.priority = 3)
		FROM delivery_requests r JOIN hospitals h ON h.id = r.hospital_id
		WHERE r.state IN `+waiting+where+` GROUP BY r.hospital_id ORDER BY 4 DESC, 5 DESC, 3 DESC, h.display_name`, args, func(s *sql.Rows) error {
		var h supply.HospitalNeeds
		err := s.Scan(&h.HospitalID, &h.DisplayName, &h.Open, &h.Overdue, &h.Critical)
		d.Hospitals = append(d.Hospitals, h)
		return err
	})
	if err != nil {
		return nil, err
	}
	where, args = scope("EXISTS (SELECT 1 FROM stops v WHERE v.run_id = r.id AND v.hospital_id = ?)")
	err = each(ctx, t, `SELECT r.id, r.volunteer_id, v.display_name, count(s.id) FILTER (WHERE s.state != 'PENDING'), count(s.id)
		FROM runs r JOIN volunteers v ON v.id = r.volunteer_id LEFT JOIN stops s ON s.run_id = r.id
		WHERE r.state = 'IN_PROGRESS'`+where+` GROUP BY r.id ORDER BY r.planned_start_time, r.id`, args, func(s *sql.Rows) error {
		var p supply.RunProgress
		err := s.Scan(&p.RunID, &p.VolunteerID, &p.VolunteerName, &p.StopsDone, &p.StopsTotal)
		d.RunsInProgress = append(d.RunsInProgress, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	where, args = scope("s.hospital_id = ?", formatTime(dayStart))
	err = each(ctx, t, `SELECT l.category, l.unit, sum(d.quantity)
		FROM stops s
		JOIN stop_deliveries d ON d.run_id = s.run_id AND d.stop_id = s.id
		JOIN delivery_request_lines l ON l.delivery_request_id = d.delivery_request_id AND l.position = d.line
		WHERE s.state = 'DELIVERED' AND s.deliver_time >= ?`+where+`
		GROUP BY l.category, l.unit ORDER BY l.category, l.unit`, args, categoryQuantities(&d.DeliveredToday))
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
