package route

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Point is a place on the Earth in decimal degrees.
type Point struct{ Lat, Lng float64 }

// Matrix holds travel between locations, indexed [from][to]. Seconds is
// what the solver minimises; Meters is reported alongside it.
type Matrix struct{ Seconds, Meters [][]float64 }

// TravelTimes produces the matrix between points. It is the one seam
// between the planner and the road network: a routing engine can replace
// StraightLine without the solver noticing.
type TravelTimes interface {
	Matrix(ctx context.Context, points []Point) (*Matrix, error)
}

// Default figures for StraightLine in a city.
const (
	// DefaultSpeedKMH is an average speed through city traffic, stops
	// at lights included.
	DefaultSpeedKMH = 25
	// DefaultDetour is the ratio of road distance to great-circle
	// distance; studies of street networks put it between 1.2 and 1.4,
	// and 1.3 is the usual figure for European cities.
	DefaultDetour = 1.3
)

// earthRadiusM is the mean radius of the Earth.
const earthRadiusM = 6371008.8

// StraightLine estimates travel as the great-circle distance times Detour,
// driven at SpeedKMH. Zero fields take DefaultSpeedKMH and DefaultDetour.
type StraightLine struct {
	SpeedKMH float64
	Detour   float64
}

// Matrix implements TravelTimes.
func (s StraightLine) Matrix(ctx context.Context, points []Point) (*Matrix, error) {
	speed, detour := s.SpeedKMH, s.Detour
	if speed == 0 {
		speed = DefaultSpeedKMH
	}
	if detour == 0 {
		detour = DefaultDetour
	}
	if !(speed > 0) || math.IsInf(speed, 0) || !(detour >= 1) || math.IsInf(detour, 0) {
		return nil, fmt.Errorf("route: straight line needs a positive speed and a detour of at least 1, got %g km/h and %g", speed, detour)
	}
	for i, p := range points {
		if !(p.Lat >= -90 && p.Lat <= 90) || !(p.Lng >= -180 && p.Lng <= 180) {
			return nil, fmt.Errorf("route: point %d (%g, %g) is not a latitude and longitude", i, p.Lat, p.Lng)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(points)
	m := &Matrix{Seconds: square(n), Meters: square(n)}
	mps := speed * 1000 / 3600
	for i := range n {
		for j := i + 1; j < n; j++ {
			d := haversine(points[i], points[j]) * detour
			m.Meters[i][j], m.Meters[j][i] = d, d
			m.Seconds[i][j], m.Seconds[j][i] = d/mps, d/mps
		}
	}
	return m, nil
}

// haversine is the great-circle distance in meters.
func haversine(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// square allocates an n×n matrix in one block so rows sit together in
// memory.
func square(n int) [][]float64 {
	cells := make([]float64, n*n)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = cells[i*n : (i+1)*n : (i+1)*n]
	}
	return rows
}

// NewMatrix returns an n×n matrix of zeros, for callers that fill it
// themselves.
func NewMatrix(n int) *Matrix { return &Matrix{Seconds: square(n), Meters: square(n)} }

// errNoMatrix is returned when a problem has no matrix.
var errNoMatrix = errors.New("route: problem has no matrix")
