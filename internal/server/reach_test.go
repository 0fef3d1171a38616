package server_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// TestOutOfReachIsNotFoundWhateverTheEtag: the access check comes before
// the etag's, so a stale or made-up etag on what the caller may not reach
// answers exactly as a name that does not exist, never ABORTED.
func TestOutOfReachIsNotFoundWhateverTheEtag(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	ctx := context.Background()
	staff, driver := w.as(w.staff1), w.as(w.driverD)
	const missing = "deliveryRequests/does-not-exist"

	for _, etag := range []string{"", "made-up", w.mustREST(200, "GET", "/v1/"+w.need7, nil)["etag"].(string)} {
		for _, tc := range []struct {
			name, method, path string
			body               object
		}{
			{"update", "PATCH", "/v1/%s", object{"notes": "mine now", "etag": etag}},
			{"cancel", "POST", "/v1/%s:cancel", object{"reason": "not needed", "etag": etag}},
		} {
			code, out := staff.rest(tc.method, strings.Replace(tc.path, "%s", w.need7, 1), tc.body)
			wantCode, wantOut := staff.rest(tc.method, strings.Replace(tc.path, "%s", missing, 1), tc.body)
			if code != 404 || wantCode != 404 || out["message"] != strings.Replace(wantOut["message"].(string), missing, w.need7, 1) {
				t.Errorf("staff %s of another hospital's request with etag %q: %d %v; for one that does not exist: %d %v",
					tc.name, etag, code, out, wantCode, wantOut)
			}
		}
		_, err := staff.requests.UpdateDeliveryRequest(ctx, &aqjurekv1.UpdateDeliveryRequestRequest{
			DeliveryRequest: &aqjurekv1.DeliveryRequest{Name: w.need7, Notes: "mine now", Etag: etag},
			UpdateMask:      &fieldmaskpb.FieldMask{Paths: []string{"notes"}},
		})
		if status.Code(err) != codes.NotFound {
			t.Errorf("staff update over gRPC with etag %q: %v, want NotFound", etag, err)
		}
	}

	// A driver on another driver's run: not found, with or without an etag.
	runA := w.mustREST(200, "GET", "/v1/runs/run-a", nil)
	for _, etag := range []string{"made-up", runA["etag"].(string)} {
		_, err := driver.runs.CompleteRun(ctx, &aqjurekv1.CompleteRunRequest{Name: "runs/run-a", Etag: etag})
		_, missingErr := driver.runs.CompleteRun(ctx, &aqjurekv1.CompleteRunRequest{Name: "runs/nope", Etag: etag})
		if status.Code(err) != codes.NotFound || status.Convert(err).Message() != strings.Replace(status.Convert(missingErr).Message(), "runs/nope", "runs/run-a", 1) {
			t.Errorf("driver completing another's run with etag %q: %v; a run that does not exist: %v", etag, err, missingErr)
		}
		code, out := driver.rest("POST", "/v1/runs/run-a:start", object{"etag": etag})
		if code != 404 {
			t.Errorf("driver starting another's run over REST with etag %q: %d %v, want 404", etag, code, out)
		}
	}

	// Nothing changed, and those who may still meet a stale etag as ABORTED.
	if got := w.mustREST(200, "GET", "/v1/"+w.need7, nil); got["notes"] != "" || got["state"] != "IN_TRANSIT" {
		t.Errorf("another hospital's request after the attempts: %v", got)
	}
	if code, _ := w.as(w.staff7).rest("PATCH", "/v1/"+w.need1, object{"notes": "x", "etag": "made-up"}); code != 404 {
		t.Errorf("staff of gkb-7 on gkb-1's request: %d, want 404", code)
	}
	mine := w.as(w.staff1).mustREST(200, "POST", "/v1/deliveryRequests", w.need("hospitals/gkb-1/wards/er"))["name"].(string)
	if code, out := staff.rest("PATCH", "/v1/"+mine, object{"notes": "x", "etag": "made-up"}); code != 409 {
		t.Errorf("staff on their own request with a stale etag: %d %v, want 409", code, out)
	}
	if _, err := w.as(w.driverA).runs.CompleteRun(ctx, &aqjurekv1.CompleteRunRequest{Name: "runs/run-a", Etag: "made-up"}); status.Code(err) != codes.Aborted {
		t.Errorf("a driver on their own run with a stale etag: %v, want Aborted", err)
	}
}

func TestTheStaffDashboardShowsOnlyTheirPartOfARun(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	// A run that drops at both hospitals, gkb-7's stop first.
	other := w.mustREST(200, "POST", "/v1/deliveryRequests", w.need("hospitals/gkb-1/wards/er"))["name"].(string)
	w.mustREST(200, "POST", "/v1/runs/run-d:assign", object{"deliveryRequests": []string{other, w.need1}})
	mine := w.mustREST(200, "POST", "/v1/deliveryRequests", w.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	run := w.mustREST(200, "POST", "/v1/runs/run-d:assign", object{"deliveryRequests": []string{mine}})
	if len(run["stops"].([]any)) != 2 {
		t.Fatalf("run-d = %v", run)
	}
	w.mustREST(200, "POST", "/v1/runs/run-d:dispatch", object{})
	w.mustREST(200, "POST", "/v1/runs/run-d:start", object{})

	progress := func(bearer string) map[string]string {
		out := map[string]string{}
		for _, p := range w.as(bearer).mustREST(200, "GET", "/v1/dashboard", nil)["runsInProgress"].([]any) {
			p := p.(object)
			out[p["run"].(string)] = fmtAny(p["stopsDone"]) + "/" + fmtAny(p["stopsTotal"]) + " " + fmtAny(p["volunteerDisplayName"])
		}
		return out
	}
	if got := progress(w.coordinator); got["runs/run-a"] != "0/1 Driver aigerim" || got["runs/run-d"] != "0/2 Driver daniyar" {
		t.Errorf("coordinator's runs in progress = %v", got)
	}
	// Staff of gkb-1 see the run coming to them, with their stop only; not run-a.
	if got := progress(w.staff1); len(got) != 1 || got["runs/run-d"] != "0/1 Driver daniyar" {
		t.Errorf("gkb-1's runs in progress = %v", got)
	}
	if got := progress(w.staff7); len(got) != 2 || got["runs/run-d"] != "0/1 Driver daniyar" || got["runs/run-a"] != "0/1 Driver aigerim" {
		t.Errorf("gkb-7's runs in progress = %v", got)
	}
}
