package api

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type deliveryRequestService struct {
	aqjurekv1.UnimplementedDeliveryRequestServiceServer
	*Services
}

func (s *deliveryRequestService) requestToProto(r *supply.DeliveryRequest) *aqjurekv1.DeliveryRequest {
	pb := &aqjurekv1.DeliveryRequest{
		Name:          r.Name(),
		Ward:          r.WardName(),
		Hospital:      supply.Name(supply.HospitalPattern, r.HospitalID),
		Priority:      aqjurekv1.Priority(aqjurekv1.Priority_value[string(r.Priority)]),
		DeliverAfter:  timestamp(r.DeliverAfter),
		DeliverBefore: timestamp(r.DeliverBefore),
		Headcount:     int32(r.Headcount),
		DietaryNotes:  r.DietaryNotes,
		Notes:         r.Notes,
		State:         aqjurekv1.DeliveryRequest_State(aqjurekv1.DeliveryRequest_State_value[string(r.State)]),
		CancelReason:  r.CancelReason,
		Overdue:       r.Overdue(s.Now()),
		CreateTime:    timestamp(r.CreateTime),
		UpdateTime:    timestamp(r.UpdateTime),
		Etag:          r.Etag,
	}
	if r.RunID != "" {
		pb.Run = "runs/" + r.RunID
	}
	for _, l := range r.Lines {
		pb.Lines = append(pb.Lines, &aqjurekv1.LineItem{
			Category:          aqjurekv1.Category(aqjurekv1.Category_value[string(l.Category)]),
			Description:       l.Description,
			Quantity:          l.Quantity.Float(),
			Unit:              aqjurekv1.Unit(aqjurekv1.Unit_value[string(l.Unit)]),
			ScheduledQuantity: l.Scheduled.Float(),
			DeliveredQuantity: l.Delivered.Float(),
		})
	}
	return pb
}

// requestFromProto decodes the fields a caller sets. What cannot be decoded
// (a malformed ward name, a quantity that is not a number, an invalid time)
// is added to v, so the caller hears of it with every other problem.
func requestFromProto(pb *aqjurekv1.DeliveryRequest, v *supply.Violations) *supply.DeliveryRequest {
	r := &supply.DeliveryRequest{
		Priority:     supply.Priority(enumName(pb.GetPriority(), aqjurekv1.Priority_PRIORITY_UNSPECIFIED)),
		Headcount:    int(pb.GetHeadcount()),
		DietaryNotes: pb.GetDietaryNotes(),
		Notes:        pb.GetNotes(),
	}
	if pb.GetWard() != "" {
		if err := supply.ParseName("ward", pb.GetWard(), supply.WardPattern, &r.HospitalID, &r.WardID); err != nil {
			v.Add("ward", "%s", err.Error())
		}
	}
	r.DeliverAfter = timeFromProto(v, "deliver_after", pb.GetDeliverAfter())
	r.DeliverBefore = timeFromProto(v, "deliver_before", pb.GetDeliverBefore())
	if n := len(pb.GetLines()); n > supply.MaxLines {
		// Decoding each line would cost in proportion to a list that is
		// refused anyway.
		v.Add("lines", "lines must have at most %d line items (got %d)", supply.MaxLines, n)
		return r
	}
	for i, l := range pb.GetLines() {
		line := supply.LineItem{
			Category:    supply.Category(enumName(l.GetCategory(), aqjurekv1.Category_CATEGORY_UNSPECIFIED)),
			Description: l.GetDescription(),
			Unit:        supply.Unit(enumName(l.GetUnit(), aqjurekv1.Unit_UNIT_UNSPECIFIED)),
		}
		q, err := supply.QuantityFromFloat(l.GetQuantity())
		if err != nil {
			v.Add(fmt.Sprintf("lines[%d].quantity", i), "quantity %v (line %d)", err, i+1)
		}
		line.Quantity = q
		r.Lines = append(r.Lines, line)
	}
	return r
}

// timeFromProto reads a time a caller set; a time that is set but out of
// range is refused as such, never taken for one left out.
func timeFromProto(v *supply.Violations, field string, ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	if ts.CheckValid() != nil || !supply.TimeInRange(ts.AsTime()) {
		got := fmt.Sprintf("%d seconds since 1970", ts.GetSeconds())
		if ts.CheckValid() == nil {
			got = ts.AsTime().Format(time.RFC3339Nano)
		}
		v.Add(field, "%s is out of range: it must be a time between %d and %d (got %s)", field, supply.FirstYear, supply.LastYear+1, got)
		return time.Time{}
	}
	return ts.AsTime().Truncate(time.Microsecond)
}

func parseDeliveryRequest(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.DeliveryRequestPattern, &id)
	return id, err
}

