package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// TestBenchRunsEveryFigure runs the whole bench small: it checks that every
// figure is measured and that no call failed or acknowledged write went
// missing, not how fast anything is.
func TestBenchRunsEveryFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("the bench starts the server as a process")
	}
	var out, progress bytes.Buffer
	err := realMain(context.Background(), []string{"bench", "--duration", "300ms", "--concurrency", "4", "--rows", "3000", "--watchers", "40", "--json"}, &out, &progress)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, progress.String())
	}
	var report struct {
		Figures []struct {
			Name  string
			Value float64
		}
		Ratios          []struct{ Name string }
		Errors, Missing int
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	got := map[string]float64{}
	for _, f := range report.Figures {
		got[f.Name] = f.Value
	}
	for _, name := range []string{"limit_sqlite_insert", "file_request_grpc", "file_request_rest", "list_open_requests",
		"dashboard_summary", "deliver_stop", "acknowledged_creates", "rss_after_start", "peak_rss", "startup",
		"watch_file_before_watchers", "watch_file_with_watchers", "watch_file_after_watchers", "watch_delivery_count", "watch_rss"} {
		if got[name] <= 0 {
			t.Errorf("%s = %v, want a measured value", name, got[name])
		}
	}
	for _, name := range []string{"file_request_grpc_p99", "list_open_requests_p50", "dashboard_summary_p99", "deliver_stop_p99",
		"watch_delivery_p50", "watch_delivery_p99", "watch_delivery_at_100_per_second_p99", "watch_cut_off", "watch_gaps"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	if report.Errors != 0 || report.Missing != 0 || len(report.Ratios) != 3 {
		t.Errorf("errors %d, missing %d, ratios %v", report.Errors, report.Missing, report.Ratios)
	}
}
