package supply

import (
	"context"
	"regexp"
	"time"
)

// Roles a caller acts in.
const (
	// RoleAdmin may do everything, including managing tokens.
	RoleAdmin = "admin"
	// RoleCoordinator may do everything but manage tokens.
	RoleCoordinator = "coordinator"
	// RoleStaff files and follows the requests of one hospital.
	RoleStaff = "staff"
	// RoleDriver works the runs of one volunteer.
	RoleDriver = "driver"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleCoordinator, RoleStaff, RoleDriver}

// Actor is who makes a call; every event records its name and role.
type Actor struct {
	// Name is the display name of the caller's token, e.g. "Aigerim S.".
	Name string
	// Role is the caller's role: admin, coordinator, staff or driver.
	Role string
	// HospitalID binds a staff member to their hospital.
	HospitalID string
	// VolunteerID binds a driver to their volunteer.
	VolunteerID string
	// TokenID is the token the call came with; request ids are kept per token.
	TokenID string
}

// KeepsLedger reports whether the actor keeps the ledger of gifts and may
// read whose they were: coordinators and admins.
func (a Actor) KeepsLedger() bool {
	return a.Role == RoleCoordinator || a.Role == RoleAdmin
}

// Anonymous is the actor of calls that carry no identity (tests of the
// store, tools that work on the database directly).
var Anonymous = Actor{Name: "anonymous", Role: "system"}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor the context carries, or Anonymous.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Anonymous
}

// Op describes one mutating call, for the event log and for idempotency.
type Op struct {
	Actor Actor
	// Method is the API method, e.g. "CreateDeliveryRequest".
	Method string
	// RequestID is the caller's idempotency key (AIP-155); empty for none.
	RequestID string
	// Fingerprint identifies the request's content, so a request id reused
	// for a different request is refused instead of answered wrongly.
	Fingerprint []byte
	// Time is when the change happens: the store records it as the
	// resource's create or update time, the event's time and the request
	// id's. The caller's clock sets it, so a change filed in the past (the
	// demo's history) needs no clock of the store's swapped; zero: the
	// store's clock.
	Time time.Time
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidateRequestID checks that a request id is empty or a UUID (AIP-155).
func ValidateRequestID(id string) error {
	if id != "" && !uuidPattern.MatchString(id) {
		return InvalidField("request_id", "request_id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000 (got %q)", truncate(id, 80))
	}
	return nil
}

// Page asks for one page of a list.
type Page struct {
	// Size is how many items at most.
	Size int
	// After is the sort key of the last item of the previous page; nil for
	// the first page.
	After Cursor
}

// Cursor is the sort key of an item in a list, opaque to everyone but the
// store that made it: ints, floats and strings.
type Cursor []any

// Clock tells the time; tests set it.
type Clock func() time.Time

// Meta is what the store keeps about every resource.
type Meta struct {
	CreateTime time.Time
	UpdateTime time.Time
	// Etag changes with every change (AIP-154); the store sets it.
	Etag string
}

// Metadata returns the resource's Meta, for code that handles any resource.
func (m *Meta) Metadata() *Meta { return m }

// CheckEtag refuses a change made on a stale read (AIP-154): etag, when
// set, must be the resource's current one. A caller checks access first, so
// a resource out of reach answers NotFound whatever etag came with it.
func CheckEtag(name, etag string, m *Meta) error {
	if etag != "" && etag != m.Etag {
		return Errorf(Aborted, "%s was changed since it was read (etag %q is stale); get it again and retry", name, truncate(etag, 80))
	}
	return nil
}
