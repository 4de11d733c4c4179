package collector

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// object is one JSON object of a response, decoded tolerantly: a field is
// looked up under its camelCase name and its snake_case variant (several
// response shapes are only partly documented), values of an unexpected type
// read as absent, and unknown fields are ignored (or kept whole in raw).
type object map[string]json.RawMessage

// value returns the first present, non-null value among names and their
// snake_case variants.
func (o object) value(names ...string) json.RawMessage {
	for _, name := range names {
		for _, k := range []string{name, snake(name)} {
			if v, ok := o[k]; ok && string(v) != "null" {
				return v
			}
		}
	}
	return nil
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

// str returns a string field; a number is returned as its text.
func (o object) str(names ...string) string {
	v := o.value(names...)
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	return ""
}

// boolPtr returns a boolean field (true/false or "true"/"false"), nil when absent.
func (o object) boolPtr(names ...string) *bool {
	v := o.value(names...)
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return &b
	}
	if b, err := strconv.ParseBool(o.str(names...)); err == nil {
		return &b
	}
	return nil
}

// boolean returns a boolean field, false when absent.
func (o object) boolean(names ...string) bool {
	b := o.boolPtr(names...)
	return b != nil && *b
}

// integer returns an integer field, 0 when absent.
func (o object) integer(names ...string) int {
	n, _ := strconv.Atoi(o.str(names...))
	return n
}

// obj returns a nested object field, nil when absent.
func (o object) obj(names ...string) object {
	var m object
	if json.Unmarshal(o.value(names...), &m) != nil {
		return nil
	}
	return m
}

// timeLayouts are the timestamp forms seen in Atlassian responses.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"}

// timePtr returns a timestamp field in UTC: an ISO-8601 string or epoch
// milliseconds (seconds when small); nil when absent or unreadable.
func (o object) timePtr(names ...string) *time.Time {
	s := o.str(names...)
	if s == "" {
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t := time.UnixMilli(n)
		if n < 1e11 {
			t = time.Unix(n, 0)
		}
		t = t.UTC()
		return &t
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// strs returns a list of strings. Items that are objects give their id (as
// id, roleId, key or name), so a list of role objects reads like a list of
// role ids. Never nil.
func (o object) strs(names ...string) []string {
	var raw []json.RawMessage
	_ = json.Unmarshal(o.value(names...), &raw)
	out := make([]string, 0, len(raw))
	for _, item := range raw {
		var s string
		if json.Unmarshal(item, &s) == nil {
			out = append(out, s)
			continue
		}
		var m object
		if json.Unmarshal(item, &m) == nil {
			if id := m.str("id", "roleId", "key", "name"); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// person reads an account reference: an object with id (or accountId), name
// and email, or a bare account id string.
func (o object) person(names ...string) *snapshot.Person {
	if m := o.obj(names...); m != nil {
		p := &snapshot.Person{ID: m.str("id", "accountId"), Name: m.str("name", "displayName"), Email: m.str("email")}
		if p.ID == "" && p.Name == "" && p.Email == "" {
			return nil
		}
		return p
	}
	if id := o.str(names...); id != "" {
		return &snapshot.Person{ID: id}
	}
	return nil
}
