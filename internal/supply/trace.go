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

// StopDonor is a donor whose gift fed a delivered stop: the goods donation
// a lot of the stop's goods came from, or a money donation that paid for
// the purchase that bought it.
type StopDonor struct {
	RunID      string
	StopID     string
	DonationID string
	Donor      Donor
}

// StopDonorStore finds whom delivered stops' goods came from.
type StopDonorStore interface {
	// StopDonors returns the donors of every delivered stop of the runs,
	// by run and stop, in one read: each donation once per stop, in the
	// order its goods were handed over.
	StopDonors(ctx context.Context, runIDs []string) ([]StopDonor, error)
}

// NamedDonors is what of a stop's donors the actor may see: coordinators
// and admins see every donor; anyone else only the gifts whose donors
// agreed to be named publicly, the other donors counted in others, each
// once (a donor is a name with a contact, as in PublicDonors; one named
// for one gift is not counted among the others for another). Contacts are
// never in what it returns.
func NamedDonors(a Actor, donors []StopDonor) (named []StopDonor, others int) {
	office := a.KeepsLedger()
	agreed := agreedToBeNamed(donors, func(d StopDonor) Donor { return d.Donor })
	hidden := map[donorID]bool{}
	for _, d := range donors {
		if office || d.Donor.PublicNaming {
			d.Donor.Contact = ""
			named = append(named, d)
			continue
		}
		if id := d.Donor.id(); !agreed[id] {
			hidden[id] = true
		}
	}
	return named, len(hidden)
}
