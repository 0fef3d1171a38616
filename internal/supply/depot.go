package supply

import (
	"context"
)

// Depot is a pickup point: a kitchen, a warehouse or a donor's shop.
type Depot struct {
	ID          string
	DisplayName string
	Address     string
	Location    *LatLng
	Hours       string
	Phone       string
	Archived    bool
	// NoStock marks a depot that keeps no stock, such as a kitchen cooking
	// to order: what it receives makes no lots, and its runs take none.
	NoStock bool
	Meta
}

// Name returns the resource name, depots/{depot}.
func (d *Depot) Name() string { return Name(DepotPattern, d.ID) }

// Validate checks the fields a caller sets; paths start with prefix.
func (d *Depot) Validate(prefix string) error {
	v := NewViolations(prefix)
	checkText(v, "display_name", "display_name", d.DisplayName, maxNameLength, true, false)
	checkText(v, "address", "address", d.Address, maxShortText, false, false)
	checkLocation(v, "location", d.Location)
	checkText(v, "hours", "hours", d.Hours, maxNameLength, false, false)
	checkPhone(v, "phone", "phone", d.Phone)
	return v.Err()
}

// DepotQuery selects depots for a list.
type DepotQuery struct {
	ShowArchived bool
	Page         Page
}

// DepotStore keeps depots.
type DepotStore interface {
	CreateDepot(ctx context.Context, d *Depot, op Op) (*Depot, error)
	GetDepot(ctx context.Context, id string) (*Depot, error)
	ListDepots(ctx context.Context, q DepotQuery) ([]*Depot, Cursor, error)
}
