package supply

import (
	"errors"
	"fmt"
	"strings"
)

// ChangeRun runs one step of a run's work as a change: it reads the run
// (NotFound outside the actor's reach, whatever etag came with it), checks
// etag, hands step the run with its volunteer, depot, requests and stock,
// and writes back the run and everything the step changed, each with its
// event of kind. A step that leaves the run as it was writes no event of
// the run. A retry under the same request id returns the run as it is.
func ChangeRun(tx Tx, id, etag string, kind EventKind, step func(w *RunWork) error) (*Run, error) {
	if _, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return tx.Run(id)
	}
	r, err := tx.Run(id)
	if err != nil {
		return nil, err
	}
	if err := CheckEtag(r.Name(), etag, &r.Meta); err != nil {
		return nil, err
	}
	prev := r.Clone()
	summary, err := work(tx, r, kind, step)
	if err != nil {
		return nil, err
	}
	if err := checkRunResources(tx, r, prev); err != nil {
		return nil, err
	}
	changed, err := tx.PutRun(r, prev)
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		// An update says what changed, then what the work noted.
		if kind == EventUpdated {
			updated := "run " + r.Describe() + " updated: " + strings.Join(changed, ", ")
			if summary != "" {
				updated += "; " + summary
			}
			summary = updated
		}
		if err := tx.Event(kind, r.Name(), summary, r.Scope()); err != nil {
			return nil, err
		}
	}
	return r, tx.Remember(r.Name())
}

// CreateRun stores a prepared run (see Run.PrepareNew) with its event,
// refusing a volunteer that is missing or inactive and a depot that is
// missing or archived. A retry under the same request id returns the run
// the first call created.
func CreateRun(tx Tx, r *Run) (*Run, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		var id string
		if err := ParseName("run", prior, RunPattern, &id); err != nil {
			return nil, err
		}
		return tx.Run(id)
	}
	if err := createRun(tx, r); err != nil {
		return nil, err
	}
	return r, tx.Remember(r.Name())
}

// createRun checks a new run's volunteer and depot and stores it with its
// event.
func createRun(tx Tx, r *Run) error {
	if err := checkRunResources(tx, r, nil); err != nil {
		return err
	}
	if err := tx.CreateRun(r); err != nil {
		return err
	}
	return tx.Event(EventCreated, r.Name(), "run "+r.Describe()+" created", r.Scope())
}

// checkRunResources refuses a run whose volunteer (when new, or changed
// from prev's) is missing or inactive, or whose depot is missing or
// archived, naming each in its field.
func checkRunResources(tx Tx, r, prev *Run) error {
	v := NewViolations("run")
	if prev == nil || prev.VolunteerID != r.VolunteerID {
		vol, err := tx.Unscoped().Volunteer(r.VolunteerID)
		switch {
		case isNotFound(err):
			v.Add("volunteer", "volunteer %s does not exist", Name(VolunteerPattern, r.VolunteerID))
		case err != nil:
			return err
		case !vol.Active:
			v.Add("volunteer", "volunteer %s is not active", Name(VolunteerPattern, r.VolunteerID))
		}
	}
	if prev == nil || prev.DepotID != r.DepotID {
		d, err := tx.Depot(r.DepotID)
		switch {
		case isNotFound(err):
			v.Add("depot", "depot %s does not exist", Name(DepotPattern, r.DepotID))
		case err != nil:
			return err
		case d.Archived:
			v.Add("depot", "depot %s is archived", Name(DepotPattern, r.DepotID))
		}
	}
	return v.Err()
}

// work runs one step of a run's work inside tx: it hands the step the run,
// its volunteer and depot, and the requests and lots it touches, then
// writes back every request and lot the step changed, each with its event,
// and what the step took and handed over. It returns the run's event
// summary; the caller writes the run.
func work(tx Tx, r *Run, kind EventKind, step func(w *RunWork) error) (string, error) {
	vol, err := tx.Volunteer(r.VolunteerID)
	if err != nil {
		return "", err
	}
	depot, err := tx.Depot(r.DepotID)
	if err != nil {
		return "", err
	}
	requests := &txRequests{tx: tx, loaded: map[string]*DeliveryRequest{}, before: map[string]*DeliveryRequest{}}
	stock := &txStock{tx: tx}
	w := &RunWork{Run: r, Volunteer: vol, Depot: depot, Requests: requests, Now: tx.Op().Time, Stock: stock}
	if err := step(w); err != nil {
		return "", err
	}
	if err := requests.flush(kind, w.RequestNotes, r.VolunteerID); err != nil {
		return "", err
	}
	return w.Summary, stock.flush(w)
}

// txRequests gives a run's work the delivery requests it touches, each
// read once inside the change, and writes back those that changed, each
// with its event.
type txRequests struct {
	tx        Tx
	order     []string
	loaded    map[string]*DeliveryRequest
	before    map[string]*DeliveryRequest
	locations map[string]*LatLng
}

func (q *txRequests) Request(id string) (*DeliveryRequest, error) {
	if r, ok := q.loaded[id]; ok {
		return r, nil
	}
	r, err := q.tx.DeliveryRequest(id)
	if err != nil {
		return nil, err
	}
	q.loaded[id], q.before[id] = r, r.Clone()
	q.order = append(q.order, id)
	return r, nil
}

// Location is where a hospital is, for the run's estimates: whoever works
// the run, its route passes every hospital on it.
func (q *txRequests) Location(hospitalID string) *LatLng {
	if l, ok := q.locations[hospitalID]; ok {
		return l
	}
	if q.locations == nil {
		q.locations = map[string]*LatLng{}
	}
	h, err := q.tx.Unscoped().Hospital(hospitalID)
	if err == nil {
		q.locations[hospitalID] = h.Location
	} else {
		q.locations[hospitalID] = nil
	}
	return q.locations[hospitalID]
}

