package supply

import (
	"math"
	"time"
)

// Route planning assumptions: city traffic averages 25 km/h door to door,
// and a drop (parking, finding the ward, handing over) takes 10 minutes.
// A hospital without coordinates counts as 50 km away, so it goes last.
const (
	cityKMH         = 25.0
	dropTime        = 10 * time.Minute
	unknownDistance = 50.0
)

// distanceKM is the great-circle distance between two points.
func distanceKM(a, b *LatLng) float64 {
	if a == nil || b == nil {
		return unknownDistance
	}
	const earthKM = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (b.Latitude-a.Latitude)*rad, (b.Longitude-a.Longitude)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Latitude*rad)*math.Cos(b.Latitude*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthKM * math.Asin(math.Sqrt(h))
}

func travel(a, b *LatLng) time.Duration {
	return time.Duration(distanceKM(a, b) / cityKMH * float64(time.Hour))
}

// order puts the pending stops in driving order and leaves the visited ones
// first, where they are. From the depot it always drives to the nearest
// stop, unless going there first would make another stop miss a deadline
// that going straight to it would meet: then it goes to that stop (the
// earliest such deadline first).
func (w *RunWork) order() error {
	type candidate struct {
		stop     Stop
		at       *LatLng
		deadline time.Time
		rank     int
	}
	var visited []Stop
	var pending []candidate
	for _, s := range w.Run.Stops {
		if s.State != Pending {
			visited = append(visited, s)
			continue
		}
		c := candidate{stop: s, at: w.Requests.Location(s.HospitalID)}
		for _, id := range s.RequestIDs {
			r, err := w.Requests.Request(id)
			if err != nil {
				return err
			}
			if c.deadline.IsZero() || r.DeliverBefore.Before(c.deadline) {
				c.deadline = r.DeliverBefore
			}
			c.rank = max(c.rank, r.Priority.Rank())
		}
		pending = append(pending, c)
	}
	here := w.Depot.Location
	clock := w.Run.PlannedStartTime
	if w.Now.After(clock) {
		clock = w.Now
	}
	ordered := visited
	for len(pending) > 0 {
		nearest := 0
		for i, c := range pending {
			d, best := distanceKM(here, c.at), distanceKM(here, pending[nearest].at)
			if d < best || d == best && c.rank > pending[nearest].rank {
				nearest = i
			}
		}
		pick := nearest
		viaNearest := clock.Add(travel(here, pending[nearest].at) + dropTime)
		for i, c := range pending {
			if i == nearest {
				continue
			}
			direct := clock.Add(travel(here, c.at))
			late := viaNearest.Add(travel(pending[nearest].at, c.at))
			atRisk := !direct.After(c.deadline) && late.After(c.deadline)
			if atRisk && (pick == nearest || c.deadline.Before(pending[pick].deadline)) {
				pick = i
			}
		}
		c := pending[pick]
		clock = clock.Add(travel(here, c.at) + dropTime)
		here = c.at
		ordered = append(ordered, c.stop)
		pending = append(pending[:pick], pending[pick+1:]...)
	}
	w.Run.Stops = ordered
	return nil
}
