package api

import (
	"context"
	"sync"
	"time"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

const (
	// publicWeeks is how many weeks the public summary shows, this one last.
	publicWeeks = 8
	// publicFresh is how long the public summary is served from memory
	// while no change is recorded: anyone may ask for it without a token,
	// so a flood of asking must not reach the store each time.
	publicFresh = 30 * time.Second
)

type publicService struct {
	aqjurekv1.UnimplementedPublicServiceServer
	*Services

	// mu is held while the summary is computed, so callers who find it
	// stale together wait for one computation rather than each making one.
	mu       sync.Mutex
	summary  *aqjurekv1.PublicSummary
	computed time.Time // by the wall clock, which the freshness is about
	head     int64     // the change log's head it was computed at
}

func (s *publicService) GetPublicSummary(ctx context.Context, _ *aqjurekv1.GetPublicSummaryRequest) (*aqjurekv1.PublicSummary, error) {
	head := s.Feed.Head()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.summary != nil && s.head == head && time.Since(s.computed) < publicFresh {
		return s.summary, nil
	}
	summary, err := s.compute(ctx)
	if err != nil {
		return nil, err
	}
	s.summary, s.computed, s.head = summary, time.Now(), head
	return summary, nil
}

// compute reads the public figures from the store.
func (s *publicService) compute(ctx context.Context) (*aqjurekv1.PublicSummary, error) {
	now := s.Now()
	local := now.In(almaty)
	// Weeks start on Monday; Go counts Sunday as day 0.
	monday := time.Date(local.Year(), local.Month(), local.Day()-(int(local.Weekday())+6)%7, 0, 0, 0, 0, almaty)
	weeks := dayStarts(monday.AddDate(0, 0, -7*(publicWeeks-1)), publicWeeks, 7)
	p, err := s.Store.Public(ctx, weeks[0])
	if err != nil {
		return nil, err
	}
	named, unnamed := supply.PublicDonors(p.Donors)
	pb := &aqjurekv1.PublicSummary{
		Delivered: categoryAmounts(p.Delivered), Drops: int32(p.Drops), Headcount: p.Headcount, Hospitals: p.Hospitals,
		NamedDonors: named, UnnamedDonors: int32(unnamed), ComputeTime: timestamp(now),
	}
	deliveries, served := supply.Bucket(weeks, p.Lines)
	for _, start := range weeks {
		w := &aqjurekv1.PublicSummary_Week{StartDate: cityDate(start)}
		var rows []supply.DeliveryRow
		for _, d := range deliveries {
			if d.Start.Equal(start) {
				rows = append(rows, d)
			}
		}
		w.Delivered = categoryAmounts(supply.Totals(rows))
		for _, r := range served {
			if r.Start.Equal(start) {
				w.Headcount += r.Headcount
			}
		}
		pb.Weeks = append(pb.Weeks, w)
	}
	for _, m := range p.Money {
		pb.Money = append(pb.Money, &aqjurekv1.PublicSummary_Money{
			CurrencyCode: m.Currency,
			Received:     moneyToProto(supply.Money{Currency: m.Currency, Minor: m.Received}),
			Spent:        moneyToProto(supply.Money{Currency: m.Currency, Minor: m.Spent}),
		})
	}
	return pb, nil
}

func categoryAmounts(in []supply.CategoryQuantity) []*aqjurekv1.CategoryAmount {
	out := make([]*aqjurekv1.CategoryAmount, len(in))
	for i, c := range in {
		out[i] = &aqjurekv1.CategoryAmount{Category: categoryToProto(c.Category), Unit: unitToProto(c.Unit), Quantity: c.Quantity.Float()}
	}
	return out
}
