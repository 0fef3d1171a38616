package api

import (
	"context"
	"slices"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// carriers fills in, on requests a caller may already read, who drives
// the run carrying each and when its stop is expected. Ward staff may read
// neither runs nor volunteers, yet need exactly this to meet the driver;
// the request carries it so they learn nothing else of the run. Each run
// and volunteer is read once per call, however many requests share them.
type carriers struct {
	store      supply.Store
	runs       map[string]*supply.Run
	volunteers map[string]string
}

func newCarriers(store supply.Store) *carriers {
	return &carriers{store: store, runs: map[string]*supply.Run{}, volunteers: map[string]string{}}
}

// fill sets pb.Driver and pb.EstimatedArrivalTime from the run carrying
// r, if any.
func (c *carriers) fill(ctx context.Context, r *supply.DeliveryRequest, pb *aqjurekv1.DeliveryRequest) error {
	// Only a request still to be brought has someone coming: this also
	// keeps a long list of finished requests from reading their runs.
	if r.RunID == "" || (r.State != supply.Scheduled && r.State != supply.InTransit) {
		return nil
	}
	run, ok := c.runs[r.RunID]
	if !ok {
		var err error
		if run, err = c.store.GetRun(ctx, r.RunID); err != nil {
			return err
		}
		c.runs[r.RunID] = run
	}
	if run.VolunteerID != "" {
		name, ok := c.volunteers[run.VolunteerID]
		if !ok {
			vol, err := c.store.GetVolunteer(ctx, run.VolunteerID)
			if err != nil {
				return err
			}
			name = vol.DisplayName
			c.volunteers[run.VolunteerID] = name
		}
		pb.Driver = name
	}
	for i := range run.Stops {
		s := &run.Stops[i]
		if s.State == supply.Pending && !s.EstimatedArrival.IsZero() && slices.Contains(s.RequestIDs, r.ID) {
			pb.EstimatedArrivalTime = timestamp(s.EstimatedArrival)
			break
		}
	}
	return nil
}
