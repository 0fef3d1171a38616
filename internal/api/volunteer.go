package api

import (
	"context"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type volunteerService struct {
	aqjurekv1.UnimplementedVolunteerServiceServer
	*Services
}

func volunteerToProto(v *supply.Volunteer) *aqjurekv1.Volunteer {
	return &aqjurekv1.Volunteer{
		Name:        v.Name(),
		DisplayName: v.DisplayName,
		Phone:       v.Phone,
		VehicleKind: aqjurekv1.Volunteer_VehicleKind(aqjurekv1.Volunteer_VehicleKind_value[string(v.VehicleKind)]),
		CapacityKg:  v.CapacityKG,
		Active:      proto.Bool(v.Active),
		CreateTime:  timestamp(v.CreateTime),
		UpdateTime:  timestamp(v.UpdateTime),
		Etag:        v.Etag,
	}
}

func volunteerFromProto(pb *aqjurekv1.Volunteer) *supply.Volunteer {
	return &supply.Volunteer{
		DisplayName: pb.GetDisplayName(),
		Phone:       pb.GetPhone(),
		VehicleKind: supply.VehicleKind(pb.GetVehicleKind().String()),
		CapacityKG:  pb.GetCapacityKg(),
		// A volunteer is active unless the caller says otherwise.
		Active: pb.Active == nil || pb.GetActive(),
	}
}

func parseVolunteer(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.VolunteerPattern, &id)
	return id, err
}

func (s *volunteerService) ListVolunteers(ctx context.Context, req *aqjurekv1.ListVolunteersRequest) (*aqjurekv1.ListVolunteersResponse, error) {
	resp := &aqjurekv1.ListVolunteersResponse{}
	var err error
	resp.Volunteers, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Volunteer, supply.Cursor, error) {
		return s.Store.ListVolunteers(ctx, supply.VolunteerQuery{ActiveOnly: req.GetActiveOnly(), Page: page})
	}, volunteerToProto)
	return resp, err
}

func (s *volunteerService) GetVolunteer(ctx context.Context, req *aqjurekv1.GetVolunteerRequest) (*aqjurekv1.Volunteer, error) {
	id, err := parseVolunteer("name", req.GetName())
	if err != nil {
		return nil, err
	}
	v, err := s.Store.GetVolunteer(ctx, id)
	if err != nil {
		return nil, err
	}
	return volunteerToProto(v), nil
}

func (s *volunteerService) CreateVolunteer(ctx context.Context, req *aqjurekv1.CreateVolunteerRequest) (*aqjurekv1.Volunteer, error) {
	op, err := s.operation(ctx, "CreateVolunteer", req)
	if err != nil {
		return nil, err
	}
	v := volunteerFromProto(req.GetVolunteer())
	if v.ID, err = newID("volunteer_id", req.GetVolunteerId()); err != nil {
		return nil, err
	}
	if err := v.Validate("volunteer"); err != nil {
		return nil, err
	}
	if v, err = s.Store.CreateVolunteer(ctx, v, op); err != nil {
		return nil, err
	}
	return volunteerToProto(v), nil
}

func (s *volunteerService) UpdateVolunteer(ctx context.Context, req *aqjurekv1.UpdateVolunteerRequest) (*aqjurekv1.Volunteer, error) {
	id, err := parseVolunteer("volunteer.name", req.GetVolunteer().GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), req.GetVolunteer()); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateVolunteer", req)
	if err != nil {
		return nil, err
	}
	var v *supply.Volunteer
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		v, err = supply.UpdateVolunteer(tx, id, req.GetVolunteer().GetEtag(), revise(req.GetUpdateMask(), req.GetVolunteer(),
			volunteerToProto, volunteerFromProto,
			func(next, v *supply.Volunteer) { next.ID, next.Meta = v.ID, v.Meta },
			func(v *supply.Volunteer) error { return v.Validate("volunteer") }))
		return err
	})
	if err != nil {
		return nil, err
	}
	return volunteerToProto(v), nil
}

func (s *volunteerService) DeleteVolunteer(ctx context.Context, req *aqjurekv1.DeleteVolunteerRequest) (*emptypb.Empty, error) {
	id, err := parseVolunteer("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "DeleteVolunteer", req)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, s.Store.Update(ctx, op, func(tx supply.Tx) error {
		return supply.DeleteVolunteer(tx, id, req.GetEtag())
	})
}
