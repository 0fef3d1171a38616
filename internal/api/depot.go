package api

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type depotService struct {
	aqjurekv1.UnimplementedDepotServiceServer
	*Services
}

func depotToProto(d *supply.Depot) *aqjurekv1.Depot {
	return &aqjurekv1.Depot{
		Name:        d.Name(),
		DisplayName: d.DisplayName,
		Address:     d.Address,
		Location:    latLngToProto(d.Location),
		Hours:       d.Hours,
		Phone:       d.Phone,
		Archived:    d.Archived,
		NoStock:     d.NoStock,
		CreateTime:  timestamp(d.CreateTime),
		UpdateTime:  timestamp(d.UpdateTime),
		Etag:        d.Etag,
	}
}

func depotFromProto(pb *aqjurekv1.Depot) *supply.Depot {
	return &supply.Depot{
		DisplayName: pb.GetDisplayName(),
		Address:     pb.GetAddress(),
		Location:    latLngFromProto(pb.GetLocation()),
		Hours:       pb.GetHours(),
		Phone:       pb.GetPhone(),
		Archived:    pb.GetArchived(),
		NoStock:     pb.GetNoStock(),
	}
}

func parseDepot(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.DepotPattern, &id)
	return id, err
}

func (s *depotService) ListDepots(ctx context.Context, req *aqjurekv1.ListDepotsRequest) (*aqjurekv1.ListDepotsResponse, error) {
	resp := &aqjurekv1.ListDepotsResponse{}
	var err error
	resp.Depots, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Depot, supply.Cursor, error) {
		return s.Store.ListDepots(ctx, supply.DepotQuery{ShowArchived: req.GetShowArchived(), Page: page})
	}, depotToProto)
	return resp, err
}

func (s *depotService) GetDepot(ctx context.Context, req *aqjurekv1.GetDepotRequest) (*aqjurekv1.Depot, error) {
	id, err := parseDepot("name", req.GetName())
	if err != nil {
		return nil, err
	}
	d, err := s.Store.GetDepot(ctx, id)
	if err != nil {
		return nil, err
	}
	return depotToProto(d), nil
}

func (s *depotService) CreateDepot(ctx context.Context, req *aqjurekv1.CreateDepotRequest) (*aqjurekv1.Depot, error) {
	op, err := s.operation(ctx, "CreateDepot", req)
	if err != nil {
		return nil, err
	}
	d := depotFromProto(req.GetDepot())
	if d.ID, err = newID("depot_id", req.GetDepotId()); err != nil {
		return nil, err
	}
	if err := d.Validate("depot"); err != nil {
		return nil, err
	}
	if d, err = s.Store.CreateDepot(ctx, d, op); err != nil {
		return nil, err
	}
	return depotToProto(d), nil
}

func (s *depotService) UpdateDepot(ctx context.Context, req *aqjurekv1.UpdateDepotRequest) (*aqjurekv1.Depot, error) {
	id, err := parseDepot("depot.name", req.GetDepot().GetName())
	if err != nil {
		return nil, err
	}
	if err := checkMask(req.GetUpdateMask(), req.GetDepot()); err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "UpdateDepot", req)
	if err != nil {
		return nil, err
	}
	var d *supply.Depot
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		d, err = supply.UpdateDepot(tx, id, req.GetDepot().GetEtag(), revise(req.GetUpdateMask(), req.GetDepot(),
			depotToProto, depotFromProto,
			func(next, d *supply.Depot) { next.ID, next.Meta = d.ID, d.Meta },
			func(d *supply.Depot) error { return d.Validate("depot") }))
		return err
	})
	if err != nil {
		return nil, err
	}
	return depotToProto(d), nil
}

func (s *depotService) DeleteDepot(ctx context.Context, req *aqjurekv1.DeleteDepotRequest) (*emptypb.Empty, error) {
	id, err := parseDepot("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "DeleteDepot", req)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, s.Store.Update(ctx, op, func(tx supply.Tx) error {
		return supply.DeleteDepot(tx, id, req.GetEtag())
	})
}
