package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

func TestAnArchivedHospitalOrWardTakesNothingNew(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=er", object{"displayName": "Emergency"})
	s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7", object{"displayName": "City Hospital No. 7"})
	filed := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)

	s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7", object{"archived": true})
	code, out := s.rest("POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) ||
		!strings.HasPrefix(out["message"].(string), "hospital City Hospital No. 7 (hospitals/gkb-7) is archived; it takes no new delivery requests") {
		t.Errorf("filing at an archived hospital: %d %v", code, out)
	}
	_, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward: "hospitals/gkb-7/wards/er", DeliverBefore: timestamppb.New(s.clock.Now().Add(3 * time.Hour)),
		Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 1, Unit: aqjurekv1.Unit_LITER}},
	}})
	if status.Code(err) != codes.FailedPrecondition || !strings.Contains(status.Convert(err).Message(), "is archived") {
		t.Errorf("filing at an archived hospital over gRPC: %v", err)
	}
	code, out = s.rest("POST", "/v1/hospitals/gkb-7/wards?wardId=new", object{"displayName": "New ward"})
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) ||
		!strings.Contains(out["message"].(string), "hospital City Hospital No. 7 (hospitals/gkb-7) is archived; it takes no new wards") {
		t.Errorf("a ward at an archived hospital: %d %v", code, out)
	}
	// What was filed before is still followed: changed, cancelled.
	s.mustREST(200, "PATCH", "/v1/"+filed, object{"notes": "Back door."})

	// Unarchived, it takes requests again; an archived ward does not.
	s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7", object{"archived": false})
	s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7/wards/er", object{"archived": true})
	code, out = s.rest("POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/er"))
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) ||
		!strings.Contains(out["message"].(string), "ward Emergency of City Hospital No. 7 (hospitals/gkb-7/wards/er) is archived; it takes no new delivery requests") {
		t.Errorf("filing at an archived ward: %d %v", code, out)
	}
	code, out = s.rest("PATCH", "/v1/"+filed+"?updateMask=ward", object{"ward": "hospitals/gkb-7/wards/er"})
	if code != 400 || !strings.Contains(out["message"].(string), "is archived") {
		t.Errorf("moving a request to an archived ward: %d %v", code, out)
	}
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	s.mustREST(200, "POST", "/v1/"+filed+":cancel", object{"reason": "Ward closed."})
}
