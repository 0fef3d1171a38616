package api

import (
	"context"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type lotService struct {
	aqjurekv1.UnimplementedLotServiceServer
	*Services
}

// lotFor is a lot as the caller may see it: whose gift it was (its
// source) only for those who keep the ledger.
func lotFor(ctx context.Context) func(*supply.Lot) *aqjurekv1.Lot {
	keeps := supply.ActorFrom(ctx).KeepsLedger()
	return func(l *supply.Lot) *aqjurekv1.Lot {
		pb := lotToProto(l)
		if !keeps {
			pb.Source = ""
		}
		return pb
	}
}

func lotToProto(l *supply.Lot) *aqjurekv1.Lot {
	return &aqjurekv1.Lot{
		Name:               l.Name(),
		Category:           aqjurekv1.Category(aqjurekv1.Category_value[string(l.Category)]),
		Description:        l.Description,
		Unit:               aqjurekv1.Unit(aqjurekv1.Unit_value[string(l.Unit)]),
		QuantityOnHand:     l.OnHand().Float(),
		ReceivedQuantity:   l.Received.Float(),
		TakenQuantity:      l.Taken.Float(),
		WrittenOffQuantity: l.WrittenOff.Float(),
		ReversedQuantity:   l.Reversed.Float(),
		BestBefore:         dateToProto(l.BestBefore),
		Source:             l.Source(),
		ReceiveTime:        timestamp(l.ReceiveTime),
		CreateTime:         timestamp(l.CreateTime),
		UpdateTime:         timestamp(l.UpdateTime),
		Etag:               l.Etag,
	}
}

func parseLot(field, name string) (depotID, id string, err error) {
	err = supply.ParseName(field, name, supply.LotPattern, &depotID, &id)
	return depotID, id, err
}

func (s *lotService) ListLots(ctx context.Context, req *aqjurekv1.ListLotsRequest) (*aqjurekv1.ListLotsResponse, error) {
	depotID, err := parseDepot("parent", req.GetParent())
	if err != nil {
		return nil, err
	}
	q := supply.LotQuery{DepotID: depotID, OnHandOnly: req.GetOnHandOnly()}
	v := supply.NewViolations("")
	q.ExpireBefore = dateFromProto(v, "expire_before", req.GetExpireBefore())
	if err := v.Err(); err != nil {
		return nil, err
	}
	resp := &aqjurekv1.ListLotsResponse{}
	resp.Lots, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Lot, supply.Cursor, error) {
		q.Page = page
		return s.Store.ListLots(ctx, q)
	}, lotFor(ctx))
	return resp, err
}

func (s *lotService) GetLot(ctx context.Context, req *aqjurekv1.GetLotRequest) (*aqjurekv1.Lot, error) {
	depotID, id, err := parseLot("name", req.GetName())
	if err != nil {
		return nil, err
	}
	l, err := s.Store.GetLot(ctx, depotID, id)
	if err != nil {
		return nil, err
	}
	return lotFor(ctx)(l), nil
}

func (s *lotService) WriteOffLot(ctx context.Context, req *aqjurekv1.WriteOffLotRequest) (*aqjurekv1.Lot, error) {
	depotID, id, err := parseLot("name", req.GetName())
	if err != nil {
		return nil, err
	}
	quantity, err := supply.QuantityFromFloat(req.GetQuantity())
	if err != nil {
		return nil, supply.InvalidField("quantity", "quantity %v", err)
	}
	op, err := s.operation(ctx, "WriteOffLot", req)
	if err != nil {
		return nil, err
	}
	var l *supply.Lot
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		l, err = supply.WriteOffLot(tx, depotID, id, req.GetEtag(), quantity, req.GetReason())
		return err
	})
	if err != nil {
		return nil, err
	}
	return lotToProto(l), nil
}
