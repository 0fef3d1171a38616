package api

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type eventService struct {
	aqjurekv1.UnimplementedEventServiceServer
	*Services
}

func eventToProto(e *supply.Event) *aqjurekv1.Event {
	return &aqjurekv1.Event{
		Name:      e.Name(),
		Sequence:  e.Sequence,
		EventTime: timestamp(e.Time),
		Actor:     e.Actor.Name,
		ActorRole: e.Actor.Role,
		Kind:      aqjurekv1.Event_Kind(aqjurekv1.Event_Kind_value[string(e.Kind)]),
		Resource:  e.Resource,
		Summary:   e.Summary,
	}
}

// scoped narrows an event query to what the caller may see: staff the
// events of their hospital, drivers those of their runs.
func scoped(ctx context.Context, q supply.EventQuery) supply.EventQuery {
	switch actor := supply.ActorFrom(ctx); actor.Role {
	case supply.RoleStaff:
		q.HospitalID = actor.HospitalID
	case supply.RoleDriver:
		q.VolunteerID = actor.VolunteerID
	}
	return q
}

func checkAfterSequence(after int64) error {
	if after < 0 {
		return supply.InvalidField("after_sequence", "after_sequence must not be negative")
	}
	return nil
}

func (s *eventService) ListEvents(ctx context.Context, req *aqjurekv1.ListEventsRequest) (*aqjurekv1.ListEventsResponse, error) {
	if err := checkAfterSequence(req.GetAfterSequence()); err != nil {
		return nil, err
	}
	var newest bool
	switch strings.Join(strings.Fields(req.GetOrderBy()), " ") {
	case "", "sequence", "sequence asc":
	case "sequence desc":
		newest = true
	default:
		return nil, supply.InvalidField("order_by", `order_by must be "sequence" or "sequence desc"`)
	}
	resp := &aqjurekv1.ListEventsResponse{}
	var err error
	resp.Events, resp.NextPageToken, err = listPage(req, func(page supply.Page) ([]*supply.Event, supply.Cursor, error) {
		q := supply.EventQuery{AfterSequence: req.GetAfterSequence(), Newest: newest, Resource: req.GetResource(), Limit: page.Size + 1}
		if len(page.After) == 1 {
			seq, ok := page.After[0].(int64)
			if !ok {
				return nil, nil, supply.InvalidField("page_token", "page_token is not valid; start again without it")
			}
			if newest {
				q.BeforeSequence = seq
			} else {
				q.AfterSequence = max(q.AfterSequence, seq)
			}
		}
		events, err := s.Store.ListEvents(ctx, scoped(ctx, q))
		if err != nil || len(events) <= page.Size {
			return events, nil, err
		}
		events = events[:page.Size]
		return events, supply.Cursor{events[page.Size-1].Sequence}, nil
	}, eventToProto)
	return resp, err
}

// StreamOpenHeader is the header a stream sends when it opens, before its
// first message: the REST gateway answers the HTTP request on seeing it.
const StreamOpenHeader = "aqjurek-stream"

// watchBatch is how many events a watcher reads at a time while replaying.
const watchBatch = 500

// WatchEvents replays the log after a sequence number, then follows it.
// It reads the log again after every commit, so a watcher that falls behind
// or reconnects with its last sequence number misses nothing. The stream
// ends cleanly when the server shuts down.
func (s *eventService) WatchEvents(req *aqjurekv1.WatchEventsRequest, stream grpc.ServerStreamingServer[aqjurekv1.Event]) error {
	if err := checkAfterSequence(req.GetAfterSequence()); err != nil {
		return err
	}
	// Headers go out now, so a client knows it is following the log even
	// before the first event.
	if err := stream.SendHeader(metadata.Pairs(StreamOpenHeader, "events")); err != nil {
		return err
	}
	ctx := stream.Context()
	after := req.GetAfterSequence()
	for {
		changed := s.Store.Changed()
		events, err := s.Store.ListEvents(ctx, scoped(ctx, supply.EventQuery{AfterSequence: after, Resource: req.GetResource(), Limit: watchBatch}))
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := stream.Send(eventToProto(e)); err != nil {
				return err
			}
			after = e.Sequence
		}
		if len(events) == watchBatch {
			continue
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.Stopping:
			return nil
		}
	}
}
