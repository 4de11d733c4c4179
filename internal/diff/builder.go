package diff

import (
	"slices"
	"strings"
	"time"
)

// builder assembles one changed resource: its differing fields, the clauses
// of its summary sentence and the riskiest direction among them.
type builder struct {
	area, resource, subject string
	fields                  []Field
	clauses                 []string
	risk                    Risk
}

// newBuilder starts a change; subject opens its summary ("Admin API key x").
func newBuilder(area, resource, subject string) *builder {
	return &builder{area: area, resource: resource, subject: subject, risk: RiskNeutral}
}

// set records a differing field; clause (if not empty) joins the summary.
func (b *builder) set(name string, old, new any, risk Risk, clause string) {
	b.fields = append(b.fields, Field{Name: name, Old: old, New: new})
	if clause != "" {
		b.clauses = append(b.clauses, clause)
	}
	b.risk = worse(b.risk, risk)
}

// change returns the change, or nil when no field differs.
func (b *builder) change() *Change {
	if len(b.fields) == 0 {
		return nil
	}
	return &Change{
		Area: b.area, Kind: Changed, Resource: b.resource, Risk: b.risk, Fields: b.fields,
		Summary: b.subject + ": " + strings.Join(b.clauses, "; ") + ".",
	}
}

// worse returns the riskier direction: increased, then decreased, then neutral.
func worse(a, b Risk) Risk {
	rank := func(r Risk) int { return slices.Index([]Risk{RiskNeutral, RiskDecreased, RiskIncreased}, r) }
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// riskIf is increased when up holds, decreased when down holds, else neutral.
func riskIf(up, down bool) Risk {
	switch {
	case up:
		return RiskIncreased
	case down:
		return RiskDecreased
	}
	return RiskNeutral
}

// boolField compares an optional boolean (nil: not known). riskyWhen is the
// value that raises risk; a change to or from "not known" is neutral. on and
// off are the clauses for becoming true and false.
func (b *builder) boolField(name string, old, new *bool, riskyWhen bool, on, off string) {
	if equalBool(old, new) {
		return
	}
	risk := RiskNeutral
	clause := name + " no longer known"
	if new != nil {
		clause = off
		if *new {
			clause = on
		}
	}
	if old != nil && new != nil {
		risk = riskIf(*new == riskyWhen, *old == riskyWhen)
	}
	b.set(name, boolValue(old), boolValue(new), risk, clause)
}

func equalBool(a, b *bool) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// boolValue is the JSON value of an optional boolean.
func boolValue(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// timeValue is the JSON value of an optional time (RFC 3339, UTC).
func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// day is the date of t for summaries.
func day(t *time.Time) string { return t.UTC().Format("2006-01-02") }

// sortedSet returns the distinct values of list, sorted (never nil).
func sortedSet(list []string) []string {
	out := append([]string{}, list...)
	slices.Sort(out)
	return slices.Compact(out)
}

// setDelta returns what new has that old lacks, and what old has that new lacks.
func setDelta(old, new []string) (gained, lost []string) {
	for _, v := range new {
		if !slices.Contains(old, v) {
			gained = append(gained, v)
		}
	}
	for _, v := range old {
		if !slices.Contains(new, v) {
			lost = append(lost, v)
		}
	}
	return gained, lost
}

// statusValue is the JSON value of a status ("" reads as absent).
func statusValue(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isAdminRole reports whether role is an admin role: its name ends in "admin"
// (atlassian/org-admin, atlassian/site-admin, role/product/admin, …).
func isAdminRole(role string) bool { return strings.HasSuffix(strings.ToLower(role), "admin") }

// lastSegment is the last "/" segment of an ARI or role name.
func lastSegment(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// nameAndID labels a resource "label (id)", or the id alone.
func nameAndID(label, id string) string {
	if label == "" || label == id {
		return id
	}
	return label + " (" + id + ")"
}

// quoteList joins values as "a, b and c".
func quoteList(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " and " + values[len(values)-1]
}
