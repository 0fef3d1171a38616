package server

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The gateway has one query parser for the whole process, set through a
// mux option that writes a package variable; setting it once here keeps
// servers started side by side (the tests) from racing on it.
func init() {
	runtime.SetQueryParameterParser(queryParser{})(nil)
}

// queryParser fills a request from its query parameters as the gateway's
// default parser does, with two refusals it lacks: a parameter that names
// no field (a typo such as hosptial= would otherwise be dropped and the
// list come back unfiltered), and a value that does not parse, told with
// the parameter's name and what it takes instead of strconv's text.
type queryParser struct{}

func (queryParser) Parse(msg proto.Message, values url.Values, filter *utilities.DoubleArray) error {
	keys := slices.Sorted(maps.Keys(values))
	fields := make(map[string]protoreflect.FieldDescriptor, len(keys))
	for _, key := range keys {
		fd := queryField(msg.ProtoReflect().Descriptor(), key)
		if fd == nil {
			return fmt.Errorf("unknown query parameter %q", key)
		}
		fields[key] = fd
	}
	var parser runtime.DefaultQueryParser
	err := parser.Parse(msg, values, filter)
	if err == nil {
		return nil
	}
	// Find the parameter refused, by trying each alone.
	for _, key := range keys {
		one := msg.ProtoReflect().New().Interface()
		if parser.Parse(one, url.Values{key: values[key]}, filter) != nil {
			return fmt.Errorf("%s: %s", key, takes(fields[key], values[key]))
		}
	}
	return err // two names for one field, which only together are refused
}

// queryField returns the field a query key names, by its proto or JSON
// name and through singular messages for a dotted key, or nil when it
// names none. "field[key]" names a map field.
func queryField(md protoreflect.MessageDescriptor, key string) protoreflect.FieldDescriptor {
	if open := strings.IndexByte(key, '['); open > 0 && strings.HasSuffix(key, "]") {
		key = key[:open]
	}
	var fd protoreflect.FieldDescriptor
	for i, part := range strings.Split(key, ".") {
		if i > 0 {
			if fd.Message() == nil || fd.IsList() || fd.IsMap() {
				return nil
			}
			md = fd.Message()
		}
		if fd = md.Fields().ByTextName(part); fd == nil {
			if fd = md.Fields().ByJSONName(part); fd == nil {
				return nil
			}
		}
	}
	return fd
}

// takes says what a field refused as a query parameter takes, in words a
// caller can act on.
func takes(fd protoreflect.FieldDescriptor, values []string) string {
	if !fd.IsList() && len(values) > 1 {
		return fmt.Sprintf("takes one value, got %d", len(values))
	}
	got := strings.Join(values, ", ")
	switch fd.Kind() {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return fmt.Sprintf("%q is not a whole number from -2147483648 to 2147483647", got)
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return fmt.Sprintf("%q is not a whole number", got)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return fmt.Sprintf("%q is not a whole number of at least 0", got)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return fmt.Sprintf("%q is not a number", got)
	case protoreflect.BoolKind:
		return fmt.Sprintf("%q is not true or false", got)
	case protoreflect.EnumKind:
		var names []string
		enum := fd.Enum().Values()
		for i := range enum.Len() {
			if enum.Get(i).Number() != 0 {
				names = append(names, string(enum.Get(i).Name()))
			}
		}
		return fmt.Sprintf("%q is not one of %s", got, strings.Join(names, ", "))
	case protoreflect.MessageKind:
		switch fd.Message().FullName() {
		case "google.protobuf.Timestamp":
			return fmt.Sprintf("%q is not an RFC 3339 time such as 2026-04-03T10:00:00Z", got)
		case "google.protobuf.Duration":
			return fmt.Sprintf("%q is not a duration such as 90s", got)
		}
	}
	return fmt.Sprintf("%q is not a value this parameter takes", got)
}
