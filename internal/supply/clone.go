package supply

import "slices"

// Clones are deep copies, so a change can be compared with what was stored
// before it without reading it twice.

// Clone returns a copy of the hospital.
func (h *Hospital) Clone() *Hospital {
	c := *h
	c.Location = cloneLocation(h.Location)
	return &c
}

// Clone returns a copy of the ward.
func (w *Ward) Clone() *Ward {
	c := *w
	return &c
}

// Clone returns a copy of the depot.
func (d *Depot) Clone() *Depot {
	c := *d
	c.Location = cloneLocation(d.Location)
	return &c
}

// Clone returns a copy of the volunteer.
func (vol *Volunteer) Clone() *Volunteer {
	c := *vol
	return &c
}

// Clone returns a copy of the request with its lines.
func (r *DeliveryRequest) Clone() *DeliveryRequest {
	c := *r
	c.Lines = slices.Clone(r.Lines)
	return &c
}

// Clone returns a copy of the run with its stops.
func (r *Run) Clone() *Run {
	c := *r
	c.Stops = slices.Clone(r.Stops)
	for i := range c.Stops {
		c.Stops[i].RequestIDs = slices.Clone(r.Stops[i].RequestIDs)
		c.Stops[i].Delivered = slices.Clone(r.Stops[i].Delivered)
	}
	return &c
}

func cloneLocation(l *LatLng) *LatLng {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}
