package auth

import (
	"slices"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

var (
	everyone     = []string{supply.RoleAdmin, supply.RoleCoordinator, supply.RoleStaff, supply.RoleDriver}
	office       = []string{supply.RoleAdmin, supply.RoleCoordinator}
	officeStaff  = []string{supply.RoleAdmin, supply.RoleCoordinator, supply.RoleStaff}
	officeDriver = []string{supply.RoleAdmin, supply.RoleCoordinator, supply.RoleDriver}
	withDrivers  = []string{supply.RoleAdmin, supply.RoleCoordinator, supply.RoleStaff, supply.RoleDriver}
)

// Policy says which roles may call each method of aqjurek.v1, by full
// method name. A method not listed is refused to everyone. Which hospital's
// or which driver's resources a staff member or a driver may reach is
// checked by the services.
var Policy = map[string][]string{
	// Hospitals and wards: staff read their own, drivers read where they deliver.
	"/aqjurek.v1.HospitalService/ListHospitals":  everyone,
	"/aqjurek.v1.HospitalService/GetHospital":    everyone,
	"/aqjurek.v1.HospitalService/CreateHospital": office,
	"/aqjurek.v1.HospitalService/UpdateHospital": office,
	"/aqjurek.v1.HospitalService/DeleteHospital": office,
	"/aqjurek.v1.HospitalService/ListWards":      everyone,
	"/aqjurek.v1.HospitalService/GetWard":        everyone,
	"/aqjurek.v1.HospitalService/CreateWard":     office,
	"/aqjurek.v1.HospitalService/UpdateWard":     office,
	"/aqjurek.v1.HospitalService/DeleteWard":     office,
	// Depots and volunteers: the coordinators' fleet; drivers see depots and themselves.
	"/aqjurek.v1.DepotService/ListDepots":          officeDriver,
	"/aqjurek.v1.DepotService/GetDepot":            officeDriver,
	"/aqjurek.v1.DepotService/CreateDepot":         office,
	"/aqjurek.v1.DepotService/UpdateDepot":         office,
	"/aqjurek.v1.DepotService/DeleteDepot":         office,
	"/aqjurek.v1.VolunteerService/ListVolunteers":  officeDriver,
	"/aqjurek.v1.VolunteerService/GetVolunteer":    officeDriver,
	"/aqjurek.v1.VolunteerService/CreateVolunteer": office,
	"/aqjurek.v1.VolunteerService/UpdateVolunteer": office,
	"/aqjurek.v1.VolunteerService/DeleteVolunteer": office,
	// Delivery requests: staff file and follow their hospital's; drivers
	// read those on their runs.
	"/aqjurek.v1.DeliveryRequestService/ListDeliveryRequests":  officeStaff,
	"/aqjurek.v1.DeliveryRequestService/GetDeliveryRequest":    withDrivers,
	"/aqjurek.v1.DeliveryRequestService/CreateDeliveryRequest": officeStaff,
	"/aqjurek.v1.DeliveryRequestService/UpdateDeliveryRequest": officeStaff,
	"/aqjurek.v1.DeliveryRequestService/CancelDeliveryRequest": officeStaff,
	// Runs: coordinators plan them; drivers work their own.
	"/aqjurek.v1.RunService/ListRuns":    officeDriver,
	"/aqjurek.v1.RunService/GetRun":      officeDriver,
	"/aqjurek.v1.RunService/CreateRun":   office,
	"/aqjurek.v1.RunService/UpdateRun":   office,
	"/aqjurek.v1.RunService/AssignRun":   office,
	"/aqjurek.v1.RunService/UnassignRun": office,
	"/aqjurek.v1.RunService/DispatchRun": office,
	"/aqjurek.v1.RunService/CancelRun":   office,
	"/aqjurek.v1.RunService/PlanRuns":    office,
	"/aqjurek.v1.RunService/StartRun":    officeDriver,
	"/aqjurek.v1.RunService/CompleteRun": officeDriver,
	"/aqjurek.v1.RunService/DeliverStop": officeDriver,
	"/aqjurek.v1.RunService/FailStop":    officeDriver,
	// Events: each sees the events of what they may see.
	"/aqjurek.v1.EventService/ListEvents":  everyone,
	"/aqjurek.v1.EventService/WatchEvents": everyone,
	// The summary: of everything, or of a staff member's hospital.
	"/aqjurek.v1.DashboardService/GetDashboardSummary": officeStaff,
	// The donations ledger: the coordinators' and the treasurer's.
	"/aqjurek.v1.DonationService/ListDonations":   office,
	"/aqjurek.v1.DonationService/GetDonation":     office,
	"/aqjurek.v1.DonationService/CreateDonation":  office,
	"/aqjurek.v1.DonationService/ReverseDonation": office,
	"/aqjurek.v1.DonationService/TraceDonation":   office,
	"/aqjurek.v1.PurchaseService/ListPurchases":   office,
	"/aqjurek.v1.PurchaseService/GetPurchase":     office,
	"/aqjurek.v1.PurchaseService/CreatePurchase":  office,
	// Depot stock: drivers see what their depot holds.
	"/aqjurek.v1.LotService/ListLots":    officeDriver,
	"/aqjurek.v1.LotService/GetLot":      officeDriver,
	"/aqjurek.v1.LotService/WriteOffLot": office,
	// Reports of a period: the team's books, for the coordinators.
	"/aqjurek.v1.ReportService/GetReport": office,
	// Who am I.
	"/aqjurek.v1.AuthService/GetCaller": everyone,
}

// PublicSummary is the method of the public page, which anyone may call.
const PublicSummary = "/aqjurek.v1.PublicService/GetPublicSummary"

// Open reports whether a method needs no token: health checks and server
// reflection, which reveal no data, and the public summary, which holds
// only what anyone may read.
func Open(method string) bool {
	return strings.HasPrefix(method, "/grpc.health.v1.Health/") || strings.HasPrefix(method, "/grpc.reflection.") || readsStore(method)
}

// readsStore reports whether an open method reads the store, so its calls
// are limited by client address as a token's are by token.
func readsStore(method string) bool { return method == PublicSummary }

// Allowed reports whether the role may call the method.
func Allowed(method, role string) bool {
	return slices.Contains(Policy[method], role)
}
