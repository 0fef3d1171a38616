package store

import (
	"context"
	"fmt"

	"github.com/aqjurek/tracker/internal/supply"
)

var volunteers = &table[*supply.Volunteer]{
	name:    "volunteers",
	label:   "volunteer",
	keys:    []string{"id"},
	columns: []string{"display_name", "phone", "vehicle_kind", "capacity_kg", "active"},
	keyValues: func(v *supply.Volunteer) []any {
		return []any{v.ID}
	},
	values: func(v *supply.Volunteer) []any {
		return []any{v.DisplayName, v.Phone, string(v.VehicleKind), v.CapacityKG, boolInt(v.Active)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Volunteer, error) {
		v := &supply.Volunteer{}
		err := scan(&v.ID, &v.DisplayName, &v.Phone, &v.VehicleKind, &v.CapacityKG, &v.Active)
		return v, err
	},
	instead:  "set active to false instead",
	scoped:   volunteerScoped("id"),
	describe: func(v *supply.Volunteer) string { return fmt.Sprintf("%q", v.DisplayName) },
}

// volunteerScoped keeps a read to the volunteer a scope reaches, whose id
// is in column.
func volunteerScoped(column string) func(s supply.Scope) (string, []any) {
	return func(s supply.Scope) (string, []any) {
		if s.VolunteerID == "" {
			return "", nil
		}
		return column + " = ?", []any{s.VolunteerID}
	}
}

// CreateVolunteer implements supply.VolunteerStore.
func (db *DB) CreateVolunteer(ctx context.Context, v *supply.Volunteer, op supply.Op) (*supply.Volunteer, error) {
	return volunteers.create(ctx, db, v, op)
}

// GetVolunteer implements supply.VolunteerStore.
func (db *DB) GetVolunteer(ctx context.Context, id string) (*supply.Volunteer, error) {
	return volunteers.get(db.reads(ctx), supply.Name(supply.VolunteerPattern, id), id)
}

// ListVolunteers implements supply.VolunteerStore.
func (db *DB) ListVolunteers(ctx context.Context, q supply.VolunteerQuery) ([]*supply.Volunteer, supply.Cursor, error) {
	r := db.reads(ctx)
	var where []string
	// A driver reaches themselves, active or not.
	if q.ActiveOnly && r.reach().VolunteerID == "" {
		where = append(where, "active = 1")
	}
	return volunteers.list(r, where, nil, byDisplayName, q.Page)
}
