package api

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type donationService struct {
	aqjurekv1.UnimplementedDonationServiceServer
	*Services
}

func moneyToProto(m supply.Money) *money.Money {
	units, nanos := m.Parts()
	return &money.Money{CurrencyCode: m.Currency, Units: units, Nanos: nanos}
}

// moneyFromProto reads an amount a caller set; what is wrong with it is
// added to v under field.
func moneyFromProto(v *supply.Violations, field string, pb *money.Money) supply.Money {
	if pb == nil {
		v.Add(field, "%s is required", field)
		return supply.Money{}
	}
	m, err := supply.MoneyFromParts(pb.GetCurrencyCode(), pb.GetUnits(), pb.GetNanos())
	if err != nil {
		v.Add(field, "%s %v", field, err)
	}
	return m
}

func dateToProto(t time.Time) *date.Date {
	if t.IsZero() {
		return nil
	}
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

// dateFromProto reads a whole day a caller set (midnight UTC); a date that
// is partial or not in the calendar is added to v.
func dateFromProto(v *supply.Violations, field string, pb *date.Date) time.Time {
	if pb == nil {
		return time.Time{}
	}
	t := time.Date(int(pb.GetYear()), time.Month(pb.GetMonth()), int(pb.GetDay()), 0, 0, 0, 0, time.UTC)
	if pb.GetYear() < supply.FirstYear || pb.GetYear() > supply.LastYear ||
		t.Year() != int(pb.GetYear()) || int32(t.Month()) != pb.GetMonth() || int32(t.Day()) != pb.GetDay() {
		v.Add(field, "%s must be a day of the calendar between the years %d and %d (got %04d-%02d-%02d)",
			field, supply.FirstYear, supply.LastYear, pb.GetYear(), pb.GetMonth(), pb.GetDay())
		return time.Time{}
	}
	return t
}

func goodsLinesToProto(lines []supply.GoodsLine) []*aqjurekv1.GoodsLine {
	out := make([]*aqjurekv1.GoodsLine, len(lines))
	for i, l := range lines {
		out[i] = &aqjurekv1.GoodsLine{
			Category:    aqjurekv1.Category(aqjurekv1.Category_value[string(l.Category)]),
			Description: l.Description,
			Quantity:    l.Quantity.Float(),
			Unit:        aqjurekv1.Unit(aqjurekv1.Unit_value[string(l.Unit)]),
			BestBefore:  dateToProto(l.BestBefore),
		}
	}
	return out
}

// goodsLinesFromProto decodes lines of goods; path is where they sit in
// the request, e.g. "goods.lines".
func goodsLinesFromProto(v *supply.Violations, path string, pbs []*aqjurekv1.GoodsLine) []supply.GoodsLine {
	if n := len(pbs); n > supply.MaxLines {
		v.Add(path, "%s must have at most %d lines (got %d)", path, supply.MaxLines, n)
		return nil
	}
	lines := make([]supply.GoodsLine, len(pbs))
	for i, l := range pbs {
		field := fmt.Sprintf("%s[%d]", path, i)
		lines[i] = supply.GoodsLine{
			Category:    supply.Category(enumName(l.GetCategory(), aqjurekv1.Category_CATEGORY_UNSPECIFIED)),
			Description: l.GetDescription(),
			Unit:        supply.Unit(enumName(l.GetUnit(), aqjurekv1.Unit_UNIT_UNSPECIFIED)),
			BestBefore:  dateFromProto(v, field+".best_before", l.GetBestBefore()),
		}
		q, err := supply.QuantityFromFloat(l.GetQuantity())
		if err != nil {
			v.Add(field+".quantity", "quantity %v (line %d)", err, i+1)
		}
		lines[i].Quantity = q
	}
	return lines
}

func donationToProto(d *supply.Donation) *aqjurekv1.Donation {
	pb := &aqjurekv1.Donation{
		Name: d.Name(),
		Donor: &aqjurekv1.Donor{
			DisplayName: d.Donor.DisplayName, Contact: d.Donor.Contact, PublicNaming: d.Donor.PublicNaming,
		},
		ReceiveTime:   timestamp(d.ReceiveTime),
		Kind:          aqjurekv1.Donation_Kind(aqjurekv1.Donation_Kind_value[string(d.Kind)]),
		Notes:         d.Notes,
		ReverseReason: d.ReverseReason,
		CreateTime:    timestamp(d.CreateTime),
		UpdateTime:    timestamp(d.UpdateTime),
		Etag:          d.Etag,
	}
	if d.ReversesID != "" {
		pb.Reverses = supply.Name(supply.DonationPattern, d.ReversesID)
	}
	if d.ReversedByID != "" {
		pb.ReversedBy = supply.Name(supply.DonationPattern, d.ReversedByID)
	}
	switch d.Kind {
	case supply.MoneyDonation:
		pb.Gift = &aqjurekv1.Donation_Money{Money: &aqjurekv1.MoneyGift{
			Amount:           moneyToProto(d.Amount),
			Channel:          aqjurekv1.MoneyGift_Channel(aqjurekv1.MoneyGift_Channel_value[string(d.Channel)]),
			PaymentReference: d.PaymentReference,
			Spent:            moneyToProto(supply.Money{Currency: d.Amount.Currency, Minor: d.Spent}),
			Left:             moneyToProto(supply.Money{Currency: d.Amount.Currency, Minor: d.Left()}),
		}}
	case supply.GoodsDonation:
		pb.Gift = &aqjurekv1.Donation_Goods{Goods: &aqjurekv1.GoodsGift{
			Depot: supply.Name(supply.DepotPattern, d.DepotID),
			Lines: goodsLinesToProto(d.Lines),
		}}
	}
	return pb
}

// donationFromProto decodes the fields a caller sets; what cannot be
// decoded is added to v, whose paths start at the donation.
func donationFromProto(pb *aqjurekv1.Donation, v *supply.Violations) *supply.Donation {
	d := &supply.Donation{
		Donor: supply.Donor{
			DisplayName:  pb.GetDonor().GetDisplayName(),
			Contact:      pb.GetDonor().GetContact(),
			PublicNaming: pb.GetDonor().GetPublicNaming(),
		},
		ReceiveTime: timeFromProto(v, "receive_time", pb.GetReceiveTime()),
		Notes:       pb.GetNotes(),
	}
	switch gift := pb.GetGift().(type) {
	case *aqjurekv1.Donation_Money:
		d.Kind = supply.MoneyDonation
		d.Amount = moneyFromProto(v, "money.amount", gift.Money.GetAmount())
		d.Channel = supply.Channel(enumName(gift.Money.GetChannel(), aqjurekv1.MoneyGift_CHANNEL_UNSPECIFIED))
		d.PaymentReference = gift.Money.GetPaymentReference()
	case *aqjurekv1.Donation_Goods:
		d.Kind = supply.GoodsDonation
		if gift.Goods.GetDepot() != "" {
			if err := supply.ParseName("goods.depot", gift.Goods.GetDepot(), supply.DepotPattern, &d.DepotID); err != nil {
				v.Add("goods.depot", "%s", err.Error())
			}
		}
		d.Lines = goodsLinesFromProto(v, "goods.lines", gift.Goods.GetLines())
	}
	return d
}

func parseDonation(field, name string) (id string, err error) {
	err = supply.ParseName(field, name, supply.DonationPattern, &id)
	return id, err
}

func (s *donationService) ListDonations(ctx context.Context, req *aqjurekv1.ListDonationsRequest) (*aqjurekv1.ListDonationsResponse, error) {
	q := supply.DonationQuery{}
	if k := enumName(req.GetKind(), aqjurekv1.Donation_KIND_UNSPECIFIED); k != "" {
		if _, known := aqjurekv1.Donation_Kind_value[k]; !known {
			return nil, supply.InvalidField("kind", "kind must be MONEY or GOODS")
		}
		q.Kind = supply.DonationKind(k)
	}
	if c := req.GetCurrencyCode(); c != "" {
		if err := supply.CheckCurrency(c); err != nil {
			return nil, supply.InvalidField("currency_code", "currency_code %v", err)
		}
		q.Currency = c
	}
	if req.GetDepot() != "" {
		var err error
		if q.DepotID, err = parseDepot("depot", req.GetDepot()); err != nil {
			return nil, err
		}
	}
	q.MoneyLeft = req.GetMoneyLeft()
	v := supply.NewViolations("")
	q.From = timeFromProto(v, "received_after", req.GetReceivedAfter())
	q.To = timeFromProto(v, "received_before", req.GetReceivedBefore())
	if err := v.Err(); err != nil {
		return nil, err
	}
	var err error
	if q.Order, err = orderOf(req.GetOrderBy(), supply.DonationOrderFields); err != nil {
		return nil, err
	}
	if len(q.Order) == 0 {
		q.Order = supply.DefaultDonationOrder
	}
	resp := &aqjurekv1.ListDonationsResponse{}
	resp.Donations, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Donation, supply.Cursor, error) {
		q.Page = page
		return s.Store.ListDonations(ctx, q)
	}, donationToProto)
	return resp, err
}

