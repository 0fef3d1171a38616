package supply

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Category is the kind of goods on a line; the names match the API's enum.
type Category string

// Categories.
const (
	Fruit      Category = "FRUIT"
	Vegetables Category = "VEGETABLES"
	Juice      Category = "JUICE"
	Meals      Category = "MEALS"
	Water      Category = "WATER"
	Other      Category = "OTHER"
)

// Categories lists every category, in the API's order.
var Categories = []Category{Fruit, Vegetables, Juice, Meals, Water, Other}

// Unit is how a line is counted; the names match the API's enum.
type Unit string

// Units.
const (
	Kilogram Unit = "KILOGRAM"
	Liter    Unit = "LITER"
	Portion  Unit = "PORTION"
	Piece    Unit = "PIECE"
	Box      Unit = "BOX"
)

// Units lists every unit, in the API's order.
var Units = []Unit{Kilogram, Liter, Portion, Piece, Box}

// Whole reports whether the unit counts whole things only.
func (u Unit) Whole() bool { return u == Portion || u == Piece || u == Box }

// unitsFor says which units make sense for each category: fruit is weighed
// or counted, juice and water are measured or counted, meals come in
// portions or boxes.
var unitsFor = map[Category][]Unit{
	Fruit:      {Kilogram, Piece, Box},
	Vegetables: {Kilogram, Piece, Box},
	Juice:      {Liter, Piece, Box},
	Water:      {Liter, Piece, Box},
	Meals:      {Portion, Box},
	Other:      {Kilogram, Liter, Portion, Piece, Box},
}

// Priority says how urgent a need is; the names match the API's enum.
type Priority string

// Priorities.
const (
	Routine  Priority = "ROUTINE"
	Urgent   Priority = "URGENT"
	Critical Priority = "CRITICAL"
)

// Rank orders priorities: higher is more urgent; 0 for an unknown one.
func (p Priority) Rank() int {
	switch p {
	case Routine:
		return 1
	case Urgent:
		return 2
	case Critical:
		return 3
	}
	return 0
}

// PriorityOfRank is the inverse of Rank.
func PriorityOfRank(rank int) Priority {
	return [...]Priority{"", Routine, Urgent, Critical}[max(0, min(rank, 3))]
}

// RequestState is where a delivery request is in its life; the names match
// the API's enum.
type RequestState string

// Request states.
const (
	Open      RequestState = "OPEN"
	Scheduled RequestState = "SCHEDULED"
	InTransit RequestState = "IN_TRANSIT"
	Delivered RequestState = "DELIVERED"
	Cancelled RequestState = "CANCELLED"
)

// RequestStates lists every state, in the API's order.
var RequestStates = []RequestState{Open, Scheduled, InTransit, Delivered, Cancelled}

// Pending reports whether a request in this state still waits for goods.
func (s RequestState) Pending() bool { return s == Open || s == Scheduled || s == InTransit }

// Quantity is an amount in thousandths of a unit, so sums of deliveries are
// exact: 2.5 kg is 2500.
type Quantity int64

// QuantityScale is how many Quantity make one unit.
const QuantityScale = 1000

// Float returns the quantity in units.
func (q Quantity) Float() float64 { return float64(q) / QuantityScale }

func (q Quantity) String() string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", q.Float()), "0"), ".")
}

// Limits of a delivery request. A line of 10 tonnes or a request of 50
// lines is already far beyond any run a volunteer makes.
const (
	MaxLines    = 50
	maxQuantity = 10000 * QuantityScale
	// maxHeadcount bounds "for how many people": a whole hospital's shift.
	maxHeadcount = 10000
	// deadlineTolerance lets a form filled a few minutes ago still pass.
	deadlineTolerance = 5 * time.Minute
	// maxLeadTime bounds how far ahead a need is filed.
	maxLeadTime = 90 * 24 * time.Hour
)

// QuantityFromFloat converts an amount in units, as it arrives on the wire,
// to a Quantity. It fails for NaN, infinities, and amounts finer than a
// thousandth or beyond any plausible line.
func QuantityFromFloat(f float64) (Quantity, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("must be a number")
	}
	if math.Abs(f) > 2*maxQuantity/QuantityScale {
		return 0, fmt.Errorf("must be at most %d", maxQuantity/QuantityScale)
	}
	scaled := f * QuantityScale
	rounded := math.Round(scaled)
	// The tolerance absorbs binary floating point (0.1+0.2), not real digits.
	if math.Abs(scaled-rounded) > 1e-9*math.Max(1, math.Abs(scaled)) {
		return 0, fmt.Errorf("must have at most 3 decimal places")
	}
	return Quantity(rounded), nil
}

