package api

import (
	"google.golang.org/grpc"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/feed"
	"github.com/aqjurek/tracker/internal/supply"
)

// Services are the implemented aqjurek.v1 services over one store.
type Services struct {
	Store supply.Store
	// Now tells the time rules are judged at (deadlines, overdue).
	Now supply.Clock
	// Feed follows the change log for every event stream; closing it ends them.
	Feed *feed.Feed
	// Watches bounds the event streams and ends those of revoked tokens.
	Watches *Watches
}

// Register registers every implemented service on the gRPC server.
func (s *Services) Register(server grpc.ServiceRegistrar) {
	aqjurekv1.RegisterHospitalServiceServer(server, &hospitalService{Services: s})
	aqjurekv1.RegisterDepotServiceServer(server, &depotService{Services: s})
	aqjurekv1.RegisterVolunteerServiceServer(server, &volunteerService{Services: s})
	aqjurekv1.RegisterDeliveryRequestServiceServer(server, &deliveryRequestService{Services: s})
	aqjurekv1.RegisterRunServiceServer(server, &runService{Services: s, planning: make(chan struct{}, 1)})
	aqjurekv1.RegisterEventServiceServer(server, &eventService{Services: s})
	aqjurekv1.RegisterDashboardServiceServer(server, &dashboardService{Services: s})
	aqjurekv1.RegisterAuthServiceServer(server, authService{})
	aqjurekv1.RegisterDonationServiceServer(server, &donationService{Services: s})
	aqjurekv1.RegisterPurchaseServiceServer(server, &purchaseService{Services: s})
	aqjurekv1.RegisterLotServiceServer(server, &lotService{Services: s})
	aqjurekv1.RegisterReportServiceServer(server, &reportService{Services: s})
	aqjurekv1.RegisterPublicServiceServer(server, &publicService{Services: s})
}
