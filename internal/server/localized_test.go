package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// restIn is rest with an Accept-Language header.
func (s *testServer) restIn(accept, method, path string, body any) (int, object) {
	s.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(data))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.bearer)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	var out object
	if err := json.Unmarshal(answer, &out); err != nil {
		s.t.Fatalf("%s %s: answer is not JSON: %s", method, path, answer)
	}
	return resp.StatusCode, out
}

// told is what a REST error says in the caller's language: the
// LocalizedMessage of the status, and of each field violation by field.
type told struct {
	Locale, Message string
	Fields          map[string]object
}

func toldOverREST(out object) told {
	var got told
	for _, d := range out["details"].([]any) {
		d := d.(object)
		switch d["@type"] {
		case "type.googleapis.com/google.rpc.LocalizedMessage":
			got.Locale, got.Message = d["locale"].(string), d["message"].(string)
		case "type.googleapis.com/google.rpc.BadRequest":
			got.Fields = map[string]object{}
			for _, v := range d["fieldViolations"].([]any) {
				v := v.(object)
				got.Fields[v["field"].(string)], _ = v["localizedMessage"].(object)
			}
		}
	}
	return got
}

func TestErrorsAreToldInTheCallersLanguage(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	bad := s.need("hospitals/gkb-7/wards/icu")
	bad["lines"] = []any{object{"category": "FRUIT", "quantity": 0, "unit": "KILOGRAM"}}

	code, english := s.restIn("", "POST", "/v1/deliveryRequests", bad)
	if code != 400 || english["message"] != "quantity must be greater than 0 (line 1)" {
		t.Fatalf("a line of nothing in English: %d %v", code, english)
	}
	for _, tc := range []struct {
		accept string
		want   told
	}{
		{"ru-RU,ru;q=0.9,en;q=0.8", told{"ru", "Количество должно быть больше 0 (позиция 1)", map[string]object{
			"delivery_request.lines[0].quantity": {"locale": "ru", "message": "Количество должно быть больше 0 (позиция 1)"}}}},
		{"kk", told{"kk", "Мөлшері 0-ден көп болуы керек (1-позиция)", map[string]object{
			"delivery_request.lines[0].quantity": {"locale": "kk", "message": "Мөлшері 0-ден көп болуы керек (1-позиция)"}}}},
		{"de-DE", told{"en", "quantity must be greater than 0 (line 1)", map[string]object{
			"delivery_request.lines[0].quantity": {"locale": "en", "message": "quantity must be greater than 0 (line 1)"}}}},
	} {
		code, out := s.restIn(tc.accept, "POST", "/v1/deliveryRequests", bad)
		if code != 400 || out["message"] != english["message"] || !cmp.Equal(fieldViolations(out), fieldViolations(english)) {
			t.Errorf("%s: the English message and violations changed: %d %v", tc.accept, code, out)
		}
		if diff := cmp.Diff(tc.want, toldOverREST(out)); diff != "" {
			t.Errorf("%s over REST (-want +got):\n%s", tc.accept, diff)
		}
	}

	// A missing resource, a stale etag and a call the role may not make.
	filed := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	code, out := s.restIn("ru", "GET", "/v1/"+filed["name"].(string)+"x", nil)
	if got := toldOverREST(out); code != 404 || got.Message != "Не найдено: "+filed["name"].(string)+"x" {
		t.Errorf("not found in ru: %d %v", code, out)
	}
	code, out = s.restIn("kk", "PATCH", "/v1/"+filed["name"].(string), object{"notes": "Back door", "etag": `"stale"`})
	if got := toldOverREST(out); code != 409 || got.Message != filed["name"].(string)+` сіз ашқаннан кейін өзгерді (etag "\"stale\"" ескірген); бетті жаңартып, қайталаңыз` {
		t.Errorf("a stale etag in kk: %d %v", code, out)
	}
	driver := s.as(s.issue(supply.RoleStaff, "gkb-7", ""))
	code, out = driver.restIn("ru", "POST", "/v1/runs", object{"volunteer": "volunteers/x", "depot": "depots/y"})
	if got := toldOverREST(out); code != 403 || got.Message != "Роль «сотрудник больницы» не даёт права на CreateRun" {
		t.Errorf("a call the role may not make in ru: %d %v", code, out)
	}

	// Over gRPC, the language comes in the accept-language metadata.
	for _, tc := range []struct{ lang, want string }{
		{"ru", "Количество должно быть больше 0 (позиция 1)"},
		{"kk", "Мөлшері 0-ден көп болуы керек (1-позиция)"},
	} {
		ctx := metadata.AppendToOutgoingContext(context.Background(), "accept-language", tc.lang)
		_, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
			Ward: "hospitals/gkb-7/wards/icu", DeliverBefore: timestamppb.New(s.clock.Now().Add(3 * time.Hour)),
			Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_FRUIT, Quantity: 0, Unit: aqjurekv1.Unit_KILOGRAM}},
		}})
		st := status.Convert(err)
		if st.Code() != codes.InvalidArgument || st.Message() != "quantity must be greater than 0 (line 1)" {
			t.Errorf("%s over gRPC: %v", tc.lang, err)
		}
		var got []any
		for _, d := range st.Details() {
			switch d := d.(type) {
			case *errdetails.LocalizedMessage:
				got = append(got, d)
			case *errdetails.BadRequest:
				for _, v := range d.GetFieldViolations() {
					got = append(got, v)
				}
			}
		}
		want := []any{
			&errdetails.BadRequest_FieldViolation{Field: "delivery_request.lines[0].quantity", Description: "quantity must be greater than 0 (line 1)",
				LocalizedMessage: &errdetails.LocalizedMessage{Locale: tc.lang, Message: tc.want}},
			&errdetails.LocalizedMessage{Locale: tc.lang, Message: tc.want},
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("%s over gRPC (-want +got):\n%s", tc.lang, diff)
		}
	}
}
