package supply

import (
	"crypto/rand"

	"go.einride.tech/aip/resourceid"
	"go.einride.tech/aip/resourcename"
)

// Resource name patterns (AIP-122).
const (
	HospitalPattern        = "hospitals/{hospital}"
	WardPattern            = "hospitals/{hospital}/wards/{ward}"
	DepotPattern           = "depots/{depot}"
	VolunteerPattern       = "volunteers/{volunteer}"
	DeliveryRequestPattern = "deliveryRequests/{delivery_request}"
)

// ParseName reads the ids out of name according to pattern. It returns an
// Invalid error naming field when name does not match or an id is not a
// valid resource id.
func ParseName(field, name, pattern string, ids ...*string) error {
	if name == "" {
		return InvalidField(field, "%s is required", field)
	}
	if err := resourcename.Sscan(name, pattern, ids...); err != nil {
		return InvalidField(field, "%s must be a resource name of the form %s (got %q)", field, pattern, truncate(name, 80))
	}
	for _, id := range ids {
		if err := resourceid.ValidateUserSettable(*id); err != nil {
			return InvalidField(field, "%s has an invalid id %q: %v", field, truncate(*id, 80), err)
		}
	}
	return nil
}

// ValidateID checks an id a caller chose for a new resource (AIP-122, AIP-133).
func ValidateID(field, id string) error {
	if err := resourceid.ValidateUserSettable(id); err != nil {
		return InvalidField(field, "%s %q is not a valid id: %v", field, truncate(id, 80), err)
	}
	return nil
}

// Name formats a resource name from a pattern and ids.
func Name(pattern string, ids ...string) string {
	return resourcename.Sprint(pattern, ids...)
}

// NewID returns a random id for a new resource: a letter and 11 letters or
// digits, about 62 bits, so ids neither collide nor reveal how many exist.
func NewID() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	const alphabet = letters + "0123456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	b[0] = letters[int(b[0])%len(letters)]
	for i := 1; i < len(b); i++ {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