func (q *txRequests) Depot(id string) (*Depot, error) { return q.tx.Depot(id) }

func (q *txRequests) Volunteer(id string) (*Volunteer, error) { return q.tx.Unscoped().Volunteer(id) }

func (q *txRequests) flush(kind EventKind, notes map[string]string, volunteerID string) error {
	for _, id := range q.order {
		r := q.loaded[id]
		changed, err := q.tx.PutDeliveryRequest(r, q.before[id])
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			continue
		}
		note := notes[id]
		if note == "" {
			note = "delivery request changed: " + strings.Join(changed, ", ")
		}
		if err := q.tx.Event(kind, r.Name(), note, Scope{HospitalID: r.HospitalID, VolunteerID: volunteerID}); err != nil {
			return err
		}
	}
	return nil
}

// txStock gives a run's work its depot's lots inside the change, and
// writes back what the work took, brought back and handed over. Each lot is
// read once, so every check and take of a step sees the same quantities.
type txStock struct {
	tx      Tx
	depotID string
	tracked bool
	onHand  []*Lot
	// loaded holds every lot handed to the work, by name, in order, with
	// its state when read.
	order  []string
	loaded map[string]*Lot
	before map[string]*Lot
}

// keep registers a lot read from the store and returns the one the work
// already holds under its name, if any.
func (s *txStock) keep(l *Lot) *Lot {
	if held, ok := s.loaded[l.Name()]; ok {
		return held
	}
	if s.loaded == nil {
		s.loaded, s.before = map[string]*Lot{}, map[string]*Lot{}
	}
	s.loaded[l.Name()], s.before[l.Name()] = l, l.Clone()
	s.order = append(s.order, l.Name())
	return l
}

func (s *txStock) Lots(depotID string) ([]*Lot, bool, error) {
	if s.depotID == depotID {
		return s.onHand, s.tracked, nil
	}
	if s.depotID != "" {
		return nil, false, fmt.Errorf("a run's work reads the lots of %s after those of %s", depotID, s.depotID)
	}
	items, tracked, err := s.tx.OnHand(depotID)
	if err != nil {
		return nil, false, err
	}
	for i, l := range items {
		items[i] = s.keep(l)
	}
	s.depotID, s.onHand, s.tracked = depotID, items, tracked
	return s.onHand, s.tracked, nil
}

func (s *txStock) Lot(depotID, id string) (*Lot, error) {
	if l, ok := s.loaded[Name(LotPattern, depotID, id)]; ok {
		return l, nil
	}
	l, err := s.tx.Lot(depotID, id)
	if err != nil {
		return nil, err
	}
	return s.keep(l), nil
}

func (s *txStock) Loads(runID string) ([]Load, error) { return s.tx.Loads(runID) }

func (s *txStock) Drops(runID string) ([]Drop, error) { return s.tx.Drops(runID) }

// flush writes the lots the work took from or brought back to, each with
// its event and its move (for reports of a period), and the loads and
// drops it recorded.
func (s *txStock) flush(w *RunWork) error {
	for _, name := range s.order {
		l, before := s.loaded[name], s.before[name]
		taken := l.Taken - before.Taken
		if taken == 0 {
			continue
		}
		if _, err := s.tx.PutLot(l, before); err != nil {
			return err
		}
		if err := s.tx.MoveLot(l.DepotID, l.ID, w.Run.ID, taken); err != nil {
			return err
		}
		what := fmt.Sprintf("%s taken by %s", Amount(taken, l.Unit, l.Description), w.Run.Name())
		if taken < 0 {
			what = fmt.Sprintf("%s brought back by %s", Amount(-taken, l.Unit, l.Description), w.Run.Name())
		}
		if err := s.tx.Event(EventUpdated, l.Name(), fmt.Sprintf("lot %s: %s; %s on hand", l.Name(), what,
			Amount(l.OnHand(), l.Unit, "")), Scope{}); err != nil {
			return err
		}
	}
	for _, l := range w.Loads {
		if err := s.tx.AddLoad(w.Run.ID, l); err != nil {
			return err
		}
	}
	for _, d := range w.Drops {
		if err := s.tx.AddDrop(w.Run.ID, d); err != nil {
			return err
		}
	}
	return nil
}

// CreatePlan creates every run of a plan, each given its stops by place
// inside the change, or none of them; it returns the plan's receipt, or the
// first call's under a repeated request id.
func CreatePlan(tx Tx, plan *Plan, place func(w *RunWork, stops []Stop) error) (receipt string, err error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		return prior, err
	}
	for _, r := range plan.Runs {
		stops := r.Stops
		r.Stops, r.LoadKG = nil, 0
		if err := createRun(tx, r); err != nil {
			return "", err
		}
		prev := r.Clone()
		summary, err := work(tx, r, EventAssigned, func(w *RunWork) error { return place(w, stops) })
		if err != nil {
			return "", err
		}
		if _, err := tx.PutRun(r, prev); err != nil {
			return "", err
		}
		if err := tx.Event(EventAssigned, r.Name(), summary, r.Scope()); err != nil {
			return "", err
		}
	}
	receipt = plan.Receipt()
	return receipt, tx.Remember(receipt)
}

// isNotFound reports whether err is the domain's NotFound.
func isNotFound(err error) bool {
	var de *Error
	return errors.As(err, &de) && de.Code == NotFound
}
