package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
)

func TestHealthAndOpenAPIAreServed(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	if out := s.mustREST(200, "GET", "/healthz", nil); out["status"] != "SERVING" {
		t.Errorf("/healthz = %v", out)
	}
	doc := s.mustREST(200, "GET", "/openapi.json", nil)
	paths, _ := doc["paths"].(object)
	for _, p := range []string{"/v1/deliveryRequests", "/v1/{name}:cancel", "/v1/hospitals"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("OpenAPI document lacks %s", p)
		}
	}
	conn := healthpb.NewHealthClient(s.grpcConn())
	resp, err := conn.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("gRPC health = %v, %v", resp, err)
	}
}

func TestPortClashFailsAtOnce(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	start := time.Now()
	_, err := server.Start(context.Background(), server.Config{
		DBPath: t.TempDir() + "/other.db", GRPCAddr: s.GRPCAddr(), HTTPAddr: "127.0.0.1:0", RateLimit: 10,
		ShutdownTimeout: time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err == nil || !strings.Contains(err.Error(), "--grpc-addr") {
		t.Errorf("second server on the same port: %v, want an error naming --grpc-addr", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("the clash took %v to report", time.Since(start))
	}
	bad := server.Config{DBPath: "", GRPCAddr: "nohost", HTTPAddr: "127.0.0.1:0"}
	err = bad.Validate()
	for _, want := range []string{"--db", "--grpc-addr", "--shutdown-timeout"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
}

func TestHospitalsAndWardsOverRESTAndGRPC(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()

	created := s.mustREST(200, "POST", "/v1/hospitals?hospitalId=gkb-7", object{
		"displayName": "Қалалық клиникалық аурухана №7 (ГКБ №7)", "address": "мкр. Калкаман",
		"location": object{"latitude": 43.2273, "longitude": 76.803}, "phone": "+7 727 000 0107",
		"deliveryNotes": "Жүк қақпасы арқылы — через грузовые ворота.",
	})
	if created["name"] != "hospitals/gkb-7" || created["displayName"] != "Қалалық клиникалық аурухана №7 (ГКБ №7)" || created["etag"] == "" {
		t.Fatalf("created = %v", created)
	}
	if code, out := s.rest("POST", "/v1/hospitals?hospitalId=gkb-7", object{"displayName": "again"}); code != http.StatusConflict {
		t.Errorf("duplicate id: %d %v, want 409", code, out)
	}
	if code, out := s.rest("POST", "/v1/hospitals?hospitalId=GKB_7", object{"displayName": "x"}); code != 400 || fieldViolations(out)["hospital_id"] == "" {
		t.Errorf("bad id: %d %v, want 400 naming hospital_id", code, out)
	}
	if code, out := s.rest("POST", "/v1/hospitals", object{"displayName": "  ", "phone": "call me"}); code != 400 ||
		len(fieldViolations(out)) != 2 {
		t.Errorf("blank name and bad phone: %d %v, want 400 with both", code, out)
	}

	got, err := s.hospital.GetHospital(ctx, &aqjurekv1.GetHospitalRequest{Name: "hospitals/gkb-7"})
	if err != nil || got.GetDeliveryNotes() != "Жүк қақпасы арқылы — через грузовые ворота." || got.GetLocation().GetLatitude() != 43.2273 {
		t.Fatalf("GetHospital = %v, %v", got, err)
	}

	// A client sends back what it read with one change: the gateway derives
	// the mask from the body, and output-only fields in it are ignored.
	echo := s.mustREST(200, "GET", "/v1/hospitals/gkb-7", nil)
	echo["phone"] = "+7 727 000 0777"
	updated := s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7", echo)
	if updated["phone"] != "+7 727 000 0777" || updated["etag"] == echo["etag"] || updated["displayName"] != echo["displayName"] {
		t.Errorf("PATCH echo = %v", updated)
	}
	if code, _ := s.rest("PATCH", "/v1/hospitals/gkb-7", echo); code != http.StatusConflict {
		t.Errorf("PATCH with the stale etag: %d, want 409", code)
	}
	_, err = s.hospital.UpdateHospital(ctx, &aqjurekv1.UpdateHospitalRequest{
		Hospital:   &aqjurekv1.Hospital{Name: "hospitals/gkb-7", DeliveryNotes: "Gate 2."},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"delivery_notes", "no_such_field"}},
	})
	if c, v := grpcViolations(err); c != codes.InvalidArgument || v["update_mask"] == "" {
		t.Errorf("unknown mask path: %v", err)
	}
	masked, err := s.hospital.UpdateHospital(ctx, &aqjurekv1.UpdateHospitalRequest{
		Hospital:   &aqjurekv1.Hospital{Name: "hospitals/gkb-7", DeliveryNotes: "Gate 2.", Phone: "ignored: not in mask"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"delivery_notes"}},
	})
	if err != nil || masked.GetDeliveryNotes() != "Gate 2." || masked.GetPhone() != "+7 727 000 0777" {
		t.Errorf("masked update = %v, %v", masked, err)
	}

	// Wards, listed page by page.
	for _, w := range []string{"icu", "infectious-1", "infectious-2"} {
		s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId="+w, object{"displayName": "Ward " + w, "staffOnShift": 25, "building": "Block B"})
	}
	wards := s.listAll("/v1/hospitals/gkb-7/wards?pageSize=2", "wards")
	if len(wards) != 3 || wards[0]["name"] != "hospitals/gkb-7/wards/icu" {
		t.Errorf("wards = %v", wards)
	}
	if code, _ := s.rest("POST", "/v1/hospitals/nope/wards", object{"displayName": "x"}); code != 404 {
		t.Errorf("ward of a missing hospital: %d, want 404", code)
	}
	if code, _ := s.rest("GET", "/v1/hospitals/nope/wards", nil); code != 404 {
		t.Errorf("wards of a missing hospital: %d, want 404", code)
	}
	if _, err := s.hospital.GetWard(ctx, &aqjurekv1.GetWardRequest{Name: "hospitals/gkb-7/wards/nope"}); status.Code(err) != codes.NotFound {
		t.Errorf("missing ward: %v", err)
	}
	if _, err := s.hospital.GetWard(ctx, &aqjurekv1.GetWardRequest{Name: "wards/icu"}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("malformed ward name: %v", err)
	}

	// Archiving hides; deleting is refused once a request names a ward.
	s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7/wards/infectious-2", object{"archived": true})
	if wards := s.listAll("/v1/hospitals/gkb-7/wards", "wards"); len(wards) != 2 {
		t.Errorf("archived ward still listed: %v", wards)
	}
	if wards := s.listAll("/v1/hospitals/gkb-7/wards?showArchived=true", "wards"); len(wards) != 3 {
		t.Errorf("showArchived lists %d wards, want 3", len(wards))
	}
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	if code, out := s.rest("DELETE", "/v1/hospitals/gkb-7", nil); code != 400 || !strings.Contains(out["message"].(string), "archive it instead") {
		t.Errorf("delete a hospital with requests: %d %v", code, out)
	}
	s.mustREST(200, "DELETE", "/v1/hospitals/gkb-7/wards/infectious-1", nil)
	if code, _ := s.rest("GET", "/v1/hospitals/gkb-7/wards/infectious-1", nil); code != 404 {
		t.Errorf("deleted ward still there: %d", code)
	}
}

func TestDepotsAndVolunteers(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	d, err := s.depot.CreateDepot(ctx, &aqjurekv1.CreateDepotRequest{DepotId: "green-bazaar", Depot: &aqjurekv1.Depot{
		DisplayName: "Зелёный базар", Hours: "Daily 07:00-19:00"}})
	if err != nil || d.GetName() != "depots/green-bazaar" {
		t.Fatalf("CreateDepot = %v, %v", d, err)
	}
	out := s.mustREST(200, "PATCH", "/v1/depots/green-bazaar", object{"hours": "Daily 06:00-20:00", "etag": d.GetEtag()})
	if out["hours"] != "Daily 06:00-20:00" || out["displayName"] != "Зелёный базар" {
		t.Errorf("PATCH depot = %v", out)
	}
	if len(s.listAll("/v1/depots", "depots")) != 1 {
		t.Error("depot not listed")
	}

	v := s.mustREST(200, "POST", "/v1/volunteers", object{"displayName": "Aigerim Seitkali", "vehicleKind": "VAN", "capacityKg": 600})
	if v["active"] != true || v["vehicleKind"] != "VAN" {
		t.Errorf("new volunteer = %v, want active by default", v)
	}
	off, err := s.vol.UpdateVolunteer(ctx, &aqjurekv1.UpdateVolunteerRequest{
		Volunteer:  &aqjurekv1.Volunteer{Name: v["name"].(string), Active: proto.Bool(false)},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"active"}},
	})
	if err != nil || off.GetActive() || off.GetCapacityKg() != 600 {
		t.Errorf("take off duty = %v, %v", off, err)
	}
	if list, _ := s.vol.ListVolunteers(ctx, &aqjurekv1.ListVolunteersRequest{ActiveOnly: true}); len(list.GetVolunteers()) != 0 {
		t.Errorf("inactive volunteer listed as active: %v", list)
	}
	_, err = s.vol.CreateVolunteer(ctx, &aqjurekv1.CreateVolunteerRequest{Volunteer: &aqjurekv1.Volunteer{
		DisplayName: "x", CapacityKg: -5, VehicleKind: aqjurekv1.Volunteer_VehicleKind(42)}})
	if c, viol := grpcViolations(err); c != codes.InvalidArgument || viol["volunteer.capacity_kg"] == "" || viol["volunteer.vehicle_kind"] == "" {
		t.Errorf("bad volunteer: %v %v", c, viol)
	}
	if _, err := s.vol.GetVolunteer(ctx, &aqjurekv1.GetVolunteerRequest{Name: "volunteers/nobody"}); status.Code(err) != codes.NotFound {
		t.Errorf("missing volunteer: %v", err)
	}
}