func (s *donationService) GetDonation(ctx context.Context, req *aqjurekv1.GetDonationRequest) (*aqjurekv1.Donation, error) {
	id, err := parseDonation("name", req.GetName())
	if err != nil {
		return nil, err
	}
	d, err := s.Store.GetDonation(ctx, id)
	if err != nil {
		return nil, err
	}
	return donationToProto(d), nil
}

func (s *donationService) CreateDonation(ctx context.Context, req *aqjurekv1.CreateDonationRequest) (*aqjurekv1.Donation, error) {
	op, err := s.operation(ctx, "CreateDonation", req)
	if err != nil {
		return nil, err
	}
	v := supply.NewViolations("donation")
	d := donationFromProto(req.GetDonation(), v)
	if d.ID, err = newID("donation_id", req.GetDonationId()); err != nil {
		return nil, err
	}
	if err := d.PrepareNew(op.Time, v); err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		d, err = supply.CreateDonation(tx, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return donationToProto(d), nil
}

func (s *donationService) ReverseDonation(ctx context.Context, req *aqjurekv1.ReverseDonationRequest) (*aqjurekv1.Donation, error) {
	id, err := parseDonation("name", req.GetName())
	if err != nil {
		return nil, err
	}
	op, err := s.operation(ctx, "ReverseDonation", req)
	if err != nil {
		return nil, err
	}
	var d *supply.Donation
	err = s.Store.Update(ctx, op, func(tx supply.Tx) (err error) {
		d, err = supply.ReverseDonation(tx, id, req.GetEtag(), supply.NewID(), req.GetReason())
		return err
	})
	if err != nil {
		return nil, err
	}
	return donationToProto(d), nil
}

func (s *donationService) TraceDonation(ctx context.Context, req *aqjurekv1.TraceDonationRequest) (*aqjurekv1.TraceDonationResponse, error) {
	id, err := parseDonation("name", req.GetName())
	if err != nil {
		return nil, err
	}
	trace, err := s.Store.TraceDonation(ctx, id)
	if err != nil {
		return nil, err
	}
	resp := &aqjurekv1.TraceDonationResponse{Donation: donationToProto(trace.Donation)}
	for _, p := range trace.Purchases {
		resp.Purchases = append(resp.Purchases, &aqjurekv1.TracedPurchase{
			Purchase: supply.Name(supply.PurchasePattern, p.PurchaseID), Paid: moneyToProto(p.Paid), Amount: moneyToProto(p.Amount),
		})
	}
	for _, l := range trace.Lots {
		resp.Lots = append(resp.Lots, lotToProto(l))
	}
	for _, d := range trace.Drops {
		drop := &aqjurekv1.TracedDrop{
			Hospital:        supply.Name(supply.HospitalPattern, d.HospitalID),
			Ward:            supply.Name(supply.WardPattern, d.HospitalID, d.WardID),
			Stop:            supply.Name(supply.StopPattern, d.RunID, d.StopID),
			DeliveryRequest: supply.Name(supply.DeliveryRequestPattern, d.RequestID),
			Lot:             supply.Name(supply.LotPattern, d.DepotID, d.LotID),
			Category:        aqjurekv1.Category(aqjurekv1.Category_value[string(d.Category)]),
			Description:     d.Description,
			Quantity:        d.Quantity.Float(),
			Unit:            aqjurekv1.Unit(aqjurekv1.Unit_value[string(d.Unit)]),
			DeliverTime:     timestamp(d.DeliverTime),
		}
		if d.PurchaseID != "" {
			drop.Purchase = supply.Name(supply.PurchasePattern, d.PurchaseID)
		}
		resp.Drops = append(resp.Drops, drop)
	}
	return resp, nil
}
