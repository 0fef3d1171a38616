package api

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/proto"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type runService struct {
	aqjurekv1.UnimplementedRunServiceServer
	*Services
	// planning holds the one plan being made: a plan keeps both cores
	// busy for its time limit, so a second waits its turn.
	planning chan struct{}
}

// almaty is the time zone a "day" of runs and deliveries is counted in.
var almaty = supply.City

func runToProto(r *supply.Run) *aqjurekv1.Run {
	pb := &aqjurekv1.Run{
		Name:             r.Name(),
		Volunteer:        supply.Name(supply.VolunteerPattern, r.VolunteerID),
		Depot:            supply.Name(supply.DepotPattern, r.DepotID),
		PlannedStartTime: timestamp(r.PlannedStartTime),
		State:            aqjurekv1.Run_State(aqjurekv1.Run_State_value[string(r.State)]),
		Notes:            r.Notes,
		LoadKg:           r.LoadKG,
		CancelReason:     r.CancelReason,
		DispatchTime:     timestamp(r.DispatchTime),
		StartTime:        timestamp(r.StartTime),
		CompleteTime:     timestamp(r.CompleteTime),
		CapacityOverride: r.CapacityOverride,
		StockOverride:    r.StockOverride,
		CreateTime:       timestamp(r.CreateTime),
		UpdateTime:       timestamp(r.UpdateTime),
		Etag:             r.Etag,
	}
	for i := range r.Stops {
		s := &r.Stops[i]
		stop := &aqjurekv1.Stop{
			Name:          r.StopName(s),
			Ward:          s.WardName(),
			State:         aqjurekv1.Stop_State(aqjurekv1.Stop_State_value[string(s.State)]),
			ReceivedBy:    s.ReceivedBy,
			DeliverTime:   timestamp(s.DeliverTime),
			FailureReason: s.FailureReason,
			Note:          s.Note,

			EstimatedArrivalTime: timestamp(s.EstimatedArrival),
			DeadlineAtRisk:       s.DeadlineAtRisk,
		}
		for _, id := range s.RequestIDs {
			stop.DeliveryRequests = append(stop.DeliveryRequests, supply.Name(supply.DeliveryRequestPattern, id))
		}
		for _, d := range s.Delivered {
			stop.DeliveredLines = append(stop.DeliveredLines, &aqjurekv1.DeliveredLine{
				DeliveryRequest: supply.Name(supply.DeliveryRequestPattern, d.RequestID), Line: int32(d.Line), Quantity: d.Quantity.Float(),
			})
		}
		pb.Stops = append(pb.Stops, stop)
	}
	return pb
}

// runFromProto decodes the fields a coordinator sets, adding what cannot
// be decoded to v. Stops carry only their order, by name.
func runFromProto(pb *aqjurekv1.Run, v *supply.Violations) *supply.Run {
	r := &supply.Run{Notes: pb.GetNotes()}
	if pb.GetVolunteer() != "" {
		if err := supply.ParseName("volunteer", pb.GetVolunteer(), supply.VolunteerPattern, &r.VolunteerID); err != nil {
			v.Add("volunteer", "%s", err.Error())
		}
	}
	if pb.GetDepot() != "" {
		if err := supply.ParseName("depot", pb.GetDepot(), supply.DepotPattern, &r.DepotID); err != nil {
			v.Add("depot", "%s", err.Error())
		}
	}
	r.PlannedStartTime = timeFromProto(v, "planned_start_time", pb.GetPlannedStartTime())
	if n := len(pb.GetStops()); n > supply.MaxRunRequests {
		v.Add("stops", "stops must list at most %d stops, the run's own (got %d)", supply.MaxRunRequests, n)
		return r
	}
	for i, s := range pb.GetStops() {
		var runID, stopID string
		if err := supply.ParseName(fmt.Sprintf("stops[%d].name", i), s.GetName(), supply.StopPattern, &runID, &stopID); err != nil {
			v.Add(fmt.Sprintf("stops[%d].name", i), "%s", err.Error())
		}
		r.Stops = append(r.Stops, supply.Stop{ID: stopID})
	}
	return r
}

func parseRun(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.RunPattern, &id)
	return id, err
}

