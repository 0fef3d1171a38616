package supply

import (
	"context"
)

// Ward is where a delivery is handed over inside a hospital.
type Ward struct {
	HospitalID          string
	ID                  string
	DisplayName         string
	Building            string
	DropOffInstructions string
	StaffOnShift        int
	ContactPhone        string
	Archived            bool
	Meta
}

// maxStaffOnShift bounds a ward's shift; the largest wards have a few hundred.
const maxStaffOnShift = 5000

// Name returns the resource name, hospitals/{hospital}/wards/{ward}.
func (w *Ward) Name() string { return Name(WardPattern, w.HospitalID, w.ID) }

// Validate checks the fields a caller sets; paths start with prefix.
func (w *Ward) Validate(prefix string) error {
	v := NewViolations(prefix)
	checkText(v, "display_name", "display_name", w.DisplayName, maxNameLength, true, false)
	checkText(v, "building", "building", w.Building, maxNameLength, false, false)
	checkText(v, "drop_off_instructions", "drop_off_instructions", w.DropOffInstructions, maxLongText, false, true)
	if w.StaffOnShift < 0 || w.StaffOnShift > maxStaffOnShift {
		v.Add("staff_on_shift", "staff_on_shift must be between 0 and %d", maxStaffOnShift)
	}
	checkPhone(v, "contact_phone", "contact_phone", w.ContactPhone)
	return v.Err()
}

// TakesRequests refuses a new delivery request (or one moved here) at an
// archived ward or a ward of an archived hospital h.
func (w *Ward) TakesRequests(h *Hospital, field string) error {
	if err := h.TakesNew("new delivery requests", field); err != nil {
		return err
	}
	if w.Archived {
		return archived(field, "ward %s of %s (%s) is archived; it takes no new delivery requests until it is unarchived", w.DisplayName, h.DisplayName, w.Name())
	}
	return nil
}

// WardQuery selects the wards of one hospital for a list.
type WardQuery struct {
	HospitalID   string
	ShowArchived bool
	Page         Page
}

// WardStore keeps wards.
type WardStore interface {
	GetWard(ctx context.Context, hospitalID, id string) (*Ward, error)
	// ListWards lists a hospital's wards; NotFound when the hospital does not exist.
	ListWards(ctx context.Context, q WardQuery) ([]*Ward, Cursor, error)
}
