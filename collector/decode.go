package collector

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// object is one JSON object of a response, its fields kept as received.
type object map[string]json.RawMessage

// value returns the first present, non-null value among names and their
// snake_case variants, and the key it was found under.
func (o object) value(names ...string) (json.RawMessage, string) {
	for _, name := range names {
		for _, k := range []string{name, snake(name)} {
			if v, ok := o[k]; ok && string(v) != "null" {
				return v, k
			}
		}
	}
	return nil, ""
}

// snake converts camelCase to snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reader reads one item of an API response field by field. Decoding is
// tolerant of what it does not look at (unknown fields are ignored, or kept
// whole in raw) and strict about what it reads: a field of the wrong type,
// an unknown enum value, a missing id or a timestamp out of range is never
// read as absent or as the safe value; it is recorded as a problem, and an
// item with a problem is kept raw as unreadable (contract, opening paragraph).
// A field is looked up under its camelCase name and its snake_case variant.
type reader struct {
	o object
	// item is the whole item as received (set on the item's own reader).
	item json.RawMessage
	// at is the JSON Pointer of o inside the item ("" for the item itself).
	at string
	// problems are shared by an item's reader and its nested readers.
	problems *[]snapshot.ItemProblem
	// marked counts the problems of fields the decoded item itself marks
	// unreadable (shared like problems): when they are all, the item is
	// kept as well as listed as unreadable.
	marked *int
}

// newReader reads raw as an item: an object, else (null, a string, …) the
// item is unreadable as a whole and ok is false.
func newReader(raw json.RawMessage) (r *reader, ok bool) {
	r = &reader{item: raw, problems: &[]snapshot.ItemProblem{}, marked: new(int)}
	if err := json.Unmarshal(raw, &r.o); err != nil || r.o == nil {
		r.fail("", "the item is %s, not an object", kindOf(raw))
		return r, false
	}
	return r, true
}

