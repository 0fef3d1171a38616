package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// PlanRuns plans the day, or stores runs an earlier preview proposed.
func (s *runService) PlanRuns(ctx context.Context, req *aqjurekv1.PlanRunsRequest) (*aqjurekv1.PlanRunsResponse, error) {
	op, err := s.operation(ctx, "PlanRuns", req)
	if err != nil {
		return nil, err
	}
	in, err := s.planRequest(req)
	if err != nil {
		return nil, err
	}
	var plan *supply.Plan
	if len(req.GetRuns()) > 0 {
		if plan, err = proposedPlan(req.GetRuns(), s.Now()); err != nil {
			return nil, err
		}
	} else {
		select {
		case s.planning <- struct{}{}:
			defer func() { <-s.planning }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		world, err := s.planWorld(ctx, req, in)
		if err != nil {
			return nil, err
		}
		if plan, err = supply.MakePlan(ctx, *world, in); err != nil {
			return nil, err
		}
	}
	if req.GetValidateOnly() {
		return planToProto(plan), nil
	}
	var receipt string
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		receipt, err = supply.CreatePlan(tx, plan, plan.Place)
		return err
	})
	if err != nil {
		return nil, err
	}
	stored, ids, err := supply.ParseReceipt(receipt)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		r, err := s.Store.GetRun(ctx, id)
		if err != nil {
			return nil, err
		}
		stored.Runs = append(stored.Runs, r)
	}
	return planToProto(stored), nil
}

// planRequest reads and bounds what a plan asks for.
func (s *runService) planRequest(req *aqjurekv1.PlanRunsRequest) (supply.PlanRequest, error) {
	v := supply.NewViolations("")
	now := s.Now()
	in := supply.PlanRequest{Start: now, TimeLimit: supply.DefaultPlanTime, Seed: 1}
	if t := timeFromProto(v, "start_time", req.GetStartTime()); !t.IsZero() {
		switch {
		case t.Before(now.Add(-time.Hour)):
			v.Add("start_time", "start_time must not be more than an hour in the past")
		case t.After(now.Add(30 * 24 * time.Hour)):
			v.Add("start_time", "start_time must be within 30 days")
		default:
			in.Start = t
		}
	}
	in.ShiftEnd = in.Start.Add(supply.DefaultShift)
	if t := timeFromProto(v, "shift_end_time", req.GetShiftEndTime()); !t.IsZero() {
		if !t.After(in.Start) || t.After(in.Start.Add(24*time.Hour)) {
			v.Add("shift_end_time", "shift_end_time must be after start_time and within 24 hours of it")
		}
		in.ShiftEnd = t
	}
	if d := req.GetTimeLimit(); d != nil {
		limit := d.AsDuration()
		if err := d.CheckValid(); err != nil || limit <= 0 || limit > supply.MaxPlanTime {
			v.Add("time_limit", "time_limit must be more than 0 and at most %s", supply.MaxPlanTime)
		}
		in.TimeLimit = limit
	}
	for field, n := range map[string][2]int{
		"volunteers":        {len(req.GetVolunteers()), supply.MaxPlanVolunteers},
		"depots":            {len(req.GetDepots()), supply.MaxPlanDepots},
		"delivery_requests": {len(req.GetDeliveryRequests()), supply.MaxPlanRequests},
		"runs":              {len(req.GetRuns()), supply.MaxPlanVolunteers},
	} {
		if n[0] > n[1] {
			v.Add(field, "%s may name at most %d (got %d)", field, n[1], n[0])
		}
	}
	return in, v.Err()
}

