package supply

import (
	"fmt"
	"time"
)

// Bounds on the size of one call's input and of what it builds up. Each
// request named on a run is read and written inside the one write
// transaction, so these keep any single change short for everyone waiting
// behind it.
const (
	// MaxRequestsPerCall bounds the delivery requests one :assign or
	// :unassign names.
	MaxRequestsPerCall = 100
	// MaxRunRequests bounds the delivery requests on one run, and so its
	// stops: far more than one car carries.
	MaxRunRequests = 100
	// MaxDeliveredLines bounds the lines one drop reports.
	MaxDeliveredLines = 500
)

// CheckRequestIDs refuses a list of delivery request ids for :assign or
// :unassign that is empty, longer than MaxRequestsPerCall, or names a
// request twice.
func CheckRequestIDs(ids []string) error {
	switch {
	case len(ids) == 0:
		return InvalidField("delivery_requests", "delivery_requests must name at least one request")
	case len(ids) > MaxRequestsPerCall:
		return InvalidField("delivery_requests", "delivery_requests must name at most %d requests (got %d)", MaxRequestsPerCall, len(ids))
	}
	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if j, seen := first[id]; seen {
			return InvalidField(fmt.Sprintf("delivery_requests[%d]", i), "delivery_requests lists %s twice (items %d and %d)",
				Name(DeliveryRequestPattern, id), j+1, i+1)
		}
		first[id] = i
	}
	return nil
}

// CheckDeliveredLines refuses a drop that reports more lines than any stop
// could hold.
func CheckDeliveredLines(n int) error {
	if n > MaxDeliveredLines {
		return InvalidField("lines", "lines must list at most %d lines (got %d)", MaxDeliveredLines, n)
	}
	return nil
}

// requestCount is how many delivery requests the run's stops hold.
func (r *Run) requestCount() int {
	n := 0
	for _, s := range r.Stops {
		n += len(s.RequestIDs)
	}
	return n
}

// The years the service takes times in. A time outside them is a slip (a
// zero value, seconds sent as milliseconds), never a plan.
const (
	FirstYear = 2000
	LastYear  = 2099
)

// TimeInRange reports whether t falls within FirstYear to LastYear, in UTC.
func TimeInRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= FirstYear && y <= LastYear
}
