package supply

import (
	"context"
	"fmt"
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
	// Run steps.
	EventAssigned   EventKind = "ASSIGNED"
	EventUnassigned EventKind = "UNASSIGNED"
	EventDispatched EventKind = "DISPATCHED"
	EventStarted    EventKind = "STARTED"
	EventDelivered  EventKind = "DELIVERED"
	EventFailed     EventKind = "FAILED"
	EventCompleted  EventKind = "COMPLETED"
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
	// HospitalID and VolunteerID are whom the change concerns, if anyone,
	// so a hospital's staff and a driver can be shown only their own events.
	HospitalID  string
	VolunteerID string
}

// EventQuery selects events for a list.
type EventQuery struct {
	AfterSequence int64
	// BeforeSequence, when not 0, keeps the events before it.
	BeforeSequence int64
	// Newest lists the newest first.
	Newest   bool
	Resource string
	// HospitalID and VolunteerID, when set, keep the events that concern them.
	HospitalID  string
	VolunteerID string
	Limit       int
}

// EventStore reads the change log.
type EventStore interface {
	// ListEvents returns up to Limit events between AfterSequence and
	// BeforeSequence, oldest first unless Newest.
	ListEvents(ctx context.Context, q EventQuery) ([]*Event, error)
	// Changed returns a channel that is closed when the next change commits.
	Changed() <-chan struct{}
}

// Name returns the event's resource name, events/{sequence}.
func (e *Event) Name() string { return Name(EventPattern, fmt.Sprint(e.Sequence)) }

// EventPattern is the resource name pattern of events.
const EventPattern = "events/{event}"

// Store is everything the service keeps.
type Store interface {
	Updater
	HospitalStore
	WardStore
	DepotStore
	VolunteerStore
	DeliveryRequestStore
	RunStore
	EventStore
	DashboardStore
	DonationStore
	PurchaseStore
	LotStore
	TraceStore
	ReportStore
	StopDonorStore
}
