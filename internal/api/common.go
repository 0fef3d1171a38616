package api

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.einride.tech/aip/fieldbehavior"
	"go.einride.tech/aip/fieldmask"
	"go.einride.tech/aip/ordering"
	"go.einride.tech/aip/pagination"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/genproto/googleapis/type/latlng"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/aqjurek/tracker/internal/supply"
)

// Page sizes (AIP-158): a page is 50 unless asked otherwise, and never more
// than 1000, so one call cannot make the server load a whole table.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// Bounds on what a list or an update may ask for, so the work one call
// makes stays small whatever a client sends: each order field adds terms to
// the next page's query in proportion to the fields before it.
const (
	maxOrderFields   = 5
	maxOrderByLength = 200
	// maxPageTokenLength is well above any token the server makes: a
	// checksum and a few sort keys, the longest a 200-character name of
	// 4-byte characters (under 1500 characters encoded).
	maxPageTokenLength = 4096
	maxMaskPaths       = 32
)

// pageToken is what a next_page_token carries: where the page ends, and a
// checksum of the request, so a token is refused with other filters.
type pageToken struct {
	Checksum uint32
	After    []any
}

// pageOf reads page_size and page_token of a list request.
func pageOf(req pagination.Request) (supply.Page, error) {
	size := int(req.GetPageSize())
	switch {
	case size < 0:
		return supply.Page{}, supply.InvalidField("page_size", "page_size must not be negative")
	case size == 0:
		size = defaultPageSize
	case size > maxPageSize:
		size = maxPageSize
	}
	page := supply.Page{Size: size}
	if req.GetPageToken() == "" {
		return page, nil
	}
	if len(req.GetPageToken()) > maxPageTokenLength {
		return page, supply.InvalidField("page_token", "page_token is not valid (longer than any this server makes); start again without it")
	}
	var token pageToken
	if err := pagination.DecodePageTokenStruct(req.GetPageToken(), &token); err != nil || len(token.After) == 0 {
		return page, supply.InvalidField("page_token", "page_token is not valid; start again without it")
	}
	checksum, err := pagination.CalculateRequestChecksum(req)
	if err != nil {
		return page, err
	}
	if token.Checksum != checksum {
		return page, supply.InvalidField("page_token", "page_token belongs to a list with other filters; start again without it")
	}
	page.After = token.After
	return page, nil
}

// nextPageToken encodes the cursor of the next page, or "" on the last page.
func nextPageToken(req pagination.Request, cursor supply.Cursor) (string, error) {
	if cursor == nil {
		return "", nil
	}
	checksum, err := pagination.CalculateRequestChecksum(req)
	if err != nil {
		return "", err
	}
	return pagination.EncodePageTokenStruct(pageToken{Checksum: checksum, After: cursor}), nil
}

// operation describes a mutating call for the store: who, which method,
// when by the services' clock (the rules judge the change at that time and
// the store records it), and the request id with a fingerprint of the
// request, for idempotency.
func (s *Services) operation(ctx context.Context, method string, req proto.Message) (supply.Op, error) {
	op := supply.Op{Actor: supply.ActorFrom(ctx), Method: method, Time: s.Now()}
	field := req.ProtoReflect().Descriptor().Fields().ByName("request_id")
	if field == nil {
		return op, nil
	}
	op.RequestID = req.ProtoReflect().Get(field).String()
	if err := supply.ValidateRequestID(op.RequestID); err != nil {
		return op, err
	}
	if op.RequestID == "" {
		return op, nil
	}
	clone := proto.Clone(req)
	clone.ProtoReflect().Clear(field)
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(clone)
	if err != nil {
		return op, err
	}
	sum := sha256.Sum256(b)
	op.Fingerprint = sum[:]
	return op, nil
}

// checkMask refuses an update_mask that names fields the resource does not
// have. Output-only fields, the name and the etag may be named (clients send
// back what they read) and are ignored.
func checkMask(mask *fieldmaskpb.FieldMask, resource proto.Message) error {
	if n := len(mask.GetPaths()); n > maxMaskPaths {
		return supply.InvalidField("update_mask", "update_mask must name at most %d paths (got %d)", maxMaskPaths, n)
	}
	if err := fieldmask.Validate(mask, resource); err != nil {
		return supply.InvalidField("update_mask", "update_mask is not valid: %v", err)
	}
	return nil
}

// orderOf reads an order_by (AIP-132): at most maxOrderFields fields, each
// among allowed and named once. It returns nil when order_by is empty.
func orderOf(orderBy string, allowed []string) ([]supply.OrderField, error) {
	if n := utf8.RuneCountInString(orderBy); n > maxOrderByLength {
		return nil, supply.InvalidField("order_by", "order_by must list at most %d fields in at most %d characters (got %d characters)",
			maxOrderFields, maxOrderByLength, n)
	}
	var parsed ordering.OrderBy
	if err := parsed.UnmarshalString(orderBy); err != nil {
		return nil, supply.InvalidField("order_by", "order_by is not valid: %v", err)
	}
	if n := len(parsed.Fields); n > maxOrderFields {
		return nil, supply.InvalidField("order_by", "order_by must list at most %d fields (got %d)", maxOrderFields, n)
	}
	var fields []supply.OrderField
	for _, f := range parsed.Fields {
		if !slices.Contains(allowed, f.Path) {
			return nil, supply.InvalidField("order_by", "order_by must list fields among %s, each optionally followed by desc (got %q)",
				strings.Join(allowed, ", "), truncate(f.Path, 40))
		}
		if slices.ContainsFunc(fields, func(o supply.OrderField) bool { return o.Field == f.Path }) {
			return nil, supply.InvalidField("order_by", "order_by names %s twice; name each field once", f.Path)
		}
		fields = append(fields, supply.OrderField{Field: f.Path, Desc: f.Desc})
	}
	return fields, nil
}

