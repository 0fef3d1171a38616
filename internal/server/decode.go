package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// requestJSON reads REST bodies as runtime.JSONPb does, and when protojson
// refuses one, puts the path of the refused field in front of its message:
// protojson gives only the position, and for a time not even the field's
// name ("invalid google.protobuf.Timestamp value").
type requestJSON struct{ *runtime.JSONPb }

func (m requestJSON) NewDecoder(r io.Reader) runtime.Decoder {
	d := json.NewDecoder(r)
	return runtime.DecoderFunc(func(v any) error {
		if err := m.decode(d, v); err != nil {
			return err // io.EOF included: the gateway takes it as no body
		}
		// A body is one JSON value: "{...}xyz" or two objects would
		// otherwise pass with the rest unread.
		if _, err := d.Token(); !errors.Is(err, io.EOF) {
			return errors.New("the body must hold one JSON value and nothing after it")
		}
		return nil
	})
}

func (m requestJSON) decode(d *json.Decoder, v any) error {
	msg, ok := message(v)
	if !ok {
		return runtime.DecoderWrapper{Decoder: d, UnmarshalOptions: m.UnmarshalOptions}.Decode(v)
	}
	var body json.RawMessage
	if err := d.Decode(&body); err != nil {
		return err
	}
	err := m.UnmarshalOptions.Unmarshal(body, msg)
	if err != nil {
		if path := m.refused(msg.ProtoReflect(), body, ""); path != "" {
			// protojson's "proto:" is followed by a space or, at
			// random, a no-break space.
			says := err.Error()
			if rest, ok := strings.CutPrefix(says, "proto:"); ok {
				says = strings.TrimLeft(rest, " \u00a0")
			}
			return fmt.Errorf("%s: %s", path, says)
		}
	}
	return err
}

// overLimitKey holds, in a REST request's context, whether its body went
// over maxBodyBytes.
type overLimitKey struct{}

// limitBody bounds a REST body at n bytes and remembers when one went
// over: the gateway makes every body that does not decode InvalidArgument
// (400), and the error handler turns this one into 413.
func limitBody(h http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		over := new(atomic.Bool)
		r = r.WithContext(context.WithValue(r.Context(), overLimitKey{}, over))
		r.Body = limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, n), over: over}
		h.ServeHTTP(w, r)
	})
}

type limitedBody struct {
	io.ReadCloser
	over *atomic.Bool
}

func (b limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		b.over.Store(true)
	}
	return n, err
}

// bodyOverLimit reports whether the request's body went over the limit.
func bodyOverLimit(ctx context.Context) bool {
	over, _ := ctx.Value(overLimitKey{}).(*atomic.Bool)
	return over != nil && over.Load()
}

// message returns the message v is, or points to: a body bound to one field
// of the request (body: "delivery_request") arrives as a pointer to that
// field, itself a pointer, allocated here when nil.
func message(v any) (proto.Message, bool) {
	if msg, ok := v.(proto.Message); ok {
		return msg, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Pointer {
		return nil, false
	}
	if _, ok := reflect.Zero(rv.Elem().Type()).Interface().(proto.Message); !ok {
		return nil, false
	}
	if rv.Elem().IsNil() {
		rv.Elem().Set(reflect.New(rv.Elem().Type().Elem()))
	}
	return rv.Elem().Interface().(proto.Message), true
}

// refused finds the field of the JSON object body that m refuses, by trying
// each key alone; it returns the field's path below prefix, or "" when the
// body is not an object or each key alone is accepted.
func (j requestJSON) refused(m protoreflect.Message, body json.RawMessage, prefix string) string {
	var object map[string]json.RawMessage
	if json.Unmarshal(body, &object) != nil {
		return ""
	}
	for _, key := range slices.Sorted(maps.Keys(object)) {
		one, _ := json.Marshal(map[string]json.RawMessage{key: object[key]})
		if j.UnmarshalOptions.Unmarshal(one, m.New().Interface()) == nil {
			continue
		}
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		fields := m.Descriptor().Fields()
		fd := fields.ByJSONName(key)
		if fd == nil {
			fd = fields.ByTextName(key)
		}
		// In a message of the API's own, look for the field inside.
		if fd == nil || fd.Message() == nil || fd.IsMap() || fd.Message().FullName().Parent() == "google.protobuf" {
			return path
		}
		if !fd.IsList() {
			if inner := j.refused(m.NewField(fd).Message(), object[key], path); inner != "" {
				return inner
			}
			return path
		}
		var items []json.RawMessage
		if json.Unmarshal(object[key], &items) != nil {
			return path
		}
		for i, item := range items {
			if inner := j.refused(m.NewField(fd).List().NewElement().Message(), item, fmt.Sprintf("%s[%d]", path, i)); inner != "" {
				return inner
			}
		}
		return path
	}
	return ""
}
