package supply

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Dashboard is the coordination summary, computed by the store.
type Dashboard struct {
	RequestsByState map[RequestState]int64
	// OpenByPriority counts requests still waiting for goods.
	OpenByPriority map[Priority]int64
	Overdue        int64
	// Outstanding is what is still to deliver of requests waiting for goods.
	Outstanding    []CategoryQuantity
	Hospitals      []HospitalNeeds
	RunsInProgress []RunProgress
	// DeliveredByDay holds what was handed over on each day asked for.
	DeliveredByDay []DayQuantities
	ComputeTime    time.Time
}

// DayQuantities is what was handed over on one day, from the day's start.
type DayQuantities struct {
	Day        time.Time
	Quantities []CategoryQuantity
}

// CategoryQuantity is an amount of one category in one unit.
type CategoryQuantity struct {
	Category Category
	Unit     Unit
	Quantity Quantity
}

// HospitalNeeds is one hospital's requests still waiting for goods.
type HospitalNeeds struct {
	HospitalID  string
	DisplayName string
	Open        int64
	Overdue     int64
	Critical    int64
}

// RankHospitals puts the hospitals that most need a run first: the most
// overdue requests, then the most critical, then the most open, then by
// name.
func RankHospitals(hospitals []HospitalNeeds) {
	slices.SortFunc(hospitals, func(a, b HospitalNeeds) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Critical, a.Critical), cmp.Compare(b.Open, a.Open),
			cmp.Compare(a.DisplayName, b.DisplayName))
	})
}

// RunProgress is a run on the road.
type RunProgress struct {
	RunID         string
	VolunteerID   string
	VolunteerName string
	StopsDone     int
	StopsTotal    int
}

// DashboardStore computes the summary with queries, not by loading everything.
type DashboardStore interface {
	// Dashboard summarises the data at now. Deliveries are summed by day:
	// days holds the start of each day asked for, in order, at least one;
	// the last day runs until now. With a hospital id it summarises that
	// hospital's requests, and the runs and drops that visit it.
	Dashboard(ctx context.Context, now time.Time, days []time.Time, hospitalID string) (*Dashboard, error)
}
