package route

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestScheduleMarksLateStopsAndWaitsAtTheDepot(t *testing.T) {
	t.Parallel()
	m := plane([][2]float64{{0, 0}, {10, 0}, {20, 0}, {30, 0}})
	v := Vehicle{Capacity: 5, Earliest: 0, Latest: 70}
	jobs := []Job{
		{Location: 1, Demand: 2, Open: 50, Close: 60, Service: 5}, // arrive 10, wait to 50
		{Location: 2, Demand: 2, Open: 0, Close: 60, Service: 5},  // 65: late
		{Location: 3, Demand: 2, Open: 0, Close: 100},             // 80, back at 110 > 70
	}
	tl, err := Schedule(m, v, jobs, false)
	if err != nil {
		t.Fatal(err)
	}
	// Leaving at 40 removes the 40 of waiting and delays nothing.
	want := Timeline{Departure: 40, Starts: []float64{50, 65, 80}, Late: []bool{false, true, false},
		RideExceeded: []bool{false, false, false}, Return: 110, ReturnLate: true, Load: 6, OverCapacity: true, Seconds: 60, Meters: 60}
	if !timelinesEqual(*tl, want) {
		t.Fatalf("got %+v\nwant %+v", *tl, want)
	}
	// Under way: the driver is at location 2 now (time 30) and leaves now.
	v.Start, v.Earliest = 2, 30
	tl, err = Schedule(m, v, jobs[2:], true)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Departure != 30 || tl.Starts[0] != 40 || tl.Late[0] {
		t.Fatalf("under way: got %+v", *tl)
	}
	if _, err := Schedule(m, v, []Job{{Location: 9}}, false); err == nil {
		t.Fatal("a job outside the matrix was scheduled")
	}
}

func timelinesEqual(a, b Timeline) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	if !near(a.Departure, b.Departure) || !near(a.Return, b.Return) || a.ReturnLate != b.ReturnLate ||
		!near(a.Load, b.Load) || a.OverCapacity != b.OverCapacity || !near(a.Seconds, b.Seconds) || !near(a.Meters, b.Meters) ||
		len(a.Starts) != len(b.Starts) {
		return false
	}
	for i := range a.Starts {
		if !near(a.Starts[i], b.Starts[i]) || a.Late[i] != b.Late[i] || a.RideExceeded[i] != b.RideExceeded[i] {
			return false
		}
	}
	return true
}

func TestSequenceMatchesExhaustiveSearch(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 1))
		pts := [][2]float64{{50, 50}}
		var jobs []Job
		for range 7 {
			pts = append(pts, [2]float64{r.Float64() * 100, r.Float64() * 100})
			open := r.Float64() * 300
			// Tight windows, so some are missed whatever the order.
			jobs = append(jobs, Job{Location: len(pts) - 1, Open: open, Close: open + r.Float64()*40, Service: 10})
		}
		m := plane(pts)
		v := Vehicle{Latest: 400}
		order, tl, err := Sequence(m, v, jobs)
		if err != nil {
			t.Fatal(err)
		}
		sq := sequencer{t: m.Seconds, v: &v, jobs: jobs, starts: make([]float64, len(jobs))}
		got := sq.score(toInt32(order))
		best := score{late: math.Inf(1)}
		permute([]int32{0, 1, 2, 3, 4, 5, 6}, 0, func(p []int32) {
			if s := sq.score(p); sq.better(s, best) {
				best = s
			}
		})
		// Local search need not find the optimum, but on seven stops it
		// should, or come within a hair of its lateness.
		if got.late > best.late+1e-6 || got.travel > best.travel*1.05+1e-6 && got.late >= best.late-1e-6 {
			t.Errorf("seed %d: order %v scores %+v, best %+v", seed, order, got, best)
		}
		if len(tl.Starts) != len(jobs) {
			t.Fatalf("timeline has %d starts", len(tl.Starts))
		}
	}
}

func toInt32(xs []int) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}

func permute(a []int32, k int, f func([]int32)) {
	if k == len(a) {
		f(a)
		return
	}
	for i := k; i < len(a); i++ {
		a[k], a[i] = a[i], a[k]
		permute(a, k+1, f)
		a[k], a[i] = a[i], a[k]
	}
}

func TestStraightLineMatrix(t *testing.T) {
	t.Parallel()
	// One degree of latitude is 111.2 km on the mean sphere; with the
	// detour it is 144.6 km, 5.78 h at 25 km/h.
	m, err := StraightLine{}.Matrix(context.Background(), []Point{{Lat: 43, Lng: 76.9}, {Lat: 44, Lng: 76.9}})
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Meters[0][1]; math.Abs(d-111195*DefaultDetour) > 5 {
		t.Errorf("meters %g", d)
	}
	if s := m.Seconds[1][0]; math.Abs(s-m.Meters[1][0]/(25/3.6)) > 1e-6 || m.Seconds[0][0] != 0 {
		t.Errorf("seconds %g", s)
	}
	if _, err := (StraightLine{}).Matrix(context.Background(), []Point{{Lat: 91}}); err == nil {
		t.Error("latitude 91 accepted")
	}
	if _, err := (StraightLine{SpeedKMH: -1}).Matrix(context.Background(), nil); err == nil {
		t.Error("negative speed accepted")
	}
}