// statesOf reads a repeated state filter: each state known and named once,
// so there are at most as many as the enum has states.
func statesOf[E interface {
	comparable
	String() string
}](field string, values []E, unspecified E, known map[string]int32) ([]string, error) {
	var names []string
	for name := range known {
		if name != unspecified.String() {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return int(known[a] - known[b]) })
	if len(values) > len(names) {
		return nil, supply.InvalidField(field, "%s must list at most %d states, each once (got %d)", field, len(names), len(values))
	}
	out := make([]string, 0, len(values))
	for _, v := range values {
		name := enumName(v, unspecified)
		if _, ok := known[name]; !ok || name == "" {
			return nil, supply.InvalidField(field, "%s must be one of %s", field, strings.Join(names, ", "))
		}
		if slices.Contains(out, name) {
			return nil, supply.InvalidField(field, "%s lists %s twice; name each once", field, name)
		}
		out = append(out, name)
	}
	return out, nil
}

// truncate shortens what a client sent for an error message.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// applyMask copies the caller-settable fields of patch named by mask onto
// current (AIP-134): every set field when the mask is empty, all of them
// for "*".
func applyMask(mask *fieldmaskpb.FieldMask, current, patch proto.Message) {
	patch = proto.Clone(patch)
	fields := patch.ProtoReflect().Descriptor().Fields()
	// Only the resource's own output-only fields, name and etag: nested
	// ones (a stop's name, by which stops are reordered) stay.
	for i := range fields.Len() {
		f := fields.Get(i)
		if f.Name() == "etag" || fieldbehavior.Has(f, annotations.FieldBehavior_OUTPUT_ONLY) || fieldbehavior.Has(f, annotations.FieldBehavior_IDENTIFIER) {
			patch.ProtoReflect().Clear(f)
		}
	}
	if len(mask.GetPaths()) == 0 || fieldmask.IsFullReplacement(mask) {
		fieldmask.Update(mask, current, patch)
		return
	}
	var paths []string
	for _, p := range mask.GetPaths() {
		f := fields.ByName(protoreflect.Name(strings.SplitN(p, ".", 2)[0]))
		if f == nil || f.Name() == "etag" || fieldbehavior.Has(f, annotations.FieldBehavior_OUTPUT_ONLY) || fieldbehavior.Has(f, annotations.FieldBehavior_IDENTIFIER) {
			continue
		}
		paths = append(paths, p)
	}
	if len(paths) > 0 {
		fieldmask.Update(&fieldmaskpb.FieldMask{Paths: paths}, current, patch)
	}
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func latLngToProto(l *supply.LatLng) *latlng.LatLng {
	if l == nil {
		return nil
	}
	return &latlng.LatLng{Latitude: l.Latitude, Longitude: l.Longitude}
}

func latLngFromProto(l *latlng.LatLng) *supply.LatLng {
	if l == nil {
		return nil
	}
	return &supply.LatLng{Latitude: l.GetLatitude(), Longitude: l.GetLongitude()}
}

// enumName is the name of an enum value as the domain spells it, or "" for
// the unspecified value. Unknown numbers come out as their digits, which the
// domain refuses.
func enumName[E interface{ String() string }](e E, unspecified E) string {
	if e.String() == unspecified.String() {
		return ""
	}
	return e.String()
}

// revise returns the apply function of an Update: the stored resource as a
// proto, the caller's fields laid over it as the mask says, back into the
// domain with its keys and metadata kept, and checked.
func revise[D any, P proto.Message](mask *fieldmaskpb.FieldMask, patch P, toProto func(*D) P, fromProto func(P) *D,
	keep func(next, current *D), validate func(*D) error) func(*D) error {
	return func(current *D) error {
		pb := toProto(current)
		applyMask(mask, pb, patch)
		next := fromProto(pb)
		keep(next, current)
		if err := validate(next); err != nil {
			return err
		}
		*current = *next
		return nil
	}
}

// listPage runs one page of a List: it reads the page request, lists, and
// converts the items and the next page's cursor.
func listPage[D, P any](req pagination.Request, list func(supply.Page) ([]D, supply.Cursor, error), toProto func(D) P) ([]P, string, error) {
	page, err := pageOf(req)
	if err != nil {
		return nil, "", err
	}
	items, cursor, err := list(page)
	if err != nil {
		return nil, "", err
	}
	out := make([]P, len(items))
	for i, item := range items {
		out[i] = toProto(item)
	}
	token, err := nextPageToken(req, cursor)
	return out, token, err
}
