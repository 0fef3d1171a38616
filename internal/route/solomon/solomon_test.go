package solomon

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/route"
)

// solomonDir finds ../shared/solomon beside the module root, where CI
// keeps the benchmark, or the directory AQJUREK_SOLOMON names; tests that
// need it skip when it is absent.
func solomonDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("AQJUREK_SOLOMON"); dir != "" {
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
	sol := filepath.Join(dir, "..", "shared", "solomon")
	if _, err := os.Stat(sol); err != nil {
		t.Skipf("Solomon benchmark not found at %s", sol)
	}
	return sol
}

func TestParse(t *testing.T) {
	t.Parallel()
	in, err := Parse(strings.NewReader(`TINY

VEHICLE
NUMBER     CAPACITY
  2         50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0         0          0          0       100          0
    1      3         4         10          0        50         5
`))
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "TINY" || in.Vehicles != 2 || in.Capacity != 50 || len(in.Customers) != 2 || in.Customers[1].Demand != 10 {
		t.Fatalf("parsed %+v", in)
	}
	p := in.Problem(false)
	if len(p.Vehicles) != 2 || len(p.Jobs) != 1 || p.Matrix.Seconds[0][1] != 5 || p.Vehicles[0].Latest != 100 {
		t.Fatalf("problem %+v", p)
	}
	if _, err := Parse(strings.NewReader("X\nCUSTOMER\n0 1 2\n")); err == nil {
		t.Fatal("a short customer line was accepted")
	}
}

// TestSmallInstancesNearOptimum solves every 25-customer instance with
// distances truncated to one decimal, the convention of the published
// optima, and wants each within 1 % of its optimum and feasible by an
// independent check.
func TestSmallInstancesNearOptimum(t *testing.T) {
	dir := solomonDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "bks_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	var opt map[string]json.RawMessage
	if err := json.Unmarshal(data, &opt); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "instances", "25", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no instances: %v", err)
	}
	checked := 0
	for _, f := range files {
		in, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		raw, ok := opt[name+".25"]
		if !ok {
			continue
		}
		var best struct{ Distance float64 }
		if err := json.Unmarshal(raw, &best); err != nil {
			t.Fatal(err)
		}
		sol, err := route.Solve(context.Background(), in.Problem(true), route.Options{Seed: 1, Iterations: 5000, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		var routes [][]int
		for _, r := range sol.Routes {
			var nums []int
			for _, j := range r.Jobs {
				nums = append(nums, j+1)
			}
			routes = append(routes, nums)
		}
		_, dist, problems := in.Check(routes, true, 1e-6)
		if len(problems) > 0 {
			t.Errorf("%s: infeasible: %v", name, problems)
		}
		if gap := 100 * (dist/best.Distance - 1); gap > 1 {
			t.Errorf("%s: distance %.1f, optimum %.1f: %+.2f %%", name, dist, best.Distance, gap)
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("only %d instances had an optimum", checked)
	}
}

// TestRunWritesCheckableRoutes runs the benchmark on one 100-customer
// instance and checks what it wrote.
func TestRunWritesCheckableRoutes(t *testing.T) {
	dir := solomonDir(t)
	out := t.TempDir()
	var buf strings.Builder
	cfg := Config{Options: route.Options{Seed: 1, Iterations: 300}, BKS: filepath.Join(dir, "bks.json"), Out: out}
	f := filepath.Join(dir, "instances", "C101.txt")
	res, err := Run(context.Background(), cfg, []string{f}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || len(res[0].Problems) > 0 {
		t.Fatalf("results %+v", res)
	}
	data, err := os.ReadFile(filepath.Join(out, "C101.json"))
	if err != nil {
		t.Fatal(err)
	}
	var written struct{ Routes [][]int }
	if err := json.Unmarshal(data, &written); err != nil {
		t.Fatal(err)
	}
	in, err := ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, problems := in.Check(written.Routes, false, 1e-6); len(problems) > 0 {
		t.Fatalf("written routes infeasible: %v", problems)
	}
	if s := buf.String(); !strings.HasPrefix(s, "C101 ") || !strings.Contains(s, "all ") {
		t.Fatalf("output:\n%s", s)
	}
}
