package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// plan is SQLite's query plan for a request list, one step a line.
func plan(t *testing.T, db *DB, q supply.DeliveryRequestQuery) string {
	t.Helper()
	where, args, order, err := requestFilter(q)
	if err != nil {
		t.Fatal(err)
	}
	query, args, err := deliveryRequests.listSQL(where, args, order, q.Page)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(explain(t, db, query, args...), "\n")
}

// explain is SQLite's query plan for a query, a step each.
func explain(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// TestListPlansReadIndexesInOrder keeps the coordinator's and a hospital's
// lists fast at any size: each must read an index in the list's order and
// stop after a page, never sort every matching row. It is SQLite's: it
// reads SQLite's EXPLAIN QUERY PLAN, and PostgreSQL chooses its plan by the
// statistics of the data it holds, not by the query alone.
func TestListPlansReadIndexesInOrder(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.DSN(t, storetest.SQLite))
	waiting := []supply.RequestState{supply.Open, supply.Scheduled, supply.InTransit}
	yes := true
	for name, q := range map[string]supply.DeliveryRequestQuery{
		"a hospital's waiting requests": {HospitalID: "h1", States: waiting},
		"the board's waiting requests":  {States: waiting},
		"a ward's waiting requests":     {HospitalID: "h1", WardID: "w1", States: waiting},
		"a hospital's open requests":    {HospitalID: "h1", States: []supply.RequestState{supply.Open}},
		"delivered requests":            {States: []supply.RequestState{supply.Delivered}},
		"a hospital's cancelled ones":   {HospitalID: "h1", States: []supply.RequestState{supply.Cancelled}},
		"a hospital's requests":         {HospitalID: "h1"},
		"overdue requests":              {Overdue: &yes},
		"everything":                    {},
	} {
		q.Order, q.Now, q.Page = supply.DefaultDeliveryRequestOrder, testNow, supply.Page{Size: 50}
		p := plan(t, db, q)
		if strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") {
			t.Errorf("%s: the plan sorts or scans instead of reading an index in order:\n%s", name, p)
		}
	}
}

// TestStopDonorsPlanReadsKeysNotTables keeps the donors of a page of runs
// one cheap query: every table is reached through its key or an index,
// never scanned. Like the test above, it reads SQLite's plan.
func TestStopDonorsPlanReadsKeysNotTables(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.DSN(t, storetest.SQLite))
	steps := explain(t, db, fmt.Sprintf(stopDonorsQuery, "?, ?"), "r1", "r2")
	for _, s := range steps {
		if strings.HasPrefix(s, "SCAN") {
			t.Errorf("the stop donors' plan scans a table:\n%s", strings.Join(steps, "\n"))
			break
		}
	}
}
