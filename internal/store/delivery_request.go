package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

var deliveryRequests = &table[*supply.DeliveryRequest]{
	name:  "delivery_requests",
	label: "delivery request",
	keys:  []string{"id"},
	columns: []string{"hospital_id", "ward_id", "priority", "deliver_after", "deliver_before", "headcount",
		"dietary_notes", "notes", "state", "run_id", "cancel_reason"},
	keyValues: func(r *supply.DeliveryRequest) []any {
		return []any{r.ID}
	},
	values: func(r *supply.DeliveryRequest) []any {
		return []any{r.HospitalID, r.WardID, r.Priority.Rank(), formatOptionalTime(r.DeliverAfter), formatTime(r.DeliverBefore),
			r.Headcount, r.DietaryNotes, r.Notes, string(r.State), nullString(r.RunID), r.CancelReason}
	},
	scan: func(scan func(dest ...any) error) (*supply.DeliveryRequest, error) {
		r := &supply.DeliveryRequest{}
		var priority int
		var after, runID sql.NullString
		var before string
		if err := scan(&r.ID, &r.HospitalID, &r.WardID, &priority, &after, &before, &r.Headcount,
			&r.DietaryNotes, &r.Notes, &r.State, &runID, &r.CancelReason); err != nil {
			return r, err
		}
		r.Priority = supply.PriorityOfRank(priority)
		r.RunID = runID.String
		var err error
		if r.DeliverBefore, err = parseTime(before); err != nil {
			return r, err
		}
		if after.Valid {
			r.DeliverAfter, err = parseTime(after.String)
		}
		return r, err
	},
	instead: "cancel it instead",
	describe: func(r *supply.DeliveryRequest) string {
		return "for " + r.WardName() + " (" + r.Describe() + ")"
	},
	hospital: func(r *supply.DeliveryRequest) string { return r.HospitalID },
	// Staff reach their hospital's requests; drivers those on their runs.
	scoped: func(s supply.Scope) (string, []any) {
		switch {
		case s.HospitalID != "":
			return hospitalScoped(s)
		case s.VolunteerID != "":
			return "run_id IN (SELECT id FROM runs WHERE volunteer_id = ?)", []any{s.VolunteerID}
		}
		return "", nil
	},
	children: "lines",
	load:     loadLines,
	write:    writeLines,
	same: func(a, b *supply.DeliveryRequest) bool {
		return slices.Equal(a.Lines, b.Lines)
	},
}

func loadLines(q reader, items []*supply.DeliveryRequest) error {
	byID := make(map[string]*supply.DeliveryRequest, len(items))
	args := make([]any, len(items))
	for i, r := range items {
		byID[r.ID] = r
		r.Lines = r.Lines[:0]
		args[i] = r.ID
	}
	rows, err := q.query(`SELECT delivery_request_id, category, description, unit, quantity, scheduled_quantity, delivered_quantity
		FROM delivery_request_lines WHERE delivery_request_id IN (?`+strings.Repeat(", ?", len(items)-1)+`)
		ORDER BY delivery_request_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l supply.LineItem
		if err := rows.Scan(&id, &l.Category, &l.Description, &l.Unit, &l.Quantity, &l.Scheduled, &l.Delivered); err != nil {
			return err
		}
		r := byID[id]
		r.Lines = append(r.Lines, l)
	}
	return rows.Err()
}

// writeLines replaces a request's lines, in one statement.
func writeLines(t *tx, r, prev *supply.DeliveryRequest) error {
	if prev != nil {
		if _, err := t.exec("DELETE FROM delivery_request_lines WHERE delivery_request_id = ?", r.ID); err != nil {
			return err
		}
	}
	if len(r.Lines) == 0 {
		return nil
	}
	args := make([]any, 0, 8*len(r.Lines))
	for i, l := range r.Lines {
		args = append(args, r.ID, i, string(l.Category), l.Description, string(l.Unit), int64(l.Quantity), int64(l.Scheduled), int64(l.Delivered))
	}
	_, err := t.exec(`INSERT INTO delivery_request_lines
		(delivery_request_id, position, category, description, unit, quantity, scheduled_quantity, delivered_quantity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`+strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?)", len(r.Lines)-1), args...)
	return err
}

// GetDeliveryRequest implements supply.DeliveryRequestStore.
func (db *DB) GetDeliveryRequest(ctx context.Context, id string) (*supply.DeliveryRequest, error) {
	return deliveryRequests.get(db.reads(ctx), supply.Name(supply.DeliveryRequestPattern, id), id)
}

// requestOrderColumns maps the orderable fields to their columns.
var requestOrderColumns = map[string]string{
	"priority":       "priority",
	"deliver_before": "deliver_before",
	"create_time":    "create_time",
}

// ListDeliveryRequests implements supply.DeliveryRequestStore.
func (db *DB) ListDeliveryRequests(ctx context.Context, q supply.DeliveryRequestQuery) ([]*supply.DeliveryRequest, supply.Cursor, error) {
	where, args, order, err := requestFilter(q)
	if err != nil {
		return nil, nil, err
	}
	return deliveryRequests.list(db.reads(ctx), where, args, order, q.Page)
}

// isWaiting reports whether states are exactly the states of a request
// still waiting for goods, which an index holds in list order.
func isWaiting(states []supply.RequestState) bool {
	var waiting []supply.RequestState
	for _, s := range supply.RequestStates {
		if s.Pending() {
			waiting = append(waiting, s)
		}
	}
	sorted := slices.Clone(states)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	slices.Sort(waiting)
	return slices.Equal(sorted, waiting)
}

// requestFilter turns a request query into conditions and an order.
func requestFilter(q supply.DeliveryRequestQuery) (where []string, args []any, order []column, err error) {
	if q.HospitalID != "" {
		where, args = append(where, "hospital_id = ?"), append(args, q.HospitalID)
	}
	if q.WardID != "" {
		where, args = append(where, "ward_id = ?"), append(args, q.WardID)
	}
	switch {
	case isWaiting(q.States):
		where = append(where, "waiting = 1")
	case len(q.States) > 0:
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(q.States)-1)+")")
		for _, s := range q.States {
			args = append(args, string(s))
		}
	}
	if q.Category != "" {
		where = append(where, `EXISTS (SELECT 1 FROM delivery_request_lines l
			WHERE l.delivery_request_id = delivery_requests.id AND l.category = ?)`)
		args = append(args, string(q.Category))
	}
	if q.Priority != "" {
		where, args = append(where, "priority = ?"), append(args, q.Priority.Rank())
	}
	if q.Overdue != nil {
		// An expression of the deadline (|| '', which both engines read as
		// the text itself) keeps the planner from choosing the deadline
		// index here: a list reads the waiting index in its order instead
		// of sorting.
		overdue := "waiting = 1 AND deliver_before || '' < ?"
		if !*q.Overdue {
			overdue = "NOT (" + overdue + ")"
		}
		where, args = append(where, overdue), append(args, formatTime(q.Now))
	}
	order = make([]column, 0, len(q.Order)+1)
	for _, f := range q.Order {
		expr, ok := requestOrderColumns[f.Field]
		if !ok {
			return nil, nil, nil, fmt.Errorf("list delivery requests: cannot order by %q", f.Field)
		}
		order = append(order, column{expr: expr, desc: f.Desc})
	}
	order = append(order, column{expr: "id"})
	return where, args, order, nil
}
