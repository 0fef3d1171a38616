package api

import (
	"context"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// chartDays is how many days of deliveries the summary counts, today last.
const chartDays = 14

type dashboardService struct {
	aqjurekv1.UnimplementedDashboardServiceServer
	*Services
}

func (s *dashboardService) GetDashboardSummary(ctx context.Context, _ *aqjurekv1.GetDashboardSummaryRequest) (*aqjurekv1.DashboardSummary, error) {
	now := s.Now()
	local := now.In(almaty)
	days := dayStarts(time.Date(local.Year(), local.Month(), local.Day()-(chartDays-1), 0, 0, 0, 0, almaty), chartDays, 1)
	// Staff see the summary of their hospital.
	d, err := s.Store.Dashboard(ctx, now, days, supply.ActorFrom(ctx).Scope().HospitalID)
	if err != nil {
		return nil, err
	}
	pb := &aqjurekv1.DashboardSummary{OverdueRequests: int32(d.Overdue), ComputeTime: timestamp(d.ComputeTime)}
	for _, st := range supply.RequestStates {
		pb.RequestsByState = append(pb.RequestsByState, &aqjurekv1.DashboardSummary_StateCount{
			State: aqjurekv1.DeliveryRequest_State(aqjurekv1.DeliveryRequest_State_value[string(st)]), Count: int32(d.RequestsByState[st]),
		})
	}
	for _, p := range []supply.Priority{supply.Critical, supply.Urgent, supply.Routine} {
		pb.OpenRequestsByPriority = append(pb.OpenRequestsByPriority, &aqjurekv1.DashboardSummary_PriorityCount{
			Priority: aqjurekv1.Priority(aqjurekv1.Priority_value[string(p)]), Count: int32(d.OpenByPriority[p]),
		})
	}
	pb.Outstanding = categoryQuantities(d.Outstanding)
	for _, day := range d.DeliveredByDay {
		pb.DeliveredByDay = append(pb.DeliveredByDay, &aqjurekv1.DashboardSummary_DayDelivered{
			Day:        cityDate(day.Day),
			Quantities: categoryQuantities(day.Quantities),
		})
	}
	pb.DeliveredToday = pb.DeliveredByDay[len(pb.DeliveredByDay)-1].Quantities
	for _, h := range d.Hospitals {
		pb.Hospitals = append(pb.Hospitals, &aqjurekv1.DashboardSummary_HospitalNeeds{
			Hospital: supply.Name(supply.HospitalPattern, h.HospitalID), DisplayName: h.DisplayName,
			OpenRequests: int32(h.Open), OverdueRequests: int32(h.Overdue), CriticalRequests: int32(h.Critical),
		})
	}
	for _, r := range d.RunsInProgress {
		pb.RunsInProgress = append(pb.RunsInProgress, &aqjurekv1.DashboardSummary_RunProgress{
			Run: supply.Name(supply.RunPattern, r.RunID), Volunteer: supply.Name(supply.VolunteerPattern, r.VolunteerID),
			VolunteerDisplayName: r.VolunteerName, StopsDone: int32(r.StopsDone), StopsTotal: int32(r.StopsTotal),
		})
	}
	return pb, nil
}

// dayStarts returns n starts of periods of step days in the city's time,
// the first at first's day. Each is its day's midnight in the city,
// whatever daylight saving did in between (time.Date normalises day 0 and
// below into the month before, and days past a month's end into the next).
func dayStarts(first time.Time, n, step int) []time.Time {
	local := first.In(almaty)
	days := make([]time.Time, n)
	for i := range days {
		days[i] = time.Date(local.Year(), local.Month(), local.Day()+i*step, 0, 0, 0, 0, almaty)
	}
	return days
}

// cityDate is the city's calendar day of t.
func cityDate(t time.Time) *date.Date {
	local := t.In(almaty)
	return &date.Date{Year: int32(local.Year()), Month: int32(local.Month()), Day: int32(local.Day())}
}

func categoryQuantities(in []supply.CategoryQuantity) []*aqjurekv1.DashboardSummary_CategoryQuantity {
	out := make([]*aqjurekv1.DashboardSummary_CategoryQuantity, len(in))
	for i, c := range in {
		out[i] = &aqjurekv1.DashboardSummary_CategoryQuantity{Category: categoryToProto(c.Category), Unit: unitToProto(c.Unit), Quantity: c.Quantity.Float()}
	}
	return out
}