func (s *deliveryRequestService) ListDeliveryRequests(ctx context.Context, req *aqjurekv1.ListDeliveryRequestsRequest) (*aqjurekv1.ListDeliveryRequestsResponse, error) {
	q, err := s.requestQuery(req)
	if err != nil {
		return nil, err
	}
	resp := &aqjurekv1.ListDeliveryRequestsResponse{}
	var found []*supply.DeliveryRequest
	resp.DeliveryRequests, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.DeliveryRequest, supply.Cursor, error) {
		q.Page = page
		var cursor supply.Cursor
		var err error
		found, cursor, err = s.Store.ListDeliveryRequests(ctx, q)
		return found, cursor, err
	}, s.requestToProto)
	if err != nil {
		return nil, err
	}
	c := newCarriers(s.Store)
	for i, r := range found {
		if err := c.fill(ctx, r, resp.DeliveryRequests[i]); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// requestQuery reads the filters and order of a list request.
func (s *deliveryRequestService) requestQuery(req *aqjurekv1.ListDeliveryRequestsRequest) (supply.DeliveryRequestQuery, error) {
	q := supply.DeliveryRequestQuery{Now: s.Now(), Overdue: req.Overdue}
	var err error
	if req.GetHospital() != "" {
		if q.HospitalID, err = parseHospital("hospital", req.GetHospital()); err != nil {
			return q, err
		}
	}
	if req.GetWard() != "" {
		hospitalID, wardID, err := parseWard("ward", req.GetWard())
		if err != nil {
			return q, err
		}
		if q.HospitalID != "" && q.HospitalID != hospitalID {
			return q, supply.InvalidField("ward", "ward %s is not a ward of hospital %s", req.GetWard(), req.GetHospital())
		}
		q.HospitalID, q.WardID = hospitalID, wardID
	}
	states, err := statesOf("state", req.GetState(), aqjurekv1.DeliveryRequest_STATE_UNSPECIFIED, aqjurekv1.DeliveryRequest_State_value)
	if err != nil {
		return q, err
	}
	for _, st := range states {
		q.States = append(q.States, supply.RequestState(st))
	}
	if c := enumName(req.GetCategory(), aqjurekv1.Category_CATEGORY_UNSPECIFIED); c != "" {
		if _, known := aqjurekv1.Category_value[c]; !known {
			return q, supply.InvalidField("category", "category must be one of FRUIT, VEGETABLES, JUICE, MEALS, WATER, OTHER")
		}
		q.Category = supply.Category(c)
	}
	if p := enumName(req.GetPriority(), aqjurekv1.Priority_PRIORITY_UNSPECIFIED); p != "" {
		if _, known := aqjurekv1.Priority_value[p]; !known {
			return q, supply.InvalidField("priority", "priority must be one of ROUTINE, URGENT, CRITICAL")
		}
		q.Priority = supply.Priority(p)
	}
	if q.Order, err = orderOf(req.GetOrderBy(), supply.DeliveryRequestOrderFields); err != nil {
		return q, err
	}
	if len(q.Order) == 0 {
		q.Order = supply.DefaultDeliveryRequestOrder
	}
	return q, nil
}

func (s *deliveryRequestService) GetDeliveryRequest(ctx context.Context, req *aqjurekv1.GetDeliveryRequestRequest) (*aqjurekv1.DeliveryRequest, error) {
	id, err := parseDeliveryRequest("name", req.GetName())
	if err != nil {
		return nil, err
	}
	r, err := s.Store.GetDeliveryRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	pb := s.requestToProto(r)
	if err := newCarriers(s.Store).fill(ctx, r, pb); err != nil {
		return nil, err
	}
	return pb, nil
}

func (s *deliveryRequestService) CreateDeliveryRequest(ctx context.Context, req *aqjurekv1.CreateDeliveryRequestRequest) (*aqjurekv1.DeliveryRequest, error) {
	op, err := s.operation(ctx, "CreateDeliveryRequest", req)
	if err != nil {
		return nil, err
	}
	id, err := newID("delivery_request_id", req.GetDeliveryRequestId())
	if err != nil {
		return nil, err
	}
	v := supply.NewViolations("delivery_request")
	r := requestFromProto(req.GetDeliveryRequest(), v)
	r.ID = id
	if err := r.PrepareNew(op.Time, v); err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.CreateDeliveryRequest(tx, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.requestToProto(r), nil
}

func (s *deliveryRequestService) UpdateDeliveryRequest(ctx context.Context, req *aqjurekv1.UpdateDeliveryRequestRequest) (*aqjurekv1.DeliveryRequest, error) {
	patch := req.GetDeliveryRequest()
	id, err := parseDeliveryRequest("delivery_request.name", patch.GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), patch); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateDeliveryRequest", req)
	if err != nil {
		return nil, err
	}
	var r *supply.DeliveryRequest
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.UpdateDeliveryRequest(tx, id, patch.GetEtag(), func(current *supply.DeliveryRequest, v *supply.Violations) *supply.DeliveryRequest {
			pb := s.requestToProto(current)
			applyMask(req.GetUpdateMask(), pb, patch)
			return requestFromProto(pb, v)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.requestToProto(r), nil
}

func (s *deliveryRequestService) CancelDeliveryRequest(ctx context.Context, req *aqjurekv1.CancelDeliveryRequestRequest) (*aqjurekv1.DeliveryRequest, error) {
	id, err := parseDeliveryRequest("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "CancelDeliveryRequest", req)
	if err != nil {
		return nil, err
	}
	var r *supply.DeliveryRequest
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		r, err = supply.CancelDeliveryRequest(tx, id, req.GetEtag(), req.GetReason())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.requestToProto(r), nil
}
