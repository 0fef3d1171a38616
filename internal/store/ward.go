package store

import (
	"context"
	"fmt"

	"github.com/aqjurek/tracker/internal/supply"
)

var wards = &table[*supply.Ward]{
	name:    "wards",
	label:   "ward",
	keys:    []string{"hospital_id", "id"},
	columns: []string{"display_name", "building", "drop_off_instructions", "staff_on_shift", "contact_phone", "archived"},
	keyValues: func(w *supply.Ward) []any {
		return []any{w.HospitalID, w.ID}
	},
	values: func(w *supply.Ward) []any {
		return []any{w.DisplayName, w.Building, w.DropOffInstructions, w.StaffOnShift, w.ContactPhone, boolInt(w.Archived)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Ward, error) {
		w := &supply.Ward{}
		err := scan(&w.HospitalID, &w.ID, &w.DisplayName, &w.Building, &w.DropOffInstructions, &w.StaffOnShift, &w.ContactPhone, &w.Archived)
		return w, err
	},
	instead: "archive it instead",
	describe: func(w *supply.Ward) string {
		return fmt.Sprintf("%q of %s", w.DisplayName, supply.Name(supply.HospitalPattern, w.HospitalID))
	},
	hospital: func(w *supply.Ward) string { return w.HospitalID },
	scoped:   hospitalScoped,
}

// CreateWard adds a ward through the domain's rule (supply.CreateWard), for
// the tools that seed a database without the API.
func (db *DB) CreateWard(ctx context.Context, w *supply.Ward, op supply.Op) (*supply.Ward, error) {
	var created *supply.Ward
	err := db.Update(ctx, op, func(tx supply.Tx) (err error) {
		created, err = supply.CreateWard(tx, w)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// GetWard implements supply.WardStore.
func (db *DB) GetWard(ctx context.Context, hospitalID, id string) (*supply.Ward, error) {
	return wards.get(db.reads(ctx), supply.Name(supply.WardPattern, hospitalID, id), hospitalID, id)
}

// ListWards implements supply.WardStore.
func (db *DB) ListWards(ctx context.Context, q supply.WardQuery) ([]*supply.Ward, supply.Cursor, error) {
	if _, err := db.GetHospital(ctx, q.HospitalID); err != nil {
		return nil, nil, err
	}
	where := []string{"hospital_id = ?"}
	if !q.ShowArchived {
		where = append(where, "archived = 0")
	}
	return wards.list(db.reads(ctx), where, []any{q.HospitalID}, byDisplayName, q.Page)
}
