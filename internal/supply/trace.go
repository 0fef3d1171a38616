package supply

import (
	"context"
	"time"
)

// Trace is what became of a donation: the lots its goods became (for
// money, the goods of the purchases it paid for) and every drop made from
// them.
type Trace struct {
	Donation  *Donation
	Purchases []TracedPurchase
	Lots      []*Lot
	Drops     []TracedDrop
}

// TracedPurchase is a purchase a money donation paid for: Paid of Amount.
type TracedPurchase struct {
	PurchaseID string
	Paid       Money
	Amount     Money
}

// TracedDrop is goods of a lot handed over at a stop.
type TracedDrop struct {
	Drop
	RunID       string
	HospitalID  string
	WardID      string
	DeliverTime time.Time
	Category    Category
	Description string
	Unit        Unit
	// PurchaseID is the purchase that bought the lot, when it did.
	PurchaseID string
}

// TraceStore follows donations to the wards that received them.
type TraceStore interface {
	// TraceDonation returns the trace of a donation, or NotFound.
	TraceDonation(ctx context.Context, id string) (*Trace, error)
}
