package api

import (
	"context"
	"fmt"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type purchaseService struct {
	aqjurekv1.UnimplementedPurchaseServiceServer
	*Services
}

func purchaseToProto(p *supply.Purchase) *aqjurekv1.Purchase {
	pb := &aqjurekv1.Purchase{
		Name:             p.Name(),
		Supplier:         p.Supplier,
		Amount:           moneyToProto(p.Amount),
		ReceiptReference: p.ReceiptReference,
		Depot:            supply.Name(supply.DepotPattern, p.DepotID),
		Lines:            goodsLinesToProto(p.Lines),
		PurchaseTime:     timestamp(p.PurchaseTime),
		Notes:            p.Notes,
		CreateTime:       timestamp(p.CreateTime),
		UpdateTime:       timestamp(p.UpdateTime),
		Etag:             p.Etag,
	}
	for _, a := range p.Allocations {
		pb.Allocations = append(pb.Allocations, &aqjurekv1.Allocation{
			Donation: supply.Name(supply.DonationPattern, a.DonationID),
			Amount:   moneyToProto(supply.Money{Currency: p.Amount.Currency, Minor: a.Minor}),
		})
	}
	return pb
}

// purchaseFromProto decodes the fields a caller sets; what cannot be
// decoded is added to v, whose paths start at the purchase.
func purchaseFromProto(pb *aqjurekv1.Purchase, v *supply.Violations) *supply.Purchase {
	p := &supply.Purchase{
		Supplier:         pb.GetSupplier(),
		Amount:           moneyFromProto(v, "amount", pb.GetAmount()),
		ReceiptReference: pb.GetReceiptReference(),
		Lines:            goodsLinesFromProto(v, "lines", pb.GetLines()),
		PurchaseTime:     timeFromProto(v, "purchase_time", pb.GetPurchaseTime()),
		Notes:            pb.GetNotes(),
	}
	if pb.GetDepot() != "" {
		if err := supply.ParseName("depot", pb.GetDepot(), supply.DepotPattern, &p.DepotID); err != nil {
			v.Add("depot", "%s", err.Error())
		}
	}
	if len(pb.GetFundingDonations()) > 100 {
		// Parsing each would cost in proportion to a list refused anyway.
		v.Add("funding_donations", "funding_donations must name at most 100 donations (got %d)", len(pb.GetFundingDonations()))
		return p
	}
	for i, name := range pb.GetFundingDonations() {
		field := fmt.Sprintf("funding_donations[%d]", i)
		id, err := parseDonation(field, name)
		if err != nil {
			v.Add(field, "%s", err.Error())
		}
		p.FundingIDs = append(p.FundingIDs, id)
	}
	return p
}

func (s *purchaseService) ListPurchases(ctx context.Context, req *aqjurekv1.ListPurchasesRequest) (*aqjurekv1.ListPurchasesResponse, error) {
	q := supply.PurchaseQuery{}
	var err error
	if c := req.GetCurrencyCode(); c != "" {
		if err := supply.CheckCurrency(c); err != nil {
			return nil, supply.InvalidField("currency_code", "currency_code %v", err)
		}
		q.Currency = c
	}
	if req.GetDepot() != "" {
		if q.DepotID, err = parseDepot("depot", req.GetDepot()); err != nil {
			return nil, err
		}
	}
	if req.GetDonation() != "" {
		if q.DonationID, err = parseDonation("donation", req.GetDonation()); err != nil {
			return nil, err
		}
	}
	v := supply.NewViolations("")
	q.From = timeFromProto(v, "purchased_after", req.GetPurchasedAfter())
	q.To = timeFromProto(v, "purchased_before", req.GetPurchasedBefore())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if q.Order, err = orderOf(req.GetOrderBy(), supply.PurchaseOrderFields); err != nil {
		return nil, err
	}
	if len(q.Order) == 0 {
		q.Order = supply.DefaultPurchaseOrder
	}
	resp := &aqjurekv1.ListPurchasesResponse{}
	resp.Purchases, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Purchase, supply.Cursor, error) {
		q.Page = page
		return s.Store.ListPurchases(ctx, q)
	}, purchaseToProto)
	return resp, err
}

func (s *purchaseService) GetPurchase(ctx context.Context, req *aqjurekv1.GetPurchaseRequest) (*aqjurekv1.Purchase, error) {
	var id string
	if err := supply.ParseName("name", req.GetName(), supply.PurchasePattern, &id); err != nil {
		return nil, err
	}
	p, err := s.Store.GetPurchase(ctx, id)
	if err != nil {
		return nil, err
	}
	return purchaseToProto(p), nil
}

func (s *purchaseService) CreatePurchase(ctx context.Context, req *aqjurekv1.CreatePurchaseRequest) (*aqjurekv1.Purchase, error) {
	op, err := s.operation(ctx, "CreatePurchase", req)
	if err != nil {
		return nil, err
	}
	v := supply.NewViolations("purchase")
	p := purchaseFromProto(req.GetPurchase(), v)
	if p.ID, err = newID("purchase_id", req.GetPurchaseId()); err != nil {
		return nil, err
	}
	if err := p.PrepareNew(op.Time, v); err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		p, err = supply.CreatePurchase(tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return purchaseToProto(p), nil
}
