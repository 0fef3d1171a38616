package api

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// Languages are the languages an error can be told in, the first the one
// used when the caller asks for none of them.
var Languages = []string{"en", "ru", "kk"}

// Language picks, from an Accept-Language value such as
// "ru-RU,ru;q=0.9,en;q=0.8", the language we speak that the caller ranks
// highest; "en" when it names none of ours.
func Language(accept string) string {
	best, bestQ := "en", 0.0
	for _, part := range strings.Split(accept, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !slices.Contains(Languages, primary) {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// callLanguage is the language of the caller: the accept-language metadata
// of a gRPC call, which the gateway fills from a REST call's header.
func callLanguage(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	return Language(strings.Join(md.Get("accept-language"), ","))
}

// localized adds to an error's status the message in the caller's language
// (AIP-193), beside the English one, which stays for developers.
func localized(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	return Localize(st, callLanguage(ctx)).Err()
}

// Localize returns st with a google.rpc.LocalizedMessage in lang, and each
// field violation of its BadRequest with its own. A status that already
// has a LocalizedMessage is returned as it is.
func Localize(st *status.Status, lang string) *status.Status {
	if st.Code() == 0 {
		return st
	}
	p := st.Proto()
	var descriptions, localizedDescriptions []string
	for i, d := range p.GetDetails() {
		m, err := d.UnmarshalNew()
		if err != nil {
			continue
		}
		switch m := m.(type) {
		case *errdetails.LocalizedMessage:
			return st
		case *errdetails.BadRequest:
			for _, v := range m.GetFieldViolations() {
				text := Say(lang, v.GetDescription())
				v.LocalizedMessage = &errdetails.LocalizedMessage{Locale: lang, Message: text}
				descriptions = append(descriptions, v.GetDescription())
				localizedDescriptions = append(localizedDescriptions, text)
			}
			if a, err := anypb.New(m); err == nil {
				p.Details[i] = a
			}
		}
	}
	// The message of an invalid input lists its violations (see
	// supply.Violations.Err): it is told again from them.
	text := Say(lang, p.GetMessage())
	if len(descriptions) > 0 && p.GetMessage() == strings.Join(descriptions, "; ") {
		text = strings.Join(localizedDescriptions, "; ")
	}
	if a, err := anypb.New(&errdetails.LocalizedMessage{Locale: lang, Message: text}); err == nil {
		p.Details = append(p.Details, a)
	}
	return status.FromProto(p)
}

// Say tells an English message from this server in lang. It knows the
// message by its template in the catalog (see messages.go) and tells its
// arguments too when they are words or messages the catalog knows; a
// message it does not know stays in English. Messages are matched as text
// because they are made in many places (the domain, the store, the
// authenticator, the gateway) that need not know of languages: the one
// rule they follow is that the format is a constant the catalog test reads.
func Say(lang, message string) string {
	if lang == "en" || !slices.Contains(Languages, lang) {
		return message
	}
	if text, ok := say(lang, message); ok {
		return text
	}
	return message
}

func say(lang, message string) (string, bool) {
	if w, ok := words[message]; ok {
		return pick(lang, w, message), true
	}
	// A field named by its path, "run.volunteer", is told as its last part.
	if m := fieldPath.FindStringSubmatch(message); m != nil {
		if w, ok := words[m[1]]; ok {
			return pick(lang, w, message), true
		}
	}
	if text, ok := sayList(lang, message); ok {
		return text, true
	}
	for _, t := range compiled() {
		m := t.re.FindStringSubmatch(message)
		if m == nil {
			continue
		}
		tr, ok := messages[t.format]
		text := pick(lang, tr, "")
		if !ok || text == "" {
			return message, false
		}
		args := make([]any, len(t.verbs))
		for i, verb := range t.verbs {
			args[i] = argument(lang, verb, m[i+1])
		}
		return fmt.Sprintf(text, args...), true
	}
	return message, false
}

// sayList tells a list of words, such as "FRUIT, VEGETABLES" or
// "PLANNED or DISPATCHED", when it knows every word.
func sayList(lang, message string) (string, bool) {
	for _, sep := range []struct{ en, ru, kk string }{{", ", ", ", ", "}, {" or ", " или ", " немесе "}} {
		parts := strings.Split(message, sep.en)
		if len(parts) < 2 {
			continue
		}
		for i, p := range parts {
			w, ok := words[p]
			if !ok {
				return "", false
			}
			parts[i] = pick(lang, w, p)
		}
		return strings.Join(parts, pick(lang, translation{sep.ru, sep.kk}, sep.en)), true
	}
	return "", false
}

// argument turns the text matched for a verb back into the value the verb
// formats; text, when the catalog knows it, is told in lang.
func argument(lang, verb, text string) any {
	switch verb[len(verb)-1] {
	case 'd':
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n
		}
	case 'X':
		if n, err := strconv.ParseInt(text, 16, 64); err == nil {
			return n
		}
	case 'f':
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return f
		}
	case 'q':
		if s, err := strconv.Unquote(text); err == nil {
			return s
		}
	case 's', 'v':
		if said, ok := say(lang, text); ok {
			return said
		}
	}
	return text
}

func pick(lang string, t translation, en string) string {
	switch lang {
	case "ru":
		if t.ru != "" {
			return t.ru
		}
	case "kk":
		if t.kk != "" {
			return t.kk
		}
	}
	return en
}

// template is a catalog format as a pattern that finds its arguments in
// a message made from it.
type template struct {
	format string
	re     *regexp.Regexp
	verbs  []string
}

var fieldPath = regexp.MustCompile(`^[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*\.([a-z_]+)$`)

var verbPattern = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// compiled is the catalog as templates, those with the most fixed text
// first, so that "ward is required" is found before "%s is required".
var compiled = sync.OnceValue(func() []template {
	var ts []template
	for format := range messages {
		ts = append(ts, compile(format))
	}
	fixed := func(t template) int { return len(verbPattern.ReplaceAllString(t.format, "")) }
	slices.SortFunc(ts, func(a, b template) int {
		if d := fixed(b) - fixed(a); d != 0 {
			return d
		}
		return strings.Compare(a.format, b.format)
	})
	return ts
})

func compile(format string) template {
	t := template{format: format}
	var re strings.Builder
	re.WriteString(`(?s)^`)
	last := 0
	locs := verbPattern.FindAllStringIndex(format, -1)
	for i, loc := range locs {
		re.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
		verb := format[loc[0]:loc[1]]
		last = loc[1]
		switch verb[len(verb)-1] {
		case '%':
			re.WriteString(`%`)
			continue
		case 'd':
			re.WriteString(`(-?\d+)`)
		case 'X':
			re.WriteString(`([0-9A-F]+)`)
		case 'f':
			re.WriteString(`(-?\d+(?:\.\d+)?)`)
		case 'q':
			re.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			// An argument right before another is one word (a state
			// before " on runs/…").
			if i+1 < len(locs) && locs[i+1][0] == loc[1] {
				re.WriteString(`(\S*)`)
			} else {
				re.WriteString(`(.*?)`)
			}
		}
		t.verbs = append(t.verbs, verb)
	}
	re.WriteString(regexp.QuoteMeta(format[last:]))
	re.WriteString(`$`)
	t.re = regexp.MustCompile(re.String())
	return t
}