// LineItem is one thing a ward asks for.
type LineItem struct {
	Category    Category
	Description string
	Quantity    Quantity
	Unit        Unit
	// Scheduled is how much is on a run that has not delivered it yet.
	Scheduled Quantity
	// Delivered is how much has been handed over.
	Delivered Quantity
}

// sameRequest reports whether two lines ask for the same thing.
func (l LineItem) sameRequest(o LineItem) bool {
	return l.Category == o.Category && l.Description == o.Description && l.Quantity == o.Quantity && l.Unit == o.Unit
}

// Outstanding is how much is still to deliver.
func (l LineItem) Outstanding() Quantity { return max(0, l.Quantity-l.Delivered) }

// DeliveryRequest is a ward's need: goods, by when, for how many people.
type DeliveryRequest struct {
	ID            string
	HospitalID    string
	WardID        string
	Lines         []LineItem
	Priority      Priority
	DeliverAfter  time.Time // zero when any time is fine
	DeliverBefore time.Time
	Headcount     int
	DietaryNotes  string
	Notes         string
	State         RequestState
	RunID         string
	CancelReason  string
	Meta
}

// Name returns the resource name, deliveryRequests/{delivery_request}.
func (r *DeliveryRequest) Name() string { return Name(DeliveryRequestPattern, r.ID) }

// WardName returns the ward's resource name.
func (r *DeliveryRequest) WardName() string { return Name(WardPattern, r.HospitalID, r.WardID) }

// Overdue reports whether the request still waits for goods after its deadline.
func (r *DeliveryRequest) Overdue(now time.Time) bool {
	return r.State.Pending() && now.After(r.DeliverBefore)
}

// PrepareNew checks a request being filed, fills defaults and sets it OPEN.
// Problems are added to v, which may already hold some from decoding the
// input, and all are returned together.
func (r *DeliveryRequest) PrepareNew(now time.Time, v *Violations) error {
	if r.Priority == "" {
		r.Priority = Routine
	}
	r.validate(v, now, true)
	if err := v.Err(); err != nil {
		return err
	}
	r.State = Open
	r.RunID = ""
	r.CancelReason = ""
	for i := range r.Lines {
		r.Lines[i].Scheduled, r.Lines[i].Delivered = 0, 0
	}
	return nil
}

// Revise replaces the fields a caller sets with those of next. Only an OPEN
// request changes, and its lines stay as they are once goods were handed
// over, so the record of what was delivered is never rewritten.
func (r *DeliveryRequest) Revise(next *DeliveryRequest, now time.Time, v *Violations) error {
	if r.State != Open {
		return Errorf(FailedPrecondition, "%s is %s; only an OPEN request can be changed", r.Name(), r.State)
	}
	if next.Priority == "" {
		next.Priority = Routine
	}
	next.validate(v, now, !next.DeliverBefore.Equal(r.DeliverBefore))
	if err := v.Err(); err != nil {
		return err
	}
	if !slices.EqualFunc(r.Lines, next.Lines, LineItem.sameRequest) {
		for _, l := range r.Lines {
			if l.Delivered > 0 || l.Scheduled > 0 {
				return Errorf(FailedPrecondition, "%s has deliveries recorded against its lines; its lines cannot change (file a new request for more)", r.Name())
			}
		}
		r.Lines = make([]LineItem, len(next.Lines))
		for i, l := range next.Lines {
			l.Scheduled, l.Delivered = 0, 0
			r.Lines[i] = l
		}
	}
	r.HospitalID, r.WardID = next.HospitalID, next.WardID
	r.Priority = next.Priority
	r.DeliverAfter, r.DeliverBefore = next.DeliverAfter, next.DeliverBefore
	r.Headcount = next.Headcount
	r.DietaryNotes, r.Notes = next.DietaryNotes, next.Notes
	return nil
}

// Cancel withdraws an OPEN or SCHEDULED request.
func (r *DeliveryRequest) Cancel(reason string) error {
	v := NewViolations("")
	checkText(v, "reason", "reason", reason, maxShortText, true, true)
	if err := v.Err(); err != nil {
		return err
	}
	if r.State != Open && r.State != Scheduled {
		return Errorf(FailedPrecondition, "%s is %s; only an OPEN or SCHEDULED request can be cancelled", r.Name(), r.State)
	}
	r.State = Cancelled
	r.CancelReason = reason
	r.RunID = ""
	for i := range r.Lines {
		r.Lines[i].Scheduled = 0
	}
	return nil
}

