package supply

import (
	"fmt"
	"strings"
)

// This file holds the changes to requests, hospitals and wards that
// involve more than one resource, as functions over a Tx: each reads,
// checks and writes inside the store's transaction, and records its events.

// Describe names the run for the event log: its driver, depot and start.
func (r *Run) Describe() string {
	return fmt.Sprintf("of %s from %s at %s", Name(VolunteerPattern, r.VolunteerID),
		Name(DepotPattern, r.DepotID), r.PlannedStartTime.Format("2006-01-02 15:04 UTC"))
}

// Scope is whom the run's events concern: its driver.
func (r *Run) Scope() Scope { return Scope{VolunteerID: r.VolunteerID} }

// logName names the request for the event log: its ward and what it asks.
func (r *DeliveryRequest) logName() string {
	return "for " + r.WardName() + " (" + r.Describe() + ")"
}

// Scope is whom the request's events concern: its hospital.
func (r *DeliveryRequest) Scope() Scope { return Scope{HospitalID: r.HospitalID} }

// CreateDeliveryRequest files a prepared request (see PrepareNew) with its
// event: Invalid when its ward does not exist, is out of the actor's reach
// (told the same way, so staff learn nothing of other hospitals) or takes
// no new requests. A retry under the same request id returns the request
// the first call filed.
func CreateDeliveryRequest(tx Tx, r *DeliveryRequest) (*DeliveryRequest, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return requestNamed(tx, prior)
	}
	if err := wardTakesRequests(tx, r.HospitalID, r.WardID); err != nil {
		return nil, err
	}
	if err := tx.CreateDeliveryRequest(r); err != nil {
		return nil, err
	}
	if err := tx.Event(EventCreated, r.Name(), "delivery request "+r.logName()+" created", r.Scope()); err != nil {
		return nil, err
	}
	return r, tx.Remember(r.Name())
}

// requestNamed reads the request a replayed call produced.
func requestNamed(tx Tx, name string) (*DeliveryRequest, error) {
	var id string
	if err := ParseName("delivery_request", name, DeliveryRequestPattern, &id); err != nil {
		return nil, err
	}
	return tx.DeliveryRequest(id)
}

// wardTakesRequests refuses a ward that does not exist (or is out of
// reach), or that takes no new requests (see Ward.TakesRequests).
func wardTakesRequests(tx Tx, hospitalID, wardID string) error {
	name := Name(WardPattern, hospitalID, wardID)
	w, err := tx.Ward(hospitalID, wardID)
	if isNotFound(err) {
		return InvalidField("delivery_request.ward", "ward %s does not exist", name)
	}
	if err != nil {
		return err
	}
	h, err := tx.Hospital(hospitalID)
	if err != nil {
		return err
	}
	return w.TakesRequests(h, "delivery_request.ward")
}

// UpdateDeliveryRequest revises a request: next gets the request as
// stored and returns what it should become (see Revise), adding what it
// cannot decode to v. The request is read within the actor's reach first,
// so one out of reach answers NotFound whatever etag came with it. A
// revision that changes nothing writes nothing and logs nothing.
func UpdateDeliveryRequest(tx Tx, id, etag string, next func(current *DeliveryRequest, v *Violations) *DeliveryRequest) (*DeliveryRequest, error) {
	if _, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return tx.DeliveryRequest(id)
	}
	r, err := tx.DeliveryRequest(id)
	if err != nil {
		return nil, err
	}
	if err := CheckEtag(r.Name(), etag, &r.Meta); err != nil {
		return nil, err
	}
	prev := r.Clone()
	v := NewViolations("delivery_request")
	if err := r.Revise(next(prev.Clone(), v), tx.Op().Time, v); err != nil {
		return nil, err
	}
	if r.HospitalID != prev.HospitalID || r.WardID != prev.WardID {
		if err := wardTakesRequests(tx, r.HospitalID, r.WardID); err != nil {
			return nil, err
		}
	}
	changed, err := tx.PutDeliveryRequest(r, prev)
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		summary := "delivery request " + r.logName() + " updated: " + strings.Join(changed, ", ")
		if err := tx.Event(EventUpdated, r.Name(), summary, r.Scope()); err != nil {
			return nil, err
		}
	}
	return r, tx.Remember(r.Name())
}

