package api

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type hospitalService struct {
	aqjurekv1.UnimplementedHospitalServiceServer
	*Services
}

func hospitalToProto(h *supply.Hospital) *aqjurekv1.Hospital {
	return &aqjurekv1.Hospital{
		Name:          h.Name(),
		DisplayName:   h.DisplayName,
		Address:       h.Address,
		Location:      latLngToProto(h.Location),
		Phone:         h.Phone,
		DeliveryNotes: h.DeliveryNotes,
		Archived:      h.Archived,
		CreateTime:    timestamp(h.CreateTime),
		UpdateTime:    timestamp(h.UpdateTime),
		Etag:          h.Etag,
	}
}

func hospitalFromProto(pb *aqjurekv1.Hospital) *supply.Hospital {
	return &supply.Hospital{
		DisplayName:   pb.GetDisplayName(),
		Address:       pb.GetAddress(),
		Location:      latLngFromProto(pb.GetLocation()),
		Phone:         pb.GetPhone(),
		DeliveryNotes: pb.GetDeliveryNotes(),
		Archived:      pb.GetArchived(),
	}
}

func parseHospital(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.HospitalPattern, &id)
	return id, err
}

func parseWard(field, name string) (hospitalID, id string, err error) {
	err = supply.ParseName(field, name, supply.WardPattern, &hospitalID, &id)
	return hospitalID, id, err
}

// newID returns the caller's id for a new resource, checked, or a fresh one.
func newID(field, id string) (string, error) {
	if id == "" {
		return supply.NewID(), nil
	}
	return id, supply.ValidateID(field, id)
}

func (s *hospitalService) ListHospitals(ctx context.Context, req *aqjurekv1.ListHospitalsRequest) (*aqjurekv1.ListHospitalsResponse, error) {
	resp := &aqjurekv1.ListHospitalsResponse{}
	var err error
	resp.Hospitals, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Hospital, supply.Cursor, error) {
		return s.Store.ListHospitals(ctx, supply.HospitalQuery{ShowArchived: req.GetShowArchived(), Page: page})
	}, hospitalToProto)
	return resp, err
}

func (s *hospitalService) GetHospital(ctx context.Context, req *aqjurekv1.GetHospitalRequest) (*aqjurekv1.Hospital, error) {
	id, err := parseHospital("name", req.GetName())
	if err != nil {
		return nil, err
	}
	h, err := s.Store.GetHospital(ctx, id)
	if err != nil {
		return nil, err
	}
	return hospitalToProto(h), nil
}

func (s *hospitalService) CreateHospital(ctx context.Context, req *aqjurekv1.CreateHospitalRequest) (*aqjurekv1.Hospital, error) {
	op, err := s.operation(ctx, "CreateHospital", req)
	if err != nil {
		return nil, err
	}
	h := hospitalFromProto(req.GetHospital())
	if h.ID, err = newID("hospital_id", req.GetHospitalId()); err != nil {
		return nil, err
	}
	if err := h.Validate("hospital"); err != nil {
		return nil, err
	}
	if h, err = s.Store.CreateHospital(ctx, h, op); err != nil {
		return nil, err
	}
	return hospitalToProto(h), nil
}

func (s *hospitalService) UpdateHospital(ctx context.Context, req *aqjurekv1.UpdateHospitalRequest) (*aqjurekv1.Hospital, error) {
	id, err := parseHospital("hospital.name", req.GetHospital().GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), req.GetHospital()); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateHospital", req)
	if err != nil {
		return nil, err
	}
	var h *supply.Hospital
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		h, err = supply.UpdateHospital(tx, id, req.GetHospital().GetEtag(), revise(req.GetUpdateMask(), req.GetHospital(),
			hospitalToProto, hospitalFromProto,
			func(next, h *supply.Hospital) { next.ID, next.Meta = h.ID, h.Meta },
			func(h *supply.Hospital) error { return h.Validate("hospital") }))
		return err
	})
	if err != nil {
		return nil, err
	}
	return hospitalToProto(h), nil
}