func (s *runService) ListRuns(ctx context.Context, req *aqjurekv1.ListRunsRequest) (*aqjurekv1.ListRunsResponse, error) {
	q := supply.RunQuery{}
	states, err := statesOf("state", req.GetState(), aqjurekv1.Run_STATE_UNSPECIFIED, aqjurekv1.Run_State_value)
	if err != nil {
		return nil, err
	}
	for _, st := range states {
		q.States = append(q.States, supply.RunState(st))
	}
	if req.GetVolunteer() != "" {
		if q.VolunteerID, err = parseVolunteer("volunteer", req.GetVolunteer()); err != nil {
			return nil, err
		}
	}
	if req.GetDeliveryRequest() != "" {
		if q.RequestID, err = parseDeliveryRequest("delivery_request", req.GetDeliveryRequest()); err != nil {
			return nil, err
		}
	}
	if d := req.GetDay(); d != nil {
		from, err := calendarDay("day", d)
		if err != nil {
			return nil, err
		}
		q.From, q.To = from, from.AddDate(0, 0, 1)
	}
	resp := &aqjurekv1.ListRunsResponse{}
	resp.Runs, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Run, supply.Cursor, error) {
		q.Page = page
		return s.Store.ListRuns(ctx, q)
	}, runToProto)
	if err != nil {
		return nil, err
	}
	return resp, s.nameDonors(ctx, resp.Runs...)
}

func (s *runService) GetRun(ctx context.Context, req *aqjurekv1.GetRunRequest) (*aqjurekv1.Run, error) {
	id, err := parseRun("name", req.GetName())
	if err != nil {
		return nil, err
	}
	r, err := s.Store.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	pb := runToProto(r)
	return pb, s.nameDonors(ctx, pb)
}

func (s *runService) CreateRun(ctx context.Context, req *aqjurekv1.CreateRunRequest) (*aqjurekv1.Run, error) {
	op, err := s.operation(ctx, "CreateRun", req)
	if err != nil {
		return nil, err
	}
	id, err := newID("run_id", req.GetRunId())
	if err != nil {
		return nil, err
	}
	v := supply.NewViolations("run")
	r := runFromProto(req.GetRun(), v)
	r.ID = id
	if err := r.PrepareNew(op.Time, v); err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.CreateRun(tx, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return runToProto(r), nil
}

func (s *runService) UpdateRun(ctx context.Context, req *aqjurekv1.UpdateRunRequest) (*aqjurekv1.Run, error) {
	patch := req.GetRun()
	id, err := parseRun("run.name", patch.GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), patch); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateRun", req)
	if err != nil {
		return nil, err
	}
	// Through the run's work, which reads the new volunteer's capacity.
	var r *supply.Run
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.ChangeRun(tx, id, patch.GetEtag(), supply.EventUpdated, func(w *supply.RunWork) error {
			pb := runToProto(w.Run)
			applyMask(req.GetUpdateMask(), pb, patch)
			v := supply.NewViolations("run")
			return w.Revise(runFromProto(pb, v), v, req.GetOverrideCapacity())
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return runToProto(r), nil
}

// step runs one step of a run's work for a custom method.
func (s *runService) step(ctx context.Context, method, name, etag string, req proto.Message, kind supply.EventKind,
	do func(w *supply.RunWork) error) (*aqjurekv1.Run, error) {
	id, err := parseRun("name", name)
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, method, req)
	if err != nil {
		return nil, err
	}
	var r *supply.Run
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.ChangeRun(tx, id, etag, kind, do)
		return err
	})
	if err != nil {
		return nil, err
	}
	pb := runToProto(r)
	return pb, s.nameDonors(ctx, pb)
}

// nameDonors fills the donors of the runs' delivered stops, as far as the
// caller may see them (supply.NamedDonors), with one read for all the runs.
func (s *runService) nameDonors(ctx context.Context, runs ...*aqjurekv1.Run) error {
	type stopKey struct{ runID, stopID string }
	delivered := map[stopKey]*aqjurekv1.Stop{}
	var runIDs []string
	for _, r := range runs {
		for _, st := range r.GetStops() {
			if st.GetState() != aqjurekv1.Stop_DELIVERED {
				continue
			}
			var k stopKey
			if err := supply.ParseName("name", st.GetName(), supply.StopPattern, &k.runID, &k.stopID); err != nil {
				return err
			}
			if len(runIDs) == 0 || runIDs[len(runIDs)-1] != k.runID {
				runIDs = append(runIDs, k.runID)
			}
			delivered[k] = st
		}
	}
	if len(runIDs) == 0 {
		return nil
	}
	donors, err := s.Store.StopDonors(ctx, runIDs)
	if err != nil {
		return err
	}
	byStop := map[stopKey][]supply.StopDonor{}
	for _, d := range donors {
		k := stopKey{d.RunID, d.StopID}
		byStop[k] = append(byStop[k], d)
	}
	actor := supply.ActorFrom(ctx)
	for k, st := range delivered {
		named, others := supply.NamedDonors(actor, byStop[k])
		for _, d := range named {
			st.Donors = append(st.Donors, &aqjurekv1.StopDonor{
				Donation: supply.Name(supply.DonationPattern, d.DonationID), DisplayName: d.Donor.DisplayName, PublicNaming: d.Donor.PublicNaming,
			})
		}
		st.OtherDonorCount = int32(others)
	}
	return nil
}

