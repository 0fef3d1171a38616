package api

import (
	"context"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// reportDays is how many days a report covers when its start is not given.
const reportDays = 14

type reportService struct {
	aqjurekv1.UnimplementedReportServiceServer
	*Services
}

// reportPeriod is the first day and the day after the last of the period
// asked for, checked: real calendar days, the start not after the end, at
// most MaxReportDays days.
func reportPeriod(req *aqjurekv1.GetReportRequest, now time.Time) (from, to time.Time, err error) {
	local := now.In(almaty)
	end := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, almaty)
	if d := req.GetEndDate(); d != nil {
		if end, err = calendarDay("end_date", d); err != nil {
			return from, to, err
		}
	}
	from = time.Date(end.Year(), end.Month(), end.Day()-(reportDays-1), 0, 0, 0, 0, almaty)
	if d := req.GetStartDate(); d != nil {
		if from, err = calendarDay("start_date", d); err != nil {
			return from, to, err
		}
	}
	if from.After(end) {
		return from, to, supply.InvalidField("start_date", "start_date %s is after end_date %s", from.Format(time.DateOnly), end.Format(time.DateOnly))
	}
	days := len(daysOf(from, end))
	if days > supply.MaxReportDays {
		return from, to, supply.InvalidField("start_date", "the period from %s to %s is %d days; a report covers at most %d",
			from.Format(time.DateOnly), end.Format(time.DateOnly), days, supply.MaxReportDays)
	}
	return from, end.AddDate(0, 0, 1), nil
}

// daysOf returns the start of every day from from to last, both included,
// or nothing when from is after last; it stops one past MaxReportDays, so
// a period too long costs no more than one within bounds.
func daysOf(from, last time.Time) []time.Time {
	var days []time.Time
	for _, d := range dayStarts(from, supply.MaxReportDays+1, 1) {
		if d.After(last) {
			break
		}
		days = append(days, d)
	}
	return days
}

// calendarDay is midnight in the city of a calendar day, or an error
// naming the field when the date is not one.
func calendarDay(field string, d *date.Date) (time.Time, error) {
	t := time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, almaty)
	if d.GetYear() < supply.FirstYear || d.GetYear() > supply.LastYear || t.Month() != time.Month(d.GetMonth()) || t.Day() != int(d.GetDay()) {
		return time.Time{}, supply.InvalidField(field, "%s must be a calendar date such as {year: 2026, month: 4, day: 3}", field)
	}
	return t, nil
}

func (s *reportService) GetReport(ctx context.Context, req *aqjurekv1.GetReportRequest) (*aqjurekv1.Report, error) {
	from, to, err := reportPeriod(req, s.Now())
	if err != nil {
		return nil, err
	}
	r, err := s.Store.Report(ctx, from, to)
	if err != nil {
		return nil, err
	}
	days := daysOf(from, to.AddDate(0, 0, -1))
	pb := &aqjurekv1.Report{StartDate: cityDate(from), EndDate: cityDate(days[len(days)-1])}
	deliveries, served := supply.Bucket(days, r.Lines)
	for _, d := range deliveries {
		pb.Deliveries = append(pb.Deliveries, &aqjurekv1.Report_DeliveryRow{
			Day: cityDate(d.Start), Hospital: supply.Name(supply.HospitalPattern, d.HospitalID), HospitalDisplayName: d.HospitalName,
			Category: categoryToProto(d.Category), Unit: unitToProto(d.Unit), Quantity: d.Quantity.Float(), Requests: int32(d.Requests),
		})
	}
	for _, sr := range served {
		pb.Served = append(pb.Served, &aqjurekv1.Report_ServedRow{
			Day: cityDate(sr.Start), Hospital: supply.Name(supply.HospitalPattern, sr.HospitalID), HospitalDisplayName: sr.HospitalName,
			Drops: int32(sr.Drops), Headcount: sr.Headcount,
		})
	}
	_, inPeriod := supply.Bucket([]time.Time{from}, r.Lines)
	for _, sr := range inPeriod {
		pb.ServedInPeriod = append(pb.ServedInPeriod, &aqjurekv1.Report_ServedRow{
			Hospital: supply.Name(supply.HospitalPattern, sr.HospitalID), HospitalDisplayName: sr.HospitalName,
			Drops: int32(sr.Drops), Headcount: sr.Headcount,
		})
	}
	for _, m := range r.Money {
		pb.Money = append(pb.Money, &aqjurekv1.Report_MoneyRow{
			CurrencyCode: m.Currency,
			Received:     moneyToProto(supply.Money{Currency: m.Currency, Minor: m.Received}),
			Spent:        moneyToProto(supply.Money{Currency: m.Currency, Minor: m.Spent}),
			Left:         moneyToProto(supply.Money{Currency: m.Currency, Minor: m.Left}),
			Donations:    int32(m.Donations), Purchases: int32(m.Purchases),
		})
	}
	for _, st := range r.Stock {
		pb.Stock = append(pb.Stock, &aqjurekv1.Report_StockRow{
			Depot: supply.Name(supply.DepotPattern, st.DepotID), DepotDisplayName: st.DepotName,
			Category: categoryToProto(st.Category), Unit: unitToProto(st.Unit),
			Received: st.Received.Float(), Taken: st.Taken.Float(), WrittenOff: st.WrittenOff.Float(), OnHand: st.OnHand.Float(),
		})
	}
	for _, w := range r.WrittenOff {
		pb.WrittenOff = append(pb.WrittenOff, &aqjurekv1.Report_WriteOffRow{
			Time: timestamp(w.Time), Depot: supply.Name(supply.DepotPattern, w.DepotID), Lot: supply.Name(supply.LotPattern, w.DepotID, w.LotID),
			Category: categoryToProto(w.Category), Description: w.Description, Quantity: w.Quantity.Float(), Unit: unitToProto(w.Unit),
			Reason: w.Reason,
		})
	}
	pb.Delivered = categoryAmounts(supply.Totals(deliveries))
	return pb, nil
}

func categoryToProto(c supply.Category) aqjurekv1.Category {
	return aqjurekv1.Category(aqjurekv1.Category_value[string(c)])
}

func unitToProto(u supply.Unit) aqjurekv1.Unit {
	return aqjurekv1.Unit(aqjurekv1.Unit_value[string(u)])
}
