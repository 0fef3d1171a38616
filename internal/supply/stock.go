package supply

import (
	"fmt"
	"slices"
	"strings"
)

// Stock is how a run's work reaches its depot's lots inside the store's
// transaction; the store writes back the lots the work changed and the
// loads and drops it recorded.
type Stock interface {
	// Lots returns the depot's lots with something on hand, earliest
	// best-before first (lots that keep last), then oldest received.
	// tracked is false for a depot that never received goods: its stock is
	// not kept in the service (yet), so its runs are not held to it.
	Lots(depotID string) (lots []*Lot, tracked bool, err error)
	// Loads returns what the run took from lots when it started.
	Loads(runID string) ([]Load, error)
	// Drops returns what the run handed over from lots.
	Drops(runID string) ([]Drop, error)
	// Lot returns one lot, whatever it holds, or NotFound.
	Lot(depotID, id string) (*Lot, error)
}

// Load is goods a run took from a lot for one line of a request.
type Load struct {
	RequestID string
	Line      int
	DepotID   string
	LotID     string
	Quantity  Quantity
}

// Drop is goods of a lot handed over at a stop for one line of a request:
// the link from a donor's gift to the ward that received it.
type Drop struct {
	StopID string
	Load
}

// goodsKey is how goods match a need: by category and unit (see Lot).
type goodsKey struct {
	Category Category
	Unit     Unit
}

// stockNeed is what a run's pending lines ask of one kind of goods.
type stockNeed struct {
	key      goodsKey
	quantity Quantity
	what     []string
}

// needs sums the scheduled quantities of the run's pending lines by kind
// of goods, in the order they first appear.
func (w *RunWork) needs() ([]*stockNeed, error) {
	requests, err := w.onRun()
	if err != nil {
		return nil, err
	}
	var out []*stockNeed
	for _, r := range requests {
		for _, l := range r.Lines {
			if l.Scheduled <= 0 {
				continue
			}
			k := goodsKey{l.Category, l.Unit}
			i := slices.IndexFunc(out, func(n *stockNeed) bool { return n.key == k })
			if i < 0 {
				out = append(out, &stockNeed{key: k})
				i = len(out) - 1
			}
			out[i].quantity += l.Scheduled
			what := l.Description
			if what == "" {
				what = strings.ToLower(string(l.Category))
			}
			if !slices.Contains(out[i].what, what) {
				out[i].what = append(out[i].what, what)
			}
		}
	}
	return out, nil
}

// stockLots returns the depot's lots on hand, or nil with tracked false
// when the run is not held to stock: its depot keeps none, or never
// received any.
func (w *RunWork) stockLots() (lots []*Lot, tracked bool, err error) {
	if w.Depot.NoStock || w.Stock == nil {
		return nil, false, nil
	}
	return w.Stock.Lots(w.Depot.ID)
}

// checkStock compares what the run needs with what its depot has on hand,
// kind by kind. A shortage is refused, saying exactly what is short
// ("Green Bazaar has 5 kg of apples; this run needs 12"), unless override
// accepts it, which the run then remembers; note is the event's note of an
// accepted shortage.
func (w *RunWork) checkStock(override bool) (note string, err error) {
	lots, tracked, err := w.stockLots()
	if err != nil || !tracked {
		w.Run.StockOverride = false
		return "", err
	}
	needs, err := w.needs()
	if err != nil {
		return "", err
	}
	var short []string
	for _, n := range needs {
		have := Quantity(0)
		for _, l := range lots {
			if (goodsKey{l.Category, l.Unit}) == n.key {
				have += l.OnHand()
			}
		}
		if have < n.quantity {
			short = append(short, fmt.Sprintf("%s has %s; this run needs %s", w.Depot.DisplayName,
				Amount(have, n.key.Unit, strings.Join(n.what, ", ")), n.quantity))
		}
	}
	if len(short) == 0 {
		w.Run.StockOverride = false
		return "", nil
	}
	if !override {
		return "", Errorf(FailedPrecondition, "%s; take requests off, receive more goods, or set override_stock to go with what there is",
			strings.Join(short, "; "))
	}
	w.Run.StockOverride = true
	return "short of stock by override: " + strings.Join(short, "; "), nil
}

// take loads the run from its depot's lots as it starts: each pending line
// takes what it is scheduled to carry from the lots of its kind, earliest
// best-before first. Without an accepted shortage a run short of stock
// does not start, so of two runs racing for the last lot exactly one
// leaves with it.
func (w *RunWork) take() error {
	if _, err := w.checkStock(w.Run.StockOverride); err != nil {
		return err
	}
	lots, tracked, err := w.stockLots()
	if err != nil || !tracked {
		return err
	}
	requests, err := w.onRun()
	if err != nil {
		return err
	}
	for _, r := range requests {
		for i, line := range r.Lines {
			want := line.Scheduled
			for _, l := range lots {
				if want <= 0 {
					break
				}
				if l.Category != line.Category || l.Unit != line.Unit || l.OnHand() <= 0 {
					continue
				}
				q := min(want, l.OnHand())
				l.Taken += q
				want -= q
				w.Loads = append(w.Loads, Load{RequestID: r.ID, Line: i, DepotID: l.DepotID, LotID: l.ID, Quantity: q})
			}
		}
	}
	return nil
}

// dropFrom records which lots the goods handed over at a stop came from:
// each delivered line from what the run took for it, in the order taken.
// What was delivered beyond what the run took (goods from outside the
// service's stock) names no lot.
func (w *RunWork) dropFrom(stopID string, lines []DeliveredLine) error {
	if w.Stock == nil {
		return nil
	}
	loads, err := w.Stock.Loads(w.Run.ID)
	if err != nil {
		return err
	}
	for _, d := range lines {
		left := d.Quantity
		for _, l := range loads {
			if left <= 0 {
				break
			}
			if l.RequestID != d.RequestID || l.Line != d.Line {
				continue
			}
			q := min(left, l.Quantity)
			l.Quantity = q
			w.Drops = append(w.Drops, Drop{StopID: stopID, Load: l})
			left -= q
		}
	}
	return nil
}

// bringBack returns to their lots what the run took and did not hand over
// (a failed drop, a short one), as the driver brings it back to the depot
// when the run completes, so the depot's stock counts it again.
func (w *RunWork) bringBack() error {
	if w.Stock == nil {
		return nil
	}
	loads, err := w.Stock.Loads(w.Run.ID)
	if err != nil {
		return err
	}
	drops, err := w.Stock.Drops(w.Run.ID)
	if err != nil {
		return err
	}
	type lotKey struct{ depotID, lotID string }
	left := map[lotKey]Quantity{}
	var order []lotKey
	for _, l := range loads {
		k := lotKey{l.DepotID, l.LotID}
		if _, seen := left[k]; !seen {
			order = append(order, k)
		}
		left[k] += l.Quantity
	}
	for _, d := range drops {
		left[lotKey{d.DepotID, d.LotID}] -= d.Quantity
	}
	var back []string
	for _, k := range order {
		q := left[k]
		if q <= 0 {
			continue
		}
		l, err := w.Stock.Lot(k.depotID, k.lotID)
		if err != nil {
			return err
		}
		q = min(q, l.Taken)
		l.Taken -= q
		back = append(back, Amount(q, l.Unit, l.what()))
	}
	if len(back) > 0 {
		w.Summary += "; brought back to " + w.Depot.DisplayName + ": " + strings.Join(back, ", ")
	}
	return nil
}