// requestIDs reads the ids out of the delivery request names of :assign or
// :unassign, refusing a list too long or naming one twice before any work.
func requestIDs(names []string) ([]string, error) {
	if len(names) > supply.MaxRequestsPerCall {
		return nil, supply.CheckRequestIDs(names)
	}
	ids := make([]string, len(names))
	for i, n := range names {
		if err := supply.ParseName(fmt.Sprintf("delivery_requests[%d]", i), n, supply.DeliveryRequestPattern, &ids[i]); err != nil {
			return nil, err
		}
	}
	return ids, supply.CheckRequestIDs(ids)
}

func (s *runService) AssignRun(ctx context.Context, req *aqjurekv1.AssignRunRequest) (*aqjurekv1.Run, error) {
	ids, err := requestIDs(req.GetDeliveryRequests())
	if err != nil {
		return nil, err
	}
	return s.step(ctx, "AssignRun", req.GetName(), req.GetEtag(), req, supply.EventAssigned, func(w *supply.RunWork) error {
		w.OverrideStock = req.GetOverrideStock()
		return w.Assign(ids, req.GetOverrideCapacity())
	})
}

func (s *runService) UnassignRun(ctx context.Context, req *aqjurekv1.UnassignRunRequest) (*aqjurekv1.Run, error) {
	ids, err := requestIDs(req.GetDeliveryRequests())
	if err != nil {
		return nil, err
	}
	return s.step(ctx, "UnassignRun", req.GetName(), req.GetEtag(), req, supply.EventUnassigned, func(w *supply.RunWork) error {
		return w.Unassign(ids)
	})
}

func (s *runService) DispatchRun(ctx context.Context, req *aqjurekv1.DispatchRunRequest) (*aqjurekv1.Run, error) {
	return s.step(ctx, "DispatchRun", req.GetName(), req.GetEtag(), req, supply.EventDispatched, func(w *supply.RunWork) error {
		w.OverrideStock = req.GetOverrideStock()
		return w.Dispatch()
	})
}

func (s *runService) StartRun(ctx context.Context, req *aqjurekv1.StartRunRequest) (*aqjurekv1.Run, error) {
	return s.step(ctx, "StartRun", req.GetName(), req.GetEtag(), req, supply.EventStarted, (*supply.RunWork).Start)
}

func (s *runService) CompleteRun(ctx context.Context, req *aqjurekv1.CompleteRunRequest) (*aqjurekv1.Run, error) {
	return s.step(ctx, "CompleteRun", req.GetName(), req.GetEtag(), req, supply.EventCompleted, (*supply.RunWork).Complete)
}

func (s *runService) CancelRun(ctx context.Context, req *aqjurekv1.CancelRunRequest) (*aqjurekv1.Run, error) {
	return s.step(ctx, "CancelRun", req.GetName(), req.GetEtag(), req, supply.EventCancelled, func(w *supply.RunWork) error {
		return w.Cancel(req.GetReason())
	})
}

func parseStop(name string) (runName, stopID string, err error) {
	var runID string
	if err := supply.ParseName("name", name, supply.StopPattern, &runID, &stopID); err != nil {
		return "", "", err
	}
	return supply.Name(supply.RunPattern, runID), stopID, nil
}

func (s *runService) DeliverStop(ctx context.Context, req *aqjurekv1.DeliverStopRequest) (*aqjurekv1.Run, error) {
	runName, stopID, err := parseStop(req.GetName())
	if err != nil {
		return nil, err
	}
	if err := supply.CheckDeliveredLines(len(req.GetLines())); err != nil {
		return nil, err
	}
	v := supply.NewViolations("")
	lines := make([]supply.DeliveredLine, len(req.GetLines()))
	for i, l := range req.GetLines() {
		field := fmt.Sprintf("lines[%d]", i)
		if err := supply.ParseName(field+".delivery_request", l.GetDeliveryRequest(), supply.DeliveryRequestPattern, &lines[i].RequestID); err != nil {
			v.Add(field+".delivery_request", "%s", err.Error())
		}
		lines[i].Line = int(l.GetLine())
		if lines[i].Quantity, err = supply.QuantityFromFloat(l.GetQuantity()); err != nil {
			v.Add(field+".quantity", "quantity %v (line %d)", err, i+1)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.step(ctx, "DeliverStop", runName, "", req, supply.EventDelivered, func(w *supply.RunWork) error {
		return w.Deliver(stopID, req.GetReceivedBy(), lines, req.GetNote())
	})
}

func (s *runService) FailStop(ctx context.Context, req *aqjurekv1.FailStopRequest) (*aqjurekv1.Run, error) {
	runName, stopID, err := parseStop(req.GetName())
	if err != nil {
		return nil, err
	}
	return s.step(ctx, "FailStop", runName, "", req, supply.EventFailed, func(w *supply.RunWork) error {
		return w.Fail(stopID, req.GetReason())
	})
}
