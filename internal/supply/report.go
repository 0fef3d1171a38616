package supply

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"time"
)

// MaxReportDays bounds a report's period: a year, leap day included.
const MaxReportDays = 366

// HandedOver is one request line handed over at a delivered stop. A
// line of a short or partly failed drop may have handed over nothing; it
// still belongs to a drop.
type HandedOver struct {
	Time         time.Time
	RunID        string
	StopID       string
	HospitalID   string
	HospitalName string
	RequestID    string
	Headcount    int64
	Category     Category
	Unit         Unit
	Quantity     Quantity
}

// DeliveryRow is what was handed over in one period to one hospital, of
// one category in one unit.
type DeliveryRow struct {
	Start        time.Time
	HospitalID   string
	HospitalName string
	CategoryQuantity
	// Requests is how many requests received some of it.
	Requests int
}

// ServedRow is the drops one hospital received in one period and the
// headcount of the requests they served.
type ServedRow struct {
	Start        time.Time
	HospitalID   string
	HospitalName string
	Drops        int
	Headcount    int64
}

// Bucket sums delivered lines by period, hospital and kind of goods.
// starts holds the start of each period, in order; a line belongs to the
// last period that starts at or before it, and lines before the first are
// left out (the caller reads only lines up to the end of the last).
// Deliveries and served rows come in period order, then by hospital name,
// then by category and unit. A request counts once per period in
// Requests and Headcount, however many drops it received.
func Bucket(starts []time.Time, lines []HandedOver) ([]DeliveryRow, []ServedRow) {
	type deliveryKey struct {
		period     int
		hospitalID string
		category   Category
		unit       Unit
	}
	type servedKey struct {
		period     int
		hospitalID string
	}
	type requestKey struct {
		period    int
		requestID string
	}
	type stopKey struct {
		period      int
		runID, stop string
	}
	deliveries := map[deliveryKey]*DeliveryRow{}
	served := map[servedKey]*ServedRow{}
	requestLines := map[deliveryKey]map[string]bool{}
	fed := map[requestKey]bool{}
	drops := map[stopKey]bool{}
	for _, l := range lines {
		period := sort.Search(len(starts), func(i int) bool { return starts[i].After(l.Time) }) - 1
		if period < 0 {
			continue
		}
		sk := servedKey{period, l.HospitalID}
		s := served[sk]
		if s == nil {
			s = &ServedRow{Start: starts[period], HospitalID: l.HospitalID, HospitalName: l.HospitalName}
			served[sk] = s
		}
		if stop := (stopKey{period, l.RunID, l.StopID}); !drops[stop] {
			drops[stop] = true
			s.Drops++
		}
		if l.Quantity <= 0 {
			continue
		}
		if rk := (requestKey{period, l.RequestID}); !fed[rk] {
			fed[rk] = true
			s.Headcount += l.Headcount
		}
		dk := deliveryKey{period, l.HospitalID, l.Category, l.Unit}
		d := deliveries[dk]
		if d == nil {
			d = &DeliveryRow{Start: starts[period], HospitalID: l.HospitalID, HospitalName: l.HospitalName,
				CategoryQuantity: CategoryQuantity{Category: l.Category, Unit: l.Unit}}
			deliveries[dk] = d
			requestLines[dk] = map[string]bool{}
		}
		d.Quantity += l.Quantity
		if !requestLines[dk][l.RequestID] {
			requestLines[dk][l.RequestID] = true
			d.Requests++
		}
	}
	outDeliveries := make([]DeliveryRow, 0, len(deliveries))
	for _, d := range deliveries {
		outDeliveries = append(outDeliveries, *d)
	}
	slices.SortFunc(outDeliveries, func(a, b DeliveryRow) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.HospitalName, b.HospitalName), cmp.Compare(a.HospitalID, b.HospitalID),
			compareGoods(a.CategoryQuantity, b.CategoryQuantity))
	})
	outServed := make([]ServedRow, 0, len(served))
	for _, s := range served {
		outServed = append(outServed, *s)
	}
	slices.SortFunc(outServed, func(a, b ServedRow) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.HospitalName, b.HospitalName), cmp.Compare(a.HospitalID, b.HospitalID))
	})
	return outDeliveries, outServed
}

