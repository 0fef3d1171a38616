package supply

import "fmt"

// A run's load against its volunteer's capacity. A run carries more than
// its volunteer's capacity only when a coordinator accepted it with
// override_capacity (on :assign, or on an update of the run); the run keeps
// that mark until its load fits again, and every event that puts or keeps
// it over capacity says so.

// fitCapacity checks the run's load against vol's capacity. Within it, the
// run needs no override and loses its mark. Above it, it is refused unless
// override is set; then the run is marked and the returned note, for the
// event, says by how much. advice tells the caller what else to do.
func (r *Run) fitCapacity(vol *Volunteer, override bool, advice string) (note string, err error) {
	if r.LoadKG <= vol.CapacityKG {
		r.CapacityOverride = false
		return "", nil
	}
	if !override {
		return "", Errorf(FailedPrecondition, "the load would be %.1f kg but %s carries at most %.1f kg; %s or set override_capacity",
			r.LoadKG, vol.DisplayName, vol.CapacityKG, advice)
	}
	r.CapacityOverride = true
	return overCapacity(r.LoadKG, vol), nil
}

// overCapacity is the note an event carries when a run goes over capacity.
func overCapacity(kg float64, vol *Volunteer) string {
	return fmt.Sprintf("%.1f kg over the %.1f kg capacity of %s by override", kg, vol.CapacityKG, vol.DisplayName)
}
