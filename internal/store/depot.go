package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/aqjurek/tracker/internal/supply"
)

var depots = &table[*supply.Depot]{
	name:    "depots",
	label:   "depot",
	keys:    []string{"id"},
	columns: []string{"display_name", "address", "latitude", "longitude", "hours", "phone", "archived", "no_stock"},
	keyValues: func(d *supply.Depot) []any {
		return []any{d.ID}
	},
	values: func(d *supply.Depot) []any {
		lat, lng := latLngValues(d.Location)
		return []any{d.DisplayName, d.Address, lat, lng, d.Hours, d.Phone, boolInt(d.Archived), boolInt(d.NoStock)}
	},
	scan: func(scan func(dest ...any) error) (*supply.Depot, error) {
		d := &supply.Depot{}
		var lat, lng sql.NullFloat64
		err := scan(&d.ID, &d.DisplayName, &d.Address, &lat, &lng, &d.Hours, &d.Phone, &d.Archived, &d.NoStock)
		d.Location = latLng(lat, lng)
		return d, err
	},
	instead:  "archive it instead",
	describe: func(d *supply.Depot) string { return fmt.Sprintf("%q", d.DisplayName) },
}

// CreateDepot implements supply.DepotStore.
func (db *DB) CreateDepot(ctx context.Context, d *supply.Depot, op supply.Op) (*supply.Depot, error) {
	return depots.create(ctx, db, d, op)
}

// GetDepot implements supply.DepotStore.
func (db *DB) GetDepot(ctx context.Context, id string) (*supply.Depot, error) {
	return depots.get(db.reads(ctx), supply.Name(supply.DepotPattern, id), id)
}

// ListDepots implements supply.DepotStore.
func (db *DB) ListDepots(ctx context.Context, q supply.DepotQuery) ([]*supply.Depot, supply.Cursor, error) {
	var where []string
	if !q.ShowArchived {
		where = append(where, "archived = 0")
	}
	return depots.list(db.reads(ctx), where, nil, byDisplayName, q.Page)
}