// planWorld reads what the plan is made from: the chosen volunteers and
// depots, the requests to plan and their hospitals, and when each
// volunteer is back from the runs they are already on.
func (s *runService) planWorld(ctx context.Context, req *aqjurekv1.PlanRunsRequest, in supply.PlanRequest) (*supply.PlanWorld, error) {
	world := &supply.PlanWorld{Hospitals: map[string]*supply.Hospital{}, FreeFrom: map[string]time.Time{}}
	var err error
	if names := req.GetVolunteers(); len(names) > 0 {
		world.Volunteers, err = named(ctx, "volunteers", names, supply.VolunteerPattern, s.Store.GetVolunteer)
		if err == nil {
			for i, vol := range world.Volunteers {
				if !vol.Active {
					return nil, supply.InvalidField(fmt.Sprintf("volunteers[%d]", i), "%s is not active", vol.Name())
				}
			}
		}
	} else {
		world.Volunteers, err = all(func(p supply.Page) ([]*supply.Volunteer, supply.Cursor, error) {
			return s.Store.ListVolunteers(ctx, supply.VolunteerQuery{ActiveOnly: true, Page: p})
		})
	}
	if err != nil {
		return nil, err
	}
	if len(world.Volunteers) == 0 {
		return nil, supply.Errorf(supply.FailedPrecondition, "no active volunteer to plan for")
	}
	if names := req.GetDepots(); len(names) > 0 {
		world.Depots, err = named(ctx, "depots", names, supply.DepotPattern, s.Store.GetDepot)
		if err == nil {
			for i, d := range world.Depots {
				if d.Archived {
					return nil, supply.InvalidField(fmt.Sprintf("depots[%d]", i), "%s is archived", d.Name())
				}
			}
		}
	} else {
		world.Depots, err = all(func(p supply.Page) ([]*supply.Depot, supply.Cursor, error) {
			return s.Store.ListDepots(ctx, supply.DepotQuery{Page: p})
		})
	}
	if err != nil {
		return nil, err
	}
	if names := req.GetDeliveryRequests(); len(names) > 0 {
		world.Requests, err = named(ctx, "delivery_requests", names, supply.DeliveryRequestPattern, s.Store.GetDeliveryRequest)
		if err == nil {
			for i, r := range world.Requests {
				if r.State != supply.Open {
					return nil, supply.Errorf(supply.FailedPrecondition, "delivery_requests[%d]: %s is %s; only OPEN requests can be planned", i, r.Name(), r.State)
				}
			}
		}
	} else {
		world.Requests, err = all(func(p supply.Page) ([]*supply.DeliveryRequest, supply.Cursor, error) {
			return s.Store.ListDeliveryRequests(ctx, supply.DeliveryRequestQuery{States: []supply.RequestState{supply.Open}, Now: in.Start, Page: p})
		})
		if len(world.Requests) > supply.MaxPlanRequests {
			return nil, supply.Errorf(supply.FailedPrecondition, "%d requests are OPEN, more than the %d one plan takes; name delivery_requests to plan them in parts",
				len(world.Requests), supply.MaxPlanRequests)
		}
	}
	if err != nil {
		return nil, err
	}
	hospitals, err := all(func(p supply.Page) ([]*supply.Hospital, supply.Cursor, error) {
		return s.Store.ListHospitals(ctx, supply.HospitalQuery{ShowArchived: true, Page: p})
	})
	if err != nil {
		return nil, err
	}
	for _, h := range hospitals {
		world.Hospitals[h.ID] = h
	}
	busy, err := all(func(p supply.Page) ([]*supply.Run, supply.Cursor, error) {
		return s.Store.ListRuns(ctx, supply.RunQuery{States: []supply.RunState{supply.Planned, supply.Dispatched, supply.InProgress}, Page: p})
	})
	if err != nil {
		return nil, err
	}
	for _, r := range busy {
		if back := r.ExpectedBack(); back.After(world.FreeFrom[r.VolunteerID]) {
			world.FreeFrom[r.VolunteerID] = back
		}
	}
	return world, nil
}

