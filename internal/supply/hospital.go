package supply

import (
	"context"
)

// Hospital receives deliveries at its wards.
type Hospital struct {
	ID            string
	DisplayName   string
	Address       string
	Location      *LatLng
	Phone         string
	DeliveryNotes string
	Archived      bool
	Meta
}

// Name returns the resource name, hospitals/{hospital}.
func (h *Hospital) Name() string { return Name(HospitalPattern, h.ID) }

// Validate checks the fields a caller sets; paths start with prefix.
func (h *Hospital) Validate(prefix string) error {
	v := NewViolations(prefix)
	checkText(v, "display_name", "display_name", h.DisplayName, maxNameLength, true, false)
	checkText(v, "address", "address", h.Address, maxShortText, false, false)
	checkLocation(v, "location", h.Location)
	checkPhone(v, "phone", "phone", h.Phone)
	checkText(v, "delivery_notes", "delivery_notes", h.DeliveryNotes, maxLongText, false, true)
	return v.Err()
}

// TakesNew refuses something new (what: "new wards", "new delivery
// requests") at an archived hospital; field names the input at fault. What
// was filed before stays as it is and can still be followed.
func (h *Hospital) TakesNew(what, field string) error {
	if !h.Archived {
		return nil
	}
	return archived(field, "hospital %s (%s) is archived; it takes no %s until it is unarchived", h.DisplayName, h.Name(), what)
}

// archived is the error for something new at an archived place: the
// resource is in a state that forbids it, and field says which input.
func archived(field, format string, args ...any) *Error {
	err := Errorf(FailedPrecondition, format, args...)
	err.Violations = []FieldViolation{{Field: field, Description: err.Message}}
	return err
}

// HospitalQuery selects hospitals for a list.
type HospitalQuery struct {
	ShowArchived bool
	Page         Page
}

// HospitalStore keeps hospitals.
type HospitalStore interface {
	CreateHospital(ctx context.Context, h *Hospital, op Op) (*Hospital, error)
	GetHospital(ctx context.Context, id string) (*Hospital, error)
	ListHospitals(ctx context.Context, q HospitalQuery) ([]*Hospital, Cursor, error)
}