// CancelDeliveryRequest cancels an OPEN or SCHEDULED request. One
// cancelled while SCHEDULED is taken off its run in the same change, and
// the run's estimates follow. A retry under the same request id returns
// the cancelled request.
func CancelDeliveryRequest(tx Tx, id, etag, reason string) (*DeliveryRequest, error) {
	if _, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return tx.DeliveryRequest(id)
	}
	r, err := tx.DeliveryRequest(id)
	if err != nil {
		return nil, err
	}
	if err := CheckEtag(r.Name(), etag, &r.Meta); err != nil {
		return nil, err
	}
	prev := r.Clone()
	runID, kg := r.RunID, r.ScheduledKG()
	if err := r.Cancel(reason); err != nil {
		return nil, err
	}
	if runID != "" {
		if err := withdrawFromRun(tx, runID, r, kg, reason); err != nil {
			return nil, err
		}
	}
	if _, err := tx.PutDeliveryRequest(r, prev); err != nil {
		return nil, err
	}
	if err := tx.Event(EventCancelled, r.Name(), "delivery request for "+r.WardName()+" cancelled: "+reason, r.Scope()); err != nil {
		return nil, err
	}
	return r, tx.Remember(r.Name())
}

// withdrawFromRun takes a request cancelled while SCHEDULED off its run.
// The run and its other stops are beyond the reach of the hospital's
// staff who cancel: the run's rule reaches them on its own account.
func withdrawFromRun(tx Tx, runID string, r *DeliveryRequest, kg float64, reason string) error {
	tx = tx.Unscoped()
	run, err := tx.Run(runID)
	if err != nil {
		return err
	}
	prev := run.Clone()
	if _, err := work(tx, run, EventUnassigned, func(w *RunWork) error { return w.Withdraw(r.ID, kg) }); err != nil {
		return err
	}
	if _, err := tx.PutRun(run, prev); err != nil {
		return err
	}
	return tx.Event(EventUnassigned, run.Name(), fmt.Sprintf("%s cancelled by the hospital and taken off the run: %s", r.Name(), reason),
		run.Scope())
}

// CreateWard adds a checked ward (see Ward.Validate) to its hospital, with
// its event: NotFound when the hospital does not exist or is out of reach,
// FailedPrecondition when it takes no new wards. A retry under the same
// request id returns the ward the first call added.
func CreateWard(tx Tx, w *Ward) (*Ward, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		var hospitalID, id string
		if err := ParseName("ward", prior, WardPattern, &hospitalID, &id); err != nil {
			return nil, err
		}
		return tx.Ward(hospitalID, id)
	}
	h, err := tx.Hospital(w.HospitalID)
	if err != nil {
		return nil, err
	}
	if err := h.TakesNew("new wards", "parent"); err != nil {
		return nil, err
	}
	if err := tx.CreateWard(w); err != nil {
		return nil, err
	}
	if err := tx.Event(EventCreated, w.Name(), fmt.Sprintf("ward %q of %s created", w.DisplayName, Name(HospitalPattern, w.HospitalID)),
		Scope{HospitalID: w.HospitalID}); err != nil {
		return nil, err
	}
	return w, tx.Remember(w.Name())
}

// DeleteHospital deletes a hospital with its wards, if etag (when set)
// matches, while no delivery request names it: the requests' history must
// stay whole, so it is archived instead.
func DeleteHospital(tx Tx, id, etag string) error {
	h, err := tx.Hospital(id)
	if err != nil {
		return err
	}
	if err := CheckEtag(h.Name(), etag, &h.Meta); err != nil {
		return err
	}
	if err := refuseWithRequests(tx, h.Name(), id, ""); err != nil {
		return err
	}
	if err := tx.DeleteHospital(h); err != nil {
		return err
	}
	return tx.Event(EventDeleted, h.Name(), fmt.Sprintf("hospital %q deleted", h.DisplayName), Scope{HospitalID: h.ID})
}

// DeleteWard deletes a ward, if etag (when set) matches, while no delivery
// request names it.
func DeleteWard(tx Tx, hospitalID, id, etag string) error {
	w, err := tx.Ward(hospitalID, id)
	if err != nil {
		return err
	}
	if err := CheckEtag(w.Name(), etag, &w.Meta); err != nil {
		return err
	}
	if err := refuseWithRequests(tx, w.Name(), hospitalID, id); err != nil {
		return err
	}
	if err := tx.DeleteWard(w); err != nil {
		return err
	}
	return tx.Event(EventDeleted, w.Name(), fmt.Sprintf("ward %q of %s deleted", w.DisplayName, Name(HospitalPattern, hospitalID)),
		Scope{HospitalID: hospitalID})
}

// DeleteDepot deletes a depot, if etag (when set) matches, while no run has
// set out from it and it never received goods: runs and the ledger keep
// naming it, so it is archived instead.
func DeleteDepot(tx Tx, id, etag string) error {
	d, err := tx.Depot(id)
	if err != nil {
		return err
	}
	if err := CheckEtag(d.Name(), etag, &d.Meta); err != nil {
		return err
	}
	runs, err := tx.CountRuns(id, "")
	if err != nil {
		return err
	}
	lots, err := tx.CountLots(id)
	if err != nil {
		return err
	}
	if runs > 0 || lots > 0 {
		return Errorf(FailedPrecondition, "%s has %d runs and %d lots of goods and cannot be deleted; archive it instead", d.Name(), runs, lots)
	}
	if err := tx.DeleteDepot(d); err != nil {
		return err
	}
	return tx.Event(EventDeleted, d.Name(), fmt.Sprintf("depot %q deleted", d.DisplayName), Scope{})
}

