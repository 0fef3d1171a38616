package server_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestWhatRequestsNameIsArchivedNotDeleted deletes hospitals and wards
// over gRPC and REST: one that delivery requests name is refused, saying
// how many and what to do instead; one that none names goes, its wards
// with it; and a hospital's staff cannot reach another hospital to try.
func TestWhatRequestsNameIsArchivedNotDeleted(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=spare", object{"displayName": "Spare"})
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))

	_, err := s.hospital.DeleteWard(ctx, &aqjurekv1.DeleteWardRequest{Name: "hospitals/gkb-7/wards/icu"})
	if status.Code(err) != codes.FailedPrecondition ||
		status.Convert(err).Message() != "hospitals/gkb-7/wards/icu has 2 delivery requests and cannot be deleted; archive it instead" {
		t.Errorf("deleting a ward that requests name over gRPC: %v", err)
	}
	code, out := s.rest("DELETE", "/v1/hospitals/gkb-7", nil)
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) ||
		out["message"] != "hospitals/gkb-7 has 2 delivery requests and cannot be deleted; archive it instead" {
		t.Errorf("deleting a hospital that requests name over REST: %d %v", code, out)
	}

	// A ward no request names goes; so does a hospital, with its wards.
	if _, err := s.hospital.DeleteWard(ctx, &aqjurekv1.DeleteWardRequest{Name: "hospitals/gkb-7/wards/spare"}); err != nil {
		t.Fatal(err)
	}
	staff := s.as(s.issue(supply.RoleStaff, "gkb-7", ""))
	if code, out := staff.rest("DELETE", "/v1/hospitals/gkb-1", nil); code != 403 {
		t.Errorf("staff deleting a hospital: %d %v", code, out)
	}
	s.mustREST(200, "DELETE", "/v1/hospitals/gkb-1", nil)
	if _, err := s.hospital.GetWard(ctx, &aqjurekv1.GetWardRequest{Name: "hospitals/gkb-1/wards/er"}); status.Code(err) != codes.NotFound {
		t.Errorf("the deleted hospital's ward: %v", err)
	}
	for _, name := range []string{"hospitals/gkb-7/wards/spare", "hospitals/gkb-1"} {
		if code, out := s.rest("GET", "/v1/"+name, nil); code != 404 {
			t.Errorf("GET %s after its delete: %d %v", name, code, out)
		}
	}
	events := s.mustREST(200, "GET", "/v1/events?orderBy=sequence%20desc&pageSize=1", nil)["events"].([]any)
	if got := events[0].(object)["summary"]; got != `hospital "Hospital gkb-1" deleted` {
		t.Errorf("the delete's event says %q", got)
	}
}
