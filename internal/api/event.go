package api

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/feed"
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
		events, err := s.Store.ListEvents(ctx, q)
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

// WatchEvents replays the log after a sequence number, then follows it,
// from the feed every watcher shares. A watcher that reconnects with the
// last sequence it saw misses nothing; one that falls behind is told the
// sequence to resume from. The stream ends cleanly when the server shuts
// down, and with UNAUTHENTICATED as soon as its token is revoked.
func (s *eventService) WatchEvents(req *aqjurekv1.WatchEventsRequest, stream grpc.ServerStreamingServer[aqjurekv1.WatchEventsResponse]) error {
	if err := checkAfterSequence(req.GetAfterSequence()); err != nil {
		return err
	}
	ctx, done, err := s.Watches.open(stream.Context(), s.Store.Changed)
	if err != nil {
		return err
	}
	defer done()
	// Headers go out now, so a client knows it is following the log even
	// before the first event.
	if err := stream.SendHeader(metadata.Pairs(StreamOpenHeader, "events")); err != nil {
		return err
	}
	// The feed serves every watcher from memory: a watcher's filter is its
	// actor's scope, as the store's reads are.
	reach := supply.ActorFrom(ctx).Scope()
	err = s.Feed.Watch(ctx, req.GetAfterSequence(), feed.Filter{HospitalID: reach.HospitalID, VolunteerID: reach.VolunteerID, Resource: req.GetResource()},
		func(events []*supply.Event) error {
			msg := &aqjurekv1.WatchEventsResponse{Events: make([]*aqjurekv1.Event, len(events)), SendTime: timestamppb.Now()}
			for i, e := range events {
				msg.Events[i] = eventToProto(e)
			}
			return stream.Send(msg)
		})
	var behind *feed.BehindError
	if errors.As(err, &behind) {
		st := status.New(codes.Aborted, behind.Error())
		if withInfo, err := st.WithDetails(&errdetails.ErrorInfo{Reason: "WATCHER_BEHIND", Domain: "aqjurek.v1",
			Metadata: map[string]string{"afterSequence": strconv.FormatInt(behind.After, 10)}}); err == nil {
			st = withInfo
		}
		return st.Err()
	}
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, errRevoked) {
		return cause
	}
	return err
}

// errRevoked ends the streams of a token that was revoked while they were
// open; it is the same answer the token now gets on any call.
var errRevoked = status.Error(codes.Unauthenticated, "missing or invalid bearer token")

// Revocations tells which tokens may no longer be used.
type Revocations interface {
	// RevokedTokens returns those of ids that are revoked or unknown.
	RevokedTokens(ctx context.Context, ids []string) ([]string, error)
}

// Watches bounds the event streams open at once, per token and in all, and
// ends a token's streams when it is revoked: a stream authenticates once,
// when it opens, so its token is checked again after commits (a revocation
// through this server is one) and on a short tick (one by another process).
type Watches struct {
	// PerToken and Total bound the streams open at once (0: 20 and 5000).
	PerToken, Total int
	Tokens          Revocations
	// Every is how often tokens are checked without a commit (0: 500 ms).
	Every time.Duration
	Log   *slog.Logger

	mu       sync.Mutex
	byToken  map[string]map[*openWatch]struct{}
	total    int
	checking bool
}

type openWatch struct{ cancel context.CancelCauseFunc }

// checkGap is the least time between two checks of the tokens, so that a
// busy stream of commits does not become a stream of reads.
const checkGap = 100 * time.Millisecond

// open takes a place for the caller's stream, or refuses it when its token
// or the server has as many open as they may. The context it returns is
// cancelled when the token is revoked; done gives the place back.
func (w *Watches) open(ctx context.Context, changed func() <-chan struct{}) (_ context.Context, done func(), _ error) {
	token := supply.ActorFrom(ctx).TokenID
	perToken, total := cmp.Or(w.PerToken, 20), cmp.Or(w.Total, 5000)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.byToken[token]) >= perToken {
		return nil, nil, status.Errorf(codes.ResourceExhausted, "%d event streams are already open with this token, as many as one token may; close one first", perToken)
	}
	if w.total >= total {
		st := status.Newf(codes.ResourceExhausted, "the server already follows %d event streams, as many as it may; retry in a minute", total)
		if withRetry, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(time.Minute)}); err == nil {
			st = withRetry
		}
		return nil, nil, st.Err()
	}
	ctx, cancel := context.WithCancelCause(ctx)
	o := &openWatch{cancel: cancel}
	if w.byToken == nil {
		w.byToken = map[string]map[*openWatch]struct{}{}
	}
	if w.byToken[token] == nil {
		w.byToken[token] = map[*openWatch]struct{}{}
	}
	w.byToken[token][o] = struct{}{}
	w.total++
	if !w.checking {
		w.checking = true
		go w.check(changed)
	}
	return ctx, func() {
		w.mu.Lock()
		delete(w.byToken[token], o)
		if len(w.byToken[token]) == 0 {
			delete(w.byToken, token)
		}
		w.total--
		w.mu.Unlock()
		cancel(nil)
	}, nil
}

// check ends the streams of revoked tokens until no stream is open.
func (w *Watches) check(changed func() <-chan struct{}) {
	tick := time.NewTicker(cmp.Or(w.Every, 500*time.Millisecond))
	defer tick.Stop()
	for {
		next := changed()
		select {
		case <-next:
		case <-tick.C:
		}
		w.mu.Lock()
		if w.total == 0 {
			w.checking = false
			w.mu.Unlock()
			return
		}
		ids := slices.Collect(maps.Keys(w.byToken))
		w.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		revoked, err := w.Tokens.RevokedTokens(ctx, ids)
		cancel()
		if err != nil && w.Log != nil {
			w.Log.Warn("could not check the tokens of open event streams; retrying", "error", err)
		}
		w.mu.Lock()
		for _, id := range revoked {
			for o := range w.byToken[id] {
				o.cancel(errRevoked)
			}
		}
		w.mu.Unlock()
		time.Sleep(checkGap)
	}
}