// CompareGoods orders goods by category, then unit, as the API lists them.
func CompareGoods(ac Category, au Unit, bc Category, bu Unit) int {
	return cmp.Or(cmp.Compare(categoryRank(ac), categoryRank(bc)), cmp.Compare(unitRank(au), unitRank(bu)))
}

func compareGoods(a, b CategoryQuantity) int {
	return CompareGoods(a.Category, a.Unit, b.Category, b.Unit)
}

func categoryRank(c Category) int { return slices.Index(Categories, c) }

func unitRank(u Unit) int { return slices.Index(Units, u) }

// Totals sums the rows' quantities by category and unit, in category order.
func Totals(rows []DeliveryRow) []CategoryQuantity {
	var out []CategoryQuantity
	for _, r := range rows {
		i := slices.IndexFunc(out, func(c CategoryQuantity) bool { return c.Category == r.Category && c.Unit == r.Unit })
		if i < 0 {
			out = append(out, CategoryQuantity{Category: r.Category, Unit: r.Unit})
			i = len(out) - 1
		}
		out[i].Quantity += r.Quantity
	}
	slices.SortFunc(out, compareGoods)
	return out
}

// MoneyFigures is one currency's money: what came in and went out in a
// period, and what was left at its end.
type MoneyFigures struct {
	Currency string
	// Received nets reversing entries out; Spent is the purchases.
	Received, Spent, Left int64
	// Donations counts the money donations received in the period that
	// stand (neither reversed nor reversing); Purchases the purchases.
	Donations, Purchases int
}

// StockFigures is what one depot received, gave to runs and wrote off of
// one category in one unit in a period, and holds now.
type StockFigures struct {
	DepotID   string
	DepotName string
	Category  Category
	Unit      Unit
	// Received is what lots received in the period stocked, less what went
	// with the reversal of their donations.
	Received Quantity
	// Taken is what runs took in the period, less what runs brought back
	// in it, each move on its own day.
	Taken      Quantity
	WrittenOff Quantity
	OnHand     Quantity
}

// WriteOff is one write-off of a lot.
type WriteOff struct {
	Time        time.Time
	DepotID     string
	LotID       string
	Category    Category
	Description string
	Quantity    Quantity
	Unit        Unit
	Reason      string
}

// ReportData is what the store reads for a report of the period from
// From until To.
type ReportData struct {
	// Lines are the lines handed over in the period, in time order.
	Lines []HandedOver
	// Money holds every currency that had money in or out up to To, in
	// currency order.
	Money []MoneyFigures
	// Stock holds every depot's goods with a figure other than zero, by
	// depot name, category and unit.
	Stock      []StockFigures
	WrittenOff []WriteOff
}

// PublicData is what the store reads for the public summary.
type PublicData struct {
	// Delivered is everything handed over since the start.
	Delivered []CategoryQuantity
	Drops     int
	Headcount int64
	// Hospitals are the names of the hospitals that received goods, in order.
	Hospitals []string
	// Lines are the lines handed over since the asked time, in time order.
	Lines []HandedOver
	// Money holds every currency given or spent, received and spent in all.
	Money []MoneyFigures
	// Donors are the donors of the standing money and goods donations, one
	// per donation, in the order they were received: reversed gifts and
	// reversing entries are not among them. PublicDonors decides who of
	// them is named.
	Donors []DonorGift
}

// ReportStore reads the figures of reports in one read transaction each, so
// they agree with each other.
type ReportStore interface {
	// Report reads the period from from until to (exclusive).
	Report(ctx context.Context, from, to time.Time) (*ReportData, error)
	// Public reads the public figures, with the lines handed over since since.
	Public(ctx context.Context, since time.Time) (*PublicData, error)
}
