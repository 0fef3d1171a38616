package supply

import (
	"context"
	"math"
)

// VehicleKind is what a volunteer drives; the names match the API's enum.
type VehicleKind string

// Vehicle kinds.
const (
	VehicleUnspecified VehicleKind = "VEHICLE_KIND_UNSPECIFIED"
	Car                VehicleKind = "CAR"
	Van                VehicleKind = "VAN"
	Truck              VehicleKind = "TRUCK"
	Bicycle            VehicleKind = "BICYCLE"
	OnFoot             VehicleKind = "ON_FOOT"
)

// maxCapacityKG bounds a vehicle's load: a light truck carries a few tonnes.
const maxCapacityKG = 10000

// Volunteer is a driver.
type Volunteer struct {
	ID          string
	DisplayName string
	Phone       string
	VehicleKind VehicleKind
	CapacityKG  float64
	Active      bool
	Meta
}

// Name returns the resource name, volunteers/{volunteer}.
func (vol *Volunteer) Name() string { return Name(VolunteerPattern, vol.ID) }

// Validate checks the fields a caller sets; paths start with prefix.
func (vol *Volunteer) Validate(prefix string) error {
	v := NewViolations(prefix)
	checkText(v, "display_name", "display_name", vol.DisplayName, maxNameLength, true, false)
	checkPhone(v, "phone", "phone", vol.Phone)
	switch vol.VehicleKind {
	case VehicleUnspecified, Car, Van, Truck, Bicycle, OnFoot:
	default:
		v.Add("vehicle_kind", "vehicle_kind must be one of %s", joinNames([]VehicleKind{Car, Van, Truck, Bicycle, OnFoot}))
	}
	if math.IsNaN(vol.CapacityKG) || vol.CapacityKG < 0 || vol.CapacityKG > maxCapacityKG {
		v.Add("capacity_kg", "capacity_kg must be between 0 and %d", maxCapacityKG)
	}
	return v.Err()
}

// VolunteerQuery selects volunteers for a list.
type VolunteerQuery struct {
	ActiveOnly bool
	Page       Page
}

// VolunteerStore keeps volunteers.
type VolunteerStore interface {
	CreateVolunteer(ctx context.Context, vol *Volunteer, op Op) (*Volunteer, error)
	GetVolunteer(ctx context.Context, id string) (*Volunteer, error)
	ListVolunteers(ctx context.Context, q VolunteerQuery) ([]*Volunteer, Cursor, error)
}
