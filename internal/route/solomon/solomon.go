// Package solomon reads Solomon's VRPTW benchmark instances into route
// problems and runs the planner over them, so its quality can be compared
// with published results.
package solomon

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aqjurek/tracker/internal/route"
)

// Instance is one benchmark file.
type Instance struct {
	Name     string
	Vehicles int
	Capacity float64
	// Customers[0] is the depot; the rest are numbered as in the file.
	Customers []Customer
}

// Customer is one line of the customer table.
type Customer struct {
	Number     int
	X, Y       float64
	Demand     float64
	Ready, Due float64
	Service    float64
}

// ReadFile reads an instance; its name is the file name without extension.
func ReadFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if in.Name == "" {
		in.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return in, nil
}

// Parse reads Solomon's text format: a name line, a VEHICLE section with
// the number and the capacity, and a CUSTOMER table of seven numbers a
// line, the depot first.
func Parse(r io.Reader) (*Instance, error) {
	in := &Instance{}
	sc := bufio.NewScanner(r)
	line := 0
	var section string
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if line == 1 && len(f) == 1 && !isNumber(f[0]) {
			in.Name = f[0]
			continue
		}
		if !isNumber(f[0]) {
			switch strings.ToUpper(f[0]) {
			case "VEHICLE", "CUSTOMER":
				section = strings.ToUpper(f[0])
			}
			continue
		}
		nums := make([]float64, len(f))
		for i, s := range f {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("line %d: %q is not a number", line, s)
			}
			nums[i] = x
		}
		switch section {
		case "VEHICLE":
			if len(nums) != 2 {
				return nil, fmt.Errorf("line %d: want vehicle number and capacity", line)
			}
			in.Vehicles, in.Capacity = int(nums[0]), nums[1]
		case "CUSTOMER":
			if len(nums) != 7 {
				return nil, fmt.Errorf("line %d: want 7 numbers, got %d", line, len(nums))
			}
			c := Customer{Number: int(nums[0]), X: nums[1], Y: nums[2], Demand: nums[3], Ready: nums[4], Due: nums[5], Service: nums[6]}
			if c.Number != len(in.Customers) {
				return nil, fmt.Errorf("line %d: customer %d out of order", line, c.Number)
			}
			in.Customers = append(in.Customers, c)
		default:
			return nil, fmt.Errorf("line %d: numbers outside a section", line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if in.Vehicles < 1 || in.Capacity <= 0 {
		return nil, fmt.Errorf("no vehicle section")
	}
	if len(in.Customers) < 2 {
		return nil, fmt.Errorf("no customers")
	}
	return in, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// Unserved is the penalty of each customer: far above any route's length,
// so every customer that can be served is.
const Unserved = 1e7

// Problem turns the instance into a route problem: location i is customer
// i, the depot's window is every vehicle's shift, and travel is the
// Euclidean distance in double precision, or truncated to one decimal
// when trunc1 is set (the convention of the exact methods' optima).
func (in *Instance) Problem(trunc1 bool) *route.Problem {
	n := len(in.Customers)
	m := route.NewMatrix(n)
	for i, a := range in.Customers {
		for j, b := range in.Customers {
			d := math.Hypot(a.X-b.X, a.Y-b.Y)
			if trunc1 {
				d = math.Floor(10*d+1e-9) / 10 // as check.py --trunc1, guarding 0.3 stored as 0.29999
			}
			m.Seconds[i][j], m.Meters[i][j] = d, d
		}
	}
	depot := in.Customers[0]
	p := &route.Problem{Matrix: m}
	for range in.Vehicles {
		p.Vehicles = append(p.Vehicles, route.Vehicle{Capacity: in.Capacity, Earliest: depot.Ready, Latest: depot.Due})
	}
	for _, c := range in.Customers[1:] {
		p.Jobs = append(p.Jobs, route.Job{Location: c.Number, Demand: c.Demand, Open: c.Ready, Close: c.Due, Service: c.Service, Penalty: Unserved})
	}
	return p
}
