package supply

import (
	"crypto/rand"
	"strings"
	"time"

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

// NewID returns an id for a new resource: nine letters that tell the
// millisecond it was made (until the year 2141), then ten random letters or
// digits (50 bits), so ids do not collide and do not tell how many exist.
//
// Ids made later sort later. A new row's index entries then land beside the
// previous row's, at the end of each index, rather than on a random page of
// it: a commit of many new requests writes a few pages instead of one page
// per index per request. What the id tells, when the resource was made, its
// create_time says anyway.
func NewID() string {
	return newIDAt(time.Now())
}

func newIDAt(t time.Time) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	id := make([]byte, 9, 19)
	ms := t.UnixMilli()
	for i := len(id) - 1; i >= 0; i-- {
		id[i] = letters[ms%int64(len(letters))]
		ms /= int64(len(letters))
	}
	// rand.Text is base32: upper-case letters and the digits 2 to 7.
	return string(append(id, strings.ToLower(rand.Text()[:10])...))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
