package supply

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LotPattern is the resource name pattern of lots.
const LotPattern = "depots/{depot}/lots/{lot}"

// Lot is goods of one kind held at a depot, from one line of a goods
// donation or of a purchase. What is on hand is what was received less
// what runs took, what was written off and what went with the reversal of
// its donation, and never below zero.
//
// Goods match a need by category and unit: a ward's line of 12 KILOGRAM
// FRUIT (apples) is met from FRUIT lots counted in KILOGRAM, whatever their
// description, since descriptions are free text ("apples", "green apples",
// "яблоки") and a coordinator who needs a finer match names it in the
// request's description and checks the lots. Quantities in different units
// are never converted (a BOX of apples has no fixed weight).
type Lot struct {
	DepotID     string
	ID          string
	Category    Category
	Description string
	Unit        Unit
	Received    Quantity
	Taken       Quantity
	WrittenOff  Quantity
	Reversed    Quantity
	// BestBefore is the day to use the goods by; zero for goods that keep.
	BestBefore time.Time
	// The source: a goods donation or a purchase, and its line (0-based).
	DonationID  string
	PurchaseID  string
	SourceLine  int
	ReceiveTime time.Time
	Meta
}

// Name returns the resource name, depots/{depot}/lots/{lot}.
func (l *Lot) Name() string { return Name(LotPattern, l.DepotID, l.ID) }

// Clone returns a copy of the lot.
func (l *Lot) Clone() *Lot {
	c := *l
	return &c
}

// OnHand is how much of the lot the depot holds.
func (l *Lot) OnHand() Quantity { return l.Received - l.Taken - l.WrittenOff - l.Reversed }

// Source is the resource the lot came from.
func (l *Lot) Source() string {
	if l.PurchaseID != "" {
		return Name(PurchasePattern, l.PurchaseID)
	}
	return Name(DonationPattern, l.DonationID)
}

// ReceiveLots makes the lots that goods received at a depot stock: one per
// line, or none at a depot that keeps no stock. Exactly one of donationID
// and purchaseID is set.
func ReceiveLots(depot *Depot, lines []GoodsLine, donationID, purchaseID string, received time.Time) []*Lot {
	if depot.NoStock {
		return nil
	}
	lots := make([]*Lot, len(lines))
	for i, g := range lines {
		lots[i] = &Lot{
			DepotID: depot.ID, ID: NewID(), Category: g.Category, Description: g.Description, Unit: g.Unit,
			Received: g.Quantity, BestBefore: g.BestBefore, DonationID: donationID, PurchaseID: purchaseID, SourceLine: i,
			ReceiveTime: received,
		}
	}
	return lots
}

// WriteOff records that quantity of the lot spoiled or was lost. It never
// takes the lot below zero.
func (l *Lot) WriteOff(quantity Quantity, reason string) error {
	v := NewViolations("")
	switch {
	case quantity <= 0:
		v.Add("quantity", "quantity must be greater than 0")
	case l.Unit.Whole() && quantity%QuantityScale != 0:
		v.Add("quantity", "quantity must be a whole number of %s", l.Unit)
	}
	checkText(v, "reason", "reason", reason, maxShortText, true, true)
	if err := v.Err(); err != nil {
		return err
	}
	if quantity > l.OnHand() {
		return Errorf(FailedPrecondition, "%s has %s on hand; %s cannot be written off", l.Name(),
			Amount(l.OnHand(), l.Unit, l.what()), Amount(quantity, l.Unit, ""))
	}
	l.WrittenOff += quantity
	return nil
}

// what names the goods of the lot: its description, or else its category.
func (l *Lot) what() string {
	if l.Description != "" {
		return l.Description
	}
	return strings.ToLower(string(l.Category))
}

// LotsUsed says what of a donation's lots was already taken or written off,
// or "" when nothing was: such a donation can no longer be reversed.
func LotsUsed(lots []*Lot) string {
	var used []string
	for _, l := range lots {
		if l.Taken > 0 || l.WrittenOff > 0 {
			used = append(used, fmt.Sprintf("%s: %s taken, %s written off", l.Name(), Amount(l.Taken, l.Unit, ""), Amount(l.WrittenOff, l.Unit, "")))
		}
	}
	return strings.Join(used, "; ")
}

// ReverseLots takes back what a reversed donation's lots hold.
func ReverseLots(lots []*Lot) {
	for _, l := range lots {
		l.Reversed += l.OnHand()
	}
}

// unitWords are the units as people write them after a number.
var unitWords = map[Unit]string{Kilogram: "kg", Liter: "l", Portion: "portions", Piece: "pieces", Box: "boxes"}

// Amount writes a quantity for people, e.g. "5 kg of apples" or "12 portions".
func Amount(q Quantity, u Unit, what string) string {
	s := q.String() + " " + unitWords[u]
	if what != "" {
		s += " of " + what
	}
	return s
}

// LotQuery selects a depot's lots for a list.
type LotQuery struct {
	DepotID    string
	OnHandOnly bool
	// ExpireBefore, when set, keeps lots with a best-before day before it.
	ExpireBefore time.Time
	Page         Page
}

// LotStore keeps depots' lots. Lots are made by the donations and
// purchases that receive goods, and taken by runs.
type LotStore interface {
	GetLot(ctx context.Context, depotID, id string) (*Lot, error)
	// ListLots lists a depot's lots, earliest best-before first; NotFound
	// when the depot does not exist.
	ListLots(ctx context.Context, q LotQuery) ([]*Lot, Cursor, error)
}