// named reads the resources a list of names gives, refusing a name given
// twice.
func named[T any](ctx context.Context, field string, names []string, pattern string, get func(context.Context, string) (T, error)) ([]T, error) {
	out := make([]T, len(names))
	first := make(map[string]int, len(names))
	for i, n := range names {
		f := fmt.Sprintf("%s[%d]", field, i)
		if j, seen := first[n]; seen {
			return nil, supply.InvalidField(f, "%s is named twice (items %d and %d)", n, j+1, i+1)
		}
		first[n] = i
		var id string
		if err := supply.ParseName(f, n, pattern, &id); err != nil {
			return nil, err
		}
		item, err := get(ctx, id)
		var de *supply.Error
		if errors.As(err, &de) && de.Code == supply.NotFound {
			return nil, supply.InvalidField(f, "%s does not exist", n)
		}
		if err != nil {
			return nil, err
		}
		out[i] = item
	}
	return out, nil
}

// all reads every page of a list.
func all[T any](list func(supply.Page) ([]T, supply.Cursor, error)) ([]T, error) {
	var out []T
	page := supply.Page{Size: 1000}
	for {
		items, next, err := list(page)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(next) == 0 {
			return out, nil
		}
		page.After = next
	}
}

// proposedPlan reads runs a preview proposed, to be stored as they are.
func proposedPlan(pbs []*aqjurekv1.Run, now time.Time) (*supply.Plan, error) {
	plan := &supply.Plan{}
	seen := map[string]string{}
	for i, pb := range pbs {
		field := fmt.Sprintf("runs[%d]", i)
		v := supply.NewViolations(field)
		r := runFromProto(&aqjurekv1.Run{Volunteer: pb.GetVolunteer(), Depot: pb.GetDepot(), PlannedStartTime: pb.GetPlannedStartTime(), Notes: pb.GetNotes()}, v)
		if len(pb.GetStops()) == 0 {
			v.Add("stops", "a proposed run must have stops")
		}
		for k, s := range pb.GetStops() {
			stop := supply.Stop{}
			if s.GetWard() != "" {
				if err := supply.ParseName(fmt.Sprintf("stops[%d].ward", k), s.GetWard(), supply.WardPattern, &stop.HospitalID, &stop.WardID); err != nil {
					v.Add(fmt.Sprintf("stops[%d].ward", k), "%s", err.Error())
				}
			}
			ids, err := requestIDs(s.GetDeliveryRequests())
			if err != nil || len(ids) == 0 {
				v.Add(fmt.Sprintf("stops[%d].delivery_requests", k), "each stop must name its delivery requests")
			}
			for _, id := range ids {
				if prior, dup := seen[id]; dup {
					v.Add(fmt.Sprintf("stops[%d].delivery_requests", k), "%s is already on %s of the plan",
						supply.Name(supply.DeliveryRequestPattern, id), prior)
				}
				seen[id] = field
			}
			stop.RequestIDs = ids
			r.Stops = append(r.Stops, stop)
		}
		if err := r.Validate(now, true, v); err != nil {
			return nil, err
		}
		r.ID, r.State = supply.NewID(), supply.Planned
		plan.Runs = append(plan.Runs, r)
	}
	return plan, nil
}

func planToProto(p *supply.Plan) *aqjurekv1.PlanRunsResponse {
	resp := &aqjurekv1.PlanRunsResponse{Summary: &aqjurekv1.PlanSummary{
		PlannedRequests:   int32(p.PlannedRequests()),
		UnplannedRequests: int32(len(p.Unplanned)),
		Runs:              int32(len(p.Runs)),
		DistanceKm:        p.DistanceKM,
		DrivingTime:       durationpb.New(p.Driving.Round(time.Second)),
		StopsAtRisk:       int32(p.StopsAtRisk()),
	}}
	for _, r := range p.Runs {
		resp.Runs = append(resp.Runs, runToProto(r))
	}
	for _, u := range p.Unplanned {
		resp.Unplanned = append(resp.Unplanned, &aqjurekv1.UnplannedRequest{
			DeliveryRequest: supply.Name(supply.DeliveryRequestPattern, u.RequestID),
			Reason:          aqjurekv1.UnplannedRequest_Reason(aqjurekv1.UnplannedRequest_Reason_value[string(u.Reason)]),
			Explanation:     u.Explanation,
		})
	}
	return resp
}
