package diff

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// orgPolicies compares the org policies by id, and their resources by id. A
// policy that is disabled, removed, or stops applying to a resource lowers
// protection (raises risk); one that is added, enabled or applied more widely
// raises it. A changed rule is reported with both rules.
func (c *comparer) orgPolicies() {
	const area = snapshot.AreaOrgPolicies
	key := func(p snapshot.OrgPolicy) string { return p.ID }
	for _, p := range match(c.old.OrgPolicies.Items, c.new.OrgPolicies.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.new.ID, fmt.Sprintf("%s added (%s).", policySubject(*p.new), p.new.Status),
				riskIf(false, p.new.Status == "enabled"))
		case p.new == nil:
			c.removed(area, p.old.ID, policySubject(*p.old)+" removed.", riskIf(p.old.Status == "enabled", false))
		default:
			c.emit(c.policyChange(*p.old, *p.new))
		}
	}
}

func policySubject(p snapshot.OrgPolicy) string {
	if p.Name != "" {
		return fmt.Sprintf("Org policy %s (%s, %s)", p.Name, p.Type, p.ID)
	}
	return fmt.Sprintf("Org policy %s (%s)", p.ID, p.Type)
}

func (c *comparer) policyChange(o, n snapshot.OrgPolicy) *Change {
	b := newBuilder(snapshot.AreaOrgPolicies, n.ID, policySubject(n))
	if o.Status != n.Status {
		b.set("status", statusValue(o.Status), statusValue(n.Status), riskIf(o.Status == "enabled", n.Status == "enabled"),
			n.Status)
	}
	if !sameJSON(o.Rule, n.Rule) {
		b.set("rule", rawValue(o.Rule), rawValue(n.Rule), RiskNeutral, "rule changed")
	}
	key := func(r snapshot.PolicyResource) string { return r.ID }
	for _, r := range match(o.Resources, n.Resources, key) {
		field := "resources/" + r.key
		switch {
		case r.old == nil:
			b.set(field, nil, r.new.ApplicationStatus, riskIf(false, true), "now applies to "+r.key)
		case r.new == nil:
			b.set(field, r.old.ApplicationStatus, nil, riskIf(true, false), "no longer applies to "+r.key)
		case r.old.ApplicationStatus != r.new.ApplicationStatus:
			b.set(field, r.old.ApplicationStatus, r.new.ApplicationStatus,
				riskIf(r.new.ApplicationStatus == "failed", r.old.ApplicationStatus == "failed"),
				fmt.Sprintf("%s %s → %s", r.key, r.old.ApplicationStatus, r.new.ApplicationStatus))
		}
	}
	return b.change()
}

// sameJSON compares two raw JSON values after parsing (key order and spaces
// do not count).
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// rawValue is a raw JSON value as a plain value for a field (nil when none).
func rawValue(v json.RawMessage) any {
	var out any
	if len(v) == 0 || json.Unmarshal(v, &out) != nil {
		return nil
	}
	return out
}
