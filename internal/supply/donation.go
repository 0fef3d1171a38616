package supply

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DonationPattern is the resource name pattern of donations.
const DonationPattern = "donations/{donation}"

// DonationKind says whether a donation is money or goods; the names match
// the API's enum.
type DonationKind string

// Donation kinds.
const (
	MoneyDonation DonationKind = "MONEY"
	GoodsDonation DonationKind = "GOODS"
)

// Channel is how money came; the names match the API's enum.
type Channel string

// Channels.
const (
	KaspiGold    Channel = "KASPI_GOLD"
	BankTransfer Channel = "BANK_TRANSFER"
	Cash         Channel = "CASH"
	OtherChannel Channel = "OTHER"
)

// Channels lists every channel, in the API's order.
var Channels = []Channel{KaspiGold, BankTransfer, Cash, OtherChannel}

// Donor is who gave.
type Donor struct {
	DisplayName string
	// Contact is a phone or e-mail; never shown publicly.
	Contact string
	// PublicNaming is the donor's consent to be named publicly.
	PublicNaming bool
}

// GoodsLine is one kind of goods given or bought. A reversing entry's
// lines have negative quantities.
type GoodsLine struct {
	Category    Category
	Description string
	Quantity    Quantity
	Unit        Unit
	// BestBefore is the day to use the goods by (midnight UTC); zero for
	// goods that keep.
	BestBefore time.Time
}

// Donation is an entry of the donations ledger: money or goods someone
// gave. Entries are never edited: a mistake is corrected by a reversing
// entry, the original's opposite, and both stay.
type Donation struct {
	ID          string
	Donor       Donor
	ReceiveTime time.Time
	Kind        DonationKind
	// Money: the amount (negative on a reversing entry), how it came, and
	// the payment's reference.
	Amount           Money
	Channel          Channel
	PaymentReference string
	// Goods: the depot they were received at, and what.
	DepotID string
	Lines   []GoodsLine
	Notes   string
	// ReversesID names the donation a reversing entry reverses;
	// ReversedByID the entry that reversed this one. ReverseReason is on both.
	ReversesID    string
	ReversedByID  string
	ReverseReason string
	// Spent is how much of a money donation purchases took, in its
	// currency's minor units; the store reads it.
	Spent int64
	// GoodsUsed, read by the store, says what of a goods donation was
	// already taken or written off ("" when nothing was).
	GoodsUsed string
	Meta
}

// Name returns the resource name, donations/{donation}.
func (d *Donation) Name() string { return Name(DonationPattern, d.ID) }

// Clone returns a copy of the donation with its lines.
func (d *Donation) Clone() *Donation {
	c := *d
	c.Lines = slices.Clone(d.Lines)
	return &c
}

// Left is how much of a money donation purchases may still spend: none of
// a reversed donation or of a reversing entry, since the pair nets to
// nothing. So, per currency, the sum of every entry's amount is the sum
// spent plus the sum left.
func (d *Donation) Left() int64 {
	if d.Kind != MoneyDonation || d.ReversesID != "" || d.ReversedByID != "" {
		return 0
	}
	return d.Amount.Minor - d.Spent
}

// receiveTolerance lets a gift be recorded with a clock a little ahead.
const receiveTolerance = 5 * time.Minute

// PrepareNew checks a donation being recorded and fills its defaults: it is
// received now unless it says when. Problems are added to v, which may
// already hold some from decoding the input, and all are returned together.
func (d *Donation) PrepareNew(now time.Time, v *Violations) error {
	if d.ReceiveTime.IsZero() {
		d.ReceiveTime = now
	}
	checkText(v, "donor.display_name", "donor.display_name", d.Donor.DisplayName, maxNameLength, true, false)
	checkText(v, "donor.contact", "donor.contact", d.Donor.Contact, maxNameLength, false, false)
	if d.ReceiveTime.After(now.Add(receiveTolerance)) {
		v.Add("receive_time", "receive_time must not be in the future")
	}
	switch d.Kind {
	case MoneyDonation:
		if !v.Has("money.amount") && d.Amount.Minor <= 0 {
			v.Add("money.amount", "money.amount must be greater than 0")
		}
		if !slices.Contains(Channels, d.Channel) {
			v.Add("money.channel", "money.channel must be one of %s", joinNames(Channels))
		}
		checkText(v, "money.payment_reference", "money.payment_reference", d.PaymentReference, maxNameLength, false, false)
	case GoodsDonation:
		if d.DepotID == "" && !v.Has("goods.depot") {
			v.Add("goods.depot", "goods.depot is required")
		}
		checkGoodsLines(v, "goods.lines", d.Lines)
	default:
		v.Add("gift", "a donation must be either money or goods")
	}
	checkText(v, "notes", "notes", d.Notes, maxLongText, false, true)
	d.ReversesID, d.ReversedByID, d.ReverseReason, d.Spent, d.GoodsUsed = "", "", "", 0, ""
	return v.Err()
}

