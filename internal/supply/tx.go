package supply

import (
	"cmp"
	"context"
)

// Scope is what part of the data someone reaches, or whom a change
// concerns: a hospital (its staff) and a volunteer (their driver). The zero
// Scope reaches everything, and an event of the zero Scope concerns no one
// in particular.
type Scope struct {
	HospitalID  string
	VolunteerID string
}

// Scope is what the actor reaches: staff the records of their hospital
// (the hospital, its wards, its requests and events); drivers the records
// of their volunteer (the volunteer, its runs, the requests on them and
// their events); everyone else everything. It is decided here once; the
// store applies it to every read and write of the actor's calls, so a
// record out of scope reads as NotFound and a list holds none.
func (a Actor) Scope() Scope {
	switch a.Role {
	case RoleStaff:
		return Scope{HospitalID: cmp.Or(a.HospitalID, nowhere)}
	case RoleDriver:
		return Scope{VolunteerID: cmp.Or(a.VolunteerID, nowhere)}
	}
	return Scope{}
}

// nowhere is the id in the scope of staff bound to no hospital, or a driver
// bound to no volunteer: no record has it, so they reach nothing rather
// than, through the zero Scope, everything. Tokens are never issued so;
// this keeps it safe if one were.
const nowhere = "!"

// ReachesHospital reports whether the scope holds what belongs to the
// hospital.
func (s Scope) ReachesHospital(hospitalID string) bool {
	return s.HospitalID == "" || s.HospitalID == hospitalID
}

// ReachesVolunteer reports whether the scope holds what belongs to the
// volunteer.
func (s Scope) ReachesVolunteer(volunteerID string) bool {
	return s.VolunteerID == "" || s.VolunteerID == volunteerID
}

// Tx is one change inside the store's write transaction: the rules read,
// check and write through it, and the change is committed with its events
// or not at all. Reads see the change's own writes. Reads and writes keep
// to the scope of the operation's actor: a record out of it reads as
// NotFound.
//
// Writes store rows only; the rule records what happened with Event, once
// per change of a resource, so every event says what the rule decided.
type Tx interface {
	// Op is the call the change serves; its Time is the change's time.
	Op() Op
	// Unscoped is the same change reaching every record, whatever the
	// actor reaches: for a rule's own reads and writes beyond the caller's
	// reach (a request cancelled by its hospital's staff leaves a run whose
	// other stops are other hospitals'). What the caller is shown must come
	// through the scoped Tx.
	Unscoped() Tx
	// Replay returns the resource an earlier call with the same request id
	// produced, if there was one; Invalid when that id was used for a
	// different request.
	Replay() (resource string, found bool, err error)
	// Remember records the resource this call produced under its request id.
	Remember(resource string) error
	// Event appends an entry to the change log, concerning about.
	Event(kind EventKind, resource, summary string, about Scope) error

	Hospital(id string) (*Hospital, error)
	Ward(hospitalID, id string) (*Ward, error)
	Depot(id string) (*Depot, error)
	Volunteer(id string) (*Volunteer, error)
	DeliveryRequest(id string) (*DeliveryRequest, error)
	Run(id string) (*Run, error)
	Lot(depotID, id string) (*Lot, error)
	// OnHand returns the depot's lots with something on hand, earliest
	// best-before first, then oldest received; tracked is false for a depot
	// that never received goods.
	OnHand(depotID string) (lots []*Lot, tracked bool, err error)
	// Loads and Drops return what a run took from lots and handed over.
	Loads(runID string) ([]Load, error)
	Drops(runID string) ([]Drop, error)
	Donation(id string) (*Donation, error)
	Purchase(id string) (*Purchase, error)
	// MoneyLeft returns the money donations of the currency that purchases
	// may still spend (neither reversed nor reversing, holding more than
	// their allocations), oldest received first.
	MoneyLeft(currency string) ([]*Donation, error)
	// DonationLots returns the lots a donation stocked.
	DonationLots(donationID string) ([]*Lot, error)
	// CountDeliveryRequests counts the requests of a hospital, or of one of
	// its wards when wardID is set, whatever their state and whoever
	// reaches them: a count for a rule, never shown as a list.
	CountDeliveryRequests(hospitalID, wardID string) (int, error)
	// CountRuns counts the runs that set out from a depot, or, when
	// depotID is empty, a volunteer's runs.
	CountRuns(depotID, volunteerID string) (int, error)
	// CountLots counts the lots of goods a depot has received.
	CountLots(depotID string) (int, error)

	// CreateX store a new resource; its times and etag are set.
	// AlreadyExists when its id is taken.
	CreateDeliveryRequest(r *DeliveryRequest) error
	CreateRun(r *Run) error
	CreateWard(w *Ward) error
	// CreatePurchase stores a paid purchase with its lines and allocations.
	CreatePurchase(p *Purchase) error
	CreateLot(l *Lot) error
	CreateDonation(d *Donation) error
	// PutX stores next in place of prev, the version read in this change,
	// and returns the fields that differ; when none do it writes nothing
	// and next keeps prev's etag. next's update time and etag follow.
	PutHospital(next, prev *Hospital) (changed []string, err error)
	PutWard(next, prev *Ward) (changed []string, err error)
	PutDepot(next, prev *Depot) (changed []string, err error)
	PutVolunteer(next, prev *Volunteer) (changed []string, err error)
	PutDeliveryRequest(next, prev *DeliveryRequest) (changed []string, err error)
	PutRun(next, prev *Run) (changed []string, err error)
	PutLot(next, prev *Lot) (changed []string, err error)
	PutDonation(next, prev *Donation) (changed []string, err error)
	// MoveLot records quantity taken from a lot by a run (negative: brought
	// back), for the reports of a period.
	MoveLot(depotID, lotID, runID string, quantity Quantity) error
	// DeleteHospital and DeleteWard delete a resource read in this change;
	// FailedPrecondition when other records still name it (the foreign
	// keys under the domain's own checks).
	DeleteHospital(h *Hospital) error
	DeleteWard(w *Ward) error
	DeleteDepot(d *Depot) error
	DeleteVolunteer(v *Volunteer) error
	// AddWriteOff records quantity of a lot written off, for the reports.
	AddWriteOff(depotID, lotID string, quantity Quantity, reason string) error
	// AddLoad and AddDrop record what a run took from a lot for a request's
	// line, and what it handed over of it at a stop.
	AddLoad(runID string, l Load) error
	AddDrop(runID string, d Drop) error
}

// Updater runs changes in the store's write transaction.
type Updater interface {
	// Update runs fn as one change: committed with everything fn wrote, or
	// not at all when fn fails. It returns once the change is committed.
	// fn runs on the store's writer; what it leaves for the caller is to be
	// read only when Update returns nil.
	Update(ctx context.Context, op Op, fn func(tx Tx) error) error
}
