package server_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
)

// BenchmarkCreateOverGRPC files requests through the real server from
// parallel clients; run with -cpuprofile to see where a create's time goes.
func BenchmarkCreateOverGRPC(b *testing.B) {
	s := startServer(b, func(c *server.Config) { c.RateLimit = 1e9 })
	s.seed("gkb-7", "icu")
	b.ResetTimer()
	b.SetParallelism(25)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
				Ward: "hospitals/gkb-7/wards/icu",
				Lines: []*aqjurekv1.LineItem{
					{Category: aqjurekv1.Category_FRUIT, Quantity: 12.5, Unit: aqjurekv1.Unit_KILOGRAM},
					{Category: aqjurekv1.Category_MEALS, Quantity: 40, Unit: aqjurekv1.Unit_PORTION},
				},
				DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
			}})
			if err != nil {
				b.Error(err)
			}
		}
	})
}
