package store

import (
	"context"
	"database/sql"

	"github.com/aqjurek/tracker/internal/supply"
)

// ListEvents implements supply.EventStore. The list keeps to what the
// actor ctx carries reaches: staff the events of their hospital, drivers
// those of their runs.
func (db *DB) ListEvents(ctx context.Context, q supply.EventQuery) ([]*supply.Event, error) {
	query := `SELECT sequence, event_time, actor, actor_role, kind, resource, summary, hospital_id, volunteer_id
		FROM events WHERE sequence > ?`
	args := []any{q.AfterSequence}
	if q.BeforeSequence != 0 {
		query += " AND sequence < ?"
		args = append(args, q.BeforeSequence)
	}
	order := " ORDER BY sequence"
	if q.Newest {
		order += " DESC"
	}
	reach := supply.ActorFrom(ctx).Scope()
	for _, f := range []struct{ column, value string }{{"resource", q.Resource}, {"hospital_id", q.HospitalID}, {"volunteer_id", q.VolunteerID},
		{"hospital_id", reach.HospitalID}, {"volunteer_id", reach.VolunteerID}} {
		if f.value != "" {
			query += " AND " + f.column + " = ?"
			args = append(args, f.value)
		}
	}
	rows, err := db.read.QueryContext(ctx, query+order+" LIMIT ?", append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []*supply.Event
	for rows.Next() {
		e := &supply.Event{}
		var at string
		var hospital, volunteer sql.NullString
		if err := rows.Scan(&e.Sequence, &at, &e.Actor.Name, &e.Actor.Role, &e.Kind, &e.Resource, &e.Summary, &hospital, &volunteer); err != nil {
			return nil, err
		}
		if e.Time, err = parseTime(at); err != nil {
			return nil, err
		}
		e.HospitalID, e.VolunteerID = hospital.String, volunteer.String
		events = append(events, e)
	}
	return events, rows.Err()
}