// fail records a problem at the field key of this reader's object ("" for
// the object itself).
func (r *reader) fail(key, format string, args ...any) {
	field := r.at
	if key != "" {
		field += "/" + escapePointer(key)
	}
	*r.problems = append(*r.problems, snapshot.ItemProblem{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// ok reports whether nothing went wrong so far.
func (r *reader) ok() bool { return len(*r.problems) == 0 }

// kept reports whether every problem so far is of a field the decoded item
// marks unreadable, so that the item can be kept (and listed as unreadable).
func (r *reader) kept() bool { return len(*r.problems) == *r.marked }

// markedTime reads a timestamp like time; one that cannot be read is
// recorded as a problem of a field the caller marks unreadable in the
// decoded item (unreadable is true), which does not make the item unreadable
// as a whole.
func (r *reader) markedTime(names ...string) (t *time.Time, unreadable bool) {
	before := len(*r.problems)
	t = r.time(names...)
	if n := len(*r.problems) - before; n > 0 {
		*r.marked += n
		return nil, true
	}
	return t, false
}

// escapePointer escapes a JSON Pointer token (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// kindOf names the JSON type of a value for problem messages.
func kindOf(v json.RawMessage) string {
	s := strings.TrimSpace(string(v))
	switch {
	case s == "" || s == "null":
		return "null"
	case s[0] == '"':
		return "a string " + short(s)
	case s[0] == '{':
		return "an object"
	case s[0] == '[':
		return "a list"
	case s == "true" || s == "false":
		return "a boolean " + s
	}
	return "a number " + short(s)
}

// short quotes at most 40 characters of a value for a problem message.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// str returns a string field, "" when absent or null.
func (r *reader) str(names ...string) string {
	v, key := r.o.value(names...)
	if v == nil {
		return ""
	}
	if s, ok := plainString(v); ok {
		return s
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		r.fail(key, "want a string, got %s", kindOf(v))
	}
	return s
}

// plainString reads a JSON string without escapes directly (most values
// are): the page it came from is already known to be valid JSON.
func plainString(v json.RawMessage) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	body := v[1 : len(v)-1]
	for _, c := range body {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	return string(body), true
}

// id returns a required, non-empty string field: the item's identity.
func (r *reader) id(names ...string) string {
	before := len(*r.problems)
	s := r.str(names...)
	if len(*r.problems) == before && strings.TrimSpace(s) == "" {
		r.fail(names[0], "the item has no %s", names[0])
	}
	return s
}

// enum returns a string field that must be one of allowed (compared without
// case); an unknown value is a problem. The value is returned as sent.
func (r *reader) enum(allowed []string, names ...string) string {
	s := r.str(names...)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			return s
		}
	}
	_, key := r.o.value(names...)
	r.fail(key, "unknown value %q (known: %s)", s, strings.Join(allowed, ", "))
	return s
}

// boolPtr returns a boolean field, nil when absent or null. Anything but
// true or false ("yes", "true", 1) is a problem.
func (r *reader) boolPtr(names ...string) *bool {
	v, key := r.o.value(names...)
	if v == nil {
		return nil
	}
	var b bool
	switch string(v) {
	case "true":
		b = true
	case "false":
	default:
		r.fail(key, "want true or false, got %s", kindOf(v))
		return nil
	}
	return &b
}

// integer returns a non-negative integer field, 0 when absent or null.
func (r *reader) integer(names ...string) int {
	v, key := r.o.value(names...)
	if v == nil {
		return 0
	}
	var n int
	if json.Unmarshal(v, &n) != nil || n < 0 {
		r.fail(key, "want a whole number of at least 0, got %s", kindOf(v))
		return 0
	}
	return n
}

// strs returns a list of strings, never nil; a value that is not a list of
// strings is a problem.
func (r *reader) strs(names ...string) []string {
	v, key := r.o.value(names...)
	out := []string{}
	if v == nil {
		return out
	}
	if json.Unmarshal(v, &out) != nil {
		r.fail(key, "want a list of strings, got %s", kindOf(v))
		return []string{}
	}
	return out
}

// obj returns a nested object field, nil when absent or null; anything else
// is a problem.
func (r *reader) obj(names ...string) *reader {
	v, key := r.o.value(names...)
	if v == nil {
		return nil
	}
	var m object
	if json.Unmarshal(v, &m) != nil {
		r.fail(key, "want an object, got %s", kindOf(v))
		return nil
	}
	return &reader{o: m, at: r.at + "/" + escapePointer(key), problems: r.problems, marked: r.marked}
}

// list returns the objects of a list field, nil when absent or null; a value
// that is not a list, or an element that is not an object, is a problem.
func (r *reader) list(names ...string) []*reader {
	v, key := r.o.value(names...)
	if v == nil {
		return nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(v, &elems) != nil {
		r.fail(key, "want a list, got %s", kindOf(v))
		return nil
	}
	out := make([]*reader, 0, len(elems))
	for i, e := range elems {
		at := fmt.Sprintf("%s/%s/%d", r.at, escapePointer(key), i)
		var m object
		if json.Unmarshal(e, &m) != nil || m == nil {
			*r.problems = append(*r.problems, snapshot.ItemProblem{Field: at, Reason: "want an object, got " + kindOf(e)})
			continue
		}
		out = append(out, &reader{o: m, at: at, problems: r.problems, marked: r.marked})
	}
	return out
}

// raw returns a field as received, nil when absent or null.
func (r *reader) raw(names ...string) json.RawMessage {
	v, _ := r.o.value(names...)
	return v
}

// timeLayouts are the timestamp forms seen in Atlassian responses.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"}

// Timestamps outside these years are out of range (an epoch in the wrong
// unit, a zero value): a problem, never "no time".
const minYear, maxYear = 1970, 9999

// time returns a timestamp field in UTC: an ISO-8601 string, or epoch
// milliseconds (seconds when small) as a number or a string of digits; nil
// when absent or null.
func (r *reader) time(names ...string) *time.Time {
	v, key := r.o.value(names...)
	if v == nil {
		return nil
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		var n json.Number
		if json.Unmarshal(v, &n) != nil {
			r.fail(key, "want a timestamp, got %s", kindOf(v))
			return nil
		}
		s = n.String()
	}
	t, ok := parseTime(s)
	if !ok {
		r.fail(key, "%s is not a timestamp", short(strconv.Quote(s)))
		return nil
	}
	if t.Year() < minYear || t.Year() > maxYear {
		r.fail(key, "timestamp %s is out of range (years %d–%d)", short(strconv.Quote(s)), minYear, maxYear)
		return nil
	}
	return &t
}

// parseTime reads an ISO-8601 time or an epoch number, in UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(strings.TrimPrefix(s, "-"), "-:T") {
		if math.IsNaN(f) || math.Abs(f) > 1e17 {
			return time.Time{}, true // year 1: out of range
		}
		n := int64(f)
		if math.Abs(f) < 1e11 {
			return time.Unix(n, 0).UTC(), true
		}
		return time.UnixMilli(n).UTC(), true
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// person reads an account reference {id, name, email}; nil when absent.
func (r *reader) person(names ...string) *snapshot.Person {
	m := r.obj(names...)
	if m == nil {
		return nil
	}
	p := &snapshot.Person{ID: m.str("id", "accountId"), Name: m.str("name", "displayName"), Email: m.str("email")}
	if p.ID == "" && p.Name == "" && p.Email == "" {
		return nil
	}
	return p
}