// checkGoodsLines checks the lines of goods received: as many as a request
// may have, each as a request's line is checked.
func checkGoodsLines(v *Violations, path string, lines []GoodsLine) {
	switch {
	case len(lines) == 0:
		v.Add(path, "%s must have at least one line", path)
	case len(lines) > MaxLines:
		v.Add(path, "%s must have at most %d lines (got %d)", path, MaxLines, len(lines))
	default:
		for i, l := range lines {
			LineItem{Category: l.Category, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit}.
				validate(v, fmt.Sprintf("%s[%d]", path, i), i+1)
		}
	}
}

// Reverse returns the entry that corrects d: its opposite, naming d, with
// the same donor and receive time, so totals of any period net to nothing
// where the mistake was made; its create time tells when it was
// corrected. d is marked reversed. A donation is reversed once, a reversing
// entry never, and neither once its money or goods were spent.
func (d *Donation) Reverse(reversalID, reason string) (*Donation, error) {
	v := NewViolations("")
	checkText(v, "reason", "reason", reason, maxShortText, true, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	switch {
	case d.ReversesID != "":
		return nil, Errorf(FailedPrecondition, "%s is itself a reversing entry (of %s); it cannot be reversed", d.Name(), Name(DonationPattern, d.ReversesID))
	case d.ReversedByID != "":
		return nil, Errorf(FailedPrecondition, "%s was already reversed by %s", d.Name(), Name(DonationPattern, d.ReversedByID))
	case d.Spent > 0:
		return nil, Errorf(FailedPrecondition, "%s of %s was already spent on purchases; it cannot be reversed",
			Money{Currency: d.Amount.Currency, Minor: d.Spent}, d.Name())
	case d.GoodsUsed != "":
		return nil, Errorf(FailedPrecondition, "goods of %s were already used (%s); it cannot be reversed", d.Name(), d.GoodsUsed)
	}
	r := d.Clone()
	r.ID = reversalID
	r.Meta = Meta{}
	r.ReversesID, r.ReversedByID, r.ReverseReason = d.ID, "", reason
	r.Amount.Minor = -d.Amount.Minor
	for i := range r.Lines {
		r.Lines[i].Quantity = -r.Lines[i].Quantity
	}
	r.Spent = 0
	d.ReversedByID, d.ReverseReason = reversalID, reason
	return r, nil
}

// Describe summarises the donation for the event log, e.g.
// `KZT 50,000.00 by KASPI_GOLD from "Aigerim S."`.
func (d *Donation) Describe() string {
	from := fmt.Sprintf("from %q", truncate(d.Donor.DisplayName, 60))
	if d.ReversesID != "" {
		from += " reversing " + Name(DonationPattern, d.ReversesID)
	}
	if d.Kind == MoneyDonation {
		return fmt.Sprintf("%s by %s %s", d.Amount, d.Channel, from)
	}
	parts := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		parts[i] = fmt.Sprintf("%s %s %s", l.Quantity, l.Unit, l.Category)
		if l.Description != "" {
			parts[i] += " (" + truncate(l.Description, 40) + ")"
		}
	}
	return fmt.Sprintf("%s at %s %s", strings.Join(parts, ", "), Name(DepotPattern, d.DepotID), from)
}

// DonationOrderFields are the fields a donation list can be ordered by.
var DonationOrderFields = []string{"receive_time", "create_time"}

// DefaultDonationOrder puts the newest gifts first.
var DefaultDonationOrder = []OrderField{{Field: "receive_time", Desc: true}}

// DonationQuery selects donations for a list; empty fields match all.
type DonationQuery struct {
	Kind     DonationKind
	Currency string
	DepotID  string
	// From and To bound the receive time: From <= t < To.
	From, To time.Time
	// MoneyLeft keeps the money donations that purchases may still spend.
	MoneyLeft bool
	Order     []OrderField
	Page      Page
}

// DonationStore keeps the donations ledger.
type DonationStore interface {
	GetDonation(ctx context.Context, id string) (*Donation, error)
	ListDonations(ctx context.Context, q DonationQuery) ([]*Donation, Cursor, error)
}
