package supply

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PurchasePattern is the resource name pattern of purchases.
const PurchasePattern = "purchases/{purchase}"

// Allocation is the part of a purchase paid from one money donation, in
// the purchase's currency's minor units.
type Allocation struct {
	DonationID string
	Minor      int64
}

// Purchase is money from donations spent on goods received into a depot.
type Purchase struct {
	ID               string
	Supplier         string
	Amount           Money
	ReceiptReference string
	DepotID          string
	Lines            []GoodsLine
	PurchaseTime     time.Time
	// FundingIDs are the donations the coordinator named to pay from, in
	// order; empty for the oldest first.
	FundingIDs  []string
	Allocations []Allocation
	Notes       string
	Meta
}

// Name returns the resource name, purchases/{purchase}.
func (p *Purchase) Name() string { return Name(PurchasePattern, p.ID) }

// Clone returns a copy of the purchase with its lines and allocations.
func (p *Purchase) Clone() *Purchase {
	c := *p
	c.Lines = slices.Clone(p.Lines)
	c.FundingIDs = slices.Clone(p.FundingIDs)
	c.Allocations = slices.Clone(p.Allocations)
	return &c
}

// maxFunding bounds how many donations a coordinator may name for one purchase.
const maxFunding = 100

// PrepareNew checks a purchase being recorded and fills its defaults: it
// was made now unless it says when. Problems are added to v, which may
// already hold some from decoding the input, and all are returned together.
// It is paid later, by Fund, inside the store's transaction.
func (p *Purchase) PrepareNew(now time.Time, v *Violations) error {
	if p.PurchaseTime.IsZero() {
		p.PurchaseTime = now
	}
	checkText(v, "supplier", "supplier", p.Supplier, maxNameLength, true, false)
	if !v.Has("amount") && p.Amount.Minor <= 0 {
		v.Add("amount", "amount must be greater than 0")
	}
	checkText(v, "receipt_reference", "receipt_reference", p.ReceiptReference, maxNameLength, false, false)
	if p.DepotID == "" && !v.Has("depot") {
		v.Add("depot", "depot is required")
	}
	checkGoodsLines(v, "lines", p.Lines)
	if p.PurchaseTime.After(now.Add(receiveTolerance)) {
		v.Add("purchase_time", "purchase_time must not be in the future")
	}
	if len(p.FundingIDs) > maxFunding {
		v.Add("funding_donations", "funding_donations must name at most %d donations (got %d)", maxFunding, len(p.FundingIDs))
	}
	for i, id := range p.FundingIDs {
		if slices.Index(p.FundingIDs, id) != i {
			v.Add(fmt.Sprintf("funding_donations[%d]", i), "funding_donations names %s twice; name each once", Name(DonationPattern, id))
		}
	}
	checkText(v, "notes", "notes", p.Notes, maxLongText, false, true)
	p.Allocations = nil
	return v.Err()
}

// Fund pays the purchase from donations: those the coordinator named, in
// that order, or else (from, the store's money donations of the currency
// with money left, oldest received first) the oldest first. Each gives what
// it has left until the amount is paid; no donation gives more than it
// holds, none of another currency, since the service never converts, and
// none received after the purchase was made, since money is spent only
// once it has come (a purchase dated a year too early would otherwise be
// paid from gifts of later, and that year's money would go below zero).
// When the donations hold too little it refuses, saying what they hold:
// "KZT 12,000.00 available, purchase is KZT 15,000.00". Each donation's
// Spent grows by what it gave.
func (p *Purchase) Fund(from []*Donation) error {
	if len(p.FundingIDs) > 0 {
		v := NewViolations("purchase")
		for i, d := range from {
			field := fmt.Sprintf("funding_donations[%d]", i)
			switch {
			case d.Kind != MoneyDonation:
				v.Add(field, "%s is a gift of goods; a purchase is paid from money donations", d.Name())
			case d.ReversesID != "":
				v.Add(field, "%s is a reversing entry; it holds no money", d.Name())
			case d.ReversedByID != "":
				v.Add(field, "%s was reversed by %s; it holds no money", d.Name(), Name(DonationPattern, d.ReversedByID))
			case d.Amount.Currency != p.Amount.Currency:
				v.Add(field, "%s is in %s, the purchase in %s; the service never converts between currencies",
					d.Name(), d.Amount.Currency, p.Amount.Currency)
			case d.ReceiveTime.After(p.PurchaseTime):
				v.Add(field, "%s was received at %s, after the purchase was made at %s; money is spent only once it has come",
					d.Name(), CityTime(d.ReceiveTime), CityTime(p.PurchaseTime))
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
	}
	owed := p.Amount.Minor
	available := int64(0)
	p.Allocations = nil
	later := false
	for _, d := range from {
		if d.ReceiveTime.After(p.PurchaseTime) {
			later = true
			continue
		}
		left := d.Left()
		available += left
		if owed == 0 || left <= 0 {
			continue
		}
		take := min(left, owed)
		p.Allocations = append(p.Allocations, Allocation{DonationID: d.ID, Minor: take})
		d.Spent += take
		owed -= take
	}
	if owed > 0 {
		have := Money{Currency: p.Amount.Currency, Minor: available}
		if len(p.FundingIDs) == 0 && later {
			return Errorf(FailedPrecondition, "%s available at %s, when the purchase was made; purchase is %s",
				have, CityTime(p.PurchaseTime), p.Amount)
		}
		if len(p.FundingIDs) == 0 {
			return Errorf(FailedPrecondition, "%s available, purchase is %s", have, p.Amount)
		}
		names := make([]string, len(from))
		for i, d := range from {
			names[i] = d.Name()
		}
		return Errorf(FailedPrecondition, "%s available in %s, purchase is %s", have, strings.Join(names, ", "), p.Amount)
	}
	return nil
}

// Describe summarises the purchase for the event log.
func (p *Purchase) Describe() string {
	paid := make([]string, len(p.Allocations))
	for i, a := range p.Allocations {
		paid[i] = fmt.Sprintf("%s (%s)", Name(DonationPattern, a.DonationID), Money{Currency: p.Amount.Currency, Minor: a.Minor})
	}
	return fmt.Sprintf("of %s from %q into %s, paid from %s", p.Amount, truncate(p.Supplier, 60),
		Name(DepotPattern, p.DepotID), strings.Join(paid, ", "))
}

// PurchaseOrderFields are the fields a purchase list can be ordered by.
var PurchaseOrderFields = []string{"purchase_time", "create_time"}

// DefaultPurchaseOrder puts the newest purchases first.
var DefaultPurchaseOrder = []OrderField{{Field: "purchase_time", Desc: true}}

// PurchaseQuery selects purchases for a list; empty fields match all.
type PurchaseQuery struct {
	Currency   string
	DepotID    string
	DonationID string
	// From and To bound the purchase time: From <= t < To.
	From, To time.Time
	Order    []OrderField
	Page     Page
}

// PurchaseStore keeps purchases.
type PurchaseStore interface {
	GetPurchase(ctx context.Context, id string) (*Purchase, error)
	ListPurchases(ctx context.Context, q PurchaseQuery) ([]*Purchase, Cursor, error)
}