func (s *hospitalService) DeleteHospital(ctx context.Context, req *aqjurekv1.DeleteHospitalRequest) (*emptypb.Empty, error) {
	id, err := parseHospital("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "DeleteHospital", req)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, s.Store.Update(ctx, op, func(tx supply.Tx) error {
		return supply.DeleteHospital(tx, id, req.GetEtag())
	})
}

func wardToProto(w *supply.Ward) *aqjurekv1.Ward {
	return &aqjurekv1.Ward{
		Name:                w.Name(),
		DisplayName:         w.DisplayName,
		Building:            w.Building,
		DropOffInstructions: w.DropOffInstructions,
		StaffOnShift:        int32(w.StaffOnShift),
		ContactPhone:        w.ContactPhone,
		Archived:            w.Archived,
		CreateTime:          timestamp(w.CreateTime),
		UpdateTime:          timestamp(w.UpdateTime),
		Etag:                w.Etag,
	}
}

func wardFromProto(pb *aqjurekv1.Ward) *supply.Ward {
	return &supply.Ward{
		DisplayName:         pb.GetDisplayName(),
		Building:            pb.GetBuilding(),
		DropOffInstructions: pb.GetDropOffInstructions(),
		StaffOnShift:        int(pb.GetStaffOnShift()),
		ContactPhone:        pb.GetContactPhone(),
		Archived:            pb.GetArchived(),
	}
}

func (s *hospitalService) ListWards(ctx context.Context, req *aqjurekv1.ListWardsRequest) (*aqjurekv1.ListWardsResponse, error) {
	hospitalID, err := parseHospital("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	resp := &aqjurekv1.ListWardsResponse{}
	resp.Wards, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Ward, supply.Cursor, error) {
		return s.Store.ListWards(ctx, supply.WardQuery{HospitalID: hospitalID, ShowArchived: req.GetShowArchived(), Page: page})
	}, wardToProto)
	return resp, err
}

func (s *hospitalService) GetWard(ctx context.Context, req *aqjurekv1.GetWardRequest) (*aqjurekv1.Ward, error) {
	hospitalID, id, err := parseWard("name", req.GetName())
	if err != nil {
		return nil, err
	}
	w, err := s.Store.GetWard(ctx, hospitalID, id)
	if err != nil {
		return nil, err
	}
	return wardToProto(w), nil
}

func (s *hospitalService) CreateWard(ctx context.Context, req *aqjurekv1.CreateWardRequest) (*aqjurekv1.Ward, error) {
	hospitalID, err := parseHospital("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "CreateWard", req)
	if err != nil {
		return nil, err
	}
	w := wardFromProto(req.GetWard())
	w.HospitalID = hospitalID
	if w.ID, err = newID("ward_id", req.GetWardId()); err != nil {
		return nil, err
	}
	if err := w.Validate("ward"); err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		w, err = supply.CreateWard(tx, w)
		return err
	})
	if err != nil {
		return nil, err
	}
	return wardToProto(w), nil
}

func (s *hospitalService) UpdateWard(ctx context.Context, req *aqjurekv1.UpdateWardRequest) (*aqjurekv1.Ward, error) {
	hospitalID, id, err := parseWard("ward.name", req.GetWard().GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), req.GetWard()); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateWard", req)
	if err != nil {
		return nil, err
	}
	var w *supply.Ward
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		w, err = supply.UpdateWard(tx, hospitalID, id, req.GetWard().GetEtag(), revise(req.GetUpdateMask(), req.GetWard(),
			wardToProto, wardFromProto,
			func(next, w *supply.Ward) { next.HospitalID, next.ID, next.Meta = w.HospitalID, w.ID, w.Meta },
			func(w *supply.Ward) error { return w.Validate("ward") }))
		return err
	})
	if err != nil {
		return nil, err
	}
	return wardToProto(w), nil
}

func (s *hospitalService) DeleteWard(ctx context.Context, req *aqjurekv1.DeleteWardRequest) (*emptypb.Empty, error) {
	hospitalID, id, err := parseWard("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "DeleteWard", req)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, s.Store.Update(ctx, op, func(tx supply.Tx) error {
		return supply.DeleteWard(tx, hospitalID, id, req.GetEtag())
	})
}
