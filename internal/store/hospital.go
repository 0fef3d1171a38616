package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/aqjurek/tracker/internal/supply"
)

var hospitals = &table[*supply.Hospital]{
	name:    "hospitals",
	label:   "hospital",
	keys:    []string{"id"},
	columns: []string{"display_name", "address", "latitude", "longitude", "phone", "delivery_notes", "archived"},
	keyValues: func(h *supply.Hospital) []any {
		return []any{h.ID}
	},
	values: func(h *supply.Hospital) []any {
		lat, lng := latLngValues(h.Location)
		return []any{h.DisplayName, h.Address, lat, lng, h.Phone, h.DeliveryNotes, boolInt(h.Archived)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Hospital, error) {
		h := &supply.Hospital{}
		var lat, lng sql.NullFloat64
		err := scan(&h.ID, &h.DisplayName, &h.Address, &lat, &lng, &h.Phone, &h.DeliveryNotes, &h.Archived)
		h.Location = latLng(lat, lng)
		return h, err
	},
	instead:  "archive it instead",
	describe: func(h *supply.Hospital) string { return fmt.Sprintf("%q", h.DisplayName) },
	hospital: func(h *supply.Hospital) string { return h.ID },
	scoped: func(s supply.Scope) (string, []any) {
		if s.HospitalID == "" {
			return "", nil
		}
		return "id = ?", []any{s.HospitalID}
	},
}

// CreateHospital implements supply.HospitalStore.
func (db *DB) CreateHospital(ctx context.Context, h *supply.Hospital, op supply.Op) (*supply.Hospital, error) {
	return hospitals.create(ctx, db, h, op)
}

// GetHospital implements supply.HospitalStore.
func (db *DB) GetHospital(ctx context.Context, id string) (*supply.Hospital, error) {
	return hospitals.get(db.reads(ctx), supply.Name(supply.HospitalPattern, id), id)
}

// ListHospitals implements supply.HospitalStore.
func (db *DB) ListHospitals(ctx context.Context, q supply.HospitalQuery) ([]*supply.Hospital, supply.Cursor, error) {
	r := db.reads(ctx)
	var where []string
	// Staff reach their own hospital, archived or not: they still work there.
	if !q.ShowArchived && r.reach().HospitalID == "" {
		where = append(where, "archived = 0")
	}
	return hospitals.list(r, where, nil, byDisplayName, q.Page)
}

// hospitalScoped keeps a read of a table with a hospital_id to the
// hospital a scope reaches.
func hospitalScoped(s supply.Scope) (string, []any) {
	if s.HospitalID == "" {
		return "", nil
	}
	return "hospital_id = ?", []any{s.HospitalID}
}

var byDisplayName = []column{{expr: "display_name"}, {expr: "id"}}

func latLngValues(l *supply.LatLng) (lat, lng any) {
	if l == nil {
		return nil, nil
	}
	return l.Latitude, l.Longitude
}

func latLng(lat, lng sql.NullFloat64) *supply.LatLng {
	if !lat.Valid || !lng.Valid {
		return nil
	}
	return &supply.LatLng{Latitude: lat.Float64, Longitude: lng.Float64}
}
