package bench

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
)

// TestSeedKeepsTheDashboardTotals seeds each engine and recounts, in Go
// from the rows themselves, what the dashboard's totals tables must hold:
// the seed writes rows directly, past the store. It also checks every
// request and line went in, the indexes the seed drops for the load are
// all back, and the totals' triggers are on again after it.
func TestSeedKeepsTheDashboardTotals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		target := &target{dsn: dsn, postgres: store.IsPostgres(dsn), dir: t.TempDir()}
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		before := indexNames(t, target)
		if len(before) < 5 {
			t.Fatalf("the requests' tables have indexes %v, want the schema's", before)
		}

		const rows = 2345 // not a whole number of batches
		if err := seed(ctx, target, rows, time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}

		if diff := cmp.Diff(before, indexNames(t, target)); diff != "" {
			t.Errorf("indexes after the seed (-before +after):\n%s", diff)
		}
		// The totals' triggers are on again after the load: a request the
		// seed filed open, cancelled now, moves in the totals.
		writer, err := target.open(bulk)
		if err != nil {
			t.Fatal(err)
		}
		cancelled, err := writer.ExecContext(ctx, `UPDATE delivery_requests SET state = 'CANCELLED'
			WHERE id = (SELECT min(id) FROM delivery_requests WHERE state = ?)`, "OPEN")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := cancelled.RowsAffected(); err != nil || n != 1 {
			t.Fatalf("cancelled %d requests (%v), want 1", n, err)
		}
		writer.Close()
		raw, err := target.open(readOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		query := func(q string, scan func(scan func(...any) error) error) {
			t.Helper()
			r, err := raw.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for r.Next() {
				if err := scan(r.Scan); err != nil {
					t.Fatal(err)
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
		}

		type request struct {
			hospital, state string
			priority        int64
		}
		requests := map[string]request{}
		query("SELECT id, hospital_id, state, priority FROM delivery_requests", func(scan func(...any) error) error {
			var id string
			var r request
			if err := scan(&id, &r.hospital, &r.state, &r.priority); err != nil {
				return err
			}
			requests[id] = r
			return nil
		})
		wantRequests, wantOutstanding := map[string]int64{}, map[string]int64{}
		states := map[string]bool{}
		for _, r := range requests {
			wantRequests[fmt.Sprintf("%s %s %d", r.hospital, r.state, r.priority)]++
			states[r.state] = true
		}
		lines := 0
		query("SELECT delivery_request_id, category, unit, quantity, delivered_quantity FROM delivery_request_lines", func(scan func(...any) error) error {
			var id, category, unit string
			var quantity, delivered int64
			if err := scan(&id, &category, &unit, &quantity, &delivered); err != nil {
				return err
			}
			lines++
			r, ok := requests[id]
			if !ok {
				return fmt.Errorf("line of request %s, which is not there", id)
			}
			if r.state == "OPEN" || r.state == "SCHEDULED" || r.state == "IN_TRANSIT" {
				wantOutstanding[fmt.Sprintf("%s %s %s", r.hospital, category, unit)] += max(0, quantity-delivered)
			}
			return nil
		})
		if len(requests) != rows || lines != 2*rows {
			t.Errorf("seeded %d requests with %d lines, want %d with %d", len(requests), lines, rows, 2*rows)
		}
		if !states["OPEN"] || !states["DELIVERED"] || !states["CANCELLED"] {
			t.Errorf("seeded states %v, want open, delivered and cancelled requests", states)
		}

		gotRequests, gotOutstanding := map[string]int64{}, map[string]int64{}
		query("SELECT hospital_id, state, priority, requests FROM request_totals", func(scan func(...any) error) error {
			var hospital, state string
			var priority, n int64
			err := scan(&hospital, &state, &priority, &n)
			if n != 0 {
				gotRequests[fmt.Sprintf("%s %s %d", hospital, state, priority)] = n
			}
			return err
		})
		query("SELECT hospital_id, category, unit, quantity FROM outstanding_totals", func(scan func(...any) error) error {
			var hospital, category, unit string
			var n int64
			err := scan(&hospital, &category, &unit, &n)
			if n != 0 {
				gotOutstanding[fmt.Sprintf("%s %s %s", hospital, category, unit)] = n
			}
			return err
		})
		if diff := cmp.Diff(wantRequests, gotRequests); diff != "" {
			t.Errorf("request_totals (-recounted +stored):\n%s", diff)
		}
		if diff := cmp.Diff(wantOutstanding, gotOutstanding); diff != "" {
			t.Errorf("outstanding_totals (-recounted +stored):\n%s", diff)
		}
	})
}

// indexNames lists the secondary indexes of the requests' tables.
func indexNames(t *testing.T, target *target) []string {
	t.Helper()
	query := `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('delivery_requests', 'delivery_request_lines')`
	if target.postgres {
		query = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ('delivery_requests', 'delivery_request_lines') AND indexname NOT LIKE '%_pkey'`
	}
	raw, err := target.open(readOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
