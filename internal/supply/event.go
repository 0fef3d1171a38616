package supply

import (
	"context"
	"time"
)

// EventKind is what kind of change an event records; the names match the
// API's enum.
type EventKind string

// Event kinds.
const (
	EventCreated   EventKind = "CREATED"
	EventUpdated   EventKind = "UPDATED"
	EventDeleted   EventKind = "DELETED"
	EventCancelled EventKind = "CANCELLED"
)

// Event is one entry of the append-only change log. The store writes it in
// the same transaction as the change, so the log and the data agree.
type Event struct {
	Sequence int64
	Time     time.Time
	Actor    Actor
	Kind     EventKind
	// Resource is the changed resource's name.
	Resource string
	// Summary is a short sentence for people.
	Summary string
	// HospitalID is the hospital the change concerns, if any, so a
	// hospital's staff can be shown only their own events.
	HospitalID string
}

// EventQuery selects events for a list.
type EventQuery struct {
	AfterSequence int64
	Resource      string
	Limit         int
}

// EventStore reads the change log.
type EventStore interface {
	ListEvents(ctx context.Context, q EventQuery) ([]*Event, error)
}

// Store is everything the service keeps.
type Store interface {
	HospitalStore
	WardStore
	DepotStore
	VolunteerStore
	DeliveryRequestStore
	EventStore
}