// DeleteVolunteer deletes a volunteer, if etag (when set) matches, who has
// no runs: runs keep naming their driver, so one who drove is made
// inactive instead.
func DeleteVolunteer(tx Tx, id, etag string) error {
	v, err := tx.Volunteer(id)
	if err != nil {
		return err
	}
	if err := CheckEtag(v.Name(), etag, &v.Meta); err != nil {
		return err
	}
	runs, err := tx.CountRuns("", id)
	if err != nil {
		return err
	}
	if runs > 0 {
		return Errorf(FailedPrecondition, "%s has %d runs and cannot be deleted; set active to false instead", v.Name(), runs)
	}
	if err := tx.DeleteVolunteer(v); err != nil {
		return err
	}
	return tx.Event(EventDeleted, v.Name(), fmt.Sprintf("volunteer %q deleted", v.DisplayName), Scope{})
}

// refuseWithRequests refuses to delete what delivery requests still name:
// a hospital (wardID empty) or one of its wards; name is what is to be
// deleted.
func refuseWithRequests(tx Tx, name, hospitalID, wardID string) error {
	n, err := tx.CountDeliveryRequests(hospitalID, wardID)
	if err != nil {
		return err
	}
	if n > 0 {
		return Errorf(FailedPrecondition, "%s has %d delivery requests and cannot be deleted; archive it instead", name, n)
	}
	return nil
}

// resource is what the standard Update works on.
type resource[T any] interface {
	Name() string
	Clone() T
	Metadata() *Meta
}

// revise is the standard Update of one resource in a change: read it
// (NotFound out of reach), check etag, let apply change it in place, and
// store it with its event when anything changed; a retry under the same
// request id returns it as it is. describe names it in the event.
func revise[T resource[T]](tx Tx, read func() (T, error), put func(next, prev T) ([]string, error), etag string,
	apply func(T) error, describe func(T) string, about func(T) Scope) (T, error) {
	var none T
	if _, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return none, err
		}
		return read()
	}
	item, err := read()
	if err != nil {
		return none, err
	}
	if err := CheckEtag(item.Name(), etag, item.Metadata()); err != nil {
		return none, err
	}
	prev := item.Clone()
	if err := apply(item); err != nil {
		return none, err
	}
	changed, err := put(item, prev)
	if err != nil {
		return none, err
	}
	if len(changed) > 0 {
		if err := tx.Event(EventUpdated, item.Name(), describe(item)+" updated: "+strings.Join(changed, ", "), about(item)); err != nil {
			return none, err
		}
	}
	return item, tx.Remember(item.Name())
}

// UpdateHospital changes a hospital as apply says, if etag (when set)
// matches.
func UpdateHospital(tx Tx, id, etag string, apply func(*Hospital) error) (*Hospital, error) {
	return revise(tx, func() (*Hospital, error) { return tx.Hospital(id) }, tx.PutHospital, etag, apply,
		func(h *Hospital) string { return fmt.Sprintf("hospital %q", h.DisplayName) },
		func(h *Hospital) Scope { return Scope{HospitalID: h.ID} })
}

// UpdateWard changes a ward as apply says, if etag (when set) matches.
func UpdateWard(tx Tx, hospitalID, id, etag string, apply func(*Ward) error) (*Ward, error) {
	return revise(tx, func() (*Ward, error) { return tx.Ward(hospitalID, id) }, tx.PutWard, etag, apply,
		func(w *Ward) string {
			return fmt.Sprintf("ward %q of %s", w.DisplayName, Name(HospitalPattern, w.HospitalID))
		},
		func(w *Ward) Scope { return Scope{HospitalID: w.HospitalID} })
}

// UpdateDepot changes a depot as apply says, if etag (when set) matches.
func UpdateDepot(tx Tx, id, etag string, apply func(*Depot) error) (*Depot, error) {
	return revise(tx, func() (*Depot, error) { return tx.Depot(id) }, tx.PutDepot, etag, apply,
		func(d *Depot) string { return fmt.Sprintf("depot %q", d.DisplayName) },
		func(*Depot) Scope { return Scope{} })
}

// UpdateVolunteer changes a volunteer as apply says, if etag (when set)
// matches.
func UpdateVolunteer(tx Tx, id, etag string, apply func(*Volunteer) error) (*Volunteer, error) {
	return revise(tx, func() (*Volunteer, error) { return tx.Volunteer(id) }, tx.PutVolunteer, etag, apply,
		func(v *Volunteer) string { return fmt.Sprintf("volunteer %q", v.DisplayName) },
		func(*Volunteer) Scope { return Scope{} })
}