func (r *DeliveryRequest) validate(v *Violations, now time.Time, checkDeadline bool) {
	if r.WardID == "" || r.HospitalID == "" {
		v.Add("ward", "ward is required")
	}
	switch {
	case len(r.Lines) == 0:
		v.Add("lines", "lines must have at least one line item")
	case len(r.Lines) > MaxLines:
		v.Add("lines", "lines must have at most %d line items (got %d)", MaxLines, len(r.Lines))
	default:
		for i, l := range r.Lines {
			l.validate(v, fmt.Sprintf("lines[%d]", i), i+1)
		}
	}
	if r.Priority.Rank() == 0 {
		v.Add("priority", "priority must be one of %s", joinNames([]Priority{Routine, Urgent, Critical}))
	}
	switch {
	case r.DeliverBefore.IsZero():
		v.Add("deliver_before", "deliver_before is required")
	case !r.DeliverAfter.IsZero() && !r.DeliverBefore.After(r.DeliverAfter):
		v.Add("deliver_before", "deliver_before must be after deliver_after")
	case checkDeadline && r.DeliverBefore.Before(now.Add(-deadlineTolerance)):
		v.Add("deliver_before", "deliver_before must not be in the past")
	case checkDeadline && r.DeliverBefore.After(now.Add(maxLeadTime)):
		v.Add("deliver_before", "deliver_before must be within %d days", int(maxLeadTime/(24*time.Hour)))
	}
	if r.Headcount < 0 || r.Headcount > maxHeadcount {
		v.Add("headcount", "headcount must be between 0 and %d", maxHeadcount)
	}
	checkText(v, "dietary_notes", "dietary_notes", r.DietaryNotes, maxShortText, false, true)
	checkText(v, "notes", "notes", r.Notes, maxLongText, false, true)
}

func (l LineItem) validate(v *Violations, path string, number int) {
	units, known := unitsFor[l.Category]
	if !known {
		v.Add(path+".category", "category must be one of %s (line %d)", joinNames(Categories), number)
	}
	switch {
	case !slices.Contains(Units, l.Unit):
		v.Add(path+".unit", "unit must be one of %s (line %d)", joinNames(Units), number)
	case known && !slices.Contains(units, l.Unit):
		v.Add(path+".unit", "unit %s does not suit %s; use one of %s (line %d)", l.Unit, l.Category, joinNames(units), number)
	}
	switch {
	case l.Quantity <= 0:
		v.Add(path+".quantity", "quantity must be greater than 0 (line %d)", number)
	case l.Quantity > maxQuantity:
		v.Add(path+".quantity", "quantity must be at most %d (line %d)", maxQuantity/QuantityScale, number)
	case l.Unit.Whole() && l.Quantity%QuantityScale != 0:
		v.Add(path+".quantity", "quantity must be a whole number of %s (line %d)", l.Unit, number)
	}
	checkText(v, path+".description", fmt.Sprintf("description (line %d)", number), l.Description, maxNameLength, false, false)
}

func joinNames[T ~string](names []T) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

// Describe summarises the request for the event log and the dashboard, e.g.
// "URGENT: 20 KILOGRAM FRUIT (apples), 40 PORTION MEALS; by 2026-04-03 14:00 UTC".
func (r *DeliveryRequest) Describe() string {
	parts := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		parts[i] = fmt.Sprintf("%s %s %s", l.Quantity, l.Unit, l.Category)
		if l.Description != "" {
			parts[i] += " (" + truncate(l.Description, 40) + ")"
		}
	}
	return fmt.Sprintf("%s: %s; by %s", r.Priority, strings.Join(parts, ", "), r.DeliverBefore.UTC().Format("2006-01-02 15:04 UTC"))
}

// OrderField is one key of a list's order.
type OrderField struct {
	Field string
	Desc  bool
}

// DeliveryRequestOrderFields are the fields a request list can be ordered by.
var DeliveryRequestOrderFields = []string{"priority", "deliver_before", "create_time"}

// DefaultDeliveryRequestOrder puts the most urgent, earliest due first.
var DefaultDeliveryRequestOrder = []OrderField{{Field: "priority", Desc: true}, {Field: "deliver_before"}}

// DeliveryRequestQuery selects requests for a list; empty fields match all.
type DeliveryRequestQuery struct {
	HospitalID string
	WardID     string
	States     []RequestState
	Category   Category
	Priority   Priority
	// Overdue, when set, keeps only requests that are (or are not) overdue.
	Overdue *bool
	// Order is the sort order; the store breaks ties by id.
	Order []OrderField
	// Now is the time overdue is judged at.
	Now  time.Time
	Page Page
}

// DeliveryRequestStore keeps delivery requests.
type DeliveryRequestStore interface {
	GetDeliveryRequest(ctx context.Context, id string) (*DeliveryRequest, error)
	ListDeliveryRequests(ctx context.Context, q DeliveryRequestQuery) ([]*DeliveryRequest, Cursor, error)
}
